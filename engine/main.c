/* main.c - the `stance` program: a table of commands over libstance. */
#include "stance.h"
#include "alloc.h"
#include "outfile.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum exit_code { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_BAD_INPUT = 2, EXIT_PARTIAL = 3 };

typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
    const char *usage;
} command;

static int cmd_score(int argc, char **argv);
static int cmd_batch(int argc, char **argv);
static int cmd_merge(int argc, char **argv);
static int cmd_train(int argc, char **argv);
static int cmd_eval(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const command commands[] = {
    {"score", cmd_score, "score one article (a file, or - for standard input)",
     "stance score [FILE|-] [--format text|json|csv] [--model DIR] [--lexicons DIR]\n"
     "             [--width N] [--explain N] [--summary COUNTRIES.csv]\n"
     "  Scores every paragraph of the article for stance toward the Taliban.\n"
     "  --format   text (a table, the default), json or csv\n"
     "  --model    model directory (default: the shipped models/default)\n"
     "  --lexicons lexicon directory (default: the shipped lexicons/)\n"
     "  --width    wrap text output to N columns (default: the terminal, or 80)\n"
     "  --explain  for each unit, the N features that pushed its stance most and\n"
     "             the tone cues with their signed contributions (text and json)\n"
     "  --summary  also write the per-country summary as CSV to this file\n"},
    {"batch", cmd_batch, "score every file under a directory into one CSV",
     "stance batch DIR -o UNITS.csv [--summary COUNTRIES.csv] [-j N] [--shard K/N]\n"
     "             [--model DIR] [--lexicons DIR]\n"
     "  Scores every regular file under DIR (recursively, in path order; hidden\n"
     "  files skipped) into one CSV row per unit, and the per-country summary over\n"
     "  all files. A file that cannot be read or is not text is reported and\n"
     "  skipped; the exit code is then 3. Outputs are written to temporary names\n"
     "  and renamed when complete.\n"
     "  -j N        worker threads (default: the number of processors); the output\n"
     "              is the same for any N\n"
     "  --shard K/N score only the K-th of N disjoint parts of DIR (a stable hash\n"
     "              of each file's path below DIR), for `stance merge` to combine\n"},
    {"merge", cmd_merge, "merge per-country summaries of shards into one",
     "stance merge SUMMARY.csv... -o TOTAL.csv\n"
     "  Sums the summaries written by `batch --summary` (or `score --summary`);\n"
     "  sums are exact, so merged shards equal a single run.\n"},
    {"train", cmd_train, "train a model from labeled data",
     "stance train DATA.tsv -o MODEL_DIR [--folds K] [--ngrams MIN-MAX] [--min-df N]\n"
     "             [--char-ngrams MIN-MAX|none] [--char-span word|text]\n"
     "             [--target-features auto|on|off]\n"
     "             [--weighting binary|logtf|tfidf] [--no-l2] [--cue-weight X]\n"
     "             [--stemmer LANG] [--lexicons DIR] [--seed N] [--threads N]\n"
     "  DATA.tsv is UTF-8 TSV with a header `label<TAB>text` (further columns ignored).\n"
     "  Selects C and class weights by K-fold cross-validation (default K 5), trains\n"
     "  with probability estimates, writes MODEL_DIR and prints the cross-validated\n"
     "  scores of the chosen setting. Defaults: word n-grams 1-2, no character\n"
     "  n-grams (MIN-MAX up to 8, within words, or across them with --char-span\n"
     "  text), min-df 2, tfidf, L2, cue weight 0.5,\n"
     "  stemmer english, seed 1, one cross-validation thread per processor (the\n"
     "  result does not depend on the number of threads). The lexicon and holder\n"
     "  features speak of the Taliban: auto keeps them only when a row names the\n"
     "  target, so a model of another target is trained without them.\n"},
    {"eval", cmd_eval, "score labeled data and print precision, recall, F1",
     "stance eval DATA.tsv [--model DIR] [--lexicons DIR] [--errors ERRORS.tsv]\n"
     "  Prints per-class precision, recall and F1, macro-F1, accuracy and the\n"
     "  confusion matrix of the model on DATA.tsv.\n"
     "  --errors  also write every misclassified example as TSV: its line in\n"
     "            DATA.tsv, gold and predicted labels, probabilities and text\n"},
    {"help", cmd_help, "show usage of stance or of one command", "stance help [COMMAND]\n"},
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

/* ---- shared helpers ----------------------------------------------------------------- */

/* Writes s with control characters (a file name may hold a newline, a
 * model file an ESC sequence) as \n, \t or \xHH, so an error stays one
 * line and never drives the terminal. */
static void put_escaped(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n')
            fputs("\\n", stderr);
        else if (*p == '\t')
            fputs("\\t", stderr);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(stderr, "\\x%02x", *p);
        else
            fputc(*p, stderr);
    }
}

/* Prints `stance: PATH: message` on one line, both parts escaped. */
static void print_error(const char *where, const char *message)
{
    fputs("stance: ", stderr);
    if (where) {
        put_escaped(where);
        fputs(": ", stderr);
    }
    put_escaped(message ? message : "failed");
    fputc('\n', stderr);
}

static int report(const stance_error *err, const char *fallback_where)
{
    print_error(err->where ? err->where : fallback_where, err->message);
    return err->code == STANCE_E_USAGE ? EXIT_USAGE : EXIT_BAD_INPUT;
}

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    char message[1024];
    snprintf(message, sizeof message, fmt, arg);
    fputs("stance: ", stderr);
    put_escaped(message);
    fprintf(stderr, " (see `stance help %s`)\n", cmd);
    return EXIT_USAGE;
}

