#include "features.h"
#include "alloc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What scoring needs to know of a word, looked up once per distinct word
 * rather than once per lexicon per occurrence: the lookups into a dozen hash
 * tables were most of the time spent per token. */
typedef struct {
    size_t stem_offset; /* of the stem in the cache arena */
    size_t stem_len;
    uint64_t stem_hash;
    unsigned unigram;   /* dict id of the stem as a unigram, 0 for none */
    unsigned char stem_starts, word_starts; /* LEXICON_BIT_* of sets a phrase may start */
} word_info;

/* The cache is emptied when it holds this many words, so memory stays flat. */
#define WORD_CACHE_MAX 200000

struct feature_extractor {
    const feature_config *config;
    const cue_lexicon *lex;
    stemmer *st;
    token_list tokens;       /* of a text this extractor tokenised */
    token_list view;         /* a range of an article's tokens, borrowed */
    const token_list *toks;  /* the tokens of the last text: &tokens or &view */
    strbuf stem_arena;
    size_t *stem_offsets;
    const char **stems;
    const char **words;
    unsigned char *negation, *near_target;
    word_seq stem_seq, word_seq; /* stems and folded words, with lengths and hashes */
    size_t stems_cap, offsets_cap, words_cap, negation_cap, near_cap;
    strbuf gram;
    strbuf scratch;
    strmap seen;          /* distinct n-grams of one text, for features_each_ngram */
    unsigned *ids;        /* distinct ids of the text, in order of first sight */
    size_t ids_cap;
    unsigned *tf;         /* term frequency by id, all zero between calls */
    size_t tf_cap;
    strmap cache;         /* folded word -> index in infos */
    word_info *infos;
    size_t info_count, info_cap;
    strbuf cache_arena;   /* the stems of the cached words */
    const feature_dict *cache_dict; /* the dict the cached unigram ids belong to */
    unsigned *unigram;    /* per token of the last text */
    size_t unigram_cap;
    feature_value *values;
    size_t values_cap;
    feature_value *merge; /* room to merge the word and character blocks */
    size_t merge_cap;
    size_t *cp_starts;    /* code point offsets of the padded word */
    size_t cp_cap;
};

static const char *const weighting_names[] = {"binary", "logtf", "tfidf"};

const char *features_weighting_name(stance_weighting w)
{
    return weighting_names[w];
}

int features_weighting_parse(const char *name, stance_weighting *w)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, weighting_names[i]) == 0) {
            *w = (stance_weighting)i;
            return 0;
        }
    return -1;
}

feature_extractor *features_new(const feature_config *config, const cue_lexicon *lex,
                                stance_error *err)
{
    stemmer *st = stem_new(config->stemmer, err);
    if (!st)
        return NULL;
    feature_extractor *fx = xcalloc(1, sizeof *fx);
    fx->config = config;
    fx->lex = lex;
    fx->st = st;
    return fx;
}

void features_free(feature_extractor *fx)
{
    if (!fx)
        return;
    stem_free(fx->st);
    token_list_free(&fx->tokens);
    strbuf_free(&fx->stem_arena);
    strbuf_free(&fx->gram);
    strbuf_free(&fx->scratch);
    strmap_free(&fx->seen);
    free(fx->stem_offsets);
    free(fx->stems);
    free(fx->words);
    free(fx->negation);
    free(fx->near_target);
    word_seq_free(&fx->stem_seq);
    word_seq_free(&fx->word_seq);
    free(fx->ids);
    free(fx->tf);
    strmap_free(&fx->cache);
    free(fx->infos);
    strbuf_free(&fx->cache_arena);
    free(fx->unigram);
    free(fx->values);
    free(fx->merge);
    free(fx->cp_starts);
    free(fx);
}

