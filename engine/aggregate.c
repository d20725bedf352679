/* aggregate.c - per-country summaries: adding articles, merging, reading CSV. */
#include "aggregate.h"
#include "alloc.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

stance_summary *stance_summary_new(size_t label_count, const char *const *labels)
{
    stance_summary *s = xcalloc(1, sizeof *s);
    s->label_count = label_count;
    s->labels = xcalloc(label_count + 1, sizeof *s->labels);
    for (size_t i = 0; i < label_count; i++)
        s->labels[i] = xstrdup(labels[i]);
    return s;
}

stance_summary *stance_summary_for_model(const stance_model *model)
{
    size_t k = stance_model_label_count(model);
    const char **labels = xcalloc(k, sizeof *labels);
    for (size_t c = 0; c < k; c++)
        labels[c] = stance_model_label(model, c);
    stance_summary *s = stance_summary_new(k, labels);
    free(labels);
    return s;
}

void stance_summary_free(stance_summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->row_count; i++) {
        free(s->rows[i].country);
        free(s->rows[i].code);
        free(s->rows[i].n);
        free(s->rows[i].sum_p);
    }
    for (size_t i = 0; i < s->label_count; i++)
        free(s->labels[i]);
    free(s->labels);
    free(s->rows);
    free(s->last_doc);
    strmap_free(&s->index);
    free(s);
}

size_t stance_summary_row_count(const stance_summary *s)
{
    return s->row_count;
}

static aggregate_row *row_for(stance_summary *s, const char *country, const char *code)
{
    int added;
    size_t *slot = strmap_insert(&s->index, code, strlen(code), s->row_count, &added);
    if (!added)
        return &s->rows[*slot];
    grow_array((void **)&s->rows, &s->row_cap, s->row_count + 1, sizeof *s->rows);
    size_t cap = s->last_doc_cap;
    grow_array((void **)&s->last_doc, &cap, s->row_count + 1, sizeof *s->last_doc);
    s->last_doc_cap = cap;
    s->last_doc[s->row_count] = 0;
    aggregate_row *r = &s->rows[s->row_count++];
    memset(r, 0, sizeof *r);
    r->country = xstrdup(country);
    r->code = xstrdup(code);
    r->n = xcalloc(s->label_count, sizeof *r->n);
    r->sum_p = xcalloc(s->label_count, sizeof *r->sum_p);
    return r;
}

static int64_t fixed(double v)
{
    return (int64_t)llround(v * (double)AGGREGATE_SCALE);
}

void stance_summary_add_doc(stance_summary *s, const stance_doc *doc)
{
    uint64_t serial = ++s->doc_serial;
    for (size_t u = 0; u < doc->unit_count; u++) {
        const stance_unit *unit = &doc->units[u];
        for (size_t h = 0; h < unit->holder_count; h++) {
            aggregate_row *r = row_for(s, unit->holders[h], unit->holder_codes[h]);
            size_t idx = (size_t)(r - s->rows);
            if (s->last_doc[idx] != serial) {
                s->last_doc[idx] = serial;
                r->articles++;
            }
            r->units++;
            r->n[unit->label]++;
            for (size_t c = 0; c < s->label_count; c++)
                r->sum_p[c] += fixed(unit->probs[c]);
            if (unit->has_sentiment)
                r->sum_sentiment += fixed(unit->sentiment);
        }
    }
}

static int same_labels(const stance_summary *a, const stance_summary *b)
{
    if (a->label_count != b->label_count)
        return 0;
    for (size_t i = 0; i < a->label_count; i++)
        if (strcmp(a->labels[i], b->labels[i]) != 0)
            return 0;
    return 1;
}

/* *into += v, or -1 when the sum would overflow. */
static int add_checked(int64_t *into, int64_t v)
{
    return __builtin_add_overflow(*into, v, into) ? -1 : 0;
}

/* Adds row f into r; -1 on overflow. */
static int add_row(aggregate_row *r, const aggregate_row *f, size_t label_count)
{
    int bad = add_checked(&r->articles, f->articles) | add_checked(&r->units, f->units) |
              add_checked(&r->sum_sentiment, f->sum_sentiment);
    for (size_t c = 0; c < label_count; c++)
        bad |= add_checked(&r->n[c], f->n[c]) | add_checked(&r->sum_p[c], f->sum_p[c]);
    return bad;
}

int stance_summary_merge(stance_summary *into, const stance_summary *from, stance_error *err)
{
    if (!same_labels(into, from))
        return stance_error_set(err, STANCE_E_INPUT, NULL,
                                "summaries with different labels cannot be merged");
    for (size_t i = 0; i < from->row_count; i++) {
        const aggregate_row *f = &from->rows[i];
        if (add_row(row_for(into, f->country, f->code), f, into->label_count))
            return stance_error_set(err, STANCE_E_INPUT, NULL,
                                    "the merged sums of %s overflow", f->country);
    }
    return STANCE_OK;
}

static int by_country(const void *a, const void *b)
{
    const aggregate_row *x = *(const aggregate_row *const *)a, *y = *(const aggregate_row *const *)b;
    int c = strcmp(x->country, y->country);
    return c ? c : strcmp(x->code, y->code);
}

const aggregate_row **aggregate_sorted_rows(const stance_summary *s)
{
    const aggregate_row **rows = xcalloc(s->row_count + 1, sizeof *rows);
    for (size_t i = 0; i < s->row_count; i++)
        rows[i] = &s->rows[i];
    if (s->row_count > 1)
        qsort(rows, s->row_count, sizeof *rows, by_country);
    return rows;
}