/* The command line being parsed: the command, the options it has taken
 * (every option with a value takes one value, so a second is a mistake),
 * and whether "--" has ended the options. */
static struct {
    const char *cmd;
    const char *seen[32];
    size_t seen_count;
    int operands_only;
} parsing;

/* "--": everything after it is a file name, even "-o". */
static int end_of_options(const char *arg)
{
    if (parsing.operands_only || strcmp(arg, "--") != 0)
        return 0;
    parsing.operands_only = 1;
    return 1;
}

static int is_option(const char *arg)
{
    return !parsing.operands_only && arg[0] == '-' && arg[1] != '\0';
}

static int is_flag(const char *arg, const char *name)
{
    return !parsing.operands_only && strcmp(arg, name) == 0;
}

static void take_once(const char *name)
{
    const char *key = strcmp(name, "--output") == 0 ? "-o" : strcmp(name, "--jobs") == 0 ? "-j" : name;
    for (size_t k = 0; k < parsing.seen_count; k++)
        if (strcmp(parsing.seen[k], key) == 0)
            exit(usage_error(parsing.cmd, "%s is given twice", name));
    if (parsing.seen_count < sizeof parsing.seen / sizeof *parsing.seen)
        parsing.seen[parsing.seen_count++] = key;
}

/* Matches --name VALUE and --name=VALUE; advances *i past the value. A
 * missing or empty value is NULL, which every caller reports. */
static int option_value(int argc, char **argv, int *i, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (parsing.operands_only || strncmp(argv[*i], name, n) != 0)
        return 0;
    if (argv[*i][n] == '=')
        *value = argv[*i] + n + 1;
    else if (argv[*i][n] != '\0')
        return 0;
    else
        *value = *i + 1 < argc ? argv[++*i] : NULL;
    if (*value && !**value)
        *value = NULL;
    take_once(name);
    return 1;
}

/* --model DIR and --lexicons DIR, taken by every command that loads a model
 * (model may be NULL where only lexicons apply). Returns 1 when argv[*i] was
 * one of them; *bad then holds the exit code of a missing value, or 0. */
static int data_option(int argc, char **argv, int *i, const char *cmd, const char **model,
                       const char **lexicons, int *bad)
{
    const char *v, *name;
    const char **slot;
    if (model && option_value(argc, argv, i, "--model", &v)) {
        slot = model;
        name = "--model";
    } else if (option_value(argc, argv, i, "--lexicons", &v)) {
        slot = lexicons;
        name = "--lexicons";
    } else {
        return 0;
    }
    *bad = v ? 0 : usage_error(cmd, "%s needs a directory", name);
    *slot = v;
    return 1;
}