/* The cached facts of a new word. */
static void describe_word(feature_extractor *fx, word_info *w, const token_list *tokens, size_t i,
                          uint64_t word_hash, const feature_dict *dict)
{
    const char *word = token_norm(tokens, i);
    size_t len = tokens->items[i].norm_len;
    const char *stem = "#";
    size_t stem_len = 1;
    if (!tokens->items[i].is_number)
        stem = stem_word(fx->st, word, len, &stem_len);
    w->stem_offset = fx->cache_arena.len;
    w->stem_len = stem_len;
    strbuf_add(&fx->cache_arena, stem, stem_len);
    strbuf_addc(&fx->cache_arena, '\0');
    w->stem_hash = hash_bytes(stem, stem_len);
    const char *cached_stem = fx->cache_arena.data + w->stem_offset;
    size_t *id = dict ? strmap_find_hashed(&dict->index, cached_stem, stem_len, w->stem_hash) : NULL;
    w->unigram = id ? (unsigned)*id : 0;
    w->stem_starts = w->word_starts = 0;
    const cue_lexicon *lex = fx->lex;
    if (!lex)
        return;
    if (phrase_set_starts(&lex->cues, cached_stem, stem_len, w->stem_hash))
        w->stem_starts |= LEXICON_BIT_CUES;
    if (phrase_set_starts(&lex->negators, cached_stem, stem_len, w->stem_hash))
        w->stem_starts |= LEXICON_BIT_NEGATORS;
    if (phrase_set_starts(&lex->target, word, len, word_hash))
        w->word_starts |= LEXICON_BIT_TARGET;
    if (phrase_set_starts(&lex->valence.set, word, len, word_hash))
        w->word_starts |= LEXICON_BIT_VALENCE;
    if (phrase_set_starts(&lex->intensifiers.set, word, len, word_hash))
        w->word_starts |= LEXICON_BIT_INTENSIFIERS;
}

/* Fills, per token of fx->toks, its stem, the hashes of word and stem, the
 * phrase sets it may start, its unigram id in dict (when given) and the
 * negation scope. */
static void analyse_tokens(feature_extractor *fx, const feature_dict *dict)
{
    const token_list *toks = fx->toks;
    size_t n = toks->count;
    if (fx->cache.count > WORD_CACHE_MAX || dict != fx->cache_dict) {
        strmap_clear(&fx->cache);
        strbuf_reset(&fx->cache_arena);
        fx->info_count = 0;
        fx->cache_dict = dict;
    }
    word_seq_reserve(&fx->stem_seq, n);
    word_seq_reserve(&fx->word_seq, n);
    grow_array((void **)&fx->stem_offsets, &fx->offsets_cap, n + 1, sizeof *fx->stem_offsets);
    grow_array((void **)&fx->unigram, &fx->unigram_cap, n + 1, sizeof *fx->unigram);
    for (size_t i = 0; i < n; i++) {
        const char *word = token_norm(toks, i);
        size_t len = toks->items[i].norm_len;
        uint64_t h = hash_bytes(word, len);
        int added;
        size_t *slot = strmap_insert_hashed(&fx->cache, word, len, h, fx->info_count, &added);
        if (added) {
            grow_array((void **)&fx->infos, &fx->info_cap, fx->info_count + 1, sizeof *fx->infos);
            describe_word(fx, &fx->infos[fx->info_count++], toks, i, h, dict);
        }
        const word_info *w = &fx->infos[*slot];
        fx->stem_offsets[i] = w->stem_offset;
        fx->stem_seq.lens[i] = w->stem_len;
        fx->stem_seq.hashes[i] = w->stem_hash;
        fx->stem_seq.starts[i] = w->stem_starts;
        fx->word_seq.words[i] = word;
        fx->word_seq.lens[i] = len;
        fx->word_seq.hashes[i] = h;
        fx->word_seq.starts[i] = w->word_starts;
        fx->unigram[i] = w->unigram;
    }
    /* The arena may have moved while growing: take pointers only now. */
    grow_array((void **)&fx->stems, &fx->stems_cap, n + 1, sizeof *fx->stems);
    grow_array((void **)&fx->negation, &fx->negation_cap, n + 1, 1);
    for (size_t i = 0; i < n; i++) {
        fx->stems[i] = fx->stem_seq.words[i] = fx->cache_arena.data + fx->stem_offsets[i];
        fx->negation[i] = 0;
    }
    if (fx->lex)
        lexicon_negation_scope(fx->lex, toks, &fx->stem_seq, fx->negation, &fx->scratch);
}

/* Tokenises s[start..end), then analyse_tokens. */
static void analyse(feature_extractor *fx, const char *s, size_t start, size_t end,
                    const feature_dict *dict)
{
    tokenize(s, start, end, &fx->tokens);
    fx->toks = &fx->tokens;
    analyse_tokens(fx, dict);
}

