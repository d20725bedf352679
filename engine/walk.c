#include "walk.h"
#include "alloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    char *name; /* the entry's name */
    char *key;  /* name, or name + '/' for a directory: the sort key */
    int is_dir;
} entry;

typedef struct {
    size_t path_len; /* length of this directory's path in w->path */
    entry *entries;
    size_t count, next;
    dev_t dev;
    ino_t ino;
} frame;

struct walker {
    strbuf path;   /* the current path, root first */
    size_t root_len;
    frame *stack;
    size_t depth, cap;
    walk_skips skips;
    struct stat *excluded;
    size_t excluded_count;
    void (*on_unreadable)(void *ctx, const char *path, int errnum);
    void *ctx;
};

static int by_key(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

static void free_entries(frame *f)
{
    for (size_t i = 0; i < f->count; i++) {
        free(f->entries[i].name);
        free(f->entries[i].key);
    }
    free(f->entries);
    f->entries = NULL;
    f->count = f->next = 0;
}

/* Whether (dev, ino) is a directory already on the stack: a link loop. */
static int on_stack(const walker *w, dev_t dev, ino_t ino)
{
    for (size_t i = 0; i < w->depth; i++)
        if (w->stack[i].dev == dev && w->stack[i].ino == ino)
            return 1;
    return 0;
}

static int is_excluded(const walker *w, const struct stat *st)
{
    for (size_t i = 0; i < w->excluded_count; i++)
        if (w->excluded[i].st_dev == st->st_dev && w->excluded[i].st_ino == st->st_ino)
            return 1;
    return 0;
}

/* Lists the directory at w->path (which is st) as a new frame. */
static int push_dir(walker *w, const struct stat *st)
{
    DIR *d = opendir(w->path.data);
    if (!d) {
        int e = errno;
        w->skips.unreadable++;
        if (w->on_unreadable)
            w->on_unreadable(w->ctx, w->path.data, e);
        return -1;
    }
    grow_array((void **)&w->stack, &w->cap, w->depth + 1, sizeof *w->stack);
    frame *f = &w->stack[w->depth++];
    memset(f, 0, sizeof *f);
    f->path_len = w->path.len;
    f->dev = st->st_dev;
    f->ino = st->st_ino;
    size_t cap = 0;
    struct dirent *de;
    strbuf full = {0};
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') {
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                w->skips.hidden++;
            continue;
        }
        strbuf_reset(&full);
        strbuf_addf(&full, "%s/%s", w->path.data, de->d_name);
        struct stat es;
        int is_dir = stat(full.data, &es) == 0 && S_ISDIR(es.st_mode);
        grow_array((void **)&f->entries, &cap, f->count + 1, sizeof *f->entries);
        entry *e = &f->entries[f->count++];
        e->name = xstrdup(de->d_name);
        e->is_dir = is_dir;
        strbuf key = {0};
        strbuf_addf(&key, "%s%s", de->d_name, is_dir ? "/" : "");
        e->key = strbuf_detach(&key);
    }
    strbuf_free(&full);
    closedir(d);
    if (f->count > 1)
        qsort(f->entries, f->count, sizeof *f->entries, by_key);
    return 0;
}

walker *walker_new(const char *root, stance_error *err)
{
    struct stat st;
    if (stat(root, &st) != 0) {
        stance_error_set(err, STANCE_E_INPUT, root, "cannot open: %s", strerror(errno));
        return NULL;
    }
    if (!S_ISDIR(st.st_mode)) {
        stance_error_set(err, STANCE_E_INPUT, root,
                         "not a directory (use `stance score FILE` for one article)");
        return NULL;
    }
    walker *w = xcalloc(1, sizeof *w);
    strbuf_adds(&w->path, root);
    while (w->path.len > 1 && w->path.data[w->path.len - 1] == '/')
        w->path.data[--w->path.len] = '\0';
    w->root_len = w->path.len;
    if (push_dir(w, &st) != 0) {
        stance_error_set(err, STANCE_E_INPUT, root, "cannot read the directory: %s",
                         strerror(errno));
        walker_free(w);
        return NULL;
    }
    return w;
}

const char *walker_next(walker *w, const char **relative)
{
    while (w->depth > 0) {
        frame *f = &w->stack[w->depth - 1];
        if (f->next >= f->count) {
            free_entries(f);
            w->depth--;
            continue;
        }
        entry *e = &f->entries[f->next++];
        w->path.len = f->path_len;
        w->path.data[w->path.len] = '\0';
        strbuf_addf(&w->path, "/%s", e->name);
        struct stat lst, st;
        if (lstat(w->path.data, &lst) != 0) {
            w->skips.broken++;
            continue;
        }
        if (stat(w->path.data, &st) != 0) {
            w->skips.broken++; /* a link to nothing */
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (on_stack(w, st.st_dev, st.st_ino)) {
                w->skips.loops++;
                continue;
            }
            push_dir(w, &st);
            continue;
        }
        if (!S_ISREG(st.st_mode)) {
            w->skips.other++;
            continue;
        }
        if (is_excluded(w, &st)) {
            w->skips.excluded++;
            continue;
        }
        *relative = w->path.data + w->root_len + 1;
        return w->path.data;
    }
    return NULL;
}

void walker_exclude(walker *w, const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return;
    w->excluded = xrealloc(w->excluded, (w->excluded_count + 1) * sizeof *w->excluded);
    w->excluded[w->excluded_count++] = st;
}

void walker_on_unreadable(walker *w, void (*fn)(void *ctx, const char *path, int errnum),
                          void *ctx)
{
    w->on_unreadable = fn;
    w->ctx = ctx;
}

const walk_skips *walker_skips(const walker *w)
{
    return &w->skips;
}

void walker_free(walker *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->depth; i++)
        free_entries(&w->stack[i]);
    free(w->stack);
    free(w->excluded);
    strbuf_free(&w->path);
    free(w);
}
