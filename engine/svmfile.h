#ifndef STANCE_SVMFILE_H
#define STANCE_SVMFILE_H

#include "stance.h"

#include <stddef.h>
#include <sys/types.h>

/* A linear C-SVC model with probability estimates, read from libsvm's model
 * file (model.svm, as svm_save_model writes it) by a reader of our own:
 * model files are shared between analysts, and libsvm's loader trusts its
 * input (a missing `rho` or a negative `nr_sv` crashes it). The support
 * vectors are collapsed into one weight vector per class pair as they are
 * read, so memory is the weights, not the file. */
typedef struct {
    size_t class_count;
    size_t *class_label; /* class i (libsvm's order) -> model label index */
    size_t pair_count;   /* class_count (class_count - 1) / 2, pairs (i, j), i < j */
    double *rho, *prob_a, *prob_b; /* pair_count each */
    size_t dim;          /* feature ids 1..dim */
    double *weights;     /* pair_count rows of dim + 1 weights (index 0 unused) */
} svm_linear;

/* The longest line accepted (a support vector with every feature of a
 * large model takes a few MB). */
#define SVMFILE_LINE_MAX ((size_t)64 << 20)
/* The most support vectors accepted: beyond any model trained here. */
#define SVMFILE_SV_MAX 10000000L
/* The largest model.svm read (the shipped one is 7 MB), refused before
 * reading. */
#define SVMFILE_SIZE_MAX ((off_t)512 << 20)
/* The most weights (class pairs x features) kept: 2 GB of doubles. */
#define SVMFILE_WEIGHTS_MAX 268435456.0

/* Reads path, whose model must have `classes` classes labelled 0..classes-1
 * and feature ids within 1..dim. Checks every header key (known, present
 * once, in an order that lets each be read: nr_class before the lists),
 * svm_type c_svc, kernel_type linear, nr_sv non-negative and summing to
 * total_sv, exactly total_sv vector lines with classes - 1 coefficients,
 * indices strictly increasing, every number finite, probA and probB present.
 * Any violation is STANCE_E_MODEL with "PATH:LINE" and what is wrong. */
int svmfile_read(const char *path, size_t classes, size_t dim, svm_linear *out,
                 stance_error *err);
void svmfile_free(svm_linear *m);

#endif
