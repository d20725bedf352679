/* stance.h - the public interface of libstance.
 *
 * libstance reads news text and scores, for every paragraph, its stance toward
 * the Taliban (labels of the model, by default engagement, caution,
 * opposition, neutral) with class probabilities from a libsvm model.
 *
 * Ownership: non-const pointers returned by a function are the caller's and
 * are released with the matching *_free function (all accept NULL); const
 * pointers are borrowed from the handle they came from and stay valid while
 * it lives. Functions that can fail return 0 or a negative stance_status and
 * fill the optional stance_error. The library never exits and never writes to
 * stdout or stderr on its own.
 */
#ifndef STANCE_H
#define STANCE_H

#include <stddef.h>
#include <stdio.h>

#define STANCE_VERSION "0.1.0"

typedef enum {
    STANCE_OK = 0,
    STANCE_E_USAGE = -1, /* a bad option or argument */
    STANCE_E_INPUT = -2, /* unreadable, empty, binary or malformed input */
    STANCE_E_MODEL = -3, /* a missing, damaged or mismatched model */
    STANCE_E_IO = -4     /* a write that failed */
} stance_status;

/* An error: what went wrong (message) and about which file (where, a path or
 * path:line, may be NULL). Both strings are owned by the struct. */
typedef struct {
    int code;
    char *where;
    char *message;
} stance_error;