feature_analysis features_last_analysis(const feature_extractor *fx)
{
    feature_analysis a = {fx->toks, &fx->stem_seq, &fx->word_seq, fx->negation};
    return a;
}

/* Marks the tokens within FEATURES_TARGET_WINDOW of a name of the target. */
static void mark_near_target(feature_extractor *fx)
{
    size_t n = fx->toks->count;
    grow_array((void **)&fx->near_target, &fx->near_cap, n + 1, 1);
    memset(fx->near_target, 0, n + 1);
    for (size_t i = 0; i < n;) {
        size_t len = 1;
        if (phrase_set_match(&fx->lex->target, &fx->word_seq, n, i, NULL, &len, &fx->scratch)) {
            size_t lo = i > FEATURES_TARGET_WINDOW ? i - FEATURES_TARGET_WINDOW : 0;
            size_t hi = i + len + FEATURES_TARGET_WINDOW;
            for (size_t k = lo; k < hi && k < n; k++)
                fx->near_target[k] = 1;
        }
        i += len;
    }
}

int features_names_target(feature_extractor *fx, const char *s, size_t start, size_t end)
{
    if (!fx->lex)
        return 0;
    analyse(fx, s, start, end, NULL);
    size_t n = fx->toks->count, len;
    for (size_t i = 0; i < n; i++)
        if (phrase_set_match(&fx->lex->target, &fx->word_seq, n, i, NULL, &len, &fx->scratch))
            return 1;
    return 0;
}

/* Counts valence words: [0] positive, [1] negative, [2] and [3] the same
 * near the target. A negated word counts with the other sign. */
static void count_valence(feature_extractor *fx, unsigned counts[4])
{
    size_t n = fx->toks->count;
    mark_near_target(fx);
    memset(counts, 0, 4 * sizeof *counts);
    for (size_t i = 0; i < n;) {
        size_t len = 1;
        double v = fx->negation[i] == 2 ? 0
                   : scored_phrases_match(&fx->lex->valence, &fx->word_seq, n, i, &len,
                                          &fx->scratch);
        if (v != 0) {
            int negative = (v < 0) != (fx->negation[i] == 1);
            counts[negative]++;
            if (fx->near_target[i])
                counts[2 + negative]++;
        }
        i += len;
    }
}

/* Writes the n-gram of length n at token i into fx->gram. */
static void make_gram(feature_extractor *fx, size_t i, size_t n)
{
    strbuf_reset(&fx->gram);
    for (size_t k = 0; k < n; k++) {
        if (k)
            strbuf_addc(&fx->gram, ' ');
        strbuf_adds(&fx->gram, fx->stems[i + k]);
    }
}

/* Calls fn with every character n-gram of fx->scratch in the configured
 * range, counted in code points, built in fx->gram. */
static void each_scratch_gram(feature_extractor *fx,
                              void (*fn)(feature_extractor *fx, void *ctx), void *ctx)
{
    const feature_config *cfg = fx->config;
    strbuf *w = &fx->scratch;
    /* code point starts, and the end */
    size_t cps = 0;
    grow_array((void **)&fx->cp_starts, &fx->cp_cap, w->len + 1, sizeof *fx->cp_starts);
    for (size_t b = 0; b < w->len; b++)
        if (((unsigned char)w->data[b] & 0xC0) != 0x80)
            fx->cp_starts[cps++] = b;
    fx->cp_starts[cps] = w->len;
    for (int n = cfg->char_min; n <= cfg->char_max; n++)
        for (size_t k = 0; k + (size_t)n <= cps; k++) {
            strbuf_reset(&fx->gram);
            strbuf_adds(&fx->gram, "c:");
            strbuf_add(&fx->gram, w->data + fx->cp_starts[k],
                       fx->cp_starts[k + (size_t)n] - fx->cp_starts[k]);
            fn(fx, ctx);
        }
}

/* Calls fn with every character n-gram of the text: of each word padded
 * with ^ and $, or, across words, of the words joined by single spaces
 * between a leading ^ and a trailing $. Numbers have none: their stem "#"
 * stands for them (across words, "#" is their place). */
