/* output.c - writes scored articles as a text table, JSON or CSV.
 *
 * Numbers are printed in the C locale with fixed precision so that output is
 * byte-for-byte reproducible. Invalid UTF-8 in the input is written as
 * U+FFFD, so every output is valid UTF-8.
 */
#include "stance.h"
#include "aggregate.h"
#include "alloc.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Appends s[start..end) with invalid bytes replaced by U+FFFD. For a
 * terminal, the characters a terminal would obey rather than show are
 * written as \\xHH (C0 controls but tab and line ends, DEL) or \\uHHHH (C1
 * controls, the bidirectional embeddings, overrides and isolates), so that
 * an article holding ESC sequences cannot clear or recolour the screen, nor
 * reorder a line. */
static void add_clean(strbuf *sb, const char *s, size_t start, size_t end, int for_terminal)
{
    size_t pos = start;
    while (pos < end) {
        size_t at = pos;
        int32_t cp = text_next_cp(s, end, &pos);
        if (cp == TEXT_REPLACEMENT && pos == at + 1 && (unsigned char)s[at] >= 0x80)
            text_put_cp(sb, TEXT_REPLACEMENT);
        else if (for_terminal &&
                 ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7f))
            strbuf_addf(sb, "\\x%02x", (unsigned)cp);
        else if (for_terminal && ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
                                  (cp >= 0x2066 && cp <= 0x2069)))
            strbuf_addf(sb, "\\u%04x", (unsigned)cp);
        else
            strbuf_add(sb, s + at, pos - at);
    }
}

static void add_visible(strbuf *sb, const char *s, size_t start, size_t end)
{
    add_clean(sb, s, start, end, 1);
}

static void add_visible_str(strbuf *sb, const char *s)
{
    add_visible(sb, s, 0, strlen(s));
}