static int parse_int(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* The directory holding models/ and lexicons/: $STANCE_HOME, else
 * PREFIX/share/stance beside an installed binary, else the source tree the
 * binary was built in (bin/..). */
static char *data_dir(void)
{
    const char *env = getenv("STANCE_HOME");
    if (env && *env)
        return xstrdup(env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return xstrdup(".");
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    strbuf sb = {0};
    strbuf_addf(&sb, "%s/../share/stance", exe);
    struct stat st;
    if (stat(sb.data, &st) == 0 && S_ISDIR(st.st_mode))
        return strbuf_detach(&sb);
    strbuf_reset(&sb);
    strbuf_addf(&sb, "%s/..", exe);
    return strbuf_detach(&sb);
}

static char *default_path(const char *given, const char *sub)
{
    if (given)
        return xstrdup(given);
    char *dir = data_dir();
    strbuf sb = {0};
    strbuf_addf(&sb, "%s/%s", dir, sub);
    free(dir);
    return strbuf_detach(&sb);
}

static int terminal_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    long cols;
    if (parse_int(getenv("COLUMNS"), 20, 10000, &cols) == 0)
        return (int)cols;
    return 80;
}

static void warn_invalid_utf8(const stance_text *t)
{
    if (t->invalid_bytes) {
        fputs("stance: ", stderr);
        put_escaped(t->path);
        fprintf(stderr, ": warning: %zu invalid UTF-8 byte%s (first at offset %zu) read as U+FFFD\n",
                t->invalid_bytes, t->invalid_bytes == 1 ? "" : "s", t->first_invalid);
    }
}

/* Writes a summary as CSV into o, finished but not yet published. */
static int finish_summary(outfile *o, const char *path, const stance_summary *summary,
                          stance_error *err)
{
    FILE *f = outfile_open(o, path, err);
    if (!f)
        return STANCE_E_IO;
    int ok = stance_write_summary(f, summary, STANCE_FORMAT_CSV, err) == STANCE_OK;
    return outfile_finish(o, path, ok, err);
}

static int write_summary_file(const char *path, const stance_summary *summary, stance_error *err)
{
    outfile o = {0};
    int rc = finish_summary(&o, path, summary, err);
    if (rc == STANCE_OK)
        rc = outfile_publish(&o, path, err);
    outfile_free(&o);
    return rc;
}

/* ---- score ------------------------------------------------------------------------------- */

static int cmd_score(int argc, char **argv)
{
    const char *file = NULL, *format = "text", *model_arg = NULL, *lex_arg = NULL, *v;
    const char *summary_path = NULL;
    long width = terminal_width(), explain = 0;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        if (end_of_options(argv[i]))
            continue;
        if (option_value(argc, argv, &i, "--summary", &v)) {
            if (!v)
                return usage_error("score", "%s needs a file name", "--summary");
            summary_path = v;
        } else if (option_value(argc, argv, &i, "--explain", &v)) {
            if (parse_int(v, 1, 1000, &explain))
                return usage_error("score", "--explain needs a number from 1 to 1000, not '%s'",
                                   v ? v : "");
        } else if (option_value(argc, argv, &i, "--format", &v)) {
            if (!v)
                return usage_error("score", "%s needs a value", "--format");
            format = v;
        } else if (data_option(argc, argv, &i, "score", &model_arg, &lex_arg, &bad)) {
            if (bad)
                return bad;
        } else if (option_value(argc, argv, &i, "--width", &v)) {
            if (parse_int(v, 20, 10000, &width))
                return usage_error("score", "--width needs a number from 20 to 10000, not '%s'",
                                   v ? v : "");
        } else if (is_option(argv[i])) {
            return usage_error("score", "unknown option '%s'", argv[i]);
        } else if (file) {
            return usage_error("score", "score takes one file, not also '%s' (use `stance batch`)",
                               argv[i]);
        } else {
            file = argv[i];
        }
    }
    stance_write_options wo = {.width = (int)width};
    if (strcmp(format, "text") == 0)
        wo.format = STANCE_FORMAT_TEXT;
    else if (strcmp(format, "json") == 0)
        wo.format = STANCE_FORMAT_JSON;
    else if (strcmp(format, "csv") == 0)
        wo.format = STANCE_FORMAT_CSV;
    else
        return usage_error("score", "unknown format '%s' (text, json or csv)", format);
    if (explain && wo.format == STANCE_FORMAT_CSV)
        return usage_error("score", "%s works with text and json output, not csv", "--explain");
    if (!file)
        file = "-";

    char *model_dir = default_path(model_arg, "models/default");
    char *lex_dir = default_path(lex_arg, "lexicons");
    wo.model_name = model_arg ? model_arg : "default";
    stance_error err = {0};
    stance_model *model = NULL;
    stance_scorer *scorer = NULL;
    stance_text *text = NULL;
    stance_doc *doc = NULL;
    stance_summary *summary = NULL;
    int rc = EXIT_OK;
    if (stance_model_load(model_dir, lex_dir, &model, &err) != STANCE_OK ||
        !(scorer = stance_scorer_new(model, &err)) ||
        stance_text_read(file, &text, &err) != STANCE_OK) {
        rc = report(&err, file);
        goto done;
    }
    warn_invalid_utf8(text);
    stance_scorer_set_explain(scorer, (size_t)explain);
    if (stance_score_text(scorer, text, &doc, &err) != STANCE_OK) {
        rc = report(&err, file);
        goto done;
    }
    summary = stance_summary_for_model(model);
    stance_summary_add_doc(summary, doc);
    wo.countries = summary;
    if (stance_write_doc(stdout, doc, model, &wo, &err) != STANCE_OK)
        rc = report(&err, "standard output");
    else if (summary_path && write_summary_file(summary_path, summary, &err) != STANCE_OK)
        rc = report(&err, summary_path);
done:
    stance_summary_free(summary);
    stance_doc_free(doc);
    stance_text_free(text);
    stance_scorer_free(scorer);
    stance_model_free(model);
    stance_error_clear(&err);
    free(model_dir);
    free(lex_dir);
    return rc;
}

