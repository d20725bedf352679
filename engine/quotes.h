/* quotes.h - finds direct quotes (ANNOTATION.md): “…”, "…", «…», „…“, ‹…› and ‘…’.
 *
 * One pass over the paragraphs, linear in their size. A straight quote mark
 * opens when it follows white space or an opening bracket and precedes a
 * visible character, and closes after a visible character, so inch marks and
 * stray marks do not open quotes. An opening mark met again before the
 * closing one restarts the quote there: a stray mark costs at most its own
 * quote, never the rest of the article. A quote left open at the end of a
 * paragraph continues when the next paragraph opens with a quote mark (the
 * news convention); otherwise it ends with its paragraph if it opened the
 * paragraph, and is dropped if not. Scare quotes of one to three words are
 * not quotes. A ’ closes a ‘…’ quote only where it cannot be an apostrophe
 * (not inside a word, not "the ministers’ views"); straight single marks are
 * never quote marks.
 */
#ifndef STANCE_QUOTES_H
#define STANCE_QUOTES_H

#include <stddef.h>

#include "segment.h"

typedef struct {
    size_t open;           /* offset of the opening mark */
    size_t start, end;     /* the quoted text, without the marks */
    size_t close_end;      /* just after the closing mark, or end when it has none */
    size_t paragraph;      /* index of the paragraph holding the opening mark */
    size_t last_paragraph; /* index of the paragraph holding the end */
} quote_span;

typedef struct {
    quote_span *items;
    size_t count, cap;
} quote_list;

/* Finds the quotes of the paragraphs of s into list (reset first). */
void quotes_find(const char *s, const segment_list *paragraphs, quote_list *list);

void quote_list_free(quote_list *list);

#endif
