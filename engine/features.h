/* features.h - from text to weighted sparse feature vectors.
 *
 * Tokens are case-folded and Snowball-stemmed (numbers become "#"); word
 * n-grams over the stems, in the configured range, are looked up in a feature
 * dictionary built at training time, weighted (binary, log tf or tf-idf) and
 * optionally L2-normalised. Character n-grams, when configured, are taken
 * within each folded (unstemmed) word padded with ^ and $ ("c:^tal", "c:ban$"),
 * counted in code points, weighted the same way and L2-normalised as a block
 * of their own, so that their number does not drown the word n-grams. Ten lexicon features follow them, each
 * log(1 + count) times the configured cue weight: the counts of engagement,
 * caution and opposition cues, plain and negated, and of positive and
 * negative valence words (VADER's list with our news corrections; a negated
 * word counts with the other sign), anywhere and within
 * FEATURES_TARGET_WINDOW tokens of a name of the Taliban. Eight holder
 * features say what attribution found for the unit (unit_context): whether a
 * state or body holds a stance in it, whether that holder was resolved from
 * an earlier sentence, whether the target is its only agent, whether
 * someone speaks, and who said a quote.
 */
#ifndef STANCE_FEATURES_H
#define STANCE_FEATURES_H

#include <stddef.h>

#include "lexicon.h"
#include "stance.h"
#include "stem.h"
#include "strmap.h"
#include "tokens.h"

#define FEATURES_CUE_COUNT (2 * LEXICON_CUE_CLASSES + 4)
#define FEATURES_HOLDER_COUNT 8
/* The features after the n-grams: lexicon cues and valence, then holders. */
#define FEATURES_EXTRA_COUNT (FEATURES_CUE_COUNT + FEATURES_HOLDER_COUNT)
/* Tone counts weigh this much of a cue, so that tone informs the stance
 * without deciding it. */
#define FEATURES_TONE_SHARE 0.5
#define FEATURES_TARGET_WINDOW 5
/* The longest character n-gram. */
#define FEATURES_CHAR_MAX STANCE_CHAR_NGRAM_MAX

typedef struct {
    char *stemmer;
    int ngram_min, ngram_max;
    int char_min, char_max; /* character n-grams; 0 0 for none */
    int char_text;          /* 1: across words (the text's words joined by spaces),
                             * 0: within each word */
    stance_weighting weighting;
    int l2_normalise;
    double cue_weight;
} feature_config;

/* The feature dictionary: ids are 1-based as libsvm wants them. */
typedef struct {
    strmap index;   /* feature name -> id */
    char **names;   /* names[id - 1] */
    double *weights; /* idf of an n-gram; the cue weight of a cue feature */
    size_t count;   /* all features, n-grams first, then the cue features */
    size_t ngram_count;
} feature_dict;

typedef struct {
    unsigned id;
    double value;
} feature_value;

/* What attribution found for a unit, for the holder features. */
typedef struct {
    unsigned char holders;  /* a state or body holds a stance in the unit */
    unsigned char resolved; /* ... found in an earlier sentence, or the statement's issuer */
    unsigned char target;   /* the unit names the target */
    unsigned char speaks;   /* a speech verb or an attributed quote */
    unsigned char quote;    /* the unit is a quote */
    unsigned char official; /* a quote by an official of a state or body */
    unsigned char taliban;  /* a quote by a Taliban official */
} unit_context;

/* Per-thread extraction state. */
typedef struct feature_extractor feature_extractor;

feature_extractor *features_new(const feature_config *config, const cue_lexicon *lex,
                                stance_error *err);
void features_free(feature_extractor *fx);

/* The analysis of the last text features_vector or features_each_ngram saw:
 * its tokens, their stems and folded forms, and negation[i] (0 plain, 1
 * within a negator's scope, 2 the negator itself). Borrowed until the next
 * call on fx. */
typedef struct {
    const token_list *tokens;
    const word_seq *stems;
    const word_seq *words;
    const unsigned char *negation;
} feature_analysis;

feature_analysis features_last_analysis(const feature_extractor *fx);

/* Calls fn once for every distinct n-gram of s[start..end). */
void features_each_ngram(feature_extractor *fx, const char *s, size_t start, size_t end,
                         void (*fn)(void *ctx, const char *gram, size_t len), void *ctx);

/* The weighted vector of s[start..end), sorted by id, with the holder
 * features of ctx (none when ctx is NULL). Borrowed: valid until the next
 * call on fx. */
const feature_value *features_vector(feature_extractor *fx, const feature_dict *dict,
                                     const char *s, size_t start, size_t end,
                                     const unit_context *ctx, size_t *count);

/* The same for the tokens [first, last) of a whole article's token list
 * (the article view attribution built), which are not tokenised again;
 * tokens stays borrowed until the next call on fx. */
const feature_value *features_vector_tokens(feature_extractor *fx, const feature_dict *dict,
                                            const token_list *tokens, size_t first, size_t last,
                                            const unit_context *ctx, size_t *count);

/* Whether s[start..end) names the target (a phrase of target.txt). */
int features_names_target(feature_extractor *fx, const char *s, size_t start, size_t end);

/* Builds a dictionary from texts: n-grams found in at least min_df of them,
 * sorted by name, with smoothed idf; then the cue and holder features. */
void feature_dict_build(feature_dict *dict, feature_extractor *fx, char *const *texts,
                        size_t count, int min_df, double cue_weight);

/* Writes features.tsv; returns STANCE_E_IO with err filled on failure. */
int feature_dict_write(const feature_dict *dict, const char *path, stance_error *err);
/* Reads and checks features.tsv: header, ids in order, finite weights, and
 * exactly expected_count features. */
int feature_dict_read(feature_dict *dict, const char *path, size_t expected_count,
                      stance_error *err);
void feature_dict_free(feature_dict *dict);

const char *features_weighting_name(stance_weighting w);
/* Returns 0 and sets *w, or -1 for an unknown name. */
int features_weighting_parse(const char *name, stance_weighting *w);

#endif