/* ---- batch and merge ------------------------------------------------------------------- */

typedef struct {
    int progress;       /* stderr is a terminal */
    double started, last;
} batch_ui;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void batch_error(void *ctx, const char *path, const char *message)
{
    batch_ui *ui = ctx;
    if (ui->progress)
        fputs("\r\033[K", stderr);
    print_error(path, message);
}

static void batch_progress(void *ctx, const stance_batch_stats *st)
{
    batch_ui *ui = ctx;
    double t = now_seconds();
    if (!ui->progress || (t - ui->last < 0.25 && st->files_done < st->files_total))
        return;
    ui->last = t;
    double elapsed = t - ui->started, mb = (double)st->bytes_done / 1e6;
    double rate = elapsed > 0 ? mb / elapsed : 0;
    double left = rate > 0 ? ((double)st->bytes_total / 1e6 - mb) / rate : 0;
    fprintf(stderr, "\r\033[Kstance: batch: %zu/%zu files, %zu units, %.1f MB/s, ETA %d:%02d",
            st->files_done, st->files_total, st->units, rate, (int)left / 60, (int)left % 60);
    if (st->files_done == st->files_total)
        fputc('\n', stderr);
}

static int parse_shard(const char *v, unsigned *k, unsigned *n)
{
    const char *slash = v ? strchr(v, '/') : NULL;
    if (!slash)
        return -1;
    char *left = xstrndup(v, (size_t)(slash - v));
    long a, b;
    int bad = parse_int(left, 1, 1000000, &a) || parse_int(slash + 1, 1, 1000000, &b) || a > b ||
              !(left[0] >= '0' && left[0] <= '9') || !(slash[1] >= '0' && slash[1] <= '9');
    free(left);
    if (bad)
        return -1;
    *k = (unsigned)a;
    *n = (unsigned)b;
    return 0;
}

