/* score.c - the scoring pipeline: text -> paragraphs -> features -> probabilities. */
#include "stance.h"
#include "alloc.h"
#include "features.h"
#include "attribute.h"
#include "context.h"
#include "model.h"
#include "quotes.h"
#include "segment.h"
#include "sentiment.h"

#include <stdlib.h>
#include <string.h>

struct stance_scorer {
    const stance_model *model;
    feature_extractor *fx;
    double *work;
    segment_list paragraphs;
    quote_list quotes;
    attributor *attributor;
    size_t neutral; /* index of the neutral label, or the label count */
    size_t explain; /* features to explain per unit; 0 for none */
    sentiment_cues cues;
    strbuf scratch;
    double *contrib;
    size_t contrib_cap;
};

stance_scorer *stance_scorer_new(const stance_model *model, stance_error *err)
{
    feature_extractor *fx = features_new(model_feature_config(model), model_lexicon(model), err);
    if (!fx)
        return NULL;
    stance_scorer *sc = xcalloc(1, sizeof *sc);
    sc->model = model;
    sc->fx = fx;
    sc->work = xcalloc(model_work_size(model), sizeof *sc->work);
    sc->attributor = attributor_new(model_attribution(model));
    size_t k = stance_model_label_count(model);
    for (sc->neutral = 0; sc->neutral < k; sc->neutral++)
        if (strcmp(stance_model_label(model, sc->neutral), "neutral") == 0)
            break;
    return sc;
}

void stance_scorer_free(stance_scorer *sc)
{
    if (!sc)
        return;
    features_free(sc->fx);
    free(sc->work);
    segment_list_free(&sc->paragraphs);
    quote_list_free(&sc->quotes);
    attributor_free(sc->attributor);
    sentiment_cues_free(&sc->cues);
    strbuf_free(&sc->scratch);
    free(sc->contrib);
    free(sc);
}

void stance_scorer_set_explain(stance_scorer *sc, size_t n)
{
    sc->explain = n;
}

/* How much a stance is believed of a unit in which no state or body holds
 * one: the non-neutral probabilities are scaled by it, so only a model that
 * is very sure keeps a stance there (chosen on the development articles). */
#define NO_HOLDER_FACTOR 0.15

static const char no_target_reason[] =
    "the article never names the Taliban or their government, so it holds no stance toward them";

/* Scales the non-neutral probabilities by factor, renormalises, and returns
 * the most probable label. */
static size_t discount_stance(const stance_scorer *sc, double *probs, double factor)
{
    size_t k = stance_model_label_count(sc->model), best = 0;
    double sum = 0;
    for (size_t c = 0; c < k; c++)
        sum += probs[c] = c == sc->neutral ? probs[c] : probs[c] * factor;
    for (size_t c = 0; c < k; c++) {
        probs[c] = sum > 0 ? probs[c] / sum : c == sc->neutral;
        if (probs[c] > probs[best])
            best = c;
    }
    return best;
}

/* The label of a unit with context ctx: a stance with no holder needs a sure model. */
static size_t decide(const stance_scorer *sc, const unit_context *ctx, size_t label,
                     double *probs)
{
    if (label == sc->neutral || ctx->holders ||
        sc->neutral == stance_model_label_count(sc->model))
        return label;
    return discount_stance(sc, probs, NO_HOLDER_FACTOR);
}

/* Classifies s[start..end) with context ctx into probs; returns the label. */
static size_t classify(stance_scorer *sc, const char *s, size_t start, size_t end,
                       const unit_context *ctx, double *probs)
{
    size_t n;
    const feature_value *v =
        features_vector(sc->fx, model_dict(sc->model), s, start, end, ctx, &n);
    return decide(sc, ctx, model_predict(sc->model, v, n, probs, sc->work), probs);
}

const char *const stance_group_names[STANCE_GROUP_COUNT] = {"ngrams", "cues", "tone",
                                                            "holders"};

/* The group of feature id (1-based) in the dictionary's layout: n-grams,
 * then the cue, valence and holder features (features.h). */
static size_t feature_group(const feature_dict *dict, unsigned id)
{
    if (id <= dict->ngram_count)
        return STANCE_GROUP_NGRAMS;
    size_t extra = id - dict->ngram_count - 1;
    if (extra < 2 * LEXICON_CUE_CLASSES)
        return STANCE_GROUP_CUES;
    return extra < FEATURES_CUE_COUNT ? STANCE_GROUP_TONE : STANCE_GROUP_HOLDERS;
}

static int by_weight(const void *a, const void *b)
{
    double x = ((const stance_feature_weight *)a)->weight;
    double y = ((const stance_feature_weight *)b)->weight;
    return (x < y) - (x > y);
}

/* The explanation of a unit: the features of vector v that push it most
 * toward label, and the tone cues sentiment found. */
