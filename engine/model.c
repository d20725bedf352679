#include "model.h"
#include "attribute.h"
#include "alloc.h"
#include "gram.h"
#include "svmfile.h"
#include "strmap.h"

#include <errno.h>
#include <libsvm/svm.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MODEL_FORMAT "stance-model 1"

struct stance_model {
    char *dir;
    char **keys, **values; /* model.conf as read */
    size_t setting_count;
    char **labels;
    size_t label_count;
    feature_config config;
    feature_dict dict;
    cue_lexicon *lex;
    attribute_resources *attribution;
    svm_linear svm; /* model.svm, its support vectors collapsed per class pair */
};

/* ---- checksums ------------------------------------------------------------------ */

static int file_checksum(const char *path, uint64_t *out, stance_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return stance_error_set(err, STANCE_E_MODEL, path, "cannot open: %s", strerror(errno));
    uint64_t h = HASH_SEED;
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = hash_bytes_from(h, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return stance_error_set(err, STANCE_E_MODEL, path, "read error");
    *out = h;
    return STANCE_OK;
}

static void path_join(strbuf *sb, const char *dir, const char *name)
{
    strbuf_reset(sb);
    strbuf_addf(sb, "%s/%s", dir, name);
}

/* ---- writing ----------------------------------------------------------------------- */

static void silent_print(const char *s)
{
    (void)s;
}

static int rename_into_place(const char *tmp, const char *final, stance_error *err)
{
    if (rename(tmp, final) != 0) {
        remove(tmp);
        return stance_error_set(err, STANCE_E_IO, final, "cannot rename into place: %s",
                                strerror(errno));
    }
    return STANCE_OK;
}

static void join_list(strbuf *sb, const char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        strbuf_addf(sb, "%s%s", i ? "," : "", items[i]);
}

static int model_write(const char *dir, const struct svm_model *svm_model, char *const *labels,
                       size_t label_count, const feature_config *config,
                       const feature_dict *dict, const cue_lexicon *lex,
                       const attribute_resources *attr, const model_training_info *info,
                       stance_error *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return stance_error_set(err, STANCE_E_IO, dir, "cannot create directory: %s",
                                strerror(errno));
    strbuf tmp = {0}, final = {0}, conf = {0};
    uint64_t svm_sum = 0, features_sum = 0;
    int rc = STANCE_OK;

    path_join(&tmp, dir, "model.svm.tmp");
    path_join(&final, dir, "model.svm");
    if (svm_save_model(tmp.data, svm_model) != 0) {
        rc = stance_error_set(err, STANCE_E_IO, tmp.data, "cannot write the libsvm model");
        goto done;
    }
    if ((rc = file_checksum(tmp.data, &svm_sum, err)) != STANCE_OK ||
        (rc = rename_into_place(tmp.data, final.data, err)) != STANCE_OK)
        goto done;

    path_join(&tmp, dir, "features.tsv.tmp");
    path_join(&final, dir, "features.tsv");
    if ((rc = feature_dict_write(dict, tmp.data, err)) != STANCE_OK ||
        (rc = file_checksum(tmp.data, &features_sum, err)) != STANCE_OK ||
        (rc = rename_into_place(tmp.data, final.data, err)) != STANCE_OK)
        goto done;

    strbuf_addf(&conf, "# stance model, written by `stance train`: retrain rather than edit,\n"
                       "# the checksums below refuse any change to this directory.\n");
    strbuf_addf(&conf, "format = %s\nstance_version = %s\nlabels = ", MODEL_FORMAT, STANCE_VERSION);
    join_list(&conf, (const char *const *)labels, label_count);
    strbuf_addf(&conf, "\nstemmer = %s\nngram_min = %d\nngram_max = %d\nweighting = %s\n",
                config->stemmer, config->ngram_min, config->ngram_max,
                features_weighting_name(config->weighting));
    strbuf_addf(&conf, "char_ngram_min = %d\nchar_ngram_max = %d\n", config->char_min,
                config->char_max);
    if (config->char_text)
        strbuf_adds(&conf, "char_ngram_span = text\n");
    strbuf_addf(&conf, "l2_normalise = %d\ncue_weight = %.17g\nlexicons = ",
                config->l2_normalise, config->cue_weight);
    join_list(&conf, lex->file_names, LEXICON_FILE_COUNT);
    strbuf_adds(&conf, "\nlexicon_checksums = ");
    for (size_t i = 0; i < LEXICON_FILE_COUNT; i++)
        strbuf_addf(&conf, "%s%016llx", i ? "," : "", (unsigned long long)lex->checksums[i]);
    strbuf_adds(&conf, "\nattribution = ");
    join_list(&conf, attribute_file_names, ATTRIBUTE_FILE_COUNT);
    strbuf_adds(&conf, "\nattribution_checksums = ");
    for (size_t i = 0; i < ATTRIBUTE_FILE_COUNT; i++)
        strbuf_addf(&conf, "%s%016llx", i ? "," : "",
                    (unsigned long long)attribute_checksums(attr)[i]);
    strbuf_addf(&conf, "\nfeatures = %zu\nfeatures_checksum = %016llx\nsvm_checksum = %016llx\n",
                dict->count, (unsigned long long)features_sum, (unsigned long long)svm_sum);
    strbuf_addf(&conf, "c = %.17g\nclass_weights = %s\nfolds = %d\nseed = %u\nexamples = %zu\n",
                info->c, info->balanced ? "balanced" : "none", info->folds, info->seed,
                info->examples);
    strbuf_addf(&conf, "cv_macro_f1 = %.4f\ncv_accuracy = %.4f\n", info->cv_macro_f1,
                info->cv_accuracy);
    /* Last, the checksum of every byte above it: an edited label order or
     * setting would silently change every prediction. */
    strbuf_addf(&conf, "conf_checksum = %016llx\n",
                (unsigned long long)hash_bytes(conf.data, conf.len));

    path_join(&tmp, dir, "model.conf.tmp");
    path_join(&final, dir, "model.conf");
    FILE *f = fopen(tmp.data, "wb");
    if (!f) {
        rc = stance_error_set(err, STANCE_E_IO, tmp.data, "cannot write: %s", strerror(errno));
        goto done;
    }
    fwrite(conf.data, 1, conf.len, f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        remove(tmp.data);
        rc = stance_error_set(err, STANCE_E_IO, tmp.data, "write failed");
        goto done;
    }
    rc = rename_into_place(tmp.data, final.data, err);
done:
    strbuf_free(&tmp);
    strbuf_free(&final);
    strbuf_free(&conf);
    return rc;
}

/* ---- training -------------------------------------------------------------------------- */

struct model_problem {
    struct svm_problem prob;  /* the sparse feature vectors */
    struct svm_node *nodes;
    size_t label_count;
    /* When it fits in memory, the kernel matrix, and the same problem in
     * libsvm's precomputed form: training reads it, the written model is
     * linear in the sparse vectors again. */
    gram_matrix gram;
    struct svm_problem gram_prob;
};

/* The largest kernel matrix kept: half the memory of the machine, at most
 * 8 GiB (20,000 examples take 6.4 GB). Larger problems train on the sparse
 * vectors, with the same result, only more slowly. */
static size_t gram_budget(void)
{
    size_t budget = (size_t)8 << 30;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && page > 0 && (size_t)pages / 2 < budget / (size_t)page)
        budget = (size_t)pages / 2 * (size_t)page;
    return budget;
}

