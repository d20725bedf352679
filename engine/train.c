/* train.c - `stance train`: features, cross-validated model selection, the final model. */
#include "stance.h"
#include "alloc.h"
#include "attribute.h"
#include "context.h"
#include "features.h"
#include "lexicon.h"
#include "model.h"

#include <stdint.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The cost grid searched by cross-validation, smallest first so that ties
 * go to the simpler model. */
static const double cost_grid[] = {0.1, 0.3, 1, 3, 10, 30};
#define COST_GRID_SIZE (sizeof cost_grid / sizeof cost_grid[0])

static const char *const stance_labels[] = {"engagement", "caution", "opposition", "neutral"};

void stance_train_options_init(stance_train_options *o)
{
    memset(o, 0, sizeof *o);
    o->lexicon_dir = "lexicons";
    o->stemmer = "english";
    o->ngram_min = 1;
    o->ngram_max = 2;
    o->min_df = 2;
    o->weighting = STANCE_WEIGHT_TFIDF;
    o->l2_normalise = 1;
    o->cue_weight = 0.5;
    o->folds = 5;
    o->seed = 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->threads = cpus > 0 ? (int)cpus : 1;
}

static void logf_(const stance_train_options *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void logf_(const stance_train_options *o, const char *fmt, ...)
{
    if (!o->log)
        return;
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    o->log(o->log_ctx, line);
}

/* The distinct labels of data: the four stance labels in their usual order
 * when that is the set, otherwise in order of first appearance. */
static char **collect_labels(const stance_dataset *data, size_t *count)
{
    char **labels = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < data->count; i++) {
        size_t j = 0;
        while (j < n && strcmp(labels[j], data->labels[i]) != 0)
            j++;
        if (j == n) {
            grow_array((void **)&labels, &cap, n + 1, sizeof *labels);
            labels[n++] = data->labels[i];
        }
    }
    if (n == 4) {
        size_t found = 0;
        for (size_t s = 0; s < 4; s++)
            for (size_t j = 0; j < n; j++)
                found += strcmp(labels[j], stance_labels[s]) == 0;
        if (found == 4)
            for (size_t s = 0; s < 4; s++)
                labels[s] = (char *)stance_labels[s];
    }
    *count = n;
    return labels;
}

static stance_metrics *score_folds(char **labels, size_t k, const int *gold, const int *pred,
                                   size_t n)
{
    stance_metrics *m = stance_metrics_new(k, labels);
    for (size_t i = 0; i < n; i++)
        stance_metrics_add(m, (size_t)gold[i], (size_t)pred[i]);
    stance_metrics_finish(m);
    return m;
}

/* Stratified fold assignment: the examples of each class are shuffled
 * (xorshift seeded with seed, so the split is reproducible) and dealt to the
 * folds in turn. */
static int *assign_folds(const int *y, size_t n, size_t k, int fold_count, unsigned seed)
{
    int *folds = xcalloc(n ? n : 1, sizeof *folds);
    size_t *order = xcalloc(n ? n : 1, sizeof *order);
    uint64_t state = 0x9E3779B97F4A7C15ULL ^ seed;
    size_t dealt = 0;
    for (size_t c = 0; c < k; c++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if ((size_t)y[i] == c)
                order[m++] = i;
        for (size_t i = m; i > 1; i--) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            size_t j = (size_t)(state % i);
            size_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        for (size_t i = 0; i < m; i++)
            folds[order[i]] = (int)(dealt++ % (size_t)fold_count);
    }
    free(order);
    return folds;
}

/* The cross-validation jobs of one setting (one per fold), shared by the
 * worker threads. */
typedef struct {
    const model_problem *problem;
    const int *folds;
    int fold_count;
    const double *balanced;
    int *predictions; /* settings x n */
    size_t setting; /* the setting of this round: its folds are the jobs */
    size_t n, jobs, next;
    pthread_mutex_t lock;
    int rc;
    stance_error err;
} cv_run;

static void *cv_worker(void *arg)
{
    cv_run *run = arg;
    for (;;) {
        pthread_mutex_lock(&run->lock);
        size_t job = run->rc == STANCE_OK && run->next < run->jobs ? run->next++ : run->jobs;
        pthread_mutex_unlock(&run->lock);
        if (job == run->jobs)
            return NULL;
        size_t setting = run->setting;
        int fold = (int)job;
        stance_error err = {0};
        int rc = model_fold_predict(run->problem, run->folds, fold,
                                    cost_grid[setting % COST_GRID_SIZE],
                                    setting >= COST_GRID_SIZE ? run->balanced : NULL,
                                    run->predictions + setting * run->n, &err);
        if (rc != STANCE_OK) {
            pthread_mutex_lock(&run->lock);
            if (run->rc == STANCE_OK) {
                run->rc = rc;
                run->err = err;
            } else {
                stance_error_clear(&err);
            }
            pthread_mutex_unlock(&run->lock);
        }
    }
}

