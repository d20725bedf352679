#include "tokens.h"
#include "text.h"

#include <stdlib.h>

static int is_digit(int32_t cp)
{
    return cp >= '0' && cp <= '9';
}

static int is_clause_punct(int32_t cp)
{
    return cp == '.' || cp == ';' || cp == ':' || cp == '!' || cp == '?' || cp == 0x2026;
}

void tokenize(const char *s, size_t start, size_t end, token_list *list)
{
    list->count = 0;
    strbuf_reset(&list->arena);
    size_t pos = start;
    int pending_break = 1;
    while (pos < end) {
        size_t at = pos;
        int32_t cp = text_next_cp(s, end, &pos);
        if (!text_is_word_char(cp)) {
            if (is_clause_punct(cp))
                pending_break = 1;
            continue;
        }
        grow_array((void **)&list->items, &list->cap, list->count + 1, sizeof *list->items);
        token *t = &list->items[list->count++];
        t->start = at;
        t->norm = list->arena.len;
        t->clause_break = pending_break != 0;
        pending_break = 0;
        int all_digits = 1, combining = 0;
        int32_t prev = cp;
        for (;;) {
            text_fold_cp(&list->arena, prev);
            combining |= prev >= 0x300 && text_is_combining(prev);
            if (!is_digit(prev))
                all_digits = 0;
            t->end = pos;
            if (pos >= end)
                break;
            size_t look = pos;
            int32_t next = text_next_cp(s, end, &look);
            if (text_is_word_char(next)) {
                prev = next;
                pos = look;
                continue;
            }
            /* An apostrophe joins two word characters; . or , joins two digits. */
            int joiner = text_is_apostrophe(next) || (is_digit(prev) && (next == '.' || next == ','));
            if (!joiner || look >= end)
                break;
            size_t look2 = look;
            int32_t after = text_next_cp(s, end, &look2);
            int joins = text_is_apostrophe(next) ? text_is_word_char(after)
                                                  : is_digit(after);
            if (!joins)
                break;
            text_fold_cp(&list->arena, next);
            prev = after;
            pos = look2;
        }
        t->is_number = all_digits;
        if (combining) /* "Jo\u0308rg" is the word "Jörg" */
            text_compose_from(&list->arena, t->norm);
        t->norm_len = list->arena.len - t->norm;
        strbuf_addc(&list->arena, '\0');
    }
}

void token_list_free(token_list *list)
{
    free(list->items);
    strbuf_free(&list->arena);
    list->items = NULL;
    list->count = list->cap = 0;
}