/* libsvm reports progress through one global print function: silence it
 * once, before any thread trains. */
static void silence_libsvm(void)
{
    svm_set_print_string_function(silent_print);
}

model_problem *model_problem_new(const feature_value *const *rows, const size_t *lengths,
                                 const int *y, size_t count, size_t label_count, int threads)
{
    size_t dim = 0;
    model_problem *mp = xcalloc(1, sizeof *mp);
    size_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += lengths[i] + 1;
    mp->nodes = xmalloc(total * sizeof *mp->nodes);
    mp->prob.l = (int)count;
    mp->prob.y = xmalloc(count * sizeof *mp->prob.y);
    mp->prob.x = xmalloc(count * sizeof *mp->prob.x);
    mp->label_count = label_count;
    silence_libsvm();
    struct svm_node *n = mp->nodes;
    for (size_t i = 0; i < count; i++) {
        mp->prob.y[i] = y[i];
        mp->prob.x[i] = n;
        for (size_t j = 0; j < lengths[i]; j++, n++) {
            n->index = (int)rows[i][j].id;
            n->value = rows[i][j].value;
            if (rows[i][j].id > dim)
                dim = rows[i][j].id;
        }
        n->index = -1;
        n->value = 0;
        n++;
    }
    if (count > 0 && gram_bytes(count) <= gram_budget()) {
        gram_build(&mp->gram, mp->prob.x, count, dim, threads);
        mp->gram_prob.l = mp->prob.l;
        mp->gram_prob.y = mp->prob.y;
        mp->gram_prob.x = mp->gram.rows;
    }
    return mp;
}

