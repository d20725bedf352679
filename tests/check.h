/* check.h - a tiny unit-test harness: no framework, no allocation.
 *
 * CHECK(cond), CHECK_EQ_INT(a, b), CHECK_EQ_U64(a, b), CHECK_EQ_STR(a, b),
 * CHECK_NEAR(a, b, tol) and CHECK_CONTAINS(haystack, needle) count a pass or
 * a failure; a failure prints file:line, the case it belongs to, the
 * expression and both values. Each macro is an expression worth 1 on pass and
 * 0 on failure, so a case can stop early: `if (!CHECK(p)) return;`.
 *
 * Cases are static functions run by RUN_CASE(fn), which names the case in
 * failure messages. check_summary() prints the one closing line
 * `N passed, N failed` and returns the exit status.
 *
 * The check_*_at functions take the location explicitly so that helpers in a
 * test file can report their caller's line.
 */
#ifndef STANCE_CHECK_H
#define STANCE_CHECK_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;
static const char *check_case_name = "";

static int check_record(int ok, const char *file, int line)
{
    if (ok) {
        check_passed++;
        return 1;
    }
    check_failed++;
    fprintf(stderr, "%s:%d: [%s] FAILED: ", file, line, check_case_name);
    return 0;
}

static int check_true_at(const char *file, int line, int ok, const char *expr)
{
    if (!check_record(ok, file, line))
        fprintf(stderr, "%s\n", expr);
    return ok;
}

static int check_eq_int_at(const char *file, int line, long long a, long long b, const char *ea,
                           const char *eb)
{
    int ok = a == b;
    if (!check_record(ok, file, line))
        fprintf(stderr, "%s == %s: %lld != %lld\n", ea, eb, a, b);
    return ok;
}

static int check_eq_u64_at(const char *file, int line, uint64_t a, uint64_t b, const char *ea,
                           const char *eb)
{
    int ok = a == b;
    if (!check_record(ok, file, line))
        fprintf(stderr, "%s == %s: %016llx != %016llx\n", ea, eb, (unsigned long long)a,
                (unsigned long long)b);
    return ok;
}

static int check_eq_str_at(const char *file, int line, const char *a, const char *b,
                           const char *ea, const char *eb)
{
    int ok = a && b ? strcmp(a, b) == 0 : a == b;
    if (!check_record(ok, file, line))
        fprintf(stderr, "%s == %s: \"%s\" != \"%s\"\n", ea, eb, a ? a : "(null)",
                b ? b : "(null)");
    return ok;
}

static int check_near_at(const char *file, int line, double a, double b, double tol,
                         const char *ea, const char *eb)
{
    int ok = fabs(a - b) <= tol; /* false for NaN */
    if (!check_record(ok, file, line))
        fprintf(stderr, "%s ~= %s: %.17g != %.17g (tolerance %g)\n", ea, eb, a, b, tol);
    return ok;
}

static int check_contains_at(const char *file, int line, const char *s, const char *needle,
                             const char *es)
{
    int ok = s && needle && strstr(s, needle) != NULL;
    if (!check_record(ok, file, line))
        fprintf(stderr, "%s contains \"%s\": \"%s\"\n", es, needle ? needle : "(null)",
                s ? s : "(null)");
    return ok;
}

#define CHECK(cond) check_true_at(__FILE__, __LINE__, (cond) != 0, #cond)
#define CHECK_EQ_INT(a, b) \
    check_eq_int_at(__FILE__, __LINE__, (long long)(a), (long long)(b), #a, #b)
#define CHECK_EQ_U64(a, b) \
    check_eq_u64_at(__FILE__, __LINE__, (uint64_t)(a), (uint64_t)(b), #a, #b)
#define CHECK_EQ_STR(a, b) check_eq_str_at(__FILE__, __LINE__, (a), (b), #a, #b)
#define CHECK_NEAR(a, b, tol) \
    check_near_at(__FILE__, __LINE__, (double)(a), (double)(b), (double)(tol), #a, #b)
#define CHECK_CONTAINS(s, needle) check_contains_at(__FILE__, __LINE__, (s), (needle), #s)

/* Runs one case; a case with failures is named once more at its end. */
#define RUN_CASE(fn)                                                        \
    do {                                                                    \
        int failed_before_ = check_failed;                                  \
        check_case_name = #fn;                                              \
        fn();                                                               \
        if (check_failed != failed_before_)                                 \
            fprintf(stderr, "case %s: %d failed\n", #fn,                    \
                    check_failed - failed_before_);                         \
        check_case_name = "";                                               \
    } while (0)

/* Prints `N passed, N failed` and returns the process exit status. */
static int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    fflush(stdout);
    return check_failed ? 1 : 0;
}

#endif