static stance_explanation *explain(stance_scorer *sc, const feature_value *v, size_t n,
                                   size_t label)
{
    const feature_dict *dict = model_dict(sc->model);
    grow_array((void **)&sc->contrib, &sc->contrib_cap, n + 1, sizeof *sc->contrib);
    model_contributions(sc->model, v, n, label, sc->contrib);
    stance_explanation *e = xcalloc(1, sizeof *e);
    stance_feature_weight *all = xcalloc(n + 1, sizeof *all);
    for (size_t i = 0; i < n; i++) {
        all[i].feature = dict->names[v[i].id - 1]; /* borrowed until copied below */
        all[i].weight = sc->contrib[i];
        e->groups[feature_group(dict, v[i].id)] += sc->contrib[i];
    }
    qsort(all, n, sizeof *all, by_weight);
    e->feature_count = n < sc->explain ? n : sc->explain;
    e->features = xcalloc(e->feature_count + 1, sizeof *e->features);
    for (size_t i = 0; i < e->feature_count; i++) {
        e->features[i].feature = xstrdup(all[i].feature);
        e->features[i].weight = all[i].weight;
    }
    free(all);
    e->cue_count = sc->cues.count;
    e->cues = xcalloc(e->cue_count + 1, sizeof *e->cues);
    for (size_t i = 0; i < sc->cues.count; i++)
        e->cues[i] = (stance_tone_cue){sc->cues.items[i].start, sc->cues.items[i].end,
                                        sc->cues.items[i].contribution};
    return e;
}

static void explanation_free(stance_explanation *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->feature_count; i++)
        free(e->features[i].feature);
    free(e->features);
    free(e->cues);
    free(e);
}

/* The first token of the article view that starts at or after offset. */
static size_t first_token_at(const token_list *t, size_t offset)
{
    size_t lo = 0, hi = t->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->items[mid].start < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The feature vector of bytes [start, end) of the article, from the tokens
 * attribution built for it. */
static const feature_value *unit_vector(stance_scorer *sc, size_t start, size_t end,
                                        const unit_context *ctx, size_t *n)
{
    const token_list *t = attribute_tokens(sc->attributor);
    return features_vector_tokens(sc->fx, model_dict(sc->model), t, first_token_at(t, start),
                                  first_token_at(t, end), ctx, n);
}

/* How many bytes of a sentence must lead into a quote for it to frame the quote. */
#define FRAME_MIN_LEAD 12

/* Fills a unit's label, probabilities and holders. A unit the model finds
 * neutral expresses no stance, so it has no holder (ANNOTATION.md); one with
 * a stance but no holder of its own keeps it only when the model is sure,
 * and takes the holders of the unit before it (fallback), or turns neutral
 * when there are none. Page furniture is neutral. */
static void score_unit(stance_scorer *sc, const stance_text *text, stance_unit *u,
                       const holder_list *holders, const unit_context *ctx,
                       const holder_list *fallback, int names_target, const segment_span *frame)
{
    const gazetteer *gz = attribute_gazetteer(model_attribution(sc->model));
    size_t k = stance_model_label_count(sc->model);
    u->probs = xcalloc(k, sizeof *u->probs);
    size_t n;
    const feature_value *v = unit_vector(sc, u->start, u->end, ctx, &n);
    u->label = decide(sc, ctx, model_predict(sc->model, v, n, u->probs, sc->work), u->probs);
    feature_analysis analysis = features_last_analysis(sc->fx);
    u->sentiment = sentiment_score(model_lexicon(sc->model), text->bytes, u->end, &analysis,
                                   sc->explain ? &sc->cues : NULL, &sc->scratch);
    u->has_sentiment = 1;
    /* A quote that is a fragment of its sentence, which leads into it (`X
     * said the plan would "deliver results"`), takes the stance of that
     * statement (ANNOTATION.md). */
    if (frame && u->start >= frame->start + FRAME_MIN_LEAD) {
        v = unit_vector(sc, frame->start, frame->end, ctx, &n);
        u->label = decide(sc, ctx, model_predict(sc->model, v, n, u->probs, sc->work), u->probs);
    }
    int stance_labels = sc->neutral < k;
    /* The Taliban's words about themselves do not take the holders before. */
    if (holders->count == 0 && holders->taliban)
        fallback = NULL;
    if (stance_labels && (!names_target || holders->furniture ||
                          (u->label != sc->neutral && holders->count == 0 &&
                           (!fallback || fallback->count == 0))))
        u->label = discount_stance(sc, u->probs, 0);
    if (holders->count == 0 && fallback)
        holders = fallback;
    if (sc->explain)
        u->explain = explain(sc, v, n, u->label);
    if (u->label == sc->neutral || holders->count == 0)
        return;
    u->holders = xcalloc(holders->count, sizeof *u->holders);
    u->holder_codes = xcalloc(holders->count, sizeof *u->holder_codes);
    for (size_t h = 0; h < holders->count; h++) {
        u->holders[h] = xstrdup(gz->entities[holders->items[h]].name);
        u->holder_codes[h] = xstrdup(gz->entities[holders->items[h]].code);
    }
    u->holder_count = holders->count;
}

int stance_score_text(stance_scorer *sc, const stance_text *text, stance_doc **out,
                      stance_error *err)
{
    (void)err;
    const gazetteer *gz = attribute_gazetteer(model_attribution(sc->model));
    segment_paragraphs(text->bytes, text->len, &sc->paragraphs);
    quotes_find(text->bytes, &sc->paragraphs, &sc->quotes);
    doc_attribution attr;
    attribute_doc(sc->attributor, text->bytes, text->len, &sc->paragraphs, &sc->quotes, &attr);

    stance_doc *doc = xcalloc(1, sizeof *doc);
    doc->text = text;
    doc->paragraph_count = sc->paragraphs.count;
    doc->quote_count = sc->quotes.count;
    doc->unit_count = sc->paragraphs.count + sc->quotes.count;
    doc->units = xcalloc(doc->unit_count ? doc->unit_count : 1, sizeof *doc->units);
    if (!attr.names_target)
        doc->neutral_reason = no_target_reason;
    size_t u = 0, q = 0;
    const holder_list *fallback = NULL; /* the holders of the last paragraph that had some */
    for (size_t p = 0; p < sc->paragraphs.count; p++) {
        stance_unit *pu = &doc->units[u++];
        pu->kind = STANCE_UNIT_PARAGRAPH;
        pu->number = p;
        pu->paragraph = p;
        pu->start = sc->paragraphs.items[p].start;
        pu->end = sc->paragraphs.items[p].end;
        unit_context pc = context_of_paragraph(&attr.paragraphs[p]);
        score_unit(sc, text, pu, &attr.paragraphs[p], &pc, fallback, attr.names_target, NULL);
        if (attr.paragraphs[p].count)
            fallback = &attr.paragraphs[p];
        /* Each quote follows the paragraph where it opens. */
        for (; q < sc->quotes.count && sc->quotes.items[q].paragraph == p; q++) {
            const quote_span *span = &sc->quotes.items[q];
            const quote_attribution *qa = &attr.quotes[q];
            stance_unit *qu = &doc->units[u++];
            qu->kind = STANCE_UNIT_QUOTE;
            qu->number = q + 1;
            qu->paragraph = p;
            qu->start = span->start;
            qu->end = span->end;
            if (qa->speaker)
                qu->speaker = xstrdup(qa->speaker);
            if (qa->speaker_entity != GAZETTEER_NONE)
                qu->speaker_country = xstrdup(gz->entities[qa->speaker_entity].name);
            unit_context qc = context_of_quote(qa, gz->afghanistan);
            segment_span frame;
            int framed = attribute_sentence_at(sc->attributor, span->start, &frame);
            score_unit(sc, text, qu, &qa->holders, &qc, &attr.paragraphs[p], attr.names_target,
                       framed ? &frame : NULL);
        }
    }
    *out = doc;
    return STANCE_OK;
}

void stance_doc_free(stance_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->unit_count; i++) {
        stance_unit *u = &doc->units[i];
        free(u->speaker);
        free(u->speaker_country);
        for (size_t h = 0; h < u->holder_count; h++) {
            free(u->holders[h]);
            free(u->holder_codes[h]);
        }
        free(u->holders);
        free(u->holder_codes);
        free(u->probs);
        explanation_free(u->explain);
    }
    free(doc->units);
    free(doc);
}

