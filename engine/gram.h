#ifndef STANCE_GRAM_H
#define STANCE_GRAM_H

#include <libsvm/svm.h>
#include <stddef.h>

/* The linear kernel matrix of a training set, in libsvm's precomputed-kernel
 * layout: row i is {0: i+1}, then {j: x_i . x_{j-1}} for j = 1..n, then the
 * terminator. Cross-validation trains dozens of models on subsets of the same
 * rows; with the matrix computed once, libsvm's solvers look dot products up
 * instead of recomputing each of them in every training (which took over 90%
 * of the training time). */
typedef struct {
    struct svm_node *nodes;
    struct svm_node **rows; /* rows[i]: the row of example i */
    size_t n;
    size_t mapped; /* bytes of the mapping holding nodes; 0 when malloc'd */
} gram_matrix;

/* The bytes gram_build needs for n examples. */
size_t gram_bytes(size_t n);

/* Computes the matrix of the n sparse rows x (libsvm nodes, indices 1..dim)
 * with the given number of threads. The values do not depend on threads. */
void gram_build(gram_matrix *g, struct svm_node *const *x, size_t n, size_t dim, int threads);
void gram_free(gram_matrix *g);

#endif