/* Fills err (if not NULL) and returns code. */
int stance_error_set(stance_error *err, int code, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Frees the strings of err and zeroes it. */
void stance_error_clear(stance_error *err);

/* ---- text ---------------------------------------------------------------- */

/* An article's bytes exactly as read. Invalid UTF-8 is kept in place (offsets
 * stay true to the input) and read as U+FFFD by every later stage. */
typedef struct {
    char *path;           /* as given; "-" for standard input */
    char *bytes;          /* NUL-terminated copy of the input */
    size_t len;
    size_t invalid_bytes; /* bytes that are not valid UTF-8 */
    size_t first_invalid; /* offset of the first of them */
} stance_text;

/* Reads a regular file, or standard input when path is "-". Refuses missing,
 * unreadable, non-regular, empty, whitespace-only and binary (NUL bytes or
 * mostly invalid UTF-8) input with STANCE_E_INPUT. */
int stance_text_read(const char *path, stance_text **out, stance_error *err);
/* Same checks on bytes already in memory; name is used in messages. */
int stance_text_from_memory(const char *name, const char *bytes, size_t len, stance_text **out,
                            stance_error *err);
void stance_text_free(stance_text *text);

/* ---- model ----------------------------------------------------------------- */

typedef struct stance_model stance_model;

/* Loads and checks a model directory (model.conf, features.tsv, model.svm)
 * and the lexicons it was trained with, found in lexicon_dir. Every file is
 * checked against the checksums in model.conf before libsvm reads it. */
int stance_model_load(const char *dir, const char *lexicon_dir, stance_model **out,
                      stance_error *err);
void stance_model_free(stance_model *model);
size_t stance_model_label_count(const stance_model *model);
const char *stance_model_label(const stance_model *model, size_t i);
/* The value of a model.conf key, or NULL. */
const char *stance_model_setting(const stance_model *model, const char *key);

/* ---- scoring ----------------------------------------------------------------- */

/* Per-thread scoring state (stemmer, caches, buffers) over a shared model. */
typedef struct stance_scorer stance_scorer;

stance_scorer *stance_scorer_new(const stance_model *model, stance_error *err);
void stance_scorer_free(stance_scorer *scorer);

/* With n > 0, every unit scored afterwards carries an explanation: the n
 * features that pushed it most toward its stance, and its tone cues. */
void stance_scorer_set_explain(stance_scorer *scorer, size_t n);

typedef struct {
    char *feature; /* as in features.tsv: stems of an n-gram, or cue:... / val:... */
    double weight; /* its contribution toward the unit's stance */
} stance_feature_weight;

typedef struct {
    size_t start, end;   /* byte offsets of the cue in the input */
    double contribution; /* its signed share of the sentiment, before normalisation */
} stance_tone_cue;

/* The groups of features whose summed contributions an explanation gives:
 * word n-grams, stance cues (cue:...), tone (val:...) and holders (hold:...). */
enum { STANCE_GROUP_NGRAMS, STANCE_GROUP_CUES, STANCE_GROUP_TONE, STANCE_GROUP_HOLDERS,
       STANCE_GROUP_COUNT };
extern const char *const stance_group_names[STANCE_GROUP_COUNT];

typedef struct {
    stance_feature_weight *features; /* most pushing first */
    size_t feature_count;
    double groups[STANCE_GROUP_COUNT]; /* summed contribution of every feature of each group */
    stance_tone_cue *cues;           /* in text order */
    size_t cue_count;
} stance_explanation;

typedef enum { STANCE_UNIT_PARAGRAPH, STANCE_UNIT_QUOTE } stance_unit_kind;

typedef struct {
    stance_unit_kind kind;
    size_t number;          /* paragraph index (0-based) or quote number (1-based) */
    size_t paragraph;       /* index of the paragraph that holds the unit */
    size_t start, end;      /* byte offsets of the unit's text in the input */
    char *speaker;          /* NULL when unknown or not a quote */
    char *speaker_country;  /* NULL when unknown */
    char **holders;         /* holder countries and bodies (display names) */
    char **holder_codes;    /* their ISO 3166 alpha-2 codes, or the bodies' short names */
    size_t holder_count;
    size_t label;           /* index of the most probable label */
    double *probs;          /* one per model label, summing to 1 */
    int has_sentiment;      /* 1 once sentiment is scored */
    double sentiment;       /* tone in [-1, 1] */
    stance_explanation *explain; /* NULL unless asked for */
} stance_unit;

typedef struct {
    const stance_text *text; /* borrowed */
    stance_unit *units;
    size_t unit_count;
    size_t paragraph_count;
    size_t quote_count;
    /* NULL, or why every unit is neutral: the article never names the
     * target, so it holds no stance toward it. Static text. */
    const char *neutral_reason;
} stance_doc;

/* Segments and scores one article. The doc borrows text, which must outlive it. */
int stance_score_text(stance_scorer *scorer, const stance_text *text, stance_doc **out,
                      stance_error *err);
void stance_doc_free(stance_doc *doc);

/* ---- per-country summaries ------------------------------------------------------ */

/* Per holder: articles, units, units per label, summed probabilities per
 * label and summed sentiment. Sums rather than means, held in fixed point
 * (1e-9), so that merging shards gives exactly the single-run result. */
typedef struct stance_summary stance_summary;

stance_summary *stance_summary_new(size_t label_count, const char *const *labels);
/* An empty summary over the labels of model. */
stance_summary *stance_summary_for_model(const stance_model *model);
void stance_summary_free(stance_summary *summary);

/* Adds every unit with holders to their rows; each holder's article count
 * grows by one per doc it appears in. doc must come from a model with the
 * summary's labels. */
void stance_summary_add_doc(stance_summary *summary, const stance_doc *doc);

/* Adds the rows of from into into; the label lists must be equal. */
int stance_summary_merge(stance_summary *into, const stance_summary *from, stance_error *err);

/* Reads a summary CSV as written by stance_write_summary. */
int stance_summary_read_csv(const char *path, stance_summary **out, stance_error *err);

size_t stance_summary_row_count(const stance_summary *summary);

/* ---- output ------------------------------------------------------------------ */

typedef enum { STANCE_FORMAT_TEXT, STANCE_FORMAT_JSON, STANCE_FORMAT_CSV } stance_format;

typedef struct {
    stance_format format;
    int width;              /* text: wrap paragraphs to this many columns */
    const char *model_name; /* shown in text and JSON output */
    const stance_summary *countries; /* the article's summary, shown in text and JSON */
} stance_write_options;

/* Writes a scored article. CSV output starts with its header line. Returns
 * STANCE_E_IO when the stream reports an error. */
int stance_write_doc(FILE *out, const stance_doc *doc, const stance_model *model,
                     const stance_write_options *options, stance_error *err);

/* Writes the units of doc as CSV rows without the header line. */
int stance_write_csv_rows(FILE *out, const stance_doc *doc, const stance_model *model,
                          stance_error *err);
/* Writes the CSV header of units for model's labels. */
int stance_write_csv_header(FILE *out, const stance_model *model, stance_error *err);

/* Writes a summary as CSV (header and one row per holder, sorted by name),
 * as a text table, or as a JSON array. */
int stance_write_summary(FILE *out, const stance_summary *summary, stance_format format,
                         stance_error *err);

/* ---- batch scoring -------------------------------------------------------------- */

typedef struct {
    size_t files_total;   /* regular files in the shard (known before scoring starts) */
    size_t bytes_total;
    size_t files_done;    /* scored or failed so far */
    size_t files_failed;
    size_t units;
    size_t bytes_done;
    size_t skipped_hidden, skipped_loops, skipped_broken, skipped_other;
    size_t unreadable_dirs; /* directories below DIR that could not be listed: failures */
} stance_batch_stats;

typedef struct {
    const char *dir;
    int threads;            /* worker threads (at least 1); output does not depend on it */
    unsigned shard, shards; /* with shards > 0: only files whose relative path hashes to
                               shard - 1 modulo shards */
    FILE *units;            /* receives the CSV header and every unit, in path order */
    stance_summary *summary; /* receives every scored article; may be NULL */
    const char *const *exclude; /* files never scored (the run's own outputs), by identity */
    size_t exclude_count;
    /* Called in path order from the calling thread: a file that failed, and
     * progress after each file. Either may be NULL. */
    void (*on_error)(void *ctx, const char *path, const char *message);
    void (*on_progress)(void *ctx, const stance_batch_stats *stats);
    void *ctx;
} stance_batch_options;

/* Scores every regular file under o->dir (recursively, sorted by path,
 * hidden files skipped) with worker threads, writing units in path order.
 * A file that cannot be read or is not text is reported through on_error,
 * counted in files_failed and skipped; it never stops the others. Returns an
 * error only when the run itself cannot proceed (no such directory, a write
 * that fails). Memory stays bounded whatever the number of files. */
int stance_batch_run(const stance_model *model, const stance_batch_options *o,
                     stance_batch_stats *stats, stance_error *err);

/* Whether a relative path falls in shard (1-based) of shards: a stable
 * FNV-1a hash of the path, modulo shards. */
int stance_batch_in_shard(const char *relative, unsigned shard, unsigned shards);

/* ---- labeled data, training and evaluation ------------------------------------ */

typedef struct {
    char *path;
    char **labels; /* one per example */
    char **texts;  /* unescaped */
    char **docs;   /* the `doc` column: rows of one article share it; NULL entries (or a
                    * NULL array, for data built in memory) when absent */
    unsigned char *quote; /* the `kind` column says quote; may be NULL with docs */
    size_t *lines;        /* the line of the file each example is on */
    size_t count;
} stance_dataset;

/* Reads UTF-8 TSV with a header whose first two columns are label and text;
 * \t, \n and \\ in text are unescaped. Of further columns, `doc` (an
 * article id, its paragraph rows in order) and `kind` (paragraph or quote)
 * let training rebuild each row's article for its holder features; the
 * others are ignored. */
int stance_dataset_read(const char *path, stance_dataset **out, stance_error *err);
void stance_dataset_free(stance_dataset *data);

typedef enum { STANCE_WEIGHT_BINARY, STANCE_WEIGHT_LOGTF, STANCE_WEIGHT_TFIDF } stance_weighting;
/* The longest character n-gram stance train accepts. */
#define STANCE_CHAR_NGRAM_MAX 8

typedef enum { STANCE_TARGET_AUTO, STANCE_TARGET_ON, STANCE_TARGET_OFF } stance_target_features;

typedef struct {
    const char *lexicon_dir;  /* where the cue lexicons are read from */
    const char *stemmer;      /* Snowball language, "english" by default */
    int ngram_min, ngram_max; /* word n-gram range, 1..2 by default */
    int char_min, char_max;   /* character n-grams, none (0 0) by default */
    int char_text;            /* character n-grams across words (1) or within them (0) */
    /* The lexicon and holder features, which speak of the Taliban: on, off,
     * or (the default) on only when some row names the target. */
    stance_target_features target_features;
    int min_df;               /* drop n-grams seen in fewer examples */
    stance_weighting weighting;
    int l2_normalise;
    double cue_weight;        /* scale of the lexicon cue features */
    int folds;                /* K of the K-fold cross-validation */
    unsigned seed;            /* for fold shuffling and libsvm's probability estimates */
    int threads;              /* cross-validation threads; results do not depend on it */
    /* Optional progress lines (the library does not print them itself). */
    void (*log)(void *ctx, const char *line);
    void *log_ctx;
} stance_train_options;

/* Fills the defaults documented above. */
void stance_train_options_init(stance_train_options *options);

/* A confusion matrix over labels, with the scores derived from it. */
typedef struct {
    size_t label_count;
    char **labels;
    size_t *confusion;  /* [gold * label_count + predicted] */
    size_t total;
    double *precision, *recall, *f1;
    double macro_f1, accuracy;
} stance_metrics;

stance_metrics *stance_metrics_new(size_t label_count, char *const *labels);
void stance_metrics_add(stance_metrics *m, size_t gold, size_t predicted);
/* Computes precision, recall, F1, macro-F1 and accuracy from the counts. */
void stance_metrics_finish(stance_metrics *m);
/* Prints the scores and confusion matrix as a readable table. */
int stance_metrics_write(FILE *out, const stance_metrics *m);
void stance_metrics_free(stance_metrics *m);

/* Selects C and class weighting by K-fold cross-validation, trains the final
 * model with probability estimates and writes the model directory. On success
 * *cv (if not NULL) receives the cross-validated metrics of the chosen setting. */
int stance_train(const stance_dataset *data, const stance_train_options *options,
                 const char *model_dir, stance_metrics **cv, stance_error *err);

/* Scores every example of data with model. Labels the model does not know
 * are refused with STANCE_E_INPUT. When predicted is not NULL it receives
 * the label index given to each example, and probs (when not NULL) its
 * label_count probabilities, example after example. */
int stance_evaluate(const stance_model *model, const stance_dataset *data, size_t *predicted,
                    double *probs, stance_metrics **out, stance_error *err);

#endif
