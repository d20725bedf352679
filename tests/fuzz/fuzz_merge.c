/* The summary CSV that `merge` reads: read it, merge it into an empty
 * summary of the same labels and write the result in every format. */
#include "fuzz_util.h"
#include "stance.h"

static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!sink)
        sink = fopen("/dev/null", "w");
    char path[4096];
    fuzz_path(path, sizeof path, fuzz_tmp(), "summary.csv");
    fuzz_write(path, data, size);
    stance_error err = {0};
    stance_summary *s = NULL;
    if (stance_summary_read_csv(path, &s, &err) == STANCE_OK) {
        static const char *const labels[] = {"engagement", "caution", "opposition", "neutral"};
        stance_summary *into = stance_summary_new(4, labels);
        if (stance_summary_merge(into, s, &err) == STANCE_OK) {
            stance_write_summary(sink, into, STANCE_FORMAT_CSV, &err);
            stance_error_clear(&err);
            stance_write_summary(sink, into, STANCE_FORMAT_TEXT, &err);
            stance_error_clear(&err);
            stance_write_summary(sink, into, STANCE_FORMAT_JSON, &err);
        }
        stance_summary_free(into);
        stance_summary_free(s);
    }
    stance_error_clear(&err);
    return 0;
}