static int cmd_batch(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL, *summary_path = NULL, *model_arg = NULL, *lex_arg = NULL,
               *v;
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned shard = 0, shards = 0;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        if (end_of_options(argv[i]))
            continue;
        if (option_value(argc, argv, &i, "-o", &v) || option_value(argc, argv, &i, "--output", &v)) {
            if (!v)
                return usage_error("batch", "%s needs a file name", "-o");
            out = v;
        } else if (option_value(argc, argv, &i, "--summary", &v)) {
            if (!v)
                return usage_error("batch", "%s needs a file name", "--summary");
            summary_path = v;
        } else if (option_value(argc, argv, &i, "-j", &v) ||
                   option_value(argc, argv, &i, "--jobs", &v)) {
            if (parse_int(v, 1, 1024, &threads))
                return usage_error("batch", "-j needs a number from 1 to 1024, not '%s'",
                                   v ? v : "");
        } else if (option_value(argc, argv, &i, "--shard", &v)) {
            if (parse_shard(v, &shard, &shards))
                return usage_error("batch", "--shard needs K/N with 1 <= K <= N, not '%s'",
                                   v ? v : "");
        } else if (data_option(argc, argv, &i, "batch", &model_arg, &lex_arg, &bad)) {
            if (bad)
                return bad;
        } else if (is_option(argv[i])) {
            return usage_error("batch", "unknown option '%s'", argv[i]);
        } else if (dir) {
            return usage_error("batch", "batch takes one directory, not also '%s'", argv[i]);
        } else {
            dir = argv[i];
        }
    }
    if (!dir || !out)
        return usage_error("batch", "%s", "batch needs DIR and -o UNITS.csv");
    if (summary_path && outfile_same(out, summary_path))
        return usage_error("batch", "-o and --summary name one file, '%s'", out);
    if (threads < 1)
        threads = 1;
    char *model_dir = default_path(model_arg, "models/default");
    char *lex_dir = default_path(lex_arg, "lexicons");
    stance_error err = {0};
    stance_model *model = NULL;
    stance_summary *summary = NULL;
    outfile units_out = {0}, summary_out = {0};
    FILE *f = NULL;
    int rc = EXIT_OK;
    batch_ui ui = {.progress = isatty(STDERR_FILENO), .started = now_seconds()};
    stance_batch_stats st;
    if (stance_model_load(model_dir, lex_dir, &model, &err) != STANCE_OK) {
        rc = report(&err, model_dir);
        goto done;
    }
    if (!(f = outfile_open(&units_out, out, &err))) {
        rc = report(&err, out);
        goto done;
    }
    summary = stance_summary_for_model(model);
    /* the run's own outputs are never scored, wherever they are */
    const char *own[] = {out, summary_path};
    stance_batch_options bo = {.dir = dir, .threads = (int)threads, .shard = shard,
                               .shards = shards, .units = f, .summary = summary,
                               .exclude = own, .exclude_count = summary_path ? 2 : 1,
                               .on_error = batch_error, .on_progress = batch_progress,
                               .ctx = &ui};
    int brc = stance_batch_run(model, &bo, &st, &err);
    if (outfile_finish(&units_out, out, brc == STANCE_OK, brc == STANCE_OK ? &err : NULL) !=
            STANCE_OK ||
        brc != STANCE_OK) {
        rc = report(&err, brc == STANCE_E_INPUT ? dir : out);
        goto done;
    }
    /* Both outputs are complete before either is renamed: a summary that
     * cannot be written leaves the old units and the old summary together. */
    if (summary_path && finish_summary(&summary_out, summary_path, summary, &err) != STANCE_OK) {
        rc = report(&err, summary_path);
        goto done;
    }
    if (outfile_publish(&units_out, out, &err) != STANCE_OK) {
        rc = report(&err, out);
        goto done;
    }
    if (summary_path && outfile_publish(&summary_out, summary_path, &err) != STANCE_OK) {
        rc = report(&err, summary_path);
        goto done;
    }
    double secs = now_seconds() - ui.started;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr,
            "stance: batch: %zu files scored, %zu failed, %zu units, %.1f MB in %.1f s "
            "(%.1f MB/s, %.0f units/s, peak memory %.1f MB); skipped %zu hidden, %zu symlink "
            "loops, %zu broken links, %zu other; %zu unreadable directories\n",
            st.files_done - st.files_failed, st.files_failed, st.units,
            (double)st.bytes_done / 1e6, secs, secs > 0 ? (double)st.bytes_done / 1e6 / secs : 0,
            secs > 0 ? (double)st.units / secs : 0, (double)ru.ru_maxrss / 1024.0,
            st.skipped_hidden, st.skipped_loops, st.skipped_broken, st.skipped_other,
            st.unreadable_dirs);
    rc = st.files_failed || st.unreadable_dirs ? EXIT_PARTIAL : EXIT_OK;