/* Runs the folds of run's setting on threads threads. */
static int run_round(cv_run *run, int threads, stance_error *err)
{
    pthread_t *tids = xcalloc((size_t)threads, sizeof *tids);
    int started = 0;
    for (int t = 1; t < threads; t++)
        if (pthread_create(&tids[t], NULL, cv_worker, run) == 0)
            started = t;
        else
            break;
    cv_worker(run);
    for (int t = 1; t <= started; t++)
        pthread_join(tids[t], NULL);
    free(tids);
    int rc = run->rc;
    if (rc != STANCE_OK && err)
        *err = run->err;
    else
        stance_error_clear(&run->err);
    return rc;
}

int stance_train(const stance_dataset *data, const stance_train_options *o,
                 const char *model_dir, stance_metrics **cv_out, stance_error *err)
{
    if (cv_out)
        *cv_out = NULL;
    if (o->folds < 2)
        return stance_error_set(err, STANCE_E_USAGE, NULL, "--folds must be at least 2");
    if ((size_t)o->folds > data->count)
        return stance_error_set(err, STANCE_E_INPUT, data->path,
                                "%zu examples cannot make %d folds", data->count, o->folds);
    if (o->ngram_min < 1 || o->ngram_max < o->ngram_min || o->ngram_max > 5)
        return stance_error_set(err, STANCE_E_USAGE, NULL,
                                "the n-gram range must satisfy 1 <= min <= max <= 5");
    size_t k;
    char **labels = collect_labels(data, &k);
    if (k < 2) {
        free(labels);
        return stance_error_set(err, STANCE_E_INPUT, data->path,
                                "needs at least two different labels, found %zu", k);
    }
    if (o->char_min < 0 || o->char_max < o->char_min || o->char_max > FEATURES_CHAR_MAX ||
        (o->char_min == 0) != (o->char_max == 0))
        return stance_error_set(err, STANCE_E_USAGE, NULL,
                                "the character n-gram range must satisfy 1 <= min <= max <= %d",
                                FEATURES_CHAR_MAX);
    feature_config config = {.stemmer = (char *)o->stemmer, .ngram_min = o->ngram_min,
                             .ngram_max = o->ngram_max, .char_min = o->char_min, .char_text = o->char_text,
                             .char_max = o->char_max, .weighting = o->weighting,
                             .l2_normalise = o->l2_normalise, .cue_weight = o->cue_weight};
    stemmer *st = stem_new(o->stemmer, err);
    cue_lexicon *lex = st ? cue_lexicon_load(o->lexicon_dir, st, err) : NULL;
    stem_free(st);
    feature_extractor *fx = lex ? features_new(&config, lex, err) : NULL;
    if (!fx) {
        cue_lexicon_free(lex);
        free(labels);
        return err ? err->code : STANCE_E_INPUT;
    }

    attribute_resources *res = attribute_resources_load(o->lexicon_dir, err);
    if (!res) {
        features_free(fx);
        cue_lexicon_free(lex);
        free(labels);
        return err ? err->code : STANCE_E_INPUT;
    }
    size_t n = data->count;
    unit_context *contexts = xcalloc(n + 1, sizeof *contexts);
    context_of_rows(res, data, contexts);
    /* Cue and holder features speak of the Taliban: a model of another
     * target is better without them. */
    int target_features = o->target_features == STANCE_TARGET_ON;
    for (size_t i = 0; o->target_features == STANCE_TARGET_AUTO && i < n && !target_features; i++)
        target_features = features_names_target(fx, data->texts[i], 0, strlen(data->texts[i]));
    if (!target_features) {
        config.cue_weight = 0;
        logf_(o, "lexicon and holder features off (%s)",
              o->target_features == STANCE_TARGET_OFF ? "--target-features off"
                                                      : "no row names the target");
    }
    feature_dict dict;
    feature_dict_build(&dict, fx, data->texts, n, o->min_df, config.cue_weight);
    logf_(o, "%zu examples, %zu labels, %zu features", n, k, dict.count);

    feature_value **rows = xcalloc(n, sizeof *rows);
    size_t *lengths = xcalloc(n, sizeof *lengths);
    int *y = xcalloc(n, sizeof *y);
    size_t *per_label = xcalloc(k, sizeof *per_label);
    for (size_t i = 0; i < n; i++) {
        const feature_value *v = features_vector(fx, &dict, data->texts[i], 0,
                                                 strlen(data->texts[i]), &contexts[i],
                                                 &lengths[i]);
        rows[i] = xmalloc((lengths[i] + 1) * sizeof **rows);
        if (lengths[i])
            memcpy(rows[i], v, lengths[i] * sizeof **rows);
        size_t c = 0;
        while (strcmp(labels[c], data->labels[i]) != 0)
            c++;
        y[i] = (int)c;
        per_label[c]++;
    }
    model_problem *mp = model_problem_new((const feature_value *const *)rows, lengths, y, n, k,
                                          o->threads < 1 ? 1 : o->threads);
    double *balanced = xcalloc(k, sizeof *balanced);
    for (size_t c = 0; c < k; c++)
        balanced[c] = (double)n / ((double)k * (double)per_label[c]);

    int *folds = assign_folds(y, n, k, o->folds, o->seed);
    size_t settings = 2 * COST_GRID_SIZE;
    int *predictions = xcalloc(settings * n, sizeof *predictions);
    cv_run run = {.problem = mp, .folds = folds, .fold_count = o->folds, .balanced = balanced,
                  .predictions = predictions, .n = n, .rc = STANCE_OK};
    pthread_mutex_init(&run.lock, NULL);
    int threads = o->threads < 1 ? 1 : o->threads;

    /* C ascends through the grid and stops at the first value that scores
     * below the best so far (cross-validated macro-F1 rises, may plateau,
     * then falls as C grows; the large values are the slow ones); balanced
     * class weights are then tried at the chosen C. */
    double best_f1 = -1;
    int best_balanced = 0;
    stance_metrics *best = NULL;
    int rc = STANCE_OK;
    size_t best_setting = 0;
    for (size_t step = 0; step <= COST_GRID_SIZE && rc == STANCE_OK; step++) {
        size_t s = step < COST_GRID_SIZE ? step : COST_GRID_SIZE + best_setting;
        run.setting = s;
        run.jobs = (size_t)o->folds;
        run.next = 0;
        rc = run_round(&run, threads, err);
        if (rc != STANCE_OK)
            break;
        double c = cost_grid[s % COST_GRID_SIZE];
        int b = s >= COST_GRID_SIZE;
        stance_metrics *m = score_folds(labels, k, y, predictions + s * n, n);
        logf_(o, "C %-5g class weights %-8s  cross-validated macro-F1 %.4f  accuracy %.4f", c,
              b ? "balanced" : "none", m->macro_f1, m->accuracy);
        int better = m->macro_f1 > best_f1 + 1e-12, worse = m->macro_f1 < best_f1 - 1e-12;
        if (better) {
            best_f1 = m->macro_f1;
            best_balanced = b;
            best_setting = s % COST_GRID_SIZE;
            stance_metrics_free(best);
            best = m;
        } else {
            stance_metrics_free(m);
        }
        if (worse && step < COST_GRID_SIZE)
            step = COST_GRID_SIZE - 1; /* on to the class weights */
    }
    pthread_mutex_destroy(&run.lock);
    free(folds);
    free(predictions);
    if (rc == STANCE_OK) {
        double best_c = cost_grid[best_setting];
        logf_(o, "chosen: C %g, class weights %s; training the final model", best_c,
              best_balanced ? "balanced" : "none");
        model_training_info info = {.c = best_c, .balanced = best_balanced, .folds = o->folds,
                                    .seed = o->seed, .examples = n,
                                    .cv_macro_f1 = best->macro_f1, .cv_accuracy = best->accuracy};
        rc = model_train_write(mp, best_balanced ? balanced : NULL, labels, &config, &dict, lex,
                               res, &info, model_dir, err);
    }
    if (rc == STANCE_OK && cv_out)
        *cv_out = best;
    else
        stance_metrics_free(best);

    model_problem_free(mp);
    for (size_t i = 0; i < n; i++)
        free(rows[i]);
    free(rows);
    free(lengths);
    free(contexts);
    free(y);
    free(per_label);
    free(balanced);
    free(labels);
    feature_dict_free(&dict);
    features_free(fx);
    cue_lexicon_free(lex);
    attribute_resources_free(res);
    return rc;
}
