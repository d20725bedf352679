/* dataset.c - labeled data: UTF-8 TSV with a `label<TAB>text` header. */
#include "stance.h"
#include "alloc.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* Undoes the escapes DESIGN.md allows inside text: \t, \n, \r and \\. */
static char *unescape(const char *s, size_t len)
{
    char *out = xmalloc(len + 1), *o = out;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len) {
            char c = s[i + 1];
            if (c == 't' || c == 'n' || c == 'r' || c == '\\') {
                *o++ = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : '\\';
                i++;
                continue;
            }
        }
        *o++ = s[i];
    }
    *o = '\0';
    return out;
}

/* A label goes into model.conf as a comma-separated list and into every
 * output: it must be valid UTF-8 without spaces, commas or '='. */
static int bad_label(const char *label)
{
    if (!*label)
        return 1;
    size_t len = strlen(label), pos = 0;
    while (pos < len) {
        size_t at = pos;
        int32_t cp = text_next_cp(label, len, &pos);
        if (cp == ',' || cp == ' ' || cp == '=' || cp < 0x20 ||
            (cp == TEXT_REPLACEMENT && pos == at + 1))
            return 1;
    }
    return 0;
}

/* Column k (0 = the text column) of the tab-separated fields from text on,
 * or NULL when the row has no such column or it is empty. */
static char *column(const char *text, size_t k)
{
    const char *c = text;
    for (; k > 0 && c; k--) {
        c = strchr(c, '\t');
        c = c ? c + 1 : NULL;
    }
    if (!c)
        return NULL;
    size_t w = strcspn(c, "\t");
    return w ? xstrndup(c, w) : NULL;
}

int stance_dataset_read(const char *path, stance_dataset **out, stance_error *err)
{
    *out = NULL;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return stance_error_set(err, STANCE_E_INPUT, path, "cannot open: %s", strerror(errno));
    stance_dataset *d = xcalloc(1, sizeof *d);
    d->path = xstrdup(path);
    size_t cap = 0, lineno = 0;
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t n;
    int rc = STANCE_OK;
    strbuf where = {0};
    size_t doc_col = 0, kind_col = 0; /* 0: absent */
    while ((n = getline(&line, &line_cap, f)) >= 0) {
        lineno++;
        strbuf_reset(&where);
        strbuf_addf(&where, "%s:%zu", path, lineno);
        size_t len = (size_t)n;
        if (memchr(line, '\0', len)) {
            rc = stance_error_set(err, STANCE_E_INPUT, where.data, "NUL byte: not a text file");
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1) {
            if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
                memmove(line, line + 3, (len -= 3) + 1);
            if (strncmp(line, "label\ttext", 10) != 0 || (line[10] && line[10] != '\t')) {
                rc = stance_error_set(err, STANCE_E_INPUT, where.data,
                                      "expected the header `label<TAB>text`");
                break;
            }
            size_t col = 0;
            for (char *c = line; c; c = strchr(c, '\t'), c = c ? c + 1 : NULL, col++) {
                size_t w = strcspn(c, "\t");
                if (w == 3 && strncmp(c, "doc", 3) == 0)
                    doc_col = col;
                if (w == 4 && strncmp(c, "kind", 4) == 0)
                    kind_col = col;
            }
            continue;
        }
        if (len == 0)
            continue;
        char *tab = strchr(line, '\t');
        if (!tab) {
            rc = stance_error_set(err, STANCE_E_INPUT, where.data,
                                  "expected label<TAB>text, found no tab");
            break;
        }
        *tab = '\0';
        char *text = tab + 1;
        char *end = strchr(text, '\t');
        size_t text_len = end ? (size_t)(end - text) : strlen(text);
        if (bad_label(line)) {
            rc = stance_error_set(err, STANCE_E_INPUT, where.data,
                                  "bad label (empty, not UTF-8, or has a space, comma or =)");
            break;
        }
        if (text_len == 0) {
            rc = stance_error_set(err, STANCE_E_INPUT, where.data, "empty text");
            break;
        }
        size_t old_cap = cap;
        grow_array((void **)&d->labels, &cap, d->count + 1, sizeof *d->labels);
        if (cap != old_cap) { /* the parallel arrays grow with the labels */
            d->texts = xrealloc(d->texts, cap * sizeof *d->texts);
            d->docs = xrealloc(d->docs, cap * sizeof *d->docs);
            d->quote = xrealloc(d->quote, cap * sizeof *d->quote);
            d->lines = xrealloc(d->lines, cap * sizeof *d->lines);
        }
        d->lines[d->count] = lineno;
        d->labels[d->count] = xstrdup(line);
        d->texts[d->count] = unescape(text, text_len);
        d->docs[d->count] = doc_col ? column(text, doc_col - 1) : NULL;
        char *kind = kind_col ? column(text, kind_col - 1) : NULL;
        d->quote[d->count] = kind && strcmp(kind, "quote") == 0;
        free(kind);
        d->count++;
    }
    if (rc == STANCE_OK && ferror(f))
        rc = stance_error_set(err, STANCE_E_INPUT, path, "read error");
    if (rc == STANCE_OK && lineno == 0)
        rc = stance_error_set(err, STANCE_E_INPUT, path, "empty file, expected a header");
    if (rc == STANCE_OK && d->count == 0)
        rc = stance_error_set(err, STANCE_E_INPUT, path, "no labeled examples after the header");
    free(line);
    strbuf_free(&where);
    if (f != stdin)
        fclose(f);
    if (rc != STANCE_OK) {
        stance_dataset_free(d);
        return rc;
    }
    *out = d;
    return STANCE_OK;
}

void stance_dataset_free(stance_dataset *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++) {
        free(d->labels[i]);
        free(d->texts[i]);
        free(d->docs[i]);
    }
    free(d->labels);
    free(d->texts);
    free(d->docs);
    free(d->quote);
    free(d->lines);
    free(d->path);
    free(d);
}