void model_problem_free(model_problem *mp)
{
    if (!mp)
        return;
    free(mp->nodes);
    free(mp->prob.y);
    free(mp->prob.x);
    gram_free(&mp->gram);
    free(mp);
}

/* libsvm's kernel cache in MB: room for the whole Q matrix of the largest
 * pair of classes of prob (one-against-one trains on pairs), so that no
 * column is computed twice; 100 MB at least (libsvm's usual), 2 GB at most. */
static double cache_mb(const struct svm_problem *prob, size_t label_count)
{
    size_t *count = xcalloc(label_count, sizeof *count);
    for (int i = 0; i < prob->l; i++)
        count[(size_t)prob->y[i]]++;
    size_t first = 0, second = 0;
    for (size_t k = 0; k < label_count; k++)
        if (count[k] > first) {
            second = first;
            first = count[k];
        } else if (count[k] > second) {
            second = count[k];
        }
    free(count);
    double pair = (double)(first + second);
    double mb = pair * pair * sizeof(float) / (1 << 20) * 1.1;
    return mb < 100 ? 100 : mb > 2048 ? 2048 : mb;
}

/* A linear C-SVC parameter set for prob; weight_label must hold label_count
 * ints. */
static struct svm_parameter svm_params(const model_problem *mp, const struct svm_problem *prob,
                                       double c, const double *class_weights, int *weight_label)
{
    struct svm_parameter p = {0};
    p.svm_type = C_SVC;
    p.kernel_type = mp->gram.rows ? PRECOMPUTED : LINEAR;
    p.cache_size = cache_mb(prob, mp->label_count);
    p.eps = 1e-3;
    p.C = c;
    p.shrinking = 1;
    if (class_weights) {
        for (size_t i = 0; i < mp->label_count; i++)
            weight_label[i] = (int)i;
        p.nr_weight = (int)mp->label_count;
        p.weight_label = weight_label;
        p.weight = (double *)class_weights;
    }
    return p;
}

int model_fold_predict(const model_problem *mp, const int *folds, int fold, double c,
                       const double *class_weights, int *predicted, stance_error *err)
{
    int *weight_label = xmalloc(mp->label_count * sizeof *weight_label);
    double *weights = xmalloc(mp->label_count * sizeof *weights);
    struct svm_node *const *x = mp->gram.rows ? mp->gram.rows : mp->prob.x;
    struct svm_problem sub = {0};
    sub.y = xmalloc((size_t)mp->prob.l * sizeof *sub.y);
    sub.x = xmalloc((size_t)mp->prob.l * sizeof *sub.x);
    unsigned char *present = xcalloc(mp->label_count, 1);
    for (int i = 0; i < mp->prob.l; i++)
        if (folds[i] != fold) {
            sub.y[sub.l] = mp->prob.y[i];
            sub.x[sub.l] = x[i];
            present[(size_t)mp->prob.y[i]] = 1;
            sub.l++;
        }
    /* Weights only for the classes this fold trains on: libsvm prints a
     * warning of its own for a weighted class it does not see. */
    int nr_weight = 0;
    if (class_weights)
        for (size_t k = 0; k < mp->label_count; k++)
            if (present[k]) {
                weight_label[nr_weight] = (int)k;
                weights[nr_weight++] = class_weights[k];
            }
    free(present);
    struct svm_parameter p = svm_params(mp, &sub, c, NULL, weight_label);
    if (class_weights) {
        p.nr_weight = nr_weight;
        p.weight_label = weight_label;
        p.weight = weights;
    }
    const char *bad = svm_check_parameter(&sub, &p);
    int rc = STANCE_OK;
    if (bad || sub.l == 0) {
        rc = stance_error_set(err, STANCE_E_INPUT, NULL, "cannot train a fold: %s",
                              bad ? bad : "no training examples");
    } else {
        struct svm_model *svm = svm_train(&sub, &p);
        for (int i = 0; i < mp->prob.l; i++)
            if (folds[i] == fold)
                predicted[i] = (int)svm_predict(svm, x[i]);
        svm_free_and_destroy_model(&svm);
    }
    free(sub.y);
    free(sub.x);
    free(weight_label);
    free(weights);
    return rc;
}