done:
    stance_summary_free(summary);
    stance_model_free(model);
    stance_error_clear(&err);
    outfile_free(&units_out);
    outfile_free(&summary_out);
    free(model_dir);
    free(lex_dir);
    return rc;
}

static int cmd_merge(int argc, char **argv)
{
    const char *out = NULL, *v;
    const char **inputs = xcalloc((size_t)argc, sizeof *inputs);
    size_t n = 0;
    for (int i = 1; i < argc; i++) {
        if (end_of_options(argv[i]))
            continue;
        if (option_value(argc, argv, &i, "-o", &v) || option_value(argc, argv, &i, "--output", &v)) {
            if (!v) {
                free(inputs);
                return usage_error("merge", "%s needs a file name", "-o");
            }
            out = v;
        } else if (is_option(argv[i])) {
            free(inputs);
            return usage_error("merge", "unknown option '%s'", argv[i]);
        } else {
            inputs[n++] = argv[i];
        }
    }
    if (!out || n == 0) {
        free(inputs);
        return usage_error("merge", "%s", "merge needs SUMMARY.csv files and -o TOTAL.csv");
    }
    stance_error err = {0};
    stance_summary *total = NULL;
    int rc = EXIT_OK;
    for (size_t i = 0; i < n && rc == EXIT_OK; i++) {
        stance_summary *part = NULL;
        if (stance_summary_read_csv(inputs[i], &part, &err) != STANCE_OK)
            rc = report(&err, inputs[i]);
        else if (!total)
            total = part, part = NULL;
        else if (stance_summary_merge(total, part, &err) != STANCE_OK)
            rc = report(&err, inputs[i]);
        stance_summary_free(part);
    }
    if (rc == EXIT_OK && write_summary_file(out, total, &err) != STANCE_OK)
        rc = report(&err, out);
    stance_summary_free(total);
    stance_error_clear(&err);
    free(inputs);
    return rc;
}

/* ---- train and eval ------------------------------------------------------------------------ */

static void log_to_stderr(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "stance: train: %s\n", line);
}