static void each_char_gram(feature_extractor *fx,
                           void (*fn)(feature_extractor *fx, void *ctx), void *ctx)
{
    const feature_config *cfg = fx->config;
    if (cfg->char_max <= 0)
        return;
    strbuf *w = &fx->scratch;
    size_t count = fx->toks->count;
    if (cfg->char_text) {
        strbuf_reset(w);
        strbuf_addc(w, '^');
        for (size_t i = 0; i < count; i++) {
            if (i)
                strbuf_addc(w, ' ');
            if (fx->toks->items[i].is_number)
                strbuf_addc(w, '#');
            else
                strbuf_add(w, fx->word_seq.words[i], fx->word_seq.lens[i]);
        }
        strbuf_addc(w, '$');
        each_scratch_gram(fx, fn, ctx);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        if (fx->toks->items[i].is_number)
            continue;
        strbuf_reset(w);
        strbuf_addc(w, '^');
        strbuf_add(w, fx->word_seq.words[i], fx->word_seq.lens[i]);
        strbuf_addc(w, '$');
        each_scratch_gram(fx, fn, ctx);
    }
}

typedef struct {
    void (*fn)(void *ctx, const char *gram, size_t len);
    void *ctx;
} gram_sink;

/* Passes fx->gram on to the sink the first time this text shows it. */
static void emit_distinct(feature_extractor *fx, void *ctx)
{
    const gram_sink *sink = ctx;
    int added;
    strmap_insert(&fx->seen, fx->gram.data, fx->gram.len, 0, &added);
    if (added)
        sink->fn(sink->ctx, fx->gram.data, fx->gram.len);
}

void features_each_ngram(feature_extractor *fx, const char *s, size_t start, size_t end,
                         void (*fn)(void *ctx, const char *gram, size_t len), void *ctx)
{
    analyse(fx, s, start, end, NULL);
    strmap_clear(&fx->seen);
    gram_sink sink = {fn, ctx};
    size_t count = fx->toks->count;
    for (size_t i = 0; i < count; i++) {
        for (int n = fx->config->ngram_min; n <= fx->config->ngram_max; n++) {
            if (i + (size_t)n > count)
                break;
            make_gram(fx, i, (size_t)n);
            emit_distinct(fx, &sink);
        }
    }
    each_char_gram(fx, emit_distinct, &sink);
}

/* Sorts a text's few dozen distinct ids: an insertion sort beats qsort's
 * callbacks at this size, and a shell-sort gap sequence keeps long texts fast. */
static void sort_ids(unsigned *a, size_t n)
{
    static const size_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
    for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
        size_t gap = gaps[g];
        for (size_t i = gap; i < n; i++) {
            unsigned v = a[i];
            size_t j = i;
            while (j >= gap && a[j - gap] > v) {
                a[j] = a[j - gap];
                j -= gap;
            }
            a[j] = v;
        }
    }
}

static void push_value(feature_extractor *fx, size_t *count, unsigned id, double value)
{
    grow_array((void **)&fx->values, &fx->values_cap, *count + 1, sizeof *fx->values);
    fx->values[*count].id = id;
    fx->values[*count].value = value;
    (*count)++;
}

static const char *const holder_names[FEATURES_HOLDER_COUNT] = {
    "hold:none",    "hold:some",          "hold:resolved",     "hold:target-only",
    "hold:speaks",  "hold:quote:official", "hold:quote:taliban", "hold:quote:other"};

/* Which holder features a unit has, in the order of holder_names. */
static void holder_flags(const unit_context *c, unsigned char on[FEATURES_HOLDER_COUNT])
{
    on[0] = !c->holders;
    on[1] = c->holders;
    on[2] = c->holders && c->resolved;
    on[3] = !c->holders && c->target;
    on[4] = c->speaks;
    on[5] = c->quote && c->official;
    on[6] = c->quote && c->taliban;
    on[7] = c->quote && !c->official && !c->taliban;
}

/* Counts the term frequency of fx->ids' new id in fx->tf. */
static void count_id(feature_extractor *fx, size_t *nids, size_t id)
{
    if (fx->tf[id]++ == 0) {
        grow_array((void **)&fx->ids, &fx->ids_cap, *nids + 1, sizeof *fx->ids);
        fx->ids[(*nids)++] = (unsigned)id;
    }
}

