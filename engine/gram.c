#include "gram.h"
#include "alloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

size_t gram_bytes(size_t n)
{
    return n * (n + 2) * sizeof(struct svm_node) + n * sizeof(struct svm_node *);
}

/* The matrix in its own mapping with transparent huge pages requested:
 * libsvm reads one value from each of many rows in turn (rows 16 n bytes
 * apart), so with 4 KB pages nearly every read also misses the TLB. */
static struct svm_node *map_nodes(size_t count, size_t *mapped)
{
    size_t bytes = count * sizeof(struct svm_node);
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        *mapped = 0;
        return xmalloc(bytes);
    }
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    *mapped = bytes;
    return p;
}

typedef struct {
    gram_matrix *g;
    struct svm_node *const *x;
    size_t dim;
    int thread, threads;
} gram_job;

/* Rows thread, thread + threads, ...: each takes the upper triangle of its
 * rows and mirrors it, so every product is computed once and both halves are
 * bit-identical. Interleaving balances the shrinking rows. */
static void *gram_worker(void *arg)
{
    gram_job *job = arg;
    size_t n = job->g->n;
    double *dense = xcalloc(job->dim + 1, sizeof *dense);
    for (size_t i = (size_t)job->thread; i < n; i += (size_t)job->threads) {
        for (const struct svm_node *a = job->x[i]; a->index != -1; a++)
            dense[a->index] = a->value;
        for (size_t j = i; j < n; j++) {
            double dot = 0;
            for (const struct svm_node *b = job->x[j]; b->index != -1; b++)
                dot += dense[b->index] * b->value;
            job->g->rows[i][j + 1].value = dot;
            job->g->rows[j][i + 1].value = dot;
        }
        for (const struct svm_node *a = job->x[i]; a->index != -1; a++)
            dense[a->index] = 0;
    }
    free(dense);
    return NULL;
}

void gram_build(gram_matrix *g, struct svm_node *const *x, size_t n, size_t dim, int threads)
{
    g->n = n;
    g->nodes = map_nodes(n * (n + 2), &g->mapped);
    g->rows = xmalloc(n * sizeof *g->rows);
    for (size_t i = 0; i < n; i++) {
        struct svm_node *row = g->nodes + i * (n + 2);
        g->rows[i] = row;
        row[0].index = 0;
        row[0].value = (double)(i + 1);
        for (size_t j = 1; j <= n; j++)
            row[j].index = (int)j;
        row[n + 1].index = -1;
        row[n + 1].value = 0;
    }
    if (threads < 1)
        threads = 1;
    if ((size_t)threads > n)
        threads = n ? (int)n : 1;
    pthread_t *tids = xcalloc((size_t)threads, sizeof *tids);
    gram_job *jobs = xcalloc((size_t)threads, sizeof *jobs);
    unsigned char *started = xcalloc((size_t)threads, 1);
    for (int t = 0; t < threads; t++) {
        jobs[t] = (gram_job){.g = g, .x = x, .dim = dim, .thread = t, .threads = threads};
        started[t] = t > 0 && pthread_create(&tids[t], NULL, gram_worker, &jobs[t]) == 0;
    }
    /* Rows of a thread that could not start are computed here. */
    for (int t = 0; t < threads; t++)
        if (!started[t])
            gram_worker(&jobs[t]);
    for (int t = 1; t < threads; t++)
        if (started[t])
            pthread_join(tids[t], NULL);
    free(started);
    free(tids);
    free(jobs);
}

void gram_free(gram_matrix *g)
{
    if (g->mapped)
        munmap(g->nodes, g->mapped);
    else
        free(g->nodes);
    free(g->rows);
    memset(g, 0, sizeof *g);
}