static int cmd_train(int argc, char **argv)
{
    stance_train_options o;
    stance_train_options_init(&o);
    o.log = log_to_stderr;
    const char *data_path = NULL, *out = NULL, *lex_arg = NULL, *v;
    long n;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        if (end_of_options(argv[i]))
            continue;
        if (option_value(argc, argv, &i, "-o", &v) || option_value(argc, argv, &i, "--output", &v)) {
            if (!v)
                return usage_error("train", "%s needs a directory", "-o");
            out = v;
        } else if (option_value(argc, argv, &i, "--folds", &v)) {
            if (parse_int(v, 2, 100, &n))
                return usage_error("train", "--folds needs a number from 2 to 100, not '%s'",
                                   v ? v : "");
            o.folds = (int)n;
        } else if (option_value(argc, argv, &i, "--ngrams", &v)) {
            int lo, hi, used = 0;
            if (!v || sscanf(v, "%d-%d%n", &lo, &hi, &used) != 2 || v[used] || lo < 1 ||
                hi < lo || hi > 5)
                return usage_error("train", "--ngrams needs MIN-MAX within 1-5, not '%s'",
                                   v ? v : "");
            o.ngram_min = lo;
            o.ngram_max = hi;
        } else if (option_value(argc, argv, &i, "--char-ngrams", &v)) {
            int lo, hi, used = 0;
            if (v && strcmp(v, "none") == 0) {
                o.char_min = o.char_max = 0;
            } else if (!v || sscanf(v, "%d-%d%n", &lo, &hi, &used) != 2 || v[used] || lo < 1 ||
                       hi < lo || hi > STANCE_CHAR_NGRAM_MAX) {
                return usage_error("train", "--char-ngrams needs MIN-MAX within 1-8 or none, "
                                   "not '%s'", v ? v : "");
            } else {
                o.char_min = lo;
                o.char_max = hi;
            }
        } else if (option_value(argc, argv, &i, "--char-span", &v)) {
            if (!v || (strcmp(v, "word") && strcmp(v, "text")))
                return usage_error("train", "--char-span is word or text, not '%s'",
                                   v ? v : "");
            o.char_text = strcmp(v, "text") == 0;
        } else if (option_value(argc, argv, &i, "--target-features", &v)) {
            if (!v || (strcmp(v, "auto") && strcmp(v, "on") && strcmp(v, "off")))
                return usage_error("train", "--target-features is auto, on or off, not '%s'",
                                   v ? v : "");
            o.target_features = strcmp(v, "on") == 0    ? STANCE_TARGET_ON
                                : strcmp(v, "off") == 0 ? STANCE_TARGET_OFF
                                                        : STANCE_TARGET_AUTO;
        } else if (option_value(argc, argv, &i, "--min-df", &v)) {
            if (parse_int(v, 1, 1000000, &n))
                return usage_error("train", "--min-df needs a positive number, not '%s'",
                                   v ? v : "");
            o.min_df = (int)n;
        } else if (option_value(argc, argv, &i, "--weighting", &v)) {
            if (!v || (strcmp(v, "binary") && strcmp(v, "logtf") && strcmp(v, "tfidf")))
                return usage_error("train", "--weighting is binary, logtf or tfidf, not '%s'",
                                   v ? v : "");
            o.weighting = strcmp(v, "binary") == 0  ? STANCE_WEIGHT_BINARY
                          : strcmp(v, "logtf") == 0 ? STANCE_WEIGHT_LOGTF
                                                    : STANCE_WEIGHT_TFIDF;
        } else if (is_flag(argv[i], "--no-l2")) {
            o.l2_normalise = 0;
        } else if (option_value(argc, argv, &i, "--cue-weight", &v)) {
            char *end;
            o.cue_weight = v ? strtod(v, &end) : -1;
            if (!v || *end || !(o.cue_weight >= 0 && o.cue_weight <= 100))
                return usage_error("train", "--cue-weight needs a number from 0 to 100, not '%s'",
                                   v ? v : "");
        } else if (option_value(argc, argv, &i, "--stemmer", &v)) {
            if (!v)
                return usage_error("train", "%s needs a language", "--stemmer");
            o.stemmer = v;
        } else if (data_option(argc, argv, &i, "train", NULL, &lex_arg, &bad)) {
            if (bad)
                return bad;
        } else if (option_value(argc, argv, &i, "--threads", &v)) {
            if (parse_int(v, 1, 1024, &n))
                return usage_error("train", "--threads needs a number from 1 to 1024, not '%s'",
                                   v ? v : "");
            o.threads = (int)n;
        } else if (option_value(argc, argv, &i, "--seed", &v)) {
            if (parse_int(v, 0, INT_MAX, &n))
                return usage_error("train", "--seed needs a number, not '%s'", v ? v : "");
            o.seed = (unsigned)n;
        } else if (is_option(argv[i])) {
            return usage_error("train", "unknown option '%s'", argv[i]);
        } else if (data_path) {
            return usage_error("train", "unexpected argument '%s'", argv[i]);
        } else {
            data_path = argv[i];
        }
    }
    if (!data_path || !out)
        return usage_error("train", "%s", "train needs DATA.tsv and -o MODEL_DIR");
    char *lex_dir = default_path(lex_arg, "lexicons");
    o.lexicon_dir = lex_dir;
    stance_error err = {0};
    stance_dataset *data = NULL;
    stance_metrics *cv = NULL;
    int rc = EXIT_OK;
    if (stance_dataset_read(data_path, &data, &err) != STANCE_OK ||
        stance_train(data, &o, out, &cv, &err) != STANCE_OK) {
        rc = report(&err, data_path);
    } else {
        printf("model written to %s\ncross-validated scores (%d folds) of the chosen setting:\n\n",
               out, o.folds);
        stance_metrics_write(stdout, cv);
    }
    stance_metrics_free(cv);
    stance_dataset_free(data);
    stance_error_clear(&err);
    free(lex_dir);
    return rc;
}

/* Writes the text of a TSV field: tabs, line ends and backslashes escaped
 * as DATA.tsv writes them. */
static void put_tsv_text(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\\': fputs("\\\\", f); break;
        default: fputc(*s, f);
        }
}