/* A model trained on the kernel matrix, made the linear model it stands for:
 * each support vector becomes its sparse vector again (libsvm records which
 * example each one is), so the file is an ordinary linear libsvm model. The
 * model owns no vectors (free_sv is 0): they stay in the problem. */
static void make_linear(struct svm_model *svm, const model_problem *mp)
{
    int *which = xmalloc((size_t)(svm->l > 0 ? svm->l : 1) * sizeof *which);
    svm_get_sv_indices(svm, which);
    for (int k = 0; k < svm->l; k++)
        svm->SV[k] = mp->prob.x[which[k] - 1];
    free(which);
    svm->param.kernel_type = LINEAR;
}

int model_train_write(const model_problem *mp, const double *class_weights,
                      char *const *labels, const feature_config *config,
                      const feature_dict *dict, const cue_lexicon *lex,
                      const attribute_resources *attr, const model_training_info *info,
                      const char *dir, stance_error *err)
{
    int *weight_label = xmalloc(mp->label_count * sizeof *weight_label);
    const struct svm_problem *prob = mp->gram.rows ? &mp->gram_prob : &mp->prob;
    struct svm_parameter p = svm_params(mp, prob, info->c, class_weights, weight_label);
    p.probability = 1;
    const char *bad = svm_check_parameter(prob, &p);
    int rc;
    if (bad) {
        rc = stance_error_set(err, STANCE_E_USAGE, NULL, "libsvm refuses the parameters: %s", bad);
    } else {
        srand(info->seed); /* libsvm's probability estimates shuffle with rand() */
        struct svm_model *svm = svm_train(prob, &p);
        if (mp->gram.rows)
            make_linear(svm, mp);
        rc = model_write(dir, svm, labels, mp->label_count, config, dict, lex, attr, info, err);
        svm_free_and_destroy_model(&svm);
    }
    free(weight_label);
    return rc;
}

/* ---- reading model.conf --------------------------------------------------------------- */

static const char *const known_keys[] = {
    "format", "stance_version", "labels", "stemmer", "ngram_min", "ngram_max", "weighting",
    "l2_normalise", "cue_weight", "lexicons", "lexicon_checksums", "attribution",
    "attribution_checksums", "features",
    "features_checksum", "svm_checksum", "c", "class_weights", "folds", "seed", "examples",
    "cv_macro_f1", "cv_accuracy", "conf_checksum", NULL};
/* Keys a model may lack: those of models written before they existed. */
static const char *const optional_keys[] = {"char_ngram_min", "char_ngram_max",
                                            "char_ngram_span", NULL};