/* Appends n in decimal: printf is most of the cost of writing CSV. */
static void add_uint(strbuf *sb, size_t n)
{
    char buf[24];
    size_t i = sizeof buf;
    do {
        buf[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    strbuf_add(sb, buf + i, sizeof buf - i);
}

/* Appends v rounded to places decimals (places <= 9), as "%.*f" would. */
static void add_decimal(strbuf *sb, double v, int places)
{
    static const double scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    if (!(v > -1e9 && v < 1e9)) {
        strbuf_addf(sb, "%.*f", places, v);
        return;
    }
    long long r = llround(fabs(v) * scale[places]);
    if (v < 0 && r != 0)
        strbuf_addc(sb, '-');
    long long unit = (long long)scale[places];
    add_uint(sb, (size_t)(r / unit));
    strbuf_addc(sb, '.');
    char digits[12];
    long long frac = r % unit;
    for (int i = places - 1; i >= 0; i--, frac /= 10)
        digits[i] = (char)('0' + frac % 10);
    strbuf_add(sb, digits, (size_t)places);
}

static void unit_id(char *buf, size_t size, const stance_unit *u)
{
    snprintf(buf, size, "%c%zu", u->kind == STANCE_UNIT_QUOTE ? 'q' : 'p', u->number);
}

/* ---- JSON -------------------------------------------------------------------------- */

static void json_string(strbuf *sb, const char *s, size_t len)
{
    strbuf clean = {0};
    add_clean(&clean, s, 0, len, 0);
    strbuf_addc(sb, '"');
    for (size_t i = 0; i < clean.len; i++) {
        unsigned char c = (unsigned char)clean.data[i];
        if (c == '"' || c == '\\') {
            strbuf_addc(sb, '\\');
            strbuf_addc(sb, (char)c);
        } else if (c == '\n') {
            strbuf_adds(sb, "\\n");
        } else if (c == '\r') {
            strbuf_adds(sb, "\\r");
        } else if (c == '\t') {
            strbuf_adds(sb, "\\t");
        } else if (c < 0x20) {
            strbuf_addf(sb, "\\u%04x", c);
        } else {
            strbuf_addc(sb, (char)c);
        }
    }
    strbuf_addc(sb, '"');
    strbuf_free(&clean);
}

static void json_opt_string(strbuf *sb, const char *s)
{
    if (s)
        json_string(sb, s, strlen(s));
    else
        strbuf_adds(sb, "null");
}

static void json_explanation(strbuf *sb, const stance_doc *doc, const stance_explanation *e)
{
    strbuf_adds(sb, ", \"explain\": {\"features\": [");
    for (size_t i = 0; i < e->feature_count; i++) {
        strbuf_adds(sb, i ? ", {\"feature\": " : "{\"feature\": ");
        json_opt_string(sb, e->features[i].feature);
        strbuf_addf(sb, ", \"weight\": %.4f}", e->features[i].weight);
    }
    strbuf_adds(sb, "], \"groups\": {");
    for (size_t g = 0; g < STANCE_GROUP_COUNT; g++)
        strbuf_addf(sb, "%s\"%s\": %.4f", g ? ", " : "", stance_group_names[g], e->groups[g]);
    strbuf_adds(sb, "}, \"tone\": [");
    for (size_t i = 0; i < e->cue_count; i++) {
        const stance_tone_cue *c = &e->cues[i];
        strbuf_adds(sb, i ? ", {\"text\": " : "{\"text\": ");
        json_string(sb, doc->text->bytes + c->start, c->end - c->start);
        strbuf_addf(sb, ", \"start\": %zu, \"end\": %zu, \"contribution\": %.4f}", c->start,
                    c->end, c->contribution);
    }
    strbuf_adds(sb, "]}");
}

static void summary_json(strbuf *sb, const stance_summary *sm, const char *indent);

static void write_json(strbuf *sb, const stance_doc *doc, const stance_model *model,
                       const stance_write_options *o)
{
    size_t k = stance_model_label_count(model);
    strbuf_adds(sb, "{\n  \"file\": ");
    json_string(sb, doc->text->path, strlen(doc->text->path));
    strbuf_adds(sb, ",\n  \"model\": ");
    json_opt_string(sb, o->model_name);
    strbuf_adds(sb, ",\n  \"labels\": [");
    for (size_t c = 0; c < k; c++) {
        if (c)
            strbuf_adds(sb, ", ");
        json_opt_string(sb, stance_model_label(model, c));
    }
    strbuf_addf(sb, "],\n  \"paragraphs\": %zu,\n  \"quotes\": %zu,\n  \"invalid_utf8_bytes\": %zu,\n",
                doc->paragraph_count, doc->quote_count, doc->text->invalid_bytes);
    if (doc->neutral_reason) {
        strbuf_adds(sb, "  \"neutral_reason\": ");
        json_opt_string(sb, doc->neutral_reason);
        strbuf_adds(sb, ",\n");
    }
    strbuf_adds(sb, "  \"units\": [");
    for (size_t i = 0; i < doc->unit_count; i++) {
        const stance_unit *u = &doc->units[i];
        char id[32];
        unit_id(id, sizeof id, u);
        strbuf_addf(sb, "%s\n    {\"id\": \"%s\", \"kind\": \"%s\", \"paragraph\": %zu, "
                        "\"start\": %zu, \"end\": %zu, \"speaker\": ",
                    i ? "," : "", id, u->kind == STANCE_UNIT_QUOTE ? "quote" : "paragraph",
                    u->paragraph, u->start, u->end);
        json_opt_string(sb, u->speaker);
        strbuf_adds(sb, ", \"speaker_country\": ");
        json_opt_string(sb, u->speaker_country);
        strbuf_adds(sb, ", \"holders\": [");
        for (size_t h = 0; h < u->holder_count; h++) {
            if (h)
                strbuf_adds(sb, ", ");
            json_opt_string(sb, u->holders[h]);
        }
        strbuf_adds(sb, "], \"stance\": ");
        json_opt_string(sb, stance_model_label(model, u->label));
        strbuf_adds(sb, ", \"probs\": {");
        for (size_t c = 0; c < k; c++) {
            if (c)
                strbuf_adds(sb, ", ");
            json_opt_string(sb, stance_model_label(model, c));
            strbuf_adds(sb, ": ");
            add_decimal(sb, u->probs[c], 6);
        }
        strbuf_adds(sb, "}, \"sentiment\": ");
        if (u->has_sentiment)
            add_decimal(sb, u->sentiment, 4);
        else
            strbuf_adds(sb, "null");
        strbuf_adds(sb, ", \"text\": ");
        json_string(sb, doc->text->bytes + u->start, u->end - u->start);
        if (u->explain)
            json_explanation(sb, doc, u->explain);
        strbuf_addc(sb, '}');
    }
    strbuf_adds(sb, doc->unit_count ? "\n  ],\n" : "],\n");
    strbuf_adds(sb, "  \"countries\": ");
    if (o->countries)
        summary_json(sb, o->countries, "  ");
    else
        strbuf_adds(sb, "[]");
    strbuf_adds(sb, "\n}\n");
}

/* ---- CSV ----------------------------------------------------------------------------- */

/* RFC 4180: a field with a comma, quote, CR or LF (or leading or trailing
 * space) is quoted, its quotes doubled; invalid UTF-8 becomes U+FFFD. Runs
 * of ordinary bytes are copied whole. */
static void csv_field(strbuf *sb, const char *s, size_t len)
{
    int quote = len && (s[0] == ' ' || s[len - 1] == ' ');
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (quote)
        strbuf_addc(sb, '"');
    size_t pos = 0, run = 0;
    while (pos < len) {
        unsigned char c = (unsigned char)s[pos];
        if (c == '"') {
            strbuf_add(sb, s + run, pos - run);
            strbuf_add(sb, "\"\"", 2);
            run = ++pos;
        } else if (c < 0x80) {
            pos++;
        } else {
            size_t at = pos;
            int32_t cp = text_next_cp(s, len, &pos);
            if (cp == TEXT_REPLACEMENT && pos == at + 1) {
                strbuf_add(sb, s + run, at - run);
                text_put_cp(sb, TEXT_REPLACEMENT);
                run = pos;
            }
        }
    }
    strbuf_add(sb, s + run, pos - run);
    if (quote)
        strbuf_addc(sb, '"');
}

static void csv_opt(strbuf *sb, const char *s)
{
    if (s)
        csv_field(sb, s, strlen(s));
}

static void csv_header(strbuf *sb, const stance_model *model)
{
    size_t k = stance_model_label_count(model);
    strbuf_adds(sb, "file,id,kind,paragraph,start,end,speaker,speaker_country,holders,stance");
    for (size_t c = 0; c < k; c++) {
        strbuf_adds(sb, ",p_");
        strbuf_adds(sb, stance_model_label(model, c));
    }
    strbuf_adds(sb, ",sentiment,text\n");
}

static void csv_rows(strbuf *sb, const stance_doc *doc, const stance_model *model)
{
    size_t k = stance_model_label_count(model);
    for (size_t i = 0; i < doc->unit_count; i++) {
        const stance_unit *u = &doc->units[i];
        char id[32];
        unit_id(id, sizeof id, u);
        csv_opt(sb, doc->text->path);
        strbuf_addc(sb, ',');
        strbuf_adds(sb, id);
        strbuf_adds(sb, u->kind == STANCE_UNIT_QUOTE ? ",quote," : ",paragraph,");
        add_uint(sb, u->paragraph);
        strbuf_addc(sb, ',');
        add_uint(sb, u->start);
        strbuf_addc(sb, ',');
        add_uint(sb, u->end);
        strbuf_addc(sb, ',');
        csv_opt(sb, u->speaker);
        strbuf_addc(sb, ',');
        csv_opt(sb, u->speaker_country);
        strbuf_addc(sb, ',');
        strbuf holders = {0};
        for (size_t h = 0; h < u->holder_count; h++)
            strbuf_addf(&holders, "%s%s", h ? ";" : "", u->holders[h]);
        if (holders.len)
            csv_field(sb, holders.data, holders.len);
        strbuf_free(&holders);
        strbuf_addc(sb, ',');
        csv_opt(sb, stance_model_label(model, u->label));
        for (size_t c = 0; c < k; c++) {
            strbuf_addc(sb, ',');
            add_decimal(sb, u->probs[c], 6);
        }
        strbuf_addc(sb, ',');
        if (u->has_sentiment)
            add_decimal(sb, u->sentiment, 4);
        strbuf_addc(sb, ',');
        csv_field(sb, doc->text->bytes + u->start, u->end - u->start);
        strbuf_addc(sb, '\n');
    }
}

/* ---- summaries ------------------------------------------------------------------------ */

/* A fixed-point sum (units of 1e-9) as an exact decimal. */
static void add_fixed(strbuf *sb, int64_t v)
{
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    strbuf_addf(sb, "%s%llu.%09llu", v < 0 ? "-" : "", (unsigned long long)(a / AGGREGATE_SCALE),
                (unsigned long long)(a % AGGREGATE_SCALE));
}

/* Mean of p_engagement - p_opposition, or NAN without both labels. */
static double row_net(const stance_summary *sm, const aggregate_row *r)
{
    size_t e = sm->label_count, o = sm->label_count;
    for (size_t c = 0; c < sm->label_count; c++) {
        if (strcmp(sm->labels[c], "engagement") == 0)
            e = c;
        if (strcmp(sm->labels[c], "opposition") == 0)
            o = c;
    }
    if (e == sm->label_count || o == sm->label_count || r->units == 0)
        return NAN;
    return (double)(r->sum_p[e] - r->sum_p[o]) / (double)AGGREGATE_SCALE / (double)r->units;
}

static void summary_csv(strbuf *sb, const stance_summary *sm)
{
    size_t k = sm->label_count;
    strbuf_adds(sb, "country,code,articles,units");
    for (size_t c = 0; c < k; c++)
        strbuf_addf(sb, ",n_%s", sm->labels[c]);
    for (size_t c = 0; c < k; c++)
        strbuf_addf(sb, ",sum_p_%s", sm->labels[c]);
    strbuf_adds(sb, ",sum_sentiment,stance,net\n");
    const aggregate_row **rows = aggregate_sorted_rows(sm);
    for (size_t i = 0; i < sm->row_count; i++) {
        const aggregate_row *r = rows[i];
        csv_opt(sb, r->country);
        strbuf_addc(sb, ',');
        csv_opt(sb, r->code);
        strbuf_addf(sb, ",%lld,%lld", (long long)r->articles, (long long)r->units);
        for (size_t c = 0; c < k; c++)
            strbuf_addf(sb, ",%lld", (long long)r->n[c]);
        for (size_t c = 0; c < k; c++) {
            strbuf_addc(sb, ',');
            add_fixed(sb, r->sum_p[c]);
        }
        strbuf_addc(sb, ',');
        add_fixed(sb, r->sum_sentiment);
        strbuf_addf(sb, ",%s,", sm->labels[aggregate_dominant(sm, r)]);
        double net = row_net(sm, r);
        if (!isnan(net))
            strbuf_addf(sb, "%.6f", net);
        strbuf_addc(sb, '\n');
    }
    free(rows);
}

static void summary_json(strbuf *sb, const stance_summary *sm, const char *indent)
{
    size_t k = sm->label_count;
    const aggregate_row **rows = aggregate_sorted_rows(sm);
    strbuf_addc(sb, '[');
    for (size_t i = 0; i < sm->row_count; i++) {
        const aggregate_row *r = rows[i];
        strbuf_addf(sb, "%s\n%s  {\"country\": ", i ? "," : "", indent);
        json_opt_string(sb, r->country);
        strbuf_adds(sb, ", \"code\": ");
        json_opt_string(sb, r->code);
        strbuf_addf(sb, ", \"articles\": %lld, \"units\": %lld", (long long)r->articles,
                    (long long)r->units);
        for (size_t c = 0; c < k; c++)
            strbuf_addf(sb, ", \"n_%s\": %lld", sm->labels[c], (long long)r->n[c]);
        for (size_t c = 0; c < k; c++) {
            strbuf_addf(sb, ", \"sum_p_%s\": ", sm->labels[c]);
            add_fixed(sb, r->sum_p[c]);
        }
        strbuf_adds(sb, ", \"sum_sentiment\": ");
        add_fixed(sb, r->sum_sentiment);
        strbuf_addf(sb, ", \"stance\": \"%s\", \"net\": ", sm->labels[aggregate_dominant(sm, r)]);
        double net = row_net(sm, r);
        if (isnan(net))
            strbuf_adds(sb, "null}");
        else
            strbuf_addf(sb, "%.6f}", net);
    }
    strbuf_addf(sb, "%s]", sm->row_count ? "\n" : "");
    if (sm->row_count)
        strbuf_addf(sb, "%s", indent);
    free(rows);
}

static void summary_text(strbuf *sb, const stance_summary *sm)
{
    if (!sm || sm->row_count == 0) {
        strbuf_adds(sb, "countries: no holder found\n");
        return;
    }
    strbuf_addf(sb, "%-28s %-6s %8s %6s  %-11s %7s %9s\n", "country", "code", "articles",
                "units", "stance", "net", "sentiment");
    const aggregate_row **rows = aggregate_sorted_rows(sm);
    for (size_t i = 0; i < sm->row_count; i++) {
        const aggregate_row *r = rows[i];
        double net = row_net(sm, r);
        strbuf_addf(sb, "%-28.28s %-6s %8lld %6lld  %-11s ", r->country, r->code,
                    (long long)r->articles, (long long)r->units,
                    sm->labels[aggregate_dominant(sm, r)]);
        if (isnan(net))
            strbuf_addf(sb, "%7s", "-");
        else
            strbuf_addf(sb, "%+7.3f", fabs(net) < 5e-4 ? 0.0 : net); /* never "-0.000" */
        strbuf_addf(sb, " %+9.3f\n",
                    r->units ? (double)r->sum_sentiment / (double)AGGREGATE_SCALE / (double)r->units
                             : 0.0);
    }
    free(rows);
}

/* ---- text ------------------------------------------------------------------------------- */

/* Appends the unit's text word-wrapped to width columns, each line indented. */
static void wrap(strbuf *sb, const char *s, size_t len, int indent, int width)
{
    strbuf clean = {0};
    add_visible(&clean, s, 0, len);
    int avail = width - indent < 20 ? 20 : width - indent;
    int col = 0;
    size_t pos = 0;
    while (pos < clean.len) {
        size_t at = pos;
        if (text_is_space(text_next_cp(clean.data, clean.len, &pos)))
            continue;
        size_t word_start = at, word_end = pos;
        int word_cols = 1;
        while (pos < clean.len) {
            size_t look = pos;
            if (text_is_space(text_next_cp(clean.data, clean.len, &look)))
                break;
            pos = word_end = look;
            word_cols++;
        }
        if (col > 0 && col + 1 + word_cols > avail) {
            strbuf_addc(sb, '\n');
            col = 0;
        }
        if (col == 0)
            strbuf_addf(sb, "%*s", indent, "");
        else {
            strbuf_addc(sb, ' ');
            col++;
        }
        strbuf_add(sb, clean.data + word_start, word_end - word_start);
        col += word_cols;
    }
    strbuf_addc(sb, '\n');
    strbuf_free(&clean);
}

/* "why:" and "tone:" lines under a unit, wrapped like its text. */
static void text_explanation(strbuf *sb, const stance_doc *doc, const stance_explanation *e,
                             int width)
{
    strbuf line = {0};
    strbuf_adds(&line, "why:");
    for (size_t i = 0; i < e->feature_count; i++)
        strbuf_addf(&line, "%s %s %+.3f", i ? ";" : "", e->features[i].feature,
                    e->features[i].weight);
    wrap(sb, line.data, line.len, 8, width);
    strbuf_reset(&line);
    strbuf_adds(&line, "groups:");
    for (size_t g = 0; g < STANCE_GROUP_COUNT; g++)
        strbuf_addf(&line, "%s %s %+.3f", g ? ";" : "", stance_group_names[g], e->groups[g]);
    wrap(sb, line.data, line.len, 8, width);
    strbuf_reset(&line);
    strbuf_adds(&line, "tone:");
    for (size_t i = 0; i < e->cue_count; i++) {
        strbuf_adds(&line, i ? "; " : " ");
        strbuf_add(&line, doc->text->bytes + e->cues[i].start, e->cues[i].end - e->cues[i].start);
        strbuf_addf(&line, " %+.2f", e->cues[i].contribution);
    }
    if (e->cue_count == 0)
        strbuf_adds(&line, " (no tone cues)");
    wrap(sb, line.data, line.len, 8, width);
    strbuf_free(&line);
}

static void write_text(strbuf *sb, const stance_doc *doc, const stance_model *model,
                       const stance_write_options *o)
{
    size_t k = stance_model_label_count(model);
    add_visible_str(sb, doc->text->path);
    strbuf_addf(sb, ": %zu paragraphs, %zu quotes", doc->paragraph_count, doc->quote_count);
    if (o->model_name) {
        strbuf_adds(sb, " (model ");
        add_visible_str(sb, o->model_name);
        strbuf_adds(sb, ")");
    }
    strbuf_adds(sb, "\n\n");
    int label_width = 7;
    for (size_t c = 0; c < k; c++)
        if ((int)strlen(stance_model_label(model, c)) > label_width)
            label_width = (int)strlen(stance_model_label(model, c));
    strbuf_addf(sb, "%-5s %-*s", "unit", label_width, "stance");
    for (size_t c = 0; c < k; c++)
        strbuf_addf(sb, "  p_%-4.4s", stance_model_label(model, c));
    strbuf_adds(sb, "  sentiment  holders\n");
    for (size_t i = 0; i < doc->unit_count; i++) {
        const stance_unit *u = &doc->units[i];
        char id[32];
        unit_id(id, sizeof id, u);
        strbuf_addf(sb, "%-5s %-*s", id, label_width, stance_model_label(model, u->label));
        for (size_t c = 0; c < k; c++)
            strbuf_addf(sb, "  %6.3f", u->probs[c]);
        if (u->has_sentiment)
            strbuf_addf(sb, "  %+9.3f", u->sentiment);
        else
            strbuf_addf(sb, "  %9s", "-");
        strbuf_adds(sb, "  ");
        for (size_t h = 0; h < u->holder_count; h++)
            strbuf_addf(sb, "%s%s", h ? ", " : "", u->holders[h]);
        strbuf_adds(sb, u->holder_count ? "\n" : "-\n");
        if (u->kind == STANCE_UNIT_QUOTE) {
            strbuf_adds(sb, "      said by ");
            add_visible_str(sb, u->speaker ? u->speaker : "(unknown speaker)");
            if (u->speaker_country)
                strbuf_addf(sb, " (%s)", u->speaker_country);
            strbuf_addc(sb, '\n');
        }
        wrap(sb, doc->text->bytes + u->start, u->end - u->start, 6, o->width > 0 ? o->width : 80);
        if (u->explain)
            text_explanation(sb, doc, u->explain, o->width > 0 ? o->width : 80);
    }
    strbuf_adds(sb, "\n");
    summary_text(sb, o->countries);
}

static int flush(FILE *out, strbuf *sb, stance_error *err)
{
    fwrite(sb->data ? sb->data : "", 1, sb->len, out);
    strbuf_free(sb);
    if (fflush(out) != 0 || ferror(out))
        return stance_error_set(err, STANCE_E_IO, NULL, "cannot write the output");
    return STANCE_OK;
}

int stance_write_csv_header(FILE *out, const stance_model *model, stance_error *err)
{
    strbuf sb = {0};
    csv_header(&sb, model);
    return flush(out, &sb, err);
}

int stance_write_csv_rows(FILE *out, const stance_doc *doc, const stance_model *model,
                          stance_error *err)
{
    strbuf sb = {0};
    csv_rows(&sb, doc, model);
    return flush(out, &sb, err);
}

int stance_write_summary(FILE *out, const stance_summary *summary, stance_format format,
                         stance_error *err)
{
    strbuf sb = {0};
    switch (format) {
    case STANCE_FORMAT_JSON:
        summary_json(&sb, summary, "");
        strbuf_addc(&sb, '\n');
        break;
    case STANCE_FORMAT_CSV: summary_csv(&sb, summary); break;
    default: summary_text(&sb, summary); break;
    }
    return flush(out, &sb, err);
}

int stance_write_doc(FILE *out, const stance_doc *doc, const stance_model *model,
                     const stance_write_options *o, stance_error *err)
{
    strbuf sb = {0};
    switch (o->format) {
    case STANCE_FORMAT_JSON: write_json(&sb, doc, model, o); break;
    case STANCE_FORMAT_CSV:
        csv_header(&sb, model);
        csv_rows(&sb, doc, model);
        break;
    default: write_text(&sb, doc, model, o); break;
    }
    return flush(out, &sb, err);
}
