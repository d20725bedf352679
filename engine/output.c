/* output.c - writes scored articles as a text table, JSON or CSV.
 *
 * Numbers are printed in the C locale with fixed precision so that output is
 * byte-for-byte reproducible. Invalid UTF-8 in the input is written as
 * U+FFFD, so every output is valid UTF-8.
 */
#include "stance.h"
#include "alloc.h"
#include "text.h"

#include <string.h>

/* Appends s[start..end) with invalid bytes replaced by U+FFFD. */
static void add_clean(strbuf *sb, const char *s, size_t start, size_t end)
{
    size_t pos = start;
    while (pos < end) {
        size_t at = pos;
        int32_t cp = text_next_cp(s, end, &pos);
        if (cp == TEXT_REPLACEMENT && pos == at + 1 && (unsigned char)s[at] >= 0x80)
            text_put_cp(sb, TEXT_REPLACEMENT);
        else
            strbuf_add(sb, s + at, pos - at);
    }
}

static void unit_id(char *buf, size_t size, const stance_unit *u)
{
    snprintf(buf, size, "%c%zu", u->kind == STANCE_UNIT_QUOTE ? 'q' : 'p', u->number);
}

/* ---- JSON -------------------------------------------------------------------------- */

static void json_string(strbuf *sb, const char *s, size_t len)
{
    strbuf clean = {0};
    add_clean(&clean, s, 0, len);
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
            strbuf_addf(sb, ": %.6f", u->probs[c]);
        }
        strbuf_adds(sb, "}, \"sentiment\": ");
        if (u->has_sentiment)
            strbuf_addf(sb, "%.4f", u->sentiment);
        else
            strbuf_adds(sb, "null");
        strbuf_adds(sb, ", \"text\": ");
        json_string(sb, doc->text->bytes + u->start, u->end - u->start);
        strbuf_addc(sb, '}');
    }
    strbuf_adds(sb, doc->unit_count ? "\n  ],\n" : "],\n");
    strbuf_adds(sb, "  \"countries\": []\n}\n");
}

/* ---- CSV ----------------------------------------------------------------------------- */

/* RFC 4180: a field with a comma, quote, CR or LF is quoted, quotes doubled. */
static void csv_field(strbuf *sb, const char *s, size_t len)
{
    strbuf clean = {0};
    add_clean(&clean, s, 0, len);
    int quote = clean.len && (strpbrk(clean.data, ",\"\r\n") != NULL || clean.data[0] == ' ' ||
                              clean.data[clean.len - 1] == ' ');
    if (quote)
        strbuf_addc(sb, '"');
    for (size_t i = 0; i < clean.len; i++) {
        if (clean.data[i] == '"')
            strbuf_addc(sb, '"');
        strbuf_addc(sb, clean.data[i]);
    }
    if (quote)
        strbuf_addc(sb, '"');
    strbuf_free(&clean);
}

static void csv_opt(strbuf *sb, const char *s)
{
    if (s)
        csv_field(sb, s, strlen(s));
}

static void write_csv(strbuf *sb, const stance_doc *doc, const stance_model *model)
{
    size_t k = stance_model_label_count(model);
    strbuf_adds(sb, "file,id,kind,paragraph,start,end,speaker,speaker_country,holders,stance");
    for (size_t c = 0; c < k; c++) {
        strbuf_adds(sb, ",");
        strbuf_adds(sb, "p_");
        strbuf_adds(sb, stance_model_label(model, c));
    }
    strbuf_adds(sb, ",sentiment,text\n");
    for (size_t i = 0; i < doc->unit_count; i++) {
        const stance_unit *u = &doc->units[i];
        char id[32];
        unit_id(id, sizeof id, u);
        csv_opt(sb, doc->text->path);
        strbuf_addf(sb, ",%s,%s,%zu,%zu,%zu,", id,
                    u->kind == STANCE_UNIT_QUOTE ? "quote" : "paragraph", u->paragraph, u->start,
                    u->end);
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
        for (size_t c = 0; c < k; c++)
            strbuf_addf(sb, ",%.6f", u->probs[c]);
        strbuf_addc(sb, ',');
        if (u->has_sentiment)
            strbuf_addf(sb, "%.4f", u->sentiment);
        strbuf_addc(sb, ',');
        csv_field(sb, doc->text->bytes + u->start, u->end - u->start);
        strbuf_addc(sb, '\n');
    }
}

/* ---- text ------------------------------------------------------------------------------- */

/* Appends the unit's text word-wrapped to width columns, each line indented. */
static void wrap(strbuf *sb, const char *s, size_t len, int indent, int width)
{
    strbuf clean = {0};
    add_clean(&clean, s, 0, len);
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

static void write_text(strbuf *sb, const stance_doc *doc, const stance_model *model,
                       const stance_write_options *o)
{
    size_t k = stance_model_label_count(model);
    strbuf_addf(sb, "%s: %zu paragraphs, %zu quotes", doc->text->path, doc->paragraph_count,
                doc->quote_count);
    if (o->model_name)
        strbuf_addf(sb, " (model %s)", o->model_name);
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
            strbuf_addf(sb, "      said by %s", u->speaker ? u->speaker : "(unknown speaker)");
            if (u->speaker_country)
                strbuf_addf(sb, " (%s)", u->speaker_country);
            strbuf_addc(sb, '\n');
        }
        wrap(sb, doc->text->bytes + u->start, u->end - u->start, 6, o->width > 0 ? o->width : 80);
    }
    strbuf_adds(sb, "\ncountries: none found\n");
}

int stance_write_doc(FILE *out, const stance_doc *doc, const stance_model *model,
                     const stance_write_options *o, stance_error *err)
{
    strbuf sb = {0};
    switch (o->format) {
    case STANCE_FORMAT_JSON: write_json(&sb, doc, model, o); break;
    case STANCE_FORMAT_CSV: write_csv(&sb, doc, model); break;
    default: write_text(&sb, doc, model, o); break;
    }
    fwrite(sb.data, 1, sb.len, out);
    strbuf_free(&sb);
    if (fflush(out) != 0 || ferror(out))
        return stance_error_set(err, STANCE_E_IO, NULL, "cannot write the output");
    return STANCE_OK;
}
