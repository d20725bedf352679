/* The model directory: the fuzzer's bytes become model.svm, and model.conf
 * is re-sealed around them (svm_checksum and conf_checksum recomputed), as
 * a tool that edits a model and fixes its checksums would do, so that every
 * input reaches the strict reader instead of stopping at the checksum. */
#include "fuzz_util.h"
#include "stance.h"
#include "alloc.h"
#include "strmap.h"

static char dir[4096], lex[4096];
static char *conf_template; /* model.conf up to its svm_checksum value */
static char *conf_middle;   /* from after the svm_checksum value to conf_checksum */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void setup(void)
{
    static const char *const files[] = {"features.tsv", NULL};
    char from[4096], path[4096];
    fuzz_path(from, sizeof from, fuzz_root(), "models/default");
    fuzz_path(lex, sizeof lex, fuzz_root(), "lexicons");
    fuzz_path(dir, sizeof dir, fuzz_tmp(), "model");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    if (system(cmd) != 0)
        abort();
    fuzz_copy(from, dir, files);
    fuzz_path(path, sizeof path, from, "model.conf");
    size_t len;
    char *conf = fuzz_slurp(path, &len);
    char *sum = strstr(conf, "\nsvm_checksum = ");
    char *end = sum ? strchr(sum + 1, '\n') : NULL;
    char *last = strstr(conf, "\nconf_checksum = ");
    if (!sum || !end || !last || last < end)
        abort();
    sum += strlen("\nsvm_checksum = ");
    conf_template = strndup(conf, (size_t)(sum - conf));
    conf_middle = strndup(end, (size_t)(last + 1 - end));
    free(conf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!conf_template)
        setup();
    char path[4096];
    fuzz_path(path, sizeof path, dir, "model.svm");
    fuzz_write(path, data, size);
    strbuf conf = {0};
    strbuf_addf(&conf, "%s%016llx%s", conf_template,
                (unsigned long long)hash_bytes_from(HASH_SEED, data, size), conf_middle);
    strbuf_addf(&conf, "conf_checksum = %016llx\n",
                (unsigned long long)hash_bytes(conf.data, conf.len));
    fuzz_path(path, sizeof path, dir, "model.conf");
    fuzz_write(path, conf.data, conf.len);
    strbuf_free(&conf);
    stance_error err = {0};
    stance_model *m = NULL;
    if (stance_model_load(dir, lex, &m, &err) == STANCE_OK) {
        /* A model that loads must also score. */
        stance_scorer *sc = stance_scorer_new(m, &err);
        stance_text *t = NULL;
        static const char article[] = "Russia signed a trade deal with the Taliban.\n\n"
                                      "\"We will not recognise them,\" a French envoy said.\n";
        if (sc && stance_text_from_memory("a.txt", article, sizeof article - 1, &t, &err) ==
                      STANCE_OK) {
            stance_doc *doc = NULL;
            if (stance_score_text(sc, t, &doc, &err) == STANCE_OK)
                stance_doc_free(doc);
            stance_text_free(t);
        }
        stance_scorer_free(sc);
        stance_model_free(m);
    }
    stance_error_clear(&err);
    return 0;
}
