/* segment.h - splits an article into paragraphs and sentences.
 *
 * A paragraph is a block of lines separated from the next by one or more
 * blank (white-space only) lines; LF, CRLF and CR line ends all count.
 * Headlines and datelines are one-line paragraphs like any other.
 *
 * A sentence ends at . ! ? or an ellipsis, after any closing quotes and
 * brackets, when white space and then a capital, a digit or an opening mark
 * follow. A period does not end a sentence after an abbreviation from the
 * list (Mr, Gen, Sept, U.S ...), after a single-letter initial, or inside a
 * number.
 */
#ifndef STANCE_SEGMENT_H
#define STANCE_SEGMENT_H

#include <stddef.h>

#include "strmap.h"

typedef struct {
    size_t start, end; /* byte offsets, trimmed of surrounding white space */
} segment_span;

typedef struct {
    segment_span *items;
    size_t count, cap;
} segment_list;

/* Appends the paragraphs of s[0..len) to list (which it resets first). */
void segment_paragraphs(const char *s, size_t len, segment_list *list);

/* Appends the sentences of s[start..end) to list (which it resets first).
 * abbreviations holds lowercase abbreviations without their final period. */
void segment_sentences(const char *s, size_t start, size_t end, const strmap *abbreviations,
                       segment_list *list);

void segment_list_free(segment_list *list);

#endif
