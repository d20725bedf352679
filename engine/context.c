/* context.c - unit contexts for scoring, and for labeled rows rebuilt into articles. */
#include "context.h"
#include "alloc.h"
#include "quotes.h"
#include "segment.h"

#include <stdlib.h>
#include <string.h>

unit_context context_of_paragraph(const holder_list *h)
{
    unit_context c = {.holders = h->count > 0, .resolved = h->resolved, .target = h->target,
                      .speaks = h->speaks};
    return c;
}

unit_context context_of_quote(const quote_attribution *qa, size_t afghanistan)
{
    unit_context c = context_of_paragraph(&qa->holders);
    c.quote = 1;
    c.taliban = qa->speaker_entity == afghanistan;
    c.official = qa->speaker_entity != GAZETTEER_NONE && !c.taliban;
    return c;
}

typedef struct {
    attributor *at;
    strbuf text;
    segment_list paragraphs;
    quote_list quotes;
    doc_attribution attr;
    size_t afghanistan;
} rebuilt;

static void attribute_text(rebuilt *r)
{
    segment_paragraphs(r->text.data, r->text.len, &r->paragraphs);
    quotes_find(r->text.data, &r->paragraphs, &r->quotes);
    attribute_doc(r->at, r->text.data, r->text.len, &r->paragraphs, &r->quotes, &r->attr);
}

/* A row on its own: its first paragraph, or its quote context. */
static unit_context alone(rebuilt *r, const char *text, int quote)
{
    strbuf_reset(&r->text);
    strbuf_adds(&r->text, text);
    attribute_text(r);
    unit_context c = {0};
    if (r->attr.paragraph_count)
        c = context_of_paragraph(&r->attr.paragraphs[0]);
    if (quote) {
        c.quote = c.speaks = 1;
        c.official = c.taliban = 0;
    }
    return c;
}

/* The paragraph that holds byte offset at. */
static size_t paragraph_at(const segment_list *paragraphs, size_t at)
{
    size_t p = 0;
    while (p + 1 < paragraphs->count && paragraphs->items[p].end <= at)
        p++;
    return p;
}

static size_t find_quote(const rebuilt *r, const char *text)
{
    size_t len = strlen(text);
    for (size_t k = 0; k < r->quotes.count; k++) {
        const quote_span *q = &r->quotes.items[k];
        if (q->end - q->start == len && memcmp(r->text.data + q->start, text, len) == 0)
            return k;
    }
    return (size_t)-1;
}

void context_of_rows(const attribute_resources *res, const stance_dataset *data,
                     unit_context *out)
{
    rebuilt r = {.at = attributor_new(res),
                 .afghanistan = attribute_gazetteer(res)->afghanistan};
    size_t *offsets = xcalloc(data->count + 1, sizeof *offsets);
    unsigned char *found = xcalloc(data->count + 1, 1);
    for (size_t i = 0; i < data->count;) {
        size_t j = i + 1;
        while (j < data->count && data->docs && data->docs[i] && data->docs[j] &&
               strcmp(data->docs[i], data->docs[j]) == 0)
            j++;
        if (!data->docs || !data->docs[i]) {
            out[i] = alone(&r, data->texts[i], data->quote && data->quote[i]);
            i = j;
            continue;
        }
        strbuf_reset(&r.text);
        for (size_t k = i; k < j; k++)
            if (!data->quote[k]) {
                if (r.text.len)
                    strbuf_adds(&r.text, "\n\n");
                offsets[k] = r.text.len;
                strbuf_adds(&r.text, data->texts[k]);
            }
        attribute_text(&r);
        for (size_t k = i; k < j; k++) {
            if (!data->quote[k]) {
                out[k] = context_of_paragraph(
                    &r.attr.paragraphs[paragraph_at(&r.paragraphs, offsets[k])]);
                continue;
            }
            size_t q = find_quote(&r, data->texts[k]);
            if ((found[k] = q != (size_t)-1))
                out[k] = context_of_quote(&r.attr.quotes[q], r.afghanistan);
        }
        /* Quotes not found in the article are scored alone, after the
         * article's attribution has been read off. */
        for (size_t k = i; k < j; k++)
            if (data->quote[k] && !found[k])
                out[k] = alone(&r, data->texts[k], 1);
        i = j;
    }
    free(offsets);
    free(found);
    attributor_free(r.at);
    strbuf_free(&r.text);
    segment_list_free(&r.paragraphs);
    quote_list_free(&r.quotes);
}
