#include "quotes.h"
#include "alloc.h"
#include "text.h"

#include <stdlib.h>

enum { NONE, STRAIGHT, CURLY, LOW, GUILLEMET, SINGLE_GUILLEMET, SINGLE_CURLY };

/* The family of an opening mark, or NONE. */
static int opener_family(int32_t cp)
{
    switch (cp) {
    case '"': return STRAIGHT;
    case 0x201C: return CURLY;
    case 0x201E: return LOW;
    case 0x00AB: return GUILLEMET;
    case 0x2039: return SINGLE_GUILLEMET;
    case 0x2018: return SINGLE_CURLY;
    default: return NONE;
    }
}

static int closes(int family, int32_t cp)
{
    switch (family) {
    case STRAIGHT: return cp == '"';
    case CURLY: return cp == 0x201D || cp == 0x201C;
    case LOW: return cp == 0x201C || cp == 0x201D;
    case GUILLEMET: return cp == 0x00BB;
    case SINGLE_GUILLEMET: return cp == 0x203A;
    case SINGLE_CURLY: return cp == 0x2019;
    default: return 0;
    }
}

/* A mark of the other common kind inside an open quote: curly in a straight
 * quote, straight in a curly one. */
static int mixed_mark(int family, int32_t cp)
{
    return (family == STRAIGHT && (cp == 0x201C || cp == 0x201D)) ||
           (family == CURLY && cp == '"');
}

static int opening_context(int32_t prev, int32_t next)
{
    int prev_ok = prev == 0 || text_is_space(prev) || prev == '(' || prev == '[' ||
                  prev == '-' || prev == 0x2013 || prev == 0x2014 || prev == ':' || prev == '/';
    return prev_ok && next != 0 && !text_is_space(next);
}

/* Whether ’ between prev and next is an apostrophe, not the close of a
 * ‘…’ quote: inside a word (Russia’s), after a space, or the plural
 * possessive before a lowercase word ("the ministers’ views"). look is the
 * offset after next. */
static int apostrophe(const char *s, size_t end, int32_t prev, int32_t next, size_t look)
{
    if (prev == 0 || text_is_space(prev) || text_is_word_char(next))
        return 1;
    if (prev != 's' || next != ' ')
        return 0;
    int32_t after = look < end ? text_next_cp(s, end, &look) : 0;
    return after >= 'a' && after <= 'z';
}

/* Counts words (runs of word characters joined by apostrophes or hyphens). */
static size_t count_words(const char *s, size_t start, size_t end, size_t limit)
{
    size_t words = 0, pos = start;
    int in_word = 0;
    while (pos < end && words <= limit) {
        int32_t cp = text_next_cp(s, end, &pos);
        if (text_is_word_char(cp)) {
            if (!in_word)
                words++;
            in_word = 1;
        } else if (!(in_word && (text_is_apostrophe(cp) || cp == '-'))) {
            in_word = 0;
        }
    }
    return words;
}

static size_t first_visible(const char *s, size_t start, size_t end, int32_t *cp, size_t *after)
{
    size_t pos = start;
    while (pos < end) {
        size_t at = pos;
        *cp = text_next_cp(s, end, &pos);
        if (!text_is_space(*cp)) {
            *after = pos;
            return at;
        }
    }
    *cp = 0;
    *after = end;
    return end;
}

static void emit(quote_list *list, const char *s, const quote_span *q)
{
    /* Trim white space inside the marks. */
    quote_span t = *q;
    while (t.start < t.end) {
        size_t p = t.start;
        if (!text_is_space(text_next_cp(s, t.end, &p)))
            break;
        t.start = p;
    }
    while (t.end > t.start && text_is_space((unsigned char)s[t.end - 1]))
        t.end--;
    if (count_words(s, t.start, t.end, 3) <= 3)
        return;
    grow_array((void **)&list->items, &list->cap, list->count + 1, sizeof *list->items);
    list->items[list->count++] = t;
}

void quotes_find(const char *s, const segment_list *paragraphs, quote_list *list)
{
    list->count = 0;
    int family = NONE, opened_paragraph = 0, nested = 0;
    quote_span q = {0};
    for (size_t p = 0; p < paragraphs->count; p++) {
        size_t pos = paragraphs->items[p].start, end = paragraphs->items[p].end;
        int32_t first;
        size_t after_first;
        size_t first_at = first_visible(s, pos, end, &first, &after_first);
        if (family != NONE) {
            if (opener_family(first) == family) {
                pos = after_first; /* the quote goes on in this paragraph */
            } else {
                if (opened_paragraph)
                    emit(list, s, &q);
                family = NONE;
            }
        }
        int32_t prev = 0;
        while (pos < end) {
            size_t at = pos;
            int32_t cp = text_next_cp(s, end, &pos);
            size_t look = pos;
            int32_t next = pos < end ? text_next_cp(s, end, &look) : 0;
            if (mixed_mark(family, cp)) {
                /* A straight quote closed by a curly mark, or the reverse; a
                 * pair of the other kind inside is a nested quote. */
                int can_close = prev != 0 && !text_is_space(prev) && (cp == '"' || cp == 0x201D);
                if (can_close && nested == 0) {
                    q.end = at;
                    q.close_end = pos;
                    q.last_paragraph = p;
                    emit(list, s, &q);
                    family = NONE;
                } else if (can_close) {
                    nested--;
                } else if (opening_context(prev, next)) {
                    nested++;
                }
            } else if (family != NONE && closes(family, cp) &&
                !(family == STRAIGHT && (prev == 0 || text_is_space(prev))) &&
                !(family == SINGLE_CURLY && apostrophe(s, end, prev, next, look)) &&
                !(family == CURLY && cp == 0x201C && opening_context(prev, next))) {
                q.end = at;
                q.close_end = pos;
                q.last_paragraph = p;
                emit(list, s, &q);
                family = NONE;
            } else if (opener_family(cp) != NONE && opening_context(prev, next) &&
                       !(opener_family(cp) == SINGLE_CURLY && !text_is_word_char(next)) &&
                       (family == NONE || opener_family(cp) == family)) {
                family = opener_family(cp);
                nested = 0;
                opened_paragraph = at == first_at;
                q.open = at;
                q.start = pos;
                q.paragraph = p;
            }
            prev = cp;
        }
        if (family != NONE) { /* open at the paragraph end: may continue */
            q.end = q.close_end = end;
            q.last_paragraph = p;
        }
    }
    if (family != NONE && opened_paragraph)
        emit(list, s, &q);
}

void quote_list_free(quote_list *list)
{
    free(list->items);
    list->items = NULL;
    list->count = list->cap = 0;
}
