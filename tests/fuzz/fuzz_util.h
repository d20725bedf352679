/* fuzz_util.h - shared by the libFuzzer harnesses of tests/fuzz: the project
 * root (FUZZ_ROOT or the working directory, as `make fuzz` runs them), a
 * private temporary directory, and files written from the fuzzer's bytes. */
#ifndef STANCE_FUZZ_UTIL_H
#define STANCE_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stance.h"

static inline const char *fuzz_root(void)
{
    const char *r = getenv("FUZZ_ROOT");
    return r && *r ? r : ".";
}

/* A directory of this process, made once. */
static inline const char *fuzz_tmp(void)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/stance-fuzz.XXXXXX");
        if (!mkdtemp(dir))
            abort();
    }
    return dir;
}

static inline void fuzz_path(char *out, size_t size, const char *dir, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static inline void fuzz_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (len && fwrite(data, 1, len, f) != len)
        abort();
    fclose(f);
}

static inline char *fuzz_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        abort();
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Copies every regular file named in names from one directory to another. */
static inline void fuzz_copy(const char *from, const char *to, const char *const *names)
{
    char a[4096], b[4096];
    for (size_t i = 0; names[i]; i++) {
        fuzz_path(a, sizeof a, from, names[i]);
        fuzz_path(b, sizeof b, to, names[i]);
        size_t len;
        char *data = fuzz_slurp(a, &len);
        fuzz_write(b, data, len);
        free(data);
    }
}

/* The shipped model and lexicons of the project root, loaded once. */
static inline const stance_model *fuzz_shipped_model(void)
{
    static stance_model *model;
    if (!model) {
        char dir[4096], lex[4096];
        stance_error err = {0};
        fuzz_path(dir, sizeof dir, fuzz_root(), "models/default");
        fuzz_path(lex, sizeof lex, fuzz_root(), "lexicons");
        if (stance_model_load(dir, lex, &model, &err) != STANCE_OK)
            abort();
    }
    return model;
}

#endif
