/* aggregate.h - the rows of a per-country summary, for the writers. */
#ifndef STANCE_AGGREGATE_H
#define STANCE_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "stance.h"
#include "strmap.h"

/* Probabilities and sentiment are summed in units of 1e-9: integer sums
 * are exact whatever the order of merging. */
#define AGGREGATE_SCALE 1000000000LL

typedef struct {
    char *country, *code;
    int64_t articles, units, sum_sentiment;
    int64_t *n;     /* units per label */
    int64_t *sum_p; /* summed probability per label, fixed point */
} aggregate_row;

struct stance_summary {
    size_t label_count;
    char **labels;
    aggregate_row *rows;
    size_t row_count, row_cap;
    strmap index; /* code -> row */
    uint64_t doc_serial; /* counts docs, so an article counts once per holder */
    uint64_t *last_doc;  /* per row: the doc that last counted it */
    size_t last_doc_cap;
};

/* The rows sorted by country name, then code; the caller frees the array. */
const aggregate_row **aggregate_sorted_rows(const stance_summary *summary);

/* The dominant label of a row: the most units, ties broken by summed probability. */
size_t aggregate_dominant(const stance_summary *summary, const aggregate_row *row);

#endif
