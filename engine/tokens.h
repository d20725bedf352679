/* tokens.h - splits text into word and number tokens in their matching form.
 *
 * Words are runs of letters, marks and digits; an apostrophe between two such
 * characters stays inside the word (don't, Russia's, Ma’arij), a hyphen or
 * dash splits it. Digits with . or , between them are one number. Each token
 * keeps its byte offsets and carries its case-folded form (text_fold_cp).
 */
#ifndef STANCE_TOKENS_H
#define STANCE_TOKENS_H

#include <stddef.h>

#include "alloc.h"

typedef struct {
    size_t start, end;  /* byte offsets in the input */
    size_t norm;        /* offset of the folded form in the list's arena */
    size_t norm_len;
    unsigned is_number : 1;
    unsigned clause_break : 1; /* sentence or clause punctuation precedes it */
} token;

typedef struct {
    token *items;
    size_t count, cap;
    strbuf arena; /* folded forms, NUL-separated */
} token_list;

/* Tokenises s[start..end) into list, which is reset first. */
void tokenize(const char *s, size_t start, size_t end, token_list *list);

/* The folded, NUL-terminated form of token i. */
static inline const char *token_norm(const token_list *list, size_t i)
{
    return list->arena.data + list->items[i].norm;
}

void token_list_free(token_list *list);

#endif
