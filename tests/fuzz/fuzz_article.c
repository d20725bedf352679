/* The article pipeline on arbitrary bytes: read, segment, attribute, score
 * with the shipped model, and write every output format. */
#include "fuzz_util.h"
#include "stance.h"

static const stance_model *model;
static stance_scorer *scorer;
static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stance_error err = {0};
    if (!model) {
        model = fuzz_shipped_model();
        if (!(scorer = stance_scorer_new(model, &err)))
            abort();
        stance_scorer_set_explain(scorer, 3);
        sink = fopen("/dev/null", "w");
    }
    stance_text *text = NULL;
    if (stance_text_from_memory("fuzz.txt", (const char *)data, size, &text, &err) == STANCE_OK) {
        stance_doc *doc = NULL;
        if (stance_score_text(scorer, text, &doc, &err) == STANCE_OK) {
            stance_summary *sm = stance_summary_for_model(model);
            stance_summary_add_doc(sm, doc);
            const stance_format formats[] = {STANCE_FORMAT_TEXT, STANCE_FORMAT_JSON,
                                             STANCE_FORMAT_CSV};
            for (size_t f = 0; f < 3; f++) {
                stance_write_options o = {.format = formats[f], .countries = sm, .width = 60};
                stance_write_doc(sink, doc, model, &o, &err);
                stance_error_clear(&err);
                stance_write_summary(sink, sm, formats[f], &err);
                stance_error_clear(&err);
            }
            stance_summary_free(sm);
            stance_doc_free(doc);
        }
        stance_text_free(text);
    }
    stance_error_clear(&err);
    return 0;
}