typedef struct {
    const feature_dict *dict;
    size_t nids;
} char_block;

static void count_char_gram(feature_extractor *fx, void *ctx)
{
    char_block *b = ctx;
    size_t *found = strmap_find(&b->dict->index, fx->gram.data, fx->gram.len);
    if (found)
        count_id(fx, &b->nids, *found);
}

/* Appends the weighted values of the counted ids fx->ids[0..nids), sorted
 * and L2-normalised as one block, and clears their counts. */
static void weigh_block(feature_extractor *fx, const feature_dict *dict, size_t nids,
                        size_t *nvals)
{
    const feature_config *cfg = fx->config;
    sort_ids(fx->ids, nids);
    size_t first = *nvals;
    double norm = 0;
    for (size_t i = 0; i < nids; i++) {
        unsigned id = fx->ids[i];
        double tf = (double)fx->tf[id], v;
        fx->tf[id] = 0;
        switch (cfg->weighting) {
        case STANCE_WEIGHT_BINARY: v = 1.0; break;
        case STANCE_WEIGHT_LOGTF: v = 1.0 + log(tf); break;
        default: v = (1.0 + log(tf)) * dict->weights[id - 1]; break;
        }
        push_value(fx, nvals, id, v);
        norm += v * v;
    }
    if (cfg->l2_normalise && norm > 0) {
        norm = sqrt(norm);
        for (size_t i = first; i < *nvals; i++)
            fx->values[i].value /= norm;
    }
}

/* Merges the sorted runs values[0..mid) and values[mid..end) in place. */
static void merge_blocks(feature_extractor *fx, size_t mid, size_t end)
{
    if (mid == 0 || mid == end || fx->values[mid - 1].id < fx->values[mid].id)
        return;
    grow_array((void **)&fx->merge, &fx->merge_cap, end, sizeof *fx->merge);
    size_t a = 0, b = mid, k = 0;
    while (a < mid || b < end)
        fx->merge[k++] = b == end || (a < mid && fx->values[a].id < fx->values[b].id)
                             ? fx->values[a++]
                             : fx->values[b++];
    memcpy(fx->values, fx->merge, end * sizeof *fx->values);
}

/* The vector of the analysed tokens fx->toks. */
static const feature_value *vector_of_tokens(feature_extractor *fx, const feature_dict *dict,
                                             const unit_context *ctx, size_t *count)
{
    const feature_config *cfg = fx->config;
    size_t ntok = fx->toks->count, nids = 0;
    const word_seq *st = &fx->stem_seq;
    if (fx->tf_cap < dict->count + 1) {
        free(fx->tf);
        fx->tf_cap = dict->count + 1;
        fx->tf = xcalloc(fx->tf_cap, sizeof *fx->tf);
    }
    for (size_t i = 0; i < ntok; i++)
        for (int n = cfg->ngram_min; n <= cfg->ngram_max && i + (size_t)n <= ntok; n++) {
            size_t id = 0, *found;
            if (n == 1) {
                id = fx->unigram[i]; /* looked up once per distinct word, in analyse */
            } else if (n == 2) { /* hash "a b" from the hash of a, without building it */
                uint64_t h = hash_bytes_from(hash_bytes_from(st->hashes[i], " ", 1),
                                             st->words[i + 1], st->lens[i + 1]);
                found = strmap_find_pair(&dict->index, st->words[i], st->lens[i],
                                         st->words[i + 1], st->lens[i + 1], h);
                id = found ? *found : 0;
            } else {
                make_gram(fx, i, (size_t)n);
                found = strmap_find(&dict->index, fx->gram.data, fx->gram.len);
                id = found ? *found : 0;
            }
            if (id)
                count_id(fx, &nids, id);
        }
    size_t nvals = 0;
    weigh_block(fx, dict, nids, &nvals);
    if (cfg->char_max > 0) {
        size_t words_end = nvals;
        char_block chars = {dict, 0};
        each_char_gram(fx, count_char_gram, &chars);
        weigh_block(fx, dict, chars.nids, &nvals);
        merge_blocks(fx, words_end, nvals);
    }
    if (fx->lex && dict->count >= dict->ngram_count + FEATURES_CUE_COUNT) {
        cue_counts cues;
        cue_lexicon_match(fx->lex, fx->toks, &fx->stem_seq, fx->negation, &cues,
                          &fx->scratch);
        unsigned counts[FEATURES_CUE_COUNT];
        for (size_t c = 0; c < LEXICON_CUE_CLASSES; c++)
            for (size_t neg = 0; neg < 2; neg++)
                counts[2 * c + neg] = cues.counts[c][neg];
        count_valence(fx, counts + 2 * LEXICON_CUE_CLASSES);
        for (size_t f = 0; f < FEATURES_CUE_COUNT; f++) {
            size_t id = dict->ngram_count + f + 1;
            if (!counts[f] || dict->weights[id - 1] == 0)
                continue; /* a model trained without them */
            push_value(fx, &nvals, (unsigned)id, log1p((double)counts[f]) * dict->weights[id - 1]);
        }
    }
    if (ctx && dict->count >= dict->ngram_count + FEATURES_EXTRA_COUNT) {
        unsigned char on[FEATURES_HOLDER_COUNT];
        holder_flags(ctx, on);
        for (size_t f = 0; f < FEATURES_HOLDER_COUNT; f++) {
            size_t id = dict->ngram_count + FEATURES_CUE_COUNT + f + 1;
            if (on[f] && dict->weights[id - 1] != 0)
                push_value(fx, &nvals, (unsigned)id, dict->weights[id - 1]);
        }
    }
    *count = nvals;
    return fx->values;
}