int stance_evaluate(const stance_model *model, const stance_dataset *data, size_t *predicted,
                    double *probs_out, stance_metrics **out, stance_error *err)
{
    *out = NULL;
    size_t k = stance_model_label_count(model);
    size_t *gold = xcalloc(data->count ? data->count : 1, sizeof *gold);
    for (size_t i = 0; i < data->count; i++) {
        size_t c = 0;
        while (c < k && strcmp(stance_model_label(model, c), data->labels[i]) != 0)
            c++;
        if (c == k) {
            free(gold);
            return stance_error_set(err, STANCE_E_INPUT, data->path,
                                    "example %zu has label '%s', which the model does not know",
                                    i + 1, data->labels[i]);
        }
        gold[i] = c;
    }
    stance_scorer *sc = stance_scorer_new(model, err);
    if (!sc) {
        free(gold);
        return STANCE_E_MODEL;
    }
    char **labels = xcalloc(k, sizeof *labels);
    for (size_t c = 0; c < k; c++)
        labels[c] = (char *)stance_model_label(model, c);
    stance_metrics *m = stance_metrics_new(k, labels);
    double *probs = xcalloc(k, sizeof *probs);
    unit_context *ctx = xcalloc(data->count + 1, sizeof *ctx);
    context_of_rows(model_attribution(model), data, ctx);
    for (size_t i = 0; i < data->count; i++) {
        size_t label = classify(sc, data->texts[i], 0, strlen(data->texts[i]), &ctx[i], probs);
        stance_metrics_add(m, gold[i], label);
        if (predicted)
            predicted[i] = label;
        if (predicted && probs_out)
            memcpy(probs_out + i * k, probs, k * sizeof *probs);
    }
    free(ctx);
    stance_metrics_finish(m);
    free(probs);
    free(labels);
    free(gold);
    stance_scorer_free(sc);
    *out = m;
    return STANCE_OK;
}