size_t aggregate_dominant(const stance_summary *s, const aggregate_row *r)
{
    size_t best = 0;
    for (size_t c = 1; c < s->label_count; c++)
        if (r->n[c] > r->n[best] || (r->n[c] == r->n[best] && r->sum_p[c] > r->sum_p[best]))
            best = c;
    return best;
}

/* ---- reading CSV ---------------------------------------------------------------------- */

/* Splits one CSV line (RFC 4180 quoting, no newline inside fields: summary
 * fields never hold one) into fields, in place. */
static size_t split_csv(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        char *out = p;
        fields[n++] = p;
        if (*p == '"') {
            char *q = p + 1;
            for (;;) {
                if (*q == '"' && q[1] == '"') {
                    *out++ = '"';
                    q += 2;
                } else if (*q == '"' || *q == '\0') {
                    if (*q)
                        q++;
                    break;
                } else {
                    *out++ = *q++;
                }
            }
            p = q;
        } else {
            while (*p && *p != ',')
                out = ++p;
        }
        char next = *p;
        *out = '\0';
        if (next != ',')
            break;
        p++;
    }
    return n;
}

/* The largest count, and the largest whole part of a fixed-point sum, that a
 * summary field may hold: far above any real corpus, and below where int64_t
 * would overflow (sums of them are checked as they are added). */
#define FIELD_MAX 1000000000000LL
#define WHOLE_MAX 1000000000LL

/* Parses a fixed-point decimal such as -12.000000001 into units of 1e-9. */
static int parse_fixed(const char *s, int64_t *out)
{
    int neg = *s == '-';
    if (neg || *s == '+')
        s++;
    int64_t whole = 0, frac = 0;
    int digits = 0, frac_digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++) {
        whole = whole * 10 + (*s - '0');
        if (whole > WHOLE_MAX)
            return -1;
    }
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            if (frac_digits < 9) {
                frac = frac * 10 + (*s - '0');
                frac_digits++;
            }
    if (*s || (digits == 0 && frac_digits == 0))
        return -1;
    while (frac_digits++ < 9)
        frac *= 10;
    *out = (whole * AGGREGATE_SCALE + frac) * (neg ? -1 : 1);
    return 0;
}

static int parse_count(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v < 0 || v > FIELD_MAX)
        return -1;
    *out = v;
    return 0;
}

int stance_summary_read_csv(const char *path, stance_summary **out, stance_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return stance_error_set(err, STANCE_E_INPUT, path, "cannot open: %s", strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    stance_summary *s = NULL;
    char **fields = NULL;
    size_t nfields = 0, lineno = 0;
    int rc = STANCE_OK;
    strbuf where = {0};
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        strbuf_reset(&where);
        strbuf_addf(&where, "%s:%zu", path, lineno);
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1) {
            /* country,code,articles,units,n_L...,sum_p_L...,sum_sentiment,stance,net */
            size_t max = 1 + (size_t)len;
            fields = xcalloc(max, sizeof *fields);
            nfields = split_csv(line, fields, max);
            size_t k = nfields >= 8 ? (nfields - 7) / 2 : 0;
            if (k < 2 || nfields != 7 + 2 * k || strcmp(fields[0], "country") ||
                strcmp(fields[1], "code") || strcmp(fields[2], "articles") ||
                strcmp(fields[3], "units")) {
                rc = stance_error_set(err, STANCE_E_INPUT, where.data,
                                      "not a stance summary (bad header)");
                break;
            }
            const char **labels = xcalloc(k, sizeof *labels);
            for (size_t c = 0; c < k && rc == STANCE_OK; c++) {
                labels[c] = fields[4 + c] + 2;
                if (strncmp(fields[4 + c], "n_", 2) || strncmp(fields[4 + k + c], "sum_p_", 6) ||
                    strcmp(fields[4 + k + c] + 6, labels[c]))
                    rc = stance_error_set(err, STANCE_E_INPUT, where.data,
                                          "not a stance summary (bad header)");
            }
            if (rc == STANCE_OK)
                s = stance_summary_new(k, labels);
            free(labels);
            if (rc != STANCE_OK)
                break;
            continue;
        }
        if (len == 0)
            continue;
        char **row = xcalloc(nfields + 1, sizeof *row);
        size_t n = split_csv(line, row, nfields + 1);
        size_t k = s->label_count;
        int64_t articles, units, sentiment;
        int bad = n != nfields || !row[0][0] || !row[1][0] ||
                  parse_count(row[2], &articles) || parse_count(row[3], &units) ||
                  parse_fixed(row[4 + 2 * k], &sentiment);
        if (!bad) {
            aggregate_row add = {.articles = articles, .units = units, .sum_sentiment = sentiment};
            add.n = xcalloc(k, sizeof *add.n);
            add.sum_p = xcalloc(k, sizeof *add.sum_p);
            for (size_t c = 0; c < k && !bad; c++)
                bad = parse_count(row[4 + c], &add.n[c]) ||
                      parse_fixed(row[4 + k + c], &add.sum_p[c]);
            if (!bad)
                bad = add_row(row_for(s, row[0], row[1]), &add, k);
            free(add.n);
            free(add.sum_p);
        }
        free(row);
        if (bad) {
            rc = stance_error_set(err, STANCE_E_INPUT, where.data,
                                  "bad summary row (a field out of range or not a number)");
            break;
        }
    }
    if (rc == STANCE_OK && !s)
        rc = stance_error_set(err, STANCE_E_INPUT, path, "empty file, expected a summary header");
    fclose(f);
    free(line);
    free(fields);
    strbuf_free(&where);
    if (rc != STANCE_OK) {
        stance_summary_free(s);
        return rc;
    }
    *out = s;
    return STANCE_OK;
}
