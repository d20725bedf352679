/* The lexicon and gazetteer loaders: the first byte chooses which file of a
 * copy of lexicons/ the rest replaces; then every loader reads the copy. */
#include "fuzz_util.h"
#include "attribute.h"
#include "gazetteer.h"
#include "lexicon.h"
#include "stance.h"
#include "stem.h"

static const char *const files[] = {
    "cues_engagement.txt", "cues_caution.txt", "cues_opposition.txt", "negators.txt",
    "intensifiers.tsv",    "valence_news.tsv", "valence_vader.tsv",   "gazetteer.tsv",
    "speech_verbs.txt",    "roles.tsv",        "not_names.txt",       "abbreviations.txt",
    "holder_words.tsv",    "target.txt",       NULL};
static char dir[4096];
static stemmer *st;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stance_error err = {0};
    if (!st) {
        char from[4096], cmd[8192];
        fuzz_path(from, sizeof from, fuzz_root(), "lexicons");
        fuzz_path(dir, sizeof dir, fuzz_tmp(), "lexicons");
        snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
        if (system(cmd) != 0)
            abort();
        fuzz_copy(from, dir, files);
        if (!(st = stem_new("english", &err)))
            abort();
    }
    if (size == 0)
        return 0;
    size_t n = 0;
    while (files[n])
        n++;
    const char *name = files[data[0] % n];
    char path[4096], from[4096];
    fuzz_path(path, sizeof path, dir, name);
    fuzz_write(path, data + 1, size - 1);
    cue_lexicon *lex = cue_lexicon_load(dir, st, &err);
    cue_lexicon_free(lex);
    stance_error_clear(&err);
    gazetteer *gz = gazetteer_load(dir, &err);
    gazetteer_free(gz);
    stance_error_clear(&err);
    attribute_resources *res = attribute_resources_load(dir, &err);
    attribute_resources_free(res);
    stance_error_clear(&err);
    /* put the original back for the next input */
    fuzz_path(from, sizeof from, fuzz_root(), "lexicons");
    const char *one[] = {name, NULL};
    fuzz_copy(from, dir, one);
    return 0;
}
