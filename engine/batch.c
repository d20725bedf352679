/* batch.c - scoring a directory of articles with worker threads.
 *
 * The calling thread walks the directory and hands files to the workers
 * through a ring of WINDOW_PER_THREAD * threads slots; each worker reads,
 * scores and renders one file's CSV rows into its slot, adding the article
 * to its own summary; the calling thread writes finished slots strictly in
 * the order the files were found. The ring bounds memory, and the order
 * makes the output byte-identical for any number of threads. The workers'
 * summaries hold integer sums, so merging them at the end is exact.
 */
#include "stance.h"
#include "alloc.h"
#include "strmap.h"
#include "walk.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WINDOW_PER_THREAD 4

enum { SLOT_FREE, SLOT_QUEUED, SLOT_TAKEN, SLOT_DONE };

typedef struct {
    int state;
    char *path;
    size_t bytes, units;
    int failed;  /* the file could not be read or scored */
    char *error; /* why it failed, or a warning about a scored file */
    char *rows;  /* its CSV rows */
    size_t rows_len;
} slot;

typedef struct {
    const stance_model *model;
    slot *ring;
    size_t window;
    size_t assigned, taken, written; /* sequence numbers */
    int producer_done;
    pthread_mutex_t lock;
    pthread_cond_t work, done;
} pipeline;

typedef struct {
    pipeline *pl;
    stance_scorer *scorer;
    stance_summary *summary;
    FILE *mem;
} worker;

int stance_batch_in_shard(const char *relative, unsigned shard, unsigned shards)
{
    if (shards == 0)
        return 1;
    return hash_bytes(relative, strlen(relative)) % shards == shard - 1;
}

/* Scores one file into its slot; runs without the lock. */
static void process(worker *wk, slot *sl)
{
    stance_error err = {0};
    stance_text *text = NULL;
    stance_doc *doc = NULL;
    if (stance_text_read(sl->path, &text, &err) == STANCE_OK &&
        stance_score_text(wk->scorer, text, &doc, &err) == STANCE_OK) {
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        if (mem && stance_write_csv_rows(mem, doc, wk->pl->model, &err) == STANCE_OK) {
            fclose(mem);
            sl->rows = buf;
            sl->rows_len = len;
            sl->units = doc->unit_count;
            sl->bytes = text->len;
            if (wk->summary)
                stance_summary_add_doc(wk->summary, doc);
        } else {
            if (mem)
                fclose(mem);
            free(buf);
            sl->error = xstrdup("cannot render the output");
            sl->failed = 1;
        }
        if (text->invalid_bytes && !sl->error) {
            strbuf w = {0};
            strbuf_addf(&w, "warning: %zu invalid UTF-8 byte%s read as U+FFFD", text->invalid_bytes,
                        text->invalid_bytes == 1 ? "" : "s");
            sl->error = strbuf_detach(&w); /* reported, but the file counts as scored */
        }
    } else {
        sl->error = xstrdup(err.message ? err.message : "cannot score");
        sl->failed = 1;
    }
    stance_doc_free(doc);
    stance_text_free(text);
    stance_error_clear(&err);
}

static void *work(void *arg)
{
    worker *wk = arg;
    pipeline *pl = wk->pl;
    pthread_mutex_lock(&pl->lock);
    for (;;) {
        while (pl->taken == pl->assigned && !pl->producer_done)
            pthread_cond_wait(&pl->work, &pl->lock);
        if (pl->taken == pl->assigned)
            break;
        slot *sl = &pl->ring[pl->taken++ % pl->window];
        sl->state = SLOT_TAKEN;
        pthread_mutex_unlock(&pl->lock);
        process(wk, sl);
        pthread_mutex_lock(&pl->lock);
        sl->state = SLOT_DONE;
        pthread_cond_broadcast(&pl->done);
    }
    pthread_mutex_unlock(&pl->lock);
    return NULL;
}

/* Writes every finished slot at the head of the ring, in order; with wait
 * set, blocks until the head slot is finished. Called with the lock held. */
static int drain(pipeline *pl, const stance_batch_options *o, stance_batch_stats *st, int wait,
                 int *write_failed)
{
    int wrote = 0;
    while (pl->written < pl->assigned) {
        slot *sl = &pl->ring[pl->written % pl->window];
        if (sl->state != SLOT_DONE) {
            if (!wait || wrote)
                break;
            pthread_cond_wait(&pl->done, &pl->lock);
            continue;
        }
        pthread_mutex_unlock(&pl->lock);
        int failed = sl->failed;
        if (!failed && sl->rows_len && fwrite(sl->rows, 1, sl->rows_len, o->units) != sl->rows_len)
            *write_failed = 1;
        if (sl->error && o->on_error)
            o->on_error(o->ctx, sl->path, sl->error);
        st->files_done++;
        if (failed) {
            st->files_failed++;
        } else {
            st->units += sl->units;
            st->bytes_done += sl->bytes;
        }
        if (o->on_progress)
            o->on_progress(o->ctx, st);
        free(sl->path);
        free(sl->rows);
        free(sl->error);
        memset(sl, 0, sizeof *sl);
        pthread_mutex_lock(&pl->lock);
        pl->written++;
        wrote = 1;
    }
    return wrote;
}