static int is_known_key(const char *key)
{
    for (size_t k = 0; known_keys[k]; k++)
        if (strcmp(known_keys[k], key) == 0)
            return 1;
    for (size_t k = 0; optional_keys[k]; k++)
        if (strcmp(optional_keys[k], key) == 0)
            return 1;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static int conf_line(void *ctx, char **cols, size_t ncols, const char *where, stance_error *err)
{
    (void)ncols;
    stance_model *m = ctx;
    char *eq = strchr(cols[0], '=');
    if (!eq)
        return stance_error_set(err, STANCE_E_MODEL, where, "expected `key = value`");
    *eq = '\0';
    char *key = trim(cols[0]), *value = trim(eq + 1);
    if (!is_known_key(key))
        return stance_error_set(err, STANCE_E_MODEL, where, "unknown key '%s'", key);
    if (stance_model_setting(m, key))
        return stance_error_set(err, STANCE_E_MODEL, where, "key '%s' given twice", key);
    m->keys = xrealloc(m->keys, (m->setting_count + 1) * sizeof *m->keys);
    m->values = xrealloc(m->values, (m->setting_count + 1) * sizeof *m->values);
    m->keys[m->setting_count] = xstrdup(key);
    m->values[m->setting_count] = xstrdup(value);
    m->setting_count++;
    return STANCE_OK;
}

const char *stance_model_setting(const stance_model *model, const char *key)
{
    for (size_t i = 0; i < model->setting_count; i++)
        if (strcmp(model->keys[i], key) == 0)
            return model->values[i];
    return NULL;
}

/* Splits a comma-separated list into a new array of strings. */
static char **split_list(const char *s, size_t *count)
{
    char **items = NULL;
    size_t n = 0, cap = 0;
    while (*s) {
        size_t len = strcspn(s, ",");
        grow_array((void **)&items, &cap, n + 1, sizeof *items);
        items[n++] = xstrndup(s, len);
        s += len;
        if (*s == ',')
            s++;
    }
    *count = n;
    return items;
}

static void free_list(char **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
}

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_hex64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 16);
    if (strlen(s) != 16 || *end || errno)
        return -1;
    *out = v;
    return 0;
}

/* Reads the feature settings out of model.conf into m->config and m->labels. */
static int read_settings(stance_model *m, const char *conf_path, stance_error *err)
{
    for (size_t k = 0; known_keys[k]; k++)
        if (!stance_model_setting(m, known_keys[k]))
            return stance_error_set(err, STANCE_E_MODEL, conf_path, "missing key '%s'",
                                    known_keys[k]);
    if (strcmp(stance_model_setting(m, "format"), MODEL_FORMAT) != 0)
        return stance_error_set(err, STANCE_E_MODEL, conf_path,
                                "unsupported format '%s' (this stance reads '%s')",
                                stance_model_setting(m, "format"), MODEL_FORMAT);
    m->labels = split_list(stance_model_setting(m, "labels"), &m->label_count);
    if (m->label_count < 2)
        return stance_error_set(err, STANCE_E_MODEL, conf_path, "needs at least two labels");
    long lo, hi, l2;
    if (parse_long(stance_model_setting(m, "ngram_min"), 1, 5, &lo) ||
        parse_long(stance_model_setting(m, "ngram_max"), lo, 5, &hi) ||
        parse_long(stance_model_setting(m, "l2_normalise"), 0, 1, &l2))
        return stance_error_set(err, STANCE_E_MODEL, conf_path,
                                "bad ngram_min, ngram_max or l2_normalise");
    m->config.ngram_min = (int)lo;
    m->config.ngram_max = (int)hi;
    const char *cmin = stance_model_setting(m, "char_ngram_min");
    const char *cmax = stance_model_setting(m, "char_ngram_max");
    if (!cmin != !cmax)
        return stance_error_set(err, STANCE_E_MODEL, conf_path,
                                "char_ngram_min and char_ngram_max go together");
    if (cmin && (parse_long(cmin, 0, FEATURES_CHAR_MAX, &lo) ||
                 parse_long(cmax, lo, FEATURES_CHAR_MAX, &hi) || (lo == 0) != (hi == 0)))
        return stance_error_set(err, STANCE_E_MODEL, conf_path,
                                "bad char_ngram_min or char_ngram_max");
    m->config.char_min = cmin ? (int)lo : 0;
    m->config.char_max = cmin ? (int)hi : 0;
    const char *span = stance_model_setting(m, "char_ngram_span");
    if (span && strcmp(span, "text") && strcmp(span, "word"))
        return stance_error_set(err, STANCE_E_MODEL, conf_path,
                                "char_ngram_span is word or text, not '%s'", span);
    m->config.char_text = span && strcmp(span, "text") == 0;
    m->config.l2_normalise = (int)l2;
    if (features_weighting_parse(stance_model_setting(m, "weighting"), &m->config.weighting))
        return stance_error_set(err, STANCE_E_MODEL, conf_path, "unknown weighting '%s'",
                                stance_model_setting(m, "weighting"));
    char *end;
    m->config.cue_weight = strtod(stance_model_setting(m, "cue_weight"), &end);
    if (*end || !isfinite(m->config.cue_weight))
        return stance_error_set(err, STANCE_E_MODEL, conf_path, "bad cue_weight");
    m->config.stemmer = xstrdup(stance_model_setting(m, "stemmer"));
    return STANCE_OK;
}

