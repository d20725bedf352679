#include "segment.h"
#include "alloc.h"
#include "text.h"

#include <stdlib.h>

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
