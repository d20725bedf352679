/* The strict model.svm reader alone (fast: no lexicons to load), with the
 * class count and feature range of the shipped model. fuzz_model reaches
 * the same reader through a whole, re-sealed model directory. */
#include "fuzz_util.h"
#include "svmfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[4096];
    fuzz_path(path, sizeof path, fuzz_tmp(), "model.svm");
    fuzz_write(path, data, size);
    svm_linear m;
    stance_error err = {0};
    if (svmfile_read(path, 4, 5000, &m, &err) == STANCE_OK)
        svmfile_free(&m);
    stance_error_clear(&err);
    return 0;
}
