/* outfile.c - output files written whole or not at all (outfile.h). */
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Temporaries a signal must remove: copied into fixed buffers, because a
 * handler may only call async-signal-safe functions (unlink, raise). */
#define SIGNAL_SLOTS 8
static char pending[SIGNAL_SLOTS][PATH_MAX];
static volatile sig_atomic_t pending_used[SIGNAL_SLOTS];

static void remove_pending(int sig)
{
    for (int k = 0; k < SIGNAL_SLOTS; k++)
        if (pending_used[k])
            unlink(pending[k]);
    signal(sig, SIG_DFL);
    raise(sig);
}

void outfile_catch_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t k = 0; k < sizeof sigs / sizeof *sigs; k++) {
        struct sigaction sa = {0};
        sa.sa_handler = remove_pending;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[k], &sa, NULL);
    }
}

static int remember(const char *path)
{
    if (strlen(path) >= PATH_MAX)
        return -1;
    for (int k = 0; k < SIGNAL_SLOTS; k++)
        if (!pending_used[k]) {
            memcpy(pending[k], path, strlen(path) + 1);
            pending_used[k] = 1;
            return k;
        }
    return -1;
}

static void forget(outfile *o)
{
    if (o->slot >= 0)
        pending_used[o->slot] = 0;
    o->slot = -1;
}

/* Removes .BASE.tmp.PID files of dir whose process no longer exists: what
 * an earlier run killed with SIGKILL left behind. */
static void remove_stale(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t n = strlen(base);
    struct dirent *de;
    strbuf path = {0};
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        if (name[0] != '.' || strncmp(name + 1, base, n) != 0 || strncmp(name + 1 + n, ".tmp.", 5))
            continue;
        char *end;
        long pid = strtol(name + n + 6, &end, 10);
        if (*end || pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        strbuf_reset(&path);
        strbuf_addf(&path, "%s/%s", dir, name);
        unlink(path.data);
    }
    strbuf_free(&path);
    closedir(d);
}

FILE *outfile_open(outfile *o, const char *path, stance_error *err)
{
    strbuf_reset(&o->tmp);
    strbuf_reset(&o->final);
    o->slot = -1;
    o->f = NULL;
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        strbuf_adds(&o->tmp, path);
    } else {
        char *real = realpath(path, NULL); /* NULL when it does not exist yet */
        strbuf_adds(&o->final, real ? real : path);
        free(real);
        const char *slash = strrchr(o->final.data, '/');
        size_t dir_len = slash ? (size_t)(slash - o->final.data) : 0;
        const char *base = slash ? slash + 1 : o->final.data;
        char *dir = slash ? xstrndup(o->final.data, dir_len ? dir_len : 1) : xstrdup(".");
        remove_stale(dir, base);
        if (slash)
            strbuf_addf(&o->tmp, "%s/.%s.tmp.%ld", dir_len ? dir : "", base, (long)getpid());
        else
            strbuf_addf(&o->tmp, ".%s.tmp.%ld", base, (long)getpid());
        free(dir);
        o->slot = remember(o->tmp.data);
    }
    o->f = fopen(o->tmp.data, "wb");
    if (!o->f) {
        forget(o);
        stance_error_set(err, STANCE_E_IO, path, "cannot write: %s", strerror(errno));
    }
    return o->f;
}

static void discard(outfile *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    if (o->final.len && o->tmp.len)
        unlink(o->tmp.data);
    forget(o);
}

int outfile_finish(outfile *o, const char *path, int ok, stance_error *err)
{
    int failed = fflush(o->f) != 0 || ferror(o->f);
    /* fsync: a rename that reaches the disk before the data would leave an
     * empty file in place after a crash */
    if (!failed && o->final.len && fsync(fileno(o->f)) != 0)
        failed = 1;
    int closed = fclose(o->f) == 0;
    o->f = NULL;
    if (!ok || failed || !closed) {
        discard(o);
        return ok ? stance_error_set(err, STANCE_E_IO, path, "write failed: %s", strerror(errno))
                  : STANCE_E_IO;
    }
    return STANCE_OK;
}

int outfile_publish(outfile *o, const char *path, stance_error *err)
{
    if (o->final.len && rename(o->tmp.data, o->final.data) != 0) {
        int e = errno;
        discard(o);
        return stance_error_set(err, STANCE_E_IO, path, "cannot rename into place: %s",
                                strerror(e));
    }
    forget(o);
    strbuf_reset(&o->tmp);
    return STANCE_OK;
}

void outfile_free(outfile *o)
{
    discard(o);
    strbuf_free(&o->tmp);
    strbuf_free(&o->final);
}

/* path with its directory resolved, for names of files not yet made. */
static char *resolved(const char *path)
{
    char *real = realpath(path, NULL);
    if (real)
        return real;
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
    char *real_dir = realpath(dir, NULL);
    free(dir);
    strbuf sb = {0};
    strbuf_addf(&sb, "%s/%s", real_dir ? real_dir : "?", slash ? slash + 1 : path);
    free(real_dir);
    return strbuf_detach(&sb);
}

int outfile_same(const char *a, const char *b)
{
    char *ra = resolved(a), *rb = resolved(b);
    int same = strcmp(ra, rb) == 0;
    free(ra);
    free(rb);
    return same;
}
