/* segment.h - splits an article into paragraphs.
 *
 * A paragraph is a block of lines separated from the next by one or more
 * blank (white-space only) lines; LF, CRLF and CR line ends all count.
 * Headlines and datelines are one-line paragraphs like any other.
 */
#ifndef STANCE_SEGMENT_H
#define STANCE_SEGMENT_H

#include <stddef.h>

typedef struct {
    size_t start, end; /* byte offsets, trimmed of surrounding white space */
} segment_span;

typedef struct {
    segment_span *items;
    size_t count, cap;
} segment_list;

/* Appends the paragraphs of s[0..len) to list (which it resets first). */
void segment_paragraphs(const char *s, size_t len, segment_list *list);

void segment_list_free(segment_list *list);

#endif
