#include "svmfile.h"
#include "alloc.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { KEY_SVM_TYPE, KEY_KERNEL_TYPE, KEY_NR_CLASS, KEY_TOTAL_SV, KEY_RHO, KEY_LABEL,
       KEY_PROB_A, KEY_PROB_B, KEY_NR_SV, KEY_COUNT };
static const char *const key_names[KEY_COUNT] = {"svm_type", "kernel_type", "nr_class",
                                                 "total_sv", "rho",         "label",
                                                 "probA",    "probB",       "nr_sv"};

typedef struct {
    const char *path;
    FILE *f;
    size_t line;
    strbuf text;
    stance_error *err;
} reader;

static int fail(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(reader *r, const char *fmt, ...)
{
    char message[512], where[4200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    snprintf(where, sizeof where, "%s:%zu", r->path, r->line);
    return stance_error_set(r->err, STANCE_E_MODEL, where, "%s", message);
}

/* The next line into r->text, without its newline: 1, or 0 at the end of
 * the file, or -1 after an error (a line too long, a read error, a NUL). */
static int next_line(reader *r)
{
    strbuf_reset(&r->text);
    char chunk[8192];
    int got = 0;
    while (fgets(chunk, sizeof chunk, r->f)) {
        got = 1;
        size_t n = strlen(chunk);
        strbuf_add(&r->text, chunk, n);
        if (r->text.len > SVMFILE_LINE_MAX) {
            r->line++;
            return fail(r, "a line longer than %zu bytes", SVMFILE_LINE_MAX), -1;
        }
        if (n && chunk[n - 1] == '\n')
            break;
    }
    if (ferror(r->f)) {
        r->line++;
        return fail(r, "read error: %s", strerror(errno)), -1;
    }
    if (!got)
        return 0;
    r->line++;
    if (strlen(r->text.data) != r->text.len)
        return fail(r, "a NUL byte"), -1;
    while (r->text.len && (r->text.data[r->text.len - 1] == '\n' ||
                           r->text.data[r->text.len - 1] == '\r'))
        r->text.data[--r->text.len] = '\0';
    return 1;
}

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* A finite number at *s, which then points past it. */
static int read_number(const char **s, double *out)
{
    const char *p = skip_space(*s);
    if (!*p)
        return 0;
    char *end;
    errno = 0;
    double v = strtod(p, &end);
    if (end == p || !isfinite(v) || (*end && *end != ' ' && *end != '\t' && *end != ':'))
        return 0;
    *out = v;
    *s = end;
    return 1;
}

/* A whole number within [min, max] at *s. */
static int read_int(const char **s, long min, long max, long *out)
{
    const char *p = skip_space(*s);
    if (!*p)
        return 0;
    char *end;
    errno = 0;
    long v = strtol(p, &end, 10);
    if (end == p || errno || v < min || v > max || (*end && *end != ' ' && *end != '\t' &&
                                                     *end != ':'))
        return 0;
    *out = v;
    *s = end;
    return 1;
}

/* count finite numbers and nothing else after a key. */
static int read_numbers(reader *r, const char *s, const char *key, size_t count, double **out)
{
    double *v = xcalloc(count ? count : 1, sizeof *v);
    for (size_t i = 0; i < count; i++)
        if (!read_number(&s, &v[i])) {
            free(v);
            return fail(r, "'%s' needs as many finite numbers as class pairs", key);
        }
    if (*skip_space(s)) {
        free(v);
        return fail(r, "'%s' has more numbers than class pairs", key);
    }
    *out = v;
    return STANCE_OK;
}

static int read_header(reader *r, size_t classes, svm_linear *m, long *nr_sv, long *total_sv)
{
    int seen[KEY_COUNT] = {0};
    for (;;) {
        int got = next_line(r);
        if (got < 0)
            return STANCE_E_MODEL;
        if (got == 0)
            return fail(r, "the file ends before the 'SV' line");
        const char *s = skip_space(r->text.data);
        if (strcmp(s, "SV") == 0)
            break;
        size_t klen = strcspn(s, " \t");
        size_t k = 0;
        while (k < KEY_COUNT && !(strlen(key_names[k]) == klen && memcmp(key_names[k], s, klen) == 0))
            k++;
        strbuf key = {0};
        strbuf_add(&key, s, klen);
        int rc = STANCE_OK;
        if (k == KEY_COUNT)
            rc = fail(r, "unknown header key '%s'", key.data);
        else if (seen[k])
            rc = fail(r, "'%s' given twice", key.data);
        else if (k > KEY_TOTAL_SV && !seen[KEY_NR_CLASS])
            rc = fail(r, "'%s' before nr_class", key.data);
        strbuf_free(&key);
        if (rc != STANCE_OK)
            return rc;
        seen[k] = 1;
        const char *v = skip_space(s + klen);
        long n;
        switch (k) {
        case KEY_SVM_TYPE:
            if (strcmp(v, "c_svc") != 0)
                return fail(r, "svm_type must be c_svc, not '%s'", v);
            break;
        case KEY_KERNEL_TYPE:
            if (strcmp(v, "linear") != 0)
                return fail(r, "kernel_type must be linear, not '%s'", v);
            break;
        case KEY_NR_CLASS:
            if (!read_int(&v, 2, 1000, &n) || *skip_space(v))
                return fail(r, "nr_class must be a whole number of 2 or more");
            if ((size_t)n != classes) {
                return fail(r, "nr_class differs from the %zu labels of model.conf", classes);
            }
            m->class_count = (size_t)n;
            m->pair_count = classes * (classes - 1) / 2;
            break;
        case KEY_TOTAL_SV:
            if (!read_int(&v, 1, SVMFILE_SV_MAX, total_sv) || *skip_space(v))
                return fail(r, "total_sv must be a whole number from 1 to %ld", SVMFILE_SV_MAX);
            break;
        case KEY_RHO:
            if (read_numbers(r, v, "rho", m->pair_count, &m->rho) != STANCE_OK)
                return STANCE_E_MODEL;
            break;
        case KEY_PROB_A:
            if (read_numbers(r, v, "probA", m->pair_count, &m->prob_a) != STANCE_OK)
                return STANCE_E_MODEL;
            break;
        case KEY_PROB_B:
            if (read_numbers(r, v, "probB", m->pair_count, &m->prob_b) != STANCE_OK)
                return STANCE_E_MODEL;
            break;
        case KEY_LABEL: {
            m->class_label = xcalloc(classes, sizeof *m->class_label);
            unsigned char *used = xcalloc(classes, 1);
            int bad = 0;
            for (size_t c = 0; c < classes && !bad; c++) {
                bad = !read_int(&v, 0, (long)classes - 1, &n) || used[n];
                if (!bad) {
                    used[n] = 1;
                    m->class_label[c] = (size_t)n;
                }
            }
            free(used);
            if (bad || *skip_space(v))
                return fail(r, "label must list each class 0..nr_class-1 once");
            break;
        }
        case KEY_NR_SV:
            for (size_t c = 0; c < classes; c++)
                if (!read_int(&v, 0, SVMFILE_SV_MAX, &nr_sv[c]))
                    return fail(r, "nr_sv needs a count of 0 or more for each class");
            if (*skip_space(v))
                return fail(r, "nr_sv has more counts than classes");
            break;
        }
    }
    for (size_t k = 0; k < KEY_COUNT; k++)
        if (!seen[k])
            return fail(r, "the header has no '%s' (probability estimates are required)",
                        key_names[k]);
    long sum = 0;
    for (size_t c = 0; c < classes; c++)
        sum += nr_sv[c];
    if (sum != *total_sv)
        return fail(r, "nr_sv does not add up to total_sv");
    return STANCE_OK;
}

int svmfile_read(const char *path, size_t classes, size_t dim, svm_linear *out,
                 stance_error *err)
{
    memset(out, 0, sizeof *out);
    reader r = {.path = path, .err = err};
    if (!(r.f = fopen(path, "rb")))
        return stance_error_set(err, STANCE_E_MODEL, path, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(r.f), &st) == 0 && st.st_size > SVMFILE_SIZE_MAX) {
        fclose(r.f);
        return stance_error_set(err, STANCE_E_MODEL, path,
                                "larger than 512 MB: not a model stance would write");
    }
    out->dim = dim;
    long *nr_sv = xcalloc(classes ? classes : 1, sizeof *nr_sv), total_sv = 0;
    double *coef = xcalloc(classes ? classes : 1, sizeof *coef);
    int rc = read_header(&r, classes, out, nr_sv, &total_sv);
    /* the weights are pairs x features: refuse what would not fit sensibly */
    if (rc == STANCE_OK && (double)out->pair_count * (double)(dim + 1) > SVMFILE_WEIGHTS_MAX)
        rc = fail(&r, "the model is too large: its classes and features need more than %.0f "
                      "weights", SVMFILE_WEIGHTS_MAX);
    if (rc == STANCE_OK)
        out->weights = xcalloc(out->pair_count * (dim + 1), sizeof *out->weights);
    size_t c = 0;
    long left = rc == STANCE_OK ? nr_sv[0] : 0;
    for (long t = 0; rc == STANCE_OK && t < total_sv; t++) {
        while (left == 0)
            left = nr_sv[++c];
        left--;
        int got = next_line(&r);
        if (got <= 0) {
            rc = got < 0 ? STANCE_E_MODEL : fail(&r, "the file ends before total_sv vectors");
            break;
        }
        const char *s = r.text.data;
        for (size_t i = 0; i + 1 < classes && rc == STANCE_OK; i++)
            if (!read_number(&s, &coef[i]) || *s == ':')
                rc = fail(&r, "a vector line needs nr_class - 1 finite coefficients");
        long last = 0;
        while (rc == STANCE_OK && *(s = skip_space(s))) {
            long index;
            double value;
            if (!read_int(&s, 1, LONG_MAX, &index) || *s != ':') {
                rc = fail(&r, "a feature must be INDEX:VALUE");
                break;
            }
            s++;
            if (!read_number(&s, &value)) {
                rc = fail(&r, "a feature value must be a finite number");
            } else if (index <= last) {
                rc = fail(&r, "feature indices must increase");
            } else if ((size_t)index > dim) {
                rc = fail(&r, "a feature index beyond features.tsv");
            } else {
                last = index;
                /* Class c's vectors carry their coefficient for class o in
                 * row o - 1 when o > c, in row o when o < c. */
                size_t pair = 0;
                for (size_t i = 0; i < classes; i++)
                    for (size_t j = i + 1; j < classes; j++, pair++)
                        if (i == c || j == c)
                            out->weights[pair * (dim + 1) + (size_t)index] +=
                                coef[i == c ? j - 1 : i] * value;
            }
        }
    }
    if (rc == STANCE_OK) {
        int got;
        while ((got = next_line(&r)) > 0)
            if (*skip_space(r.text.data)) {
                rc = fail(&r, "more vectors than total_sv");
                break;
            }
        if (got < 0)
            rc = STANCE_E_MODEL;
    }
    fclose(r.f);
    strbuf_free(&r.text);
    free(nr_sv);
    free(coef);
    if (rc != STANCE_OK)
        svmfile_free(out);
    return rc;
}

void svmfile_free(svm_linear *m)
{
    free(m->class_label);
    free(m->rho);
    free(m->prob_a);
    free(m->prob_b);
    free(m->weights);
    memset(m, 0, sizeof *m);
}