/* The misclassified examples as TSV: line, gold, predicted, probabilities, text. */
static int write_errors(const char *path, const stance_model *model, const stance_dataset *data,
                        const size_t *predicted, const double *probs)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        print_error(path, strerror(errno));
        return EXIT_BAD_INPUT;
    }
    size_t k = stance_model_label_count(model);
    fputs("line\tgold\tpredicted", f);
    for (size_t c = 0; c < k; c++)
        fprintf(f, "\tp_%s", stance_model_label(model, c));
    fputs("\ttext\n", f);
    for (size_t i = 0; i < data->count; i++) {
        const char *got = stance_model_label(model, predicted[i]);
        if (strcmp(got, data->labels[i]) == 0)
            continue;
        fprintf(f, "%zu\t%s\t%s", data->lines[i], data->labels[i], got);
        for (size_t c = 0; c < k; c++)
            fprintf(f, "\t%.4f", probs[i * k + c]);
        fputc('\t', f);
        put_tsv_text(f, data->texts[i]);
        fputc('\n', f);
    }
    int failed = ferror(f);
    if (fclose(f) != 0 || failed) {
        print_error(path, "could not write the errors file");
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

static int cmd_eval(int argc, char **argv)
{
    const char *data_path = NULL, *model_arg = NULL, *lex_arg = NULL, *errors_path = NULL;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        if (end_of_options(argv[i]))
            continue;
        const char *v;
        if (data_option(argc, argv, &i, "eval", &model_arg, &lex_arg, &bad)) {
            if (bad)
                return bad;
        } else if (option_value(argc, argv, &i, "--errors", &v)) {
            if (!v || !*v)
                return usage_error("eval", "%s needs a file", "--errors");
            errors_path = v;
        } else if (is_option(argv[i])) {
            return usage_error("eval", "unknown option '%s'", argv[i]);
        } else if (data_path) {
            return usage_error("eval", "unexpected argument '%s'", argv[i]);
        } else {
            data_path = argv[i];
        }
    }
    if (!data_path)
        return usage_error("eval", "%s", "eval needs DATA.tsv");
    char *model_dir = default_path(model_arg, "models/default");
    char *lex_dir = default_path(lex_arg, "lexicons");
    stance_error err = {0};
    stance_model *model = NULL;
    stance_dataset *data = NULL;
    stance_metrics *m = NULL;
    int rc = EXIT_OK;
    size_t *predicted = NULL;
    double *probs = NULL;
    if (stance_model_load(model_dir, lex_dir, &model, &err) != STANCE_OK ||
        stance_dataset_read(data_path, &data, &err) != STANCE_OK) {
        rc = report(&err, data_path);
    } else {
        if (errors_path) {
            predicted = xcalloc(data->count + 1, sizeof *predicted);
            probs = xcalloc((data->count + 1) * stance_model_label_count(model), sizeof *probs);
        }
        if (stance_evaluate(model, data, predicted, probs, &m, &err) != STANCE_OK)
            rc = report(&err, data_path);
        else if (errors_path)
            rc = write_errors(errors_path, model, data, predicted, probs);
        if (rc == EXIT_OK)
            stance_metrics_write(stdout, m);
    }
    free(predicted);
    free(probs);
    stance_metrics_free(m);
    stance_dataset_free(data);
    stance_model_free(model);
    stance_error_clear(&err);
    free(model_dir);
    free(lex_dir);
    return rc;
}

/* ---- help --------------------------------------------------------------------------------- */

static void print_overview(FILE *out)
{
    fprintf(out, "usage: stance COMMAND [ARGS]\n\n"
                 "Scores news text for the stance of countries toward the Taliban.\n\n"
                 "commands:\n");
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(out, "  %-7s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`stance help COMMAND` shows a command's options; `stance --version` the "
                 "version.\nExit codes: 0 success, 1 bad usage, 2 bad input or model, 3 some\n"
                 "files of a batch failed (each reported, all others scored).\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(commands[i].name, argv[1]) == 0) {
            fputs(commands[i].usage, stdout);
            return EXIT_OK;
        }
    return usage_error("help", "unknown command '%s'", argv[1]);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("stance %s\n", STANCE_VERSION);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(1, argv);
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(commands[i].name, argv[1]) == 0) {
            parsing.cmd = commands[i].name;
            outfile_catch_signals();
            return commands[i].fn(argc - 1, argv + 1);
        }
    fputs("stance: unknown command '", stderr);
    put_escaped(argv[1]);
    fputs("' (see `stance help`)\n", stderr);
    return EXIT_USAGE;
}
