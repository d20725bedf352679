#include "segment.h"
#include "alloc.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static void push(segment_list *list, size_t start, size_t end)
{
    grow_array((void **)&list->items, &list->cap, list->count + 1, sizeof *list->items);
    list->items[list->count].start = start;
    list->items[list->count].end = end;
    list->count++;
}

/* Scans line by line. A line is blank when it holds only white space; a
 * paragraph runs from the first visible character after a blank line (or the
 * start) to the last visible character before the next blank line. */
void segment_paragraphs(const char *s, size_t len, segment_list *list)
{
    list->count = 0;
    size_t pos = 0;
    int in_para = 0;
    size_t para_start = 0, para_end = 0;
    while (pos < len) {
        int line_blank = 1;
        size_t first = 0, last_end = 0;
        while (pos < len && s[pos] != '\n' && s[pos] != '\r') {
            size_t at = pos;
            int32_t cp = text_next_cp(s, len, &pos);
            if (!text_is_space(cp)) {
                if (line_blank)
                    first = at;
                line_blank = 0;
                last_end = pos;
            }
        }
        if (pos < len) {
            if (s[pos] == '\r' && pos + 1 < len && s[pos + 1] == '\n')
                pos++;
            pos++;
        }
        if (line_blank) {
            if (in_para)
                push(list, para_start, para_end);
            in_para = 0;
        } else {
            if (!in_para)
                para_start = first;
            in_para = 1;
            para_end = last_end;
        }
    }
    if (in_para)
        push(list, para_start, para_end);
}

void segment_list_free(segment_list *list)
{
    free(list->items);
    list->items = NULL;
    list->count = list->cap = 0;
}

static int is_terminator(int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026;
}

static int is_closer(int32_t cp)
{
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x201D || cp == 0x2019 ||
           cp == 0x00BB || cp == 0x203A;
}

static int is_opener(int32_t cp)
{
    return cp == '"' || cp == '(' || cp == '[' || cp == 0x201C || cp == 0x201E || cp == 0x00AB ||
           cp == 0x2039 || cp == 0x2018;
}

/* Whether the period at s[dot] closes an abbreviation, an initial or a
 * dotted acronym (U.S., U.N.) rather than a sentence. */
static int ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether the period at s[dot] closes an abbreviation, an initial or a
 * dotted acronym (U.S., U.N.) rather than a sentence. The word before it is
 * read back over ASCII letters and dots only, so an opening quote or bracket
 * before it ("“Mr.") does not hide it. */
static int period_is_abbreviation(const char *s, size_t start, size_t dot, const strmap *abbrevs)
{
    size_t b = dot;
    while (b > start && (ascii_letter(s[b - 1]) || s[b - 1] == '.'))
        b--;
    if (b == dot)
        return 0;
    /* A letter run glued to other word characters (digits, accents) is no abbreviation. */
    if (b > start && ((s[b - 1] >= '0' && s[b - 1] <= '9')))
        return 0;
    strbuf word = {0};
    text_fold(&word, s + b, dot - b);
    int letters = 0, only_letters_and_dots = 1;
    for (size_t i = 0; i < word.len; i++) {
        unsigned char c = (unsigned char)word.data[i];
        if (c >= 'a' && c <= 'z')
            letters++;
        else if (c != '.')
            only_letters_and_dots = 0;
    }
    int initial = word.len == 1 && letters == 1 && s[b] >= 'A' && s[b] <= 'Z';
    int dotted = only_letters_and_dots && strchr(word.data, '.') != NULL;
    int listed = abbrevs && strmap_find(abbrevs, word.data, word.len) != NULL;
    strbuf_free(&word);
    return initial || dotted || listed;
}

void segment_sentences(const char *s, size_t start, size_t end, const strmap *abbreviations,
                       segment_list *list)
{
    list->count = 0;
    size_t pos = start, sent_start = start;
    while (pos < end) {
        size_t at = pos;
        int32_t cp = text_next_cp(s, end, &pos);
        if (!is_terminator(cp))
            continue;
        if (cp == '.' && pos < end && s[pos] >= '0' && s[pos] <= '9')
            continue;
        if (cp == '.' && period_is_abbreviation(s, start, at, abbreviations))
            continue;
        size_t after = pos;
        for (;;) { /* more terminators and closing marks belong to this sentence */
            size_t look = after;
            if (look >= end)
                break;
            int32_t next = text_next_cp(s, end, &look);
            if (!is_terminator(next) && !is_closer(next))
                break;
            after = look;
        }
        size_t look = after;
        int spaced = 0;
        int32_t next = 0;
        while (look < end) {
            next = text_next_cp(s, end, &look);
            if (!text_is_space(next))
                break;
            spaced = 1;
        }
        if (after < end && !spaced)
            continue;
        int starts_sentence = after >= end ||
                              (utf8proc_isupper(next) || (next >= '0' && next <= '9') ||
                               is_opener(next));
        if (!starts_sentence)
            continue;
        push(list, sent_start, after);
        pos = after;
        sent_start = after;
    }
    if (sent_start < end)
        push(list, sent_start, end);
    /* Trim white space from both ends of every sentence. */
    size_t kept = 0;
    for (size_t i = 0; i < list->count; i++) {
        size_t a = list->items[i].start, z = list->items[i].end;
        while (a < z) {
            size_t p = a;
            if (!text_is_space(text_next_cp(s, z, &p)))
                break;
            a = p;
        }
        while (z > a && text_is_space((unsigned char)s[z - 1]))
            z--;
        if (z > a) {
            list->items[kept].start = a;
            list->items[kept].end = z;
            kept++;
        }
    }
    list->count = kept;
}