/* A walk of o->dir without the run's own outputs. */
static walker *walk_inputs(const stance_batch_options *o, stance_error *err)
{
    walker *w = walker_new(o->dir, err);
    for (size_t i = 0; w && i < o->exclude_count; i++)
        walker_exclude(w, o->exclude[i]);
    return w;
}

static void report_unreadable(void *ctx, const char *path, int errnum)
{
    const stance_batch_options *o = ctx;
    if (o->on_error) {
        char message[256];
        snprintf(message, sizeof message, "cannot read the directory: %s", strerror(errnum));
        o->on_error(o->ctx, path, message);
    }
}

/* Counts the files of the shard and their bytes, for progress and ETA. */
static void count_files(const stance_batch_options *o, stance_batch_stats *st)
{
    walker *w = walk_inputs(o, NULL);
    const char *rel, *path;
    struct stat sb;
    while (w && (path = walker_next(w, &rel)) != NULL)
        if (stance_batch_in_shard(rel, o->shard, o->shards)) {
            st->files_total++;
            if (stat(path, &sb) == 0)
                st->bytes_total += (size_t)sb.st_size;
        }
    walker_free(w);
}

int stance_batch_run(const stance_model *model, const stance_batch_options *o,
                     stance_batch_stats *st, stance_error *err)
{
    memset(st, 0, sizeof *st);
    if (o->shards && (o->shard < 1 || o->shard > o->shards))
        return stance_error_set(err, STANCE_E_USAGE, NULL, "shard %u is not in 1..%u", o->shard,
                                o->shards);
    walker *w = walk_inputs(o, err);
    if (!w)
        return STANCE_E_INPUT;
    walker_on_unreadable(w, report_unreadable, (void *)o);
    int threads = o->threads < 1 ? 1 : o->threads;
    pipeline pl = {.model = model, .window = (size_t)threads * WINDOW_PER_THREAD};
    pl.ring = xcalloc(pl.window, sizeof *pl.ring);
    pthread_mutex_init(&pl.lock, NULL);
    pthread_cond_init(&pl.work, NULL);
    pthread_cond_init(&pl.done, NULL);
    worker *workers = xcalloc((size_t)threads, sizeof *workers);
    pthread_t *tids = xcalloc((size_t)threads, sizeof *tids);
    int rc = STANCE_OK, started = 0, write_failed = 0;
    for (int t = 0; t < threads && rc == STANCE_OK; t++) {
        workers[t].pl = &pl;
        workers[t].scorer = stance_scorer_new(model, err);
        if (!workers[t].scorer) {
            rc = STANCE_E_MODEL;
            break;
        }
        if (o->summary)
            workers[t].summary = stance_summary_for_model(model);
    }
    if (rc == STANCE_OK && stance_write_csv_header(o->units, model, err) != STANCE_OK)
        rc = STANCE_E_IO;
    if (rc == STANCE_OK && o->on_progress)
        count_files(o, st);
    for (int t = 0; rc == STANCE_OK && t < threads; t++) {
        if (pthread_create(&tids[t], NULL, work, &workers[t]) != 0) {
            rc = stance_error_set(err, STANCE_E_IO, NULL, "cannot start a worker thread");
            break;
        }
        started = t + 1;
    }
    const char *rel, *path;
    pthread_mutex_lock(&pl.lock);
    while (rc == STANCE_OK && (path = walker_next(w, &rel)) != NULL) {
        if (!stance_batch_in_shard(rel, o->shard, o->shards))
            continue;
        while (pl.assigned - pl.written >= pl.window)
            drain(&pl, o, st, 1, &write_failed);
        slot *sl = &pl.ring[pl.assigned % pl.window];
        sl->path = xstrdup(path);
        sl->state = SLOT_QUEUED;
        pl.assigned++;
        pthread_cond_signal(&pl.work);
        drain(&pl, o, st, 0, &write_failed);
    }
    pl.producer_done = 1;
    pthread_cond_broadcast(&pl.work);
    while (pl.written < pl.assigned)
        drain(&pl, o, st, 1, &write_failed);
    pthread_mutex_unlock(&pl.lock);
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);

    const walk_skips *sk = walker_skips(w);
    st->skipped_hidden = sk->hidden;
    st->skipped_loops = sk->loops;
    st->skipped_broken = sk->broken;
    st->skipped_other = sk->other;
    st->unreadable_dirs = sk->unreadable;
    for (int t = 0; t < threads; t++) {
        if (rc == STANCE_OK && o->summary && workers[t].summary)
            stance_summary_merge(o->summary, workers[t].summary, NULL);
        stance_summary_free(workers[t].summary);
        stance_scorer_free(workers[t].scorer);
    }
    if (rc == STANCE_OK && (write_failed || fflush(o->units) != 0 || ferror(o->units)))
        rc = stance_error_set(err, STANCE_E_IO, NULL, "cannot write the units");
    for (size_t i = 0; i < pl.window; i++) {
        free(pl.ring[i].path);
        free(pl.ring[i].rows);
        free(pl.ring[i].error);
    }
    free(pl.ring);
    free(workers);
    free(tids);
    pthread_mutex_destroy(&pl.lock);
    pthread_cond_destroy(&pl.work);
    pthread_cond_destroy(&pl.done);
    walker_free(w);
    return rc;
}
