/* The labeled TSV of `train` and `eval`: read it, and evaluate what reads
 * with the shipped model. */
#include "fuzz_util.h"
#include "stance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stance_error err = {0};
    const stance_model *model = fuzz_shipped_model();
    char path[4096];
    fuzz_path(path, sizeof path, fuzz_tmp(), "data.tsv");
    fuzz_write(path, data, size);
    stance_dataset *d = NULL;
    if (stance_dataset_read(path, &d, &err) == STANCE_OK) {
        size_t k = stance_model_label_count(model);
        size_t *predicted = calloc(d->count + 1, sizeof *predicted);
        double *probs = calloc((d->count + 1) * k, sizeof *probs);
        stance_metrics *m = NULL;
        if (stance_evaluate(model, d, predicted, probs, &m, &err) == STANCE_OK)
            stance_metrics_free(m);
        free(predicted);
        free(probs);
        stance_dataset_free(d);
    }
    stance_error_clear(&err);
    return 0;
}