/* Checks lexicon files against the names and checksums model.conf recorded
 * under names_key and sums_key. */
static int check_lexicons(stance_model *m, const char *conf_path, const char *names_key,
                          const char *sums_key, const char *const *files, const uint64_t *have,
                          size_t count, stance_error *err)
{
    size_t nnames, nsums;
    char **names = split_list(stance_model_setting(m, names_key), &nnames);
    char **sums = split_list(stance_model_setting(m, sums_key), &nsums);
    int rc = STANCE_OK;
    if (nnames != count || nsums != nnames) {
        rc = stance_error_set(err, STANCE_E_MODEL, conf_path,
                              "lists %zu %s with %zu checksums; this stance uses %zu "
                              "(retrain the model)",
                              nnames, names_key, nsums, count);
        goto done;
    }
    for (size_t i = 0; i < nnames; i++) {
        uint64_t want;
        if (strcmp(names[i], files[i]) != 0 || parse_hex64(sums[i], &want)) {
            rc = stance_error_set(err, STANCE_E_MODEL, conf_path, "bad lexicon entry '%s'",
                                  names[i]);
            goto done;
        }
        if (want != have[i]) {
            rc = stance_error_set(err, STANCE_E_MODEL, conf_path,
                                  "lexicon %s has changed since this model was trained "
                                  "(retrain the model or restore the lexicon)",
                                  names[i]);
            goto done;
        }
    }
done:
    free_list(names, nnames);
    free_list(sums, nsums);
    return rc;
}

/* Checks that model.conf ends with the checksum of the bytes before it. */
static int verify_conf(const char *path, stance_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return stance_error_set(err, STANCE_E_MODEL, path, "cannot open: %s", strerror(errno));
    strbuf sb = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && sb.len < ((size_t)1 << 20))
        strbuf_add(&sb, buf, n);
    fclose(f);
    const char *key = "conf_checksum = ";
    const char *line = NULL;
    for (const char *p = sb.data; p && (p = strstr(p, key)) != NULL; p++)
        if (p == sb.data || p[-1] == '\n')
            line = p;
    uint64_t want;
    char hex[17] = {0};
    int rc = STANCE_OK;
    if (!line || sscanf(line + strlen(key), "%16[0-9a-f]", hex) != 1 || parse_hex64(hex, &want))
        rc = stance_error_set(err, STANCE_E_MODEL, path, "damaged: no conf_checksum line");
    else if (hash_bytes(sb.data, (size_t)(line - sb.data)) != want)
        rc = stance_error_set(err, STANCE_E_MODEL, path,
                              "damaged: edited since training (conf_checksum does not match)");
    strbuf_free(&sb);
    return rc;
}

/* Refuses a file larger than max bytes before anything reads it: a model
 * directory from elsewhere may hold a sparse file of gigabytes. */
static int check_size(const char *path, off_t max, const char *what, stance_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && st.st_size > max)
        return stance_error_set(err, STANCE_E_MODEL, path, "larger than %s", what);
    return STANCE_OK;
}

static int verify_file(const stance_model *m, const char *path, const char *key,
                       stance_error *err)
{
    uint64_t want, have;
    if (parse_hex64(stance_model_setting(m, key), &want))
        return stance_error_set(err, STANCE_E_MODEL, path, "model.conf has a bad %s", key);
    int rc = file_checksum(path, &have, err);
    if (rc != STANCE_OK)
        return rc;
    if (have != want)
        return stance_error_set(err, STANCE_E_MODEL, path,
                                "damaged: checksum %016llx does not match model.conf (%016llx)",
                                (unsigned long long)have, (unsigned long long)want);
    return STANCE_OK;
}

