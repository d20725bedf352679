/* check.h - a tiny unit-test harness: no framework, no allocation.
 *
 * CHECK(cond), CHECK_EQ_INT(a, b), CHECK_EQ_U64(a, b), CHECK_EQ_STR(a, b),
 * CHECK_NEAR(a, b, tol) and CHECK_CONTAINS(haystack, needle) count a pass or
 * a failure; a failure prints file:line, the case it belongs to, the
 * expression and both values. Each macro is an expression worth 1 on pass and
 * 0 on failure, so a case can stop early: `if (!CHECK(p)) return;`.
 *
 * Cases are static functions run by RUN_CASE(fn), which names the case in
 * failure messages. RUN_CASE_ISOLATED(fn) runs one in a child process, so
 * that a crash there (a sanitizer report, a signal) counts as one failure
 * instead of ending the run; its checks are counted as usual, but what it
 * changes in memory is lost. check_summary() prints the one closing line
 * `N passed, N failed` and returns the exit status.
 *
 * The check_*_at functions take the location explicitly so that helpers in a
 * test file can report their caller's line.
 */
#ifndef STANCE_CHECK_H
#define STANCE_CHECK_H

#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

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

static void check_run_isolated(void (*fn)(void), const char *name)
{
    int fds[2], counts[2] = {0, 0}, status = 0;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = pipe(fds) == 0 ? fork() : -1;
    if (pid == 0) {
        close(fds[0]);
        check_passed = check_failed = 0;
        check_case_name = name;
        fn();
        counts[0] = check_passed;
        counts[1] = check_failed;
        int ok = write(fds[1], counts, sizeof counts) == (ssize_t)sizeof counts;
        exit(ok ? 0 : 1); /* exit, not _exit: leak checkers run at exit */
    }
    if (pid < 0) {
        check_failed++;
        fprintf(stderr, "case %s: cannot start a child process\n", name);
        return;
    }
    close(fds[1]);
    ssize_t got = read(fds[0], counts, sizeof counts);
    close(fds[0]);
    waitpid(pid, &status, 0);
    if (got == (ssize_t)sizeof counts) {
        check_passed += counts[0];
        check_failed += counts[1];
    }
    if (got != (ssize_t)sizeof counts || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        check_failed++;
        if (WIFSIGNALED(status))
            fprintf(stderr, "case %s: crashed (signal %d)\n", name, WTERMSIG(status));
        else
            fprintf(stderr, "case %s: crashed (exit status %d)\n", name, WEXITSTATUS(status));
    } else if (counts[1]) {
        fprintf(stderr, "case %s: %d failed\n", name, counts[1]);
    }
}

#define RUN_CASE_ISOLATED(fn) check_run_isolated(fn, #fn)

/* Prints `N passed, N failed` and returns the process exit status. */
static int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    fflush(stdout);
    return check_failed ? 1 : 0;
}

#endif