const feature_value *features_vector(feature_extractor *fx, const feature_dict *dict,
                                     const char *s, size_t start, size_t end,
                                     const unit_context *ctx, size_t *count)
{
    analyse(fx, s, start, end, dict);
    return vector_of_tokens(fx, dict, ctx, count);
}

const feature_value *features_vector_tokens(feature_extractor *fx, const feature_dict *dict,
                                            const token_list *tokens, size_t first, size_t last,
                                            const unit_context *ctx, size_t *count)
{
    /* A borrowed window on the article's tokens: their folded forms stay in
     * the article's arena, so nothing is tokenised or copied again. */
    fx->view.items = tokens->items + first;
    fx->view.count = last - first;
    fx->view.cap = 0;
    fx->view.arena = tokens->arena;
    fx->toks = &fx->view;
    analyse_tokens(fx, dict);
    return vector_of_tokens(fx, dict, ctx, count);
}

/* ---- the dictionary ---------------------------------------------------------- */

static void count_df(void *ctx, const char *gram, size_t len)
{
    (*strmap_insert(ctx, gram, len, 0, NULL))++;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void dict_add(feature_dict *dict, size_t *cap, const char *name, double weight)
{
    size_t old_cap = *cap;
    grow_array((void **)&dict->names, cap, dict->count + 1, sizeof *dict->names);
    /* only when the names grew: a realloc to the same size copies the
     * whole array under ASan, which made loading quadratic there */
    if (*cap != old_cap || !dict->weights)
        dict->weights = xrealloc(dict->weights, *cap * sizeof *dict->weights);
    dict->names[dict->count] = xstrdup(name);
    dict->weights[dict->count] = weight;
    dict->count++;
    strmap_insert(&dict->index, name, strlen(name), dict->count, NULL);
}

void feature_dict_build(feature_dict *dict, feature_extractor *fx, char *const *texts,
                        size_t count, int min_df, double cue_weight)
{
    memset(dict, 0, sizeof *dict);
    strmap df = {0};
    for (size_t i = 0; i < count; i++)
        features_each_ngram(fx, texts[i], 0, strlen(texts[i]), count_df, &df);
    char **kept = NULL;
    size_t nkept = 0, kept_cap = 0;
    for (size_t i = 0; i < df.cap; i++)
        if (df.slots[i].key && df.slots[i].value >= (size_t)min_df) {
            grow_array((void **)&kept, &kept_cap, nkept + 1, sizeof *kept);
            kept[nkept++] = df.slots[i].key;
        }
    if (nkept > 1)
        qsort(kept, nkept, sizeof *kept, cmp_names);
    size_t cap = 0;
    for (size_t i = 0; i < nkept; i++) {
        size_t n = *strmap_find(&df, kept[i], strlen(kept[i]));
        dict_add(dict, &cap, kept[i], log((1.0 + (double)count) / (1.0 + (double)n)) + 1.0);
    }
    dict->ngram_count = dict->count;
    for (size_t c = 0; c < LEXICON_CUE_CLASSES; c++)
        for (int neg = 0; neg < 2; neg++) {
            char name[64];
            snprintf(name, sizeof name, "cue:%s%s", lexicon_cue_class_names[c],
                     neg ? ":negated" : "");
            dict_add(dict, &cap, name, cue_weight);
        }
    static const char *const valence_names[] = {"val:positive", "val:negative",
                                                "val:positive:target", "val:negative:target"};
    for (size_t v = 0; v < 4; v++)
        dict_add(dict, &cap, valence_names[v], cue_weight * FEATURES_TONE_SHARE);
    for (size_t h = 0; h < FEATURES_HOLDER_COUNT; h++)
        dict_add(dict, &cap, holder_names[h], cue_weight);
    free(kept);
    strmap_free(&df);
}

int feature_dict_write(const feature_dict *dict, const char *path, stance_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return stance_error_set(err, STANCE_E_IO, path, "cannot write: %s", strerror(errno));
    fprintf(f, "id\tfeature\tweight\n");
    for (size_t i = 0; i < dict->count; i++)
        fprintf(f, "%zu\t%s\t%.17g\n", i + 1, dict->names[i], dict->weights[i]);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return stance_error_set(err, STANCE_E_IO, path, "write failed");
    return STANCE_OK;
}

typedef struct {
    feature_dict *dict;
    size_t cap;
    int header_seen;
} read_ctx;

static int read_feature(void *ctx, char **cols, size_t ncols, const char *where,
                        stance_error *err)
{
    (void)ncols;
    read_ctx *rc = ctx;
    if (!rc->header_seen) {
        rc->header_seen = 1;
        if (strcmp(cols[0], "id") || strcmp(cols[1], "feature") || strcmp(cols[2], "weight"))
            return stance_error_set(err, STANCE_E_MODEL, where,
                                    "expected the header id, feature, weight");
        return STANCE_OK;
    }
    char *endp;
    errno = 0;
    unsigned long long id = strtoull(cols[0], &endp, 10);
    if (*endp || errno || id != rc->dict->count + 1)
        return stance_error_set(err, STANCE_E_MODEL, where, "feature id '%s' out of order",
                                cols[0]);
    double w = strtod(cols[2], &endp);
    if (*endp || !cols[2][0] || !isfinite(w))
        return stance_error_set(err, STANCE_E_MODEL, where, "bad weight '%s'", cols[2]);
    if (!cols[1][0] || strmap_find(&rc->dict->index, cols[1], strlen(cols[1])))
        return stance_error_set(err, STANCE_E_MODEL, where, "empty or repeated feature '%s'",
                                cols[1]);
    dict_add(rc->dict, &rc->cap, cols[1], w);
    if (strncmp(cols[1], "cue:", 4) != 0 && strncmp(cols[1], "val:", 4) != 0 &&
        strncmp(cols[1], "hold:", 5) != 0)
        rc->dict->ngram_count = rc->dict->count;
    return STANCE_OK;
}

int feature_dict_read(feature_dict *dict, const char *path, size_t expected_count,
                      stance_error *err)
{
    memset(dict, 0, sizeof *dict);
    read_ctx rc = {.dict = dict};
    int status = lexicon_read(path, 3, 3, read_feature, &rc, NULL, err);
    if (status == STANCE_OK && dict->count != expected_count)
        status = stance_error_set(err, STANCE_E_MODEL, path,
                                  "holds %zu features, model.conf says %zu", dict->count,
                                  expected_count);
    if (status == STANCE_OK && dict->count != dict->ngram_count + FEATURES_EXTRA_COUNT)
        status = stance_error_set(err, STANCE_E_MODEL, path,
                                  "expected %d lexicon features (cues, tone, holders) after the n-grams",
                                  FEATURES_EXTRA_COUNT);
    if (status != STANCE_OK)
        feature_dict_free(dict);
    return status;
}

void feature_dict_free(feature_dict *dict)
{
    for (size_t i = 0; i < dict->count; i++)
        free(dict->names[i]);
    free(dict->names);
    free(dict->weights);
    strmap_free(&dict->index);
    memset(dict, 0, sizeof *dict);
}