/* Checks what libsvm read against model.conf and the dictionary. */
int stance_model_load(const char *dir, const char *lexicon_dir, stance_model **out,
                      stance_error *err)
{
    *out = NULL;
    stance_model *m = xcalloc(1, sizeof *m);
    m->dir = xstrdup(dir);
    strbuf path = {0};
    stemmer *st = NULL;
    int rc;
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        rc = stance_error_set(err, STANCE_E_MODEL, dir, "not a model directory (%s)",
                              stat(dir, &sb) != 0 ? strerror(errno) : "not a directory");
        goto fail;
    }
    path_join(&path, dir, "model.conf");
    if ((rc = verify_conf(path.data, err)) != STANCE_OK ||
        (rc = lexicon_read(path.data, 1, 1, conf_line, m, NULL, err)) != STANCE_OK ||
        (rc = read_settings(m, path.data, err)) != STANCE_OK)
        goto fail;

    long nfeatures;
    /* 5 million features: far beyond any model trained here (73,425 ship),
     * and refused before features.tsv is read. */
    if (parse_long(stance_model_setting(m, "features"), FEATURES_EXTRA_COUNT, 5000000L,
                   &nfeatures)) {
        rc = stance_error_set(err, STANCE_E_MODEL, path.data, "bad feature count");
        goto fail;
    }
    path_join(&path, dir, "features.tsv");
    if ((rc = check_size(path.data, (off_t)256 << 20, "256 MB: not a feature list stance would write",
                         err)) != STANCE_OK ||
        (rc = verify_file(m, path.data, "features_checksum", err)) != STANCE_OK ||
        (rc = feature_dict_read(&m->dict, path.data, (size_t)nfeatures, err)) != STANCE_OK)
        goto fail;

    path_join(&path, dir, "model.svm");
    if ((rc = check_size(path.data, SVMFILE_SIZE_MAX, "512 MB: not a model stance would write",
                         err)) != STANCE_OK ||
        (rc = verify_file(m, path.data, "svm_checksum", err)) != STANCE_OK)
        goto fail;
    /* Our own strict reader, never libsvm's loader: a model directory may
     * come from anywhere, and its checksums prove only consistency. */
    if ((rc = svmfile_read(path.data, m->label_count, m->dict.count, &m->svm, err)) != STANCE_OK)
        goto fail;

    if (!(st = stem_new(m->config.stemmer, err))) {
        rc = STANCE_E_MODEL;
        if (err)
            err->code = rc;
        goto fail;
    }
    m->lex = cue_lexicon_load(lexicon_dir, st, err);
    path_join(&path, dir, "model.conf");
    if (!m->lex) {
        rc = STANCE_E_MODEL;
        goto fail;
    }
    if ((rc = check_lexicons(m, path.data, "lexicons", "lexicon_checksums", m->lex->file_names,
                             m->lex->checksums, LEXICON_FILE_COUNT, err)) != STANCE_OK)
        goto fail;
    if (!(m->attribution = attribute_resources_load(lexicon_dir, err))) {
        rc = STANCE_E_MODEL;
        goto fail;
    }
    if ((rc = check_lexicons(m, path.data, "attribution", "attribution_checksums",
                             attribute_file_names, attribute_checksums(m->attribution),
                             ATTRIBUTE_FILE_COUNT, err)) != STANCE_OK)
        goto fail;
    stem_free(st);
    strbuf_free(&path);
    *out = m;
    return STANCE_OK;
fail:
    stem_free(st);
    strbuf_free(&path);
    stance_model_free(m);
    return rc;
}

void stance_model_free(stance_model *m)
{
    if (!m)
        return;
    free(m->dir);
    free_list(m->keys, m->setting_count);
    free_list(m->values, m->setting_count);
    free_list(m->labels, m->label_count);
    free(m->config.stemmer);
    feature_dict_free(&m->dict);
    cue_lexicon_free(m->lex);
    attribute_resources_free(m->attribution);
    svmfile_free(&m->svm);
    free(m);
}

size_t stance_model_label_count(const stance_model *m)
{
    return m->label_count;
}

const char *stance_model_label(const stance_model *m, size_t i)
{
    return m->labels[i];
}

const feature_config *model_feature_config(const stance_model *m)
{
    return &m->config;
}

const feature_dict *model_dict(const stance_model *m)
{
    return &m->dict;
}

const cue_lexicon *model_lexicon(const stance_model *m)
{
    return m->lex;
}

const attribute_resources *model_attribution(const stance_model *m)
{
    return m->attribution;
}

/* ---- prediction ---------------------------------------------------------------------- */

size_t model_work_size(const stance_model *m)
{
    size_t k = m->label_count;
    return m->svm.pair_count + 2 * k * k + 2 * k;
}

static double platt(double decision, double a, double b)
{
    double f = decision * a + b;
    /* Two forms of 1 / (1 + exp(f)) that never overflow. */
    return f >= 0 ? exp(-f) / (1.0 + exp(-f)) : 1.0 / (1.0 + exp(f));
}

/* Couples pairwise probabilities r (k x k) into class probabilities p by
 * minimising sum over pairs of (r_ji p_i - r_ij p_j)^2 subject to sum p = 1,
 * by the fixed-point iteration of Wu, Lin and Weng (2004), method 2, with
 * libsvm's stopping rule so that results agree with it. */
static void couple(size_t k, const double *r, double *p, double *q, double *qp)
{
    for (size_t t = 0; t < k; t++) {
        p[t] = 1.0 / (double)k;
        q[t * k + t] = 0;
        for (size_t j = 0; j < k; j++) {
            if (j == t)
                continue;
            q[t * k + t] += r[j * k + t] * r[j * k + t];
            q[t * k + j] = -r[j * k + t] * r[t * k + j];
        }
    }
    size_t max_iter = k > 100 ? k : 100;
    double eps = 0.005 / (double)k;
    for (size_t iter = 0; iter < max_iter; iter++) {
        double pqp = 0;
        for (size_t t = 0; t < k; t++) {
            qp[t] = 0;
            for (size_t j = 0; j < k; j++)
                qp[t] += q[t * k + j] * p[j];
            pqp += p[t] * qp[t];
        }
        double max_error = 0;
        for (size_t t = 0; t < k; t++)
            if (fabs(qp[t] - pqp) > max_error)
                max_error = fabs(qp[t] - pqp);
        if (max_error < eps)
            break;
        for (size_t t = 0; t < k; t++) {
            double diff = (-qp[t] + pqp) / q[t * k + t];
            p[t] += diff;
            pqp = (pqp + diff * (diff * q[t * k + t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
            for (size_t j = 0; j < k; j++) {
                qp[j] = (qp[j] + diff * q[t * k + j]) / (1 + diff);
                p[j] /= 1 + diff;
            }
        }
    }
}

size_t model_predict(const stance_model *m, const feature_value *x, size_t n, double *probs,
                     double *work)
{
    const svm_linear *s = &m->svm;
    size_t k = m->label_count, dim = m->dict.count + 1;
    double *dec = work, *r = dec + m->svm.pair_count, *q = r + k * k, *qp = q + k * k,
           *p = qp + k;
    for (size_t pair = 0; pair < m->svm.pair_count; pair++) {
        const double *w = m->svm.weights + pair * dim;
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            if (x[i].id < dim)
                sum += w[x[i].id] * x[i].value;
        dec[pair] = sum - s->rho[pair];
    }
    const double min_prob = 1e-7;
    size_t pair = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++, pair++) {
            double v = platt(dec[pair], s->prob_a[pair], s->prob_b[pair]);
            v = v < min_prob ? min_prob : v > 1 - min_prob ? 1 - min_prob : v;
            r[i * k + j] = v;
            r[j * k + i] = 1 - v;
        }
    if (k == 2) {
        p[0] = r[1];
        p[1] = r[2];
    } else {
        couple(k, r, p, q, qp);
    }
    size_t best = 0;
    for (size_t c = 0; c < k; c++) {
        probs[m->svm.class_label[c]] = p[c];
        if (p[c] > p[best])
            best = c;
    }
    return m->svm.class_label[best];
}

void model_contributions(const stance_model *m, const feature_value *x, size_t n, size_t label,
                         double *contrib)
{
    size_t k = m->label_count, dim = m->dict.count + 1, c = 0;
    while (c < k && m->svm.class_label[c] != label)
        c++;
    for (size_t f = 0; f < n; f++)
        contrib[f] = 0;
    size_t pair = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++, pair++) {
            if (i != c && j != c)
                continue;
            double sign = i == c ? 1.0 : -1.0; /* a positive decision favours class i */
            const double *w = m->svm.weights + pair * dim;
            for (size_t f = 0; f < n; f++)
                if (x[f].id < dim)
                    contrib[f] += sign * w[x[f].id] * x[f].value;
        }
}
