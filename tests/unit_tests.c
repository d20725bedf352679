/* unit_tests.c - unit tests of libstance, one group of cases per module.
 *
 * Usage: unit_tests ROOT, where ROOT is the project directory (fixtures and
 * the shipped lexicons are found relative to it). Every file the tests write
 * lives under one mkdtemp directory in /tmp, removed at the end. The last
 * line printed is `N passed, N failed`; the exit status is 1 on any failure.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

#include <libsvm/svm.h>

#include "alloc.h"
#include "attribute.h"
#include "gazetteer.h"
#include "lexicon.h"
#include "quotes.h"
#include "segment.h"
#include "stance.h"
#include "stem.h"
#include "strmap.h"
#include "text.h"
#include "tokens.h"
#include "features.h"
#include "furniture.h"
#include "gram.h"
#include "model.h"
#include "sentiment.h"

/* ---- fixtures: the temporary directory and files in it ------------------------------- */

static const char *project_root = ".";
static char tmp_root[] = "/tmp/stance-unit-XXXXXX";

/* "tmp_root/name" in a rotating buffer: enough for the few paths a test
 * holds at once. */
static strbuf tmp_paths[8];

static const char *tmp_path(const char *name)
{
    static size_t next;
    strbuf *sb = &tmp_paths[next++ % 8];
    strbuf_reset(sb);
    strbuf_addf(sb, "%s/%s", tmp_root, name);
    return sb->data;
}

static void free_tmp_paths(void)
{
    for (size_t i = 0; i < 8; i++)
        strbuf_free(&tmp_paths[i]);
}

static int write_bytes(const char *path, const char *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(bytes, 1, len, f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || n != len)
        return -1;
    return 0;
}

static int write_text(const char *path, const char *text)
{
    return write_bytes(path, text, strlen(text));
}

static int append_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "ab");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Reads a whole file into sb (reset first); returns 0 or -1. */
static int read_bytes(const char *path, strbuf *sb)
{
    strbuf_reset(sb);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_add(sb, buf, n);
    if (!sb->data)
        strbuf_add(sb, "", 0);
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}

static int copy_file(const char *from, const char *to)
{
    strbuf sb = {0};
    int rc = read_bytes(from, &sb);
    if (rc == 0)
        rc = write_bytes(to, sb.data, sb.len);
    strbuf_free(&sb);
    return rc;
}

/* Copies the named files of directory from into directory to (created). */
static int copy_dir_files(const char *from, const char *to, const char *const *names)
{
    if (mkdir(to, 0700) != 0 && errno != EEXIST)
        return -1;
    strbuf a = {0}, b = {0};
    int rc = 0;
    for (size_t i = 0; names[i] && rc == 0; i++) {
        strbuf_reset(&a);
        strbuf_reset(&b);
        strbuf_addf(&a, "%s/%s", from, names[i]);
        strbuf_addf(&b, "%s/%s", to, names[i]);
        rc = copy_file(a.data, b.data);
    }
    strbuf_free(&a);
    strbuf_free(&b);
    return rc;
}

/* Copies every regular file of directory from into directory to (created). */
static int copy_all_files(const char *from, const char *to)
{
    if (mkdir(to, 0700) != 0 && errno != EEXIST)
        return -1;
    DIR *d = opendir(from);
    if (!d)
        return -1;
    strbuf a = {0}, b = {0};
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        struct stat st;
        strbuf_reset(&a);
        strbuf_addf(&a, "%s/%s", from, e->d_name);
        if (stat(a.data, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        strbuf_reset(&b);
        strbuf_addf(&b, "%s/%s", to, e->d_name);
        rc = copy_file(a.data, b.data);
    }
    closedir(d);
    strbuf_free(&a);
    strbuf_free(&b);
    return rc;
}

/* Replaces the first occurrence of old in the file; returns 0 when found. */
static int replace_in_file(const char *path, const char *old, const char *new_text)
{
    strbuf sb = {0}, out = {0};
    int rc = -1;
    if (read_bytes(path, &sb) == 0) {
        char *at = strstr(sb.data, old);
        if (at) {
            strbuf_add(&out, sb.data, (size_t)(at - sb.data));
            strbuf_adds(&out, new_text);
            strbuf_adds(&out, at + strlen(old));
            rc = write_bytes(path, out.data, out.len);
        }
    }
    strbuf_free(&sb);
    strbuf_free(&out);
    return rc;
}

/* Rewrites the conf_checksum line of model.conf to match its edited bytes,
 * so that a test can reach the checks behind the checksum. */
static int reseal_conf(const char *path)
{
    strbuf sb = {0}, out = {0};
    int rc = -1;
    if (read_bytes(path, &sb) == 0) {
        char *at = strstr(sb.data, "conf_checksum = ");
        if (at) {
            strbuf_add(&out, sb.data, (size_t)(at - sb.data));
            strbuf_addf(&out, "conf_checksum = %016llx\n",
                        (unsigned long long)hash_bytes(sb.data, (size_t)(at - sb.data)));
            rc = write_bytes(path, out.data, out.len);
        }
    }
    strbuf_free(&sb);
    strbuf_free(&out);
    return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = s ? strlen(s) : 0, m = strlen(suffix);
    return s && n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Checks that a call failed with code and a message containing needle (if
 * not NULL), then clears err. */
#define CHECK_ERROR(rc, err, code, needle) \
    check_error_at(__FILE__, __LINE__, (rc), (err), (code), (needle))

static void check_error_at(const char *file, int line, int rc, stance_error *err, int code,
                           const char *needle)
{
    check_eq_int_at(file, line, rc, code, "rc", "expected code");
    check_eq_int_at(file, line, err->code, code, "err.code", "expected code");
    check_true_at(file, line, err->message && err->message[0], "error message is not empty");
    if (needle)
        check_contains_at(file, line, err->message, needle, "err.message");
    stance_error_clear(err);
}

/* ---- the cue lexicons used by the lexicon, features and model tests ---------------------- */

static const char *lex_dir(void)
{
    return tmp_path("lex");
}

/* A lexicon directory: the shipped one (gazetteer and attribution lists,
 * which scoring also loads) with small cue lists of our own, so that the
 * tests know exactly which cues exist. */
static void write_lexicons(const char *dir)
{
    strbuf p = {0};
    strbuf_addf(&p, "%s/lexicons", project_root);
    copy_all_files(p.data, dir);
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/cues_engagement.txt", dir);
    write_text(p.data, "# engagement cues\n"
                       "dialogue\n"
                       "foster relations\n"
                       "recognise\n"
                       "trade deal\n");
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/cues_caution.txt", dir);
    write_text(p.data, "concern\r\nwait and see\r\n");
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/cues_opposition.txt", dir);
    write_text(p.data, "condemn\n\nsanction\n");
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/negators.txt", dir);
    write_text(p.data, "# negators\nnever\nno\nnot\nrefused to\n");
    strbuf_free(&p);
}

/* ================================================================================ */
/* alloc                                                                              */
/* ================================================================================ */

static void test_strbuf(void)
{
    strbuf sb = {0};
    strbuf_add(&sb, "abcdef", 3);
    CHECK_EQ_INT(sb.len, 3);
    CHECK_EQ_STR(sb.data, "abc");
    CHECK(sb.cap > sb.len);
    strbuf_addf(&sb, "%d-%s", 42, "x");
    CHECK_EQ_STR(sb.data, "abc42-x");
    CHECK_EQ_INT(sb.len, 7);
    strbuf_addc(&sb, '!');
    strbuf_adds(&sb, "?");
    CHECK_EQ_STR(sb.data, "abc42-x!?");
    strbuf_addf(&sb, "%s", "");
    CHECK_EQ_INT(sb.len, 9);

    /* Growth well past the first allocation keeps every byte. */
    for (int i = 0; i < 500; i++)
        strbuf_addf(&sb, "%03d", i % 1000);
    CHECK_EQ_INT(sb.len, 9 + 1500);
    CHECK(memcmp(sb.data + 9, "000001002", 9) == 0);
    CHECK(memcmp(sb.data + sb.len - 3, "499", 3) == 0);
    CHECK_EQ_INT(sb.data[sb.len], '\0');

    size_t cap = sb.cap;
    strbuf_reset(&sb);
    CHECK_EQ_INT(sb.len, 0);
    CHECK_EQ_STR(sb.data, "");
    CHECK_EQ_INT(sb.cap, cap);

    strbuf_adds(&sb, "kept");
    char *s = strbuf_detach(&sb);
    CHECK_EQ_STR(s, "kept");
    CHECK(sb.data == NULL);
    CHECK_EQ_INT(sb.len, 0);
    CHECK_EQ_INT(sb.cap, 0);
    free(s);

    /* Detaching an empty buffer still gives a string the caller frees. */
    s = strbuf_detach(&sb);
    CHECK(s != NULL && s[0] == '\0');
    free(s);

    /* Bytes with embedded NULs are kept by add. */
    strbuf_add(&sb, "a\0b", 3);
    CHECK_EQ_INT(sb.len, 3);
    CHECK(memcmp(sb.data, "a\0b", 4) == 0);
    strbuf_free(&sb);
    CHECK(sb.data == NULL);
}

static void test_grow_array(void)
{
    int *items = NULL;
    size_t cap = 0;
    grow_array((void **)&items, &cap, 1, sizeof *items);
    CHECK(cap >= 1);
    size_t first = cap;
    grow_array((void **)&items, &cap, first, sizeof *items);
    CHECK_EQ_INT(cap, first); /* already fits: unchanged */
    grow_array((void **)&items, &cap, 1000, sizeof *items);
    CHECK(cap >= 1000);
    for (int i = 0; i < 1000; i++)
        items[i] = i;
    grow_array((void **)&items, &cap, 5000, sizeof *items);
    CHECK(cap >= 5000);
    int ok = 1;
    for (int i = 0; i < 1000; i++)
        ok &= items[i] == i;
    CHECK(ok); /* contents survive the move */
    items[4999] = 7;
    free(items);

    char *p = xstrndup("hello world", 5);
    CHECK_EQ_STR(p, "hello");
    free(p);
    p = xstrdup("");
    CHECK_EQ_STR(p, "");
    free(p);
}

static void test_error(void)
{
    stance_error err = {0};
    CHECK_EQ_INT(stance_error_set(&err, STANCE_E_IO, "out.csv", "cannot write %d rows", 5),
                 STANCE_E_IO);
    CHECK_EQ_INT(err.code, STANCE_E_IO);
    CHECK_EQ_STR(err.where, "out.csv");
    CHECK_EQ_STR(err.message, "cannot write 5 rows");
    /* Setting again replaces both strings (the old ones are freed). */
    stance_error_set(&err, STANCE_E_INPUT, NULL, "%s", "second");
    CHECK(err.where == NULL);
    CHECK_EQ_STR(err.message, "second");
    CHECK_EQ_INT(err.code, STANCE_E_INPUT);
    stance_error_clear(&err);
    CHECK(err.code == 0 && err.where == NULL && err.message == NULL);
    stance_error_clear(&err);
    stance_error_clear(NULL);
    CHECK_EQ_INT(stance_error_set(NULL, STANCE_E_MODEL, "x", "ignored"), STANCE_E_MODEL);
}

/* ================================================================================ */
/* strmap                                                                             */
/* ================================================================================ */

static void test_hash_bytes(void)
{
    CHECK_EQ_U64(hash_bytes("", 0), 0xcbf29ce484222325ULL);
    CHECK_EQ_U64(hash_bytes("a", 1), 0xaf63dc4c8601ec8cULL);
    CHECK_EQ_U64(hash_bytes("foobar", 6), 0x85944171f73967e8ULL);
    CHECK(hash_bytes("a\0b", 3) != hash_bytes("a\0c", 3));
}

static void test_strmap_basic(void)
{
    strmap map = {0};
    CHECK(strmap_find(&map, "x", 1) == NULL); /* empty, unallocated map */
    int added = -1;
    size_t *v = strmap_insert(&map, "alpha", 5, 10, &added);
    CHECK(v && *v == 10);
    CHECK_EQ_INT(added, 1);
    v = strmap_insert(&map, "alpha", 5, 99, &added);
    CHECK_EQ_INT(added, 0);
    CHECK_EQ_INT(*v, 10); /* an existing value is not overwritten */
    *v = 11;
    v = strmap_find(&map, "alpha", 5);
    CHECK(v && *v == 11);
    CHECK(strmap_find(&map, "alph", 4) == NULL);
    CHECK(strmap_find(&map, "alphab", 6) == NULL);
    CHECK_EQ_INT(map.count, 1);
    strmap_insert(&map, "beta", 4, 2, NULL); /* added may be NULL */
    CHECK_EQ_INT(map.count, 2);

    /* Keys are byte strings: embedded NUL and high bytes, prefixes. */
    strmap_clear(&map);
    CHECK_EQ_INT(map.count, 0);
    CHECK(strmap_find(&map, "alpha", 5) == NULL);
    strmap_insert(&map, "a\0b", 3, 1, &added);
    CHECK_EQ_INT(added, 1);
    strmap_insert(&map, "a\0c", 3, 2, &added);
    CHECK_EQ_INT(added, 1);
    strmap_insert(&map, "a", 1, 3, &added);
    CHECK_EQ_INT(added, 1);
    strmap_insert(&map, "\xff\xfe\x80", 3, 4, &added);
    CHECK_EQ_INT(added, 1);
    strmap_insert(&map, "", 0, 5, &added);
    CHECK_EQ_INT(added, 1);
    CHECK_EQ_INT(map.count, 5);
    v = strmap_find(&map, "a\0b", 3);
    CHECK(v && *v == 1);
    v = strmap_find(&map, "a\0c", 3);
    CHECK(v && *v == 2);
    v = strmap_find(&map, "a", 1);
    CHECK(v && *v == 3);
    v = strmap_find(&map, "\xff\xfe\x80", 3);
    CHECK(v && *v == 4);
    v = strmap_find(&map, "", 0);
    CHECK(v && *v == 5);
    CHECK(strmap_find(&map, "a\0", 2) == NULL);
    strmap_free(&map);
    CHECK(map.slots == NULL && map.cap == 0 && map.count == 0);
    strmap_free(&map); /* twice is harmless */
}

static void test_strmap_many(void)
{
    strmap map = {0};
    char key[32];
    const size_t n = 20000;
    for (size_t i = 0; i < n; i++) {
        int len = snprintf(key, sizeof key, "key-%zu", i);
        int added;
        strmap_insert(&map, key, (size_t)len, i * 3, &added);
        if (!added)
            CHECK(added); /* only reported on failure, not 20000 passes */
    }
    CHECK_EQ_INT(map.count, n);
    CHECK((map.cap & (map.cap - 1)) == 0); /* a power of two */
    CHECK(map.count * 4 <= map.cap * 3);   /* load factor kept */
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++) {
        int len = snprintf(key, sizeof key, "key-%zu", i);
        size_t *v = strmap_find(&map, key, (size_t)len);
        wrong += !v || *v != i * 3;
    }
    CHECK_EQ_INT(wrong, 0);
    CHECK(strmap_find(&map, "key-20000", 9) == NULL);

    size_t cap = map.cap;
    strmap_clear(&map);
    CHECK_EQ_INT(map.count, 0);
    CHECK_EQ_INT(map.cap, cap); /* clear keeps the table */
    CHECK(strmap_find(&map, "key-1", 5) == NULL);
    int added;
    size_t *v = strmap_insert(&map, "key-1", 5, 77, &added);
    CHECK_EQ_INT(added, 1);
    CHECK(v && *v == 77);
    strmap_free(&map);
}

/* ================================================================================ */
/* text                                                                               */
/* ================================================================================ */

/* Decodes s[*pos] and checks the code point and the new position. */
#define CHECK_CP(s, len, at, cp, next)                            \
    do {                                                          \
        size_t pos_ = (at);                                       \
        CHECK_EQ_INT(text_next_cp((s), (len), &pos_), (cp));      \
        CHECK_EQ_INT(pos_, (next));                               \
    } while (0)

static void test_text_next_cp(void)
{
    CHECK_CP("A", 1, 0, 'A', 1);
    CHECK_CP("\n", 1, 0, '\n', 1);
    CHECK_CP("\xC3\xA9", 2, 0, 0xE9, 2);                /* é */
    CHECK_CP("\xE2\x82\xAC", 3, 0, 0x20AC, 3);          /* € */
    CHECK_CP("\xF0\x9F\x98\x80", 4, 0, 0x1F600, 4);     /* emoji */
    CHECK_CP("\xF4\x8F\xBF\xBF", 4, 0, 0x10FFFF, 4);    /* the last code point */
    CHECK_CP("\xEF\xBF\xBD", 3, 0, 0xFFFD, 3);          /* a real U+FFFD */
    CHECK_CP("x\xC3\xA9y", 4, 1, 0xE9, 3);

    /* Invalid: U+FFFD, advancing exactly one byte. */
    CHECK_CP("\x80", 1, 0, TEXT_REPLACEMENT, 1);             /* lone continuation */
    CHECK_CP("\xBF" "abc", 4, 0, TEXT_REPLACEMENT, 1);
    CHECK_CP("\xE2\x82", 2, 0, TEXT_REPLACEMENT, 1);         /* truncated at the end */
    CHECK_CP("\xE2\x82" "A", 3, 0, TEXT_REPLACEMENT, 1);     /* truncated by ASCII */
    CHECK_CP("\xE2\x82\xAC", 2, 0, TEXT_REPLACEMENT, 1);     /* truncated by len */
    CHECK_CP("\xF0\x9F\x98", 3, 0, TEXT_REPLACEMENT, 1);
    CHECK_CP("\xC3", 1, 0, TEXT_REPLACEMENT, 1);
    CHECK_CP("\xC0\xAF", 2, 0, TEXT_REPLACEMENT, 1);         /* overlong '/' */
    CHECK_CP("\xC1\xBF", 2, 0, TEXT_REPLACEMENT, 1);
    CHECK_CP("\xE0\x80\xAF", 3, 0, TEXT_REPLACEMENT, 1);     /* overlong, 3 bytes */
    CHECK_CP("\xF0\x80\x80\xAF", 4, 0, TEXT_REPLACEMENT, 1); /* overlong, 4 bytes */
    CHECK_CP("\xED\xA0\x80", 3, 0, TEXT_REPLACEMENT, 1);     /* surrogate D800 */
    CHECK_CP("\xED\xBF\xBF", 3, 0, TEXT_REPLACEMENT, 1);     /* surrogate DFFF */
    CHECK_CP("\xF4\x90\x80\x80", 4, 0, TEXT_REPLACEMENT, 1); /* above U+10FFFF */
    CHECK_CP("\xF5\x80\x80\x80", 4, 0, TEXT_REPLACEMENT, 1);
    CHECK_CP("\xFF", 1, 0, TEXT_REPLACEMENT, 1);
    CHECK_CP("\xFE", 1, 0, TEXT_REPLACEMENT, 1);

    /* A whole invalid sequence decodes byte by byte, then resynchronises. */
    const char *s = "\xE2\x82" "A\xC3\xA9";
    size_t pos = 0, len = strlen(s);
    int32_t got[8];
    size_t n = 0;
    while (pos < len && n < 8)
        got[n++] = text_next_cp(s, len, &pos);
    CHECK_EQ_INT(n, 4);
    CHECK_EQ_INT(got[0], TEXT_REPLACEMENT);
    CHECK_EQ_INT(got[1], TEXT_REPLACEMENT);
    CHECK_EQ_INT(got[2], 'A');
    CHECK_EQ_INT(got[3], 0xE9);
}

static void check_fold_at(const char *file, int line, const char *in, const char *want)
{
    strbuf sb = {0};
    text_fold(&sb, in, strlen(in));
    check_eq_str_at(file, line, sb.data ? sb.data : "", want, in, "folded");
    strbuf_free(&sb);
}
#define CHECK_FOLD(in, want) check_fold_at(__FILE__, __LINE__, (in), (want))

static void test_text_fold(void)
{
    CHECK_FOLD("\xC3\x84" "BC", "\xC3\xA4" "bc");         /* ÄBC -> äbc */
    CHECK_FOLD("A\xCC\x88" "BC", "\xC3\xA4" "bc");        /* A + combining diaeresis: NFC */
    CHECK_FOLD("Jo\xCC\x88rg", "j\xC3\xB6rg");              /* NFD Jörg folds as NFC */
    CHECK_FOLD("\xC3\x9F", "ss");                         /* ß */
    CHECK_FOLD("Stra\xC3\x9F" "e", "strasse");
    CHECK_FOLD("\xE2\x80\x99", "'");                      /* ’ */
    CHECK_FOLD("\xE2\x80\x98", "'");                      /* ‘ */
    CHECK_FOLD("\xCA\xBC", "'");                          /* ʼ modifier apostrophe */
    CHECK_FOLD("Ma\xE2\x80\x99" "arij", "ma'arij");
    CHECK_FOLD("\xE2\x80\x93", "-");                      /* en dash */
    CHECK_FOLD("\xE2\x80\x94", "-");                      /* em dash */
    CHECK_FOLD("\xE2\x88\x92", "-");                      /* minus sign */
    CHECK_FOLD("\xCE\xA3\xCE\x9F\xCE\xA6", "\xCF\x83\xCE\xBF\xCF\x86"); /* ΣΟΦ -> σοφ */
    CHECK_FOLD("KABUL 2021", "kabul 2021");
    CHECK_FOLD("", "");
    CHECK_FOLD("a\xFF" "b", "a\xEF\xBF\xBD" "b"); /* invalid byte folds to U+FFFD */

    CHECK(text_is_space(' ') && text_is_space('\t') && text_is_space('\r'));
    CHECK(text_is_space(0xA0) && text_is_space(0xFEFF) && text_is_space(0x2003));
    CHECK(!text_is_space('a') && !text_is_space(0xFFFD));
    CHECK(text_is_word_char('a') && text_is_word_char('7') && text_is_word_char(0xE9));
    CHECK(text_is_word_char(0x0627)); /* Arabic alef */
    CHECK(!text_is_word_char('-') && !text_is_word_char('\'') && !text_is_word_char(0xFFFD));
    CHECK(text_is_apostrophe('\'') && text_is_apostrophe(0x2019));
    CHECK(!text_is_apostrophe('"'));
}

static void test_text_from_memory(void)
{
    stance_text *t = (stance_text *)1;
    stance_error err = {0};

    int rc = stance_text_from_memory("empty.txt", "", 0, &t, &err);
    CHECK(t == NULL);
    CHECK_EQ_STR(err.where, "empty.txt");
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "empty");

    rc = stance_text_from_memory("ws.txt", " \n\t\r\n \xC2\xA0\n", 9, &t, &err);
    CHECK(t == NULL);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "white space");

    rc = stance_text_from_memory("bin", "abc\0def", 7, &t, &err);
    CHECK(t == NULL);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "offset 3");

    rc = stance_text_from_memory("latin", "\xFF\xFE\xFD\xFC ab", 7, &t, &err);
    CHECK(t == NULL);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "UTF-8");

    /* A few Latin-1 bytes among good text are kept and counted. */
    const char *good = "Caf\xE9 in Kabul, na\xEFve \xE2\x80\x99quote\xE2\x80\x99.";
    rc = stance_text_from_memory("mixed.txt", good, strlen(good), &t, &err);
    CHECK_EQ_INT(rc, STANCE_OK);
    if (CHECK(t != NULL)) {
        CHECK_EQ_INT(t->len, strlen(good));
        CHECK(memcmp(t->bytes, good, t->len) == 0);
        CHECK_EQ_INT(t->bytes[t->len], '\0');
        CHECK_EQ_STR(t->path, "mixed.txt");
        CHECK_EQ_INT(t->invalid_bytes, 2);
        CHECK_EQ_INT(t->first_invalid, 3);
    }
    stance_text_free(t);

    /* Valid text: nothing invalid; a real U+FFFD is not an invalid byte. */
    const char *clean = "\xEF\xBB\xBFHello \xEF\xBF\xBD world";
    rc = stance_text_from_memory("clean", clean, strlen(clean), &t, &err);
    CHECK_EQ_INT(rc, STANCE_OK);
    if (CHECK(t != NULL))
        CHECK_EQ_INT(t->invalid_bytes, 0);
    stance_text_free(t);
    stance_text_free(NULL);
    stance_error_clear(&err);
}

static void test_text_read(void)
{
    stance_text *t = NULL;
    stance_error err = {0};

    const char *missing = tmp_path("no-such-file.txt");
    int rc = stance_text_read(missing, &t, &err);
    CHECK(t == NULL);
    CHECK_EQ_STR(err.where, missing);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, NULL);

    rc = stance_text_read(tmp_root, &t, &err);
    CHECK(t == NULL);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "directory");

    const char *path = tmp_path("article.txt");
    const char *body = "Headline\n\nBody text \xE2\x80\x94 with a dash.\n";
    write_text(path, body);
    rc = stance_text_read(path, &t, &err);
    CHECK_EQ_INT(rc, STANCE_OK);
    if (CHECK(t != NULL)) {
        CHECK_EQ_STR(t->path, path);
        CHECK_EQ_INT(t->len, strlen(body));
        CHECK_EQ_STR(t->bytes, body);
        CHECK_EQ_INT(t->invalid_bytes, 0);
    }
    stance_text_free(t);

    const char *empty = tmp_path("empty.txt");
    write_text(empty, "");
    rc = stance_text_read(empty, &t, &err);
    CHECK(t == NULL);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "empty");

    const char *binary = tmp_path("binary.bin");
    write_bytes(binary, "PK\x03\x04\0\0\0", 7);
    rc = stance_text_read(binary, &t, &err);
    CHECK(t == NULL);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "binary");

    /* A device is not an article. */
    rc = stance_text_read("/dev/null", &t, &err);
    CHECK(t == NULL);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, NULL);

    /* "-" reads standard input. */
    int saved = dup(0);
    FILE *in = fopen(path, "rb");
    if (CHECK(saved >= 0 && in != NULL) && CHECK(dup2(fileno(in), 0) == 0)) {
        rc = stance_text_read("-", &t, &err);
        dup2(saved, 0);
        CHECK_EQ_INT(rc, STANCE_OK);
        if (CHECK(t != NULL)) {
            CHECK_EQ_STR(t->path, "-");
            CHECK_EQ_STR(t->bytes, body);
        }
        stance_text_free(t);
        t = NULL;
    }
    if (in)
        fclose(in);
    if (saved >= 0)
        close(saved);

    /* The shipped sample article reads cleanly. */
    strbuf p = {0};
    strbuf_addf(&p, "%s/tests/fixtures/sample-article.txt", project_root);
    rc = stance_text_read(p.data, &t, &err);
    CHECK_EQ_INT(rc, STANCE_OK);
    if (t)
        CHECK_EQ_INT(t->invalid_bytes, 0);
    stance_text_free(t);
    strbuf_free(&p);
    stance_error_clear(&err);
}

/* ================================================================================ */
/* segment                                                                            */
/* ================================================================================ */

/* Checks paragraph i of s against want (its exact bytes). */
static void check_para_at(const char *file, int line, const char *s, const segment_list *list,
                          size_t i, const char *want)
{
    if (!check_true_at(file, line, i < list->count, "paragraph index < count"))
        return;
    const segment_span *sp = &list->items[i];
    if (!check_true_at(file, line, sp->start <= sp->end && sp->end <= strlen(s),
                       "span inside the input"))
        return;
    char *got = xstrndup(s + sp->start, sp->end - sp->start);
    check_eq_str_at(file, line, got, want, "paragraph text", "expected");
    free(got);
}
#define CHECK_PARA(s, list, i, want) check_para_at(__FILE__, __LINE__, (s), (list), (i), (want))

/* Page furniture: bylines, captions, teasers and credits, and sentences
 * that only look like them. */
static void test_furniture(void)
{
    static const struct {
        const char *text;
        int furniture;
    } cases[] = {
        {"By Amina Rahimi, Kabul", 1},
        {"By our correspondent in Termez", 1},
        {"Photo: Delegates arrive for talks in Tashkent, May 2025.", 1},
        {"PHOTO CAPTION: A border crossing near Chaman.", 1},
        {"The embassy building in Kabul. (File photo)", 1},
        {"Officials meet in Doha. (Photo: Agency staff)", 1},
        {"Read more: Why the corridor keeps slipping", 1},
        {"Also read: Traders wait at the border", 1},
        {"(Reporting by A. Noor in Islamabad; Editing by J. Smith)", 1},
        {"By the count of UN agencies, more than a million girls are out of school.", 0},
        {"By Tuesday, Kazakhstan had signed three deals with the Taliban.", 0},
        {"Norway said it would keep its embassy in Kabul open (for now).", 0},
        {"KABUL, May 3 (Reuters) - Uzbekistan signed a rail deal.", 0},
        {"Photos of the meeting were not released, the ministry said.", 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const char *t = cases[k].text;
        if (!CHECK(furniture_paragraph(t, 0, strlen(t)) == cases[k].furniture))
            fprintf(stderr, "  text: %s\n", t);
    }
}

static void test_segment(void)
{
    segment_list list = {0};

    const char *lf = "Headline\n\nFirst line\nsecond line.\n\n\n\nLast para.";
    segment_paragraphs(lf, strlen(lf), &list);
    CHECK_EQ_INT(list.count, 3);
    CHECK_PARA(lf, &list, 0, "Headline");
    CHECK_PARA(lf, &list, 1, "First line\nsecond line.");
    CHECK_PARA(lf, &list, 2, "Last para.");
    if (list.count == 3) {
        CHECK_EQ_INT(list.items[0].start, 0);
        CHECK_EQ_INT(list.items[0].end, 8);
        CHECK_EQ_INT(list.items[1].start, 10);
        CHECK_EQ_INT(list.items[2].end, strlen(lf));
    }

    const char *crlf = "One\r\n\r\nTwo a\r\nTwo b\r\n\r\n";
    segment_paragraphs(crlf, strlen(crlf), &list);
    CHECK_EQ_INT(list.count, 2);
    CHECK_PARA(crlf, &list, 0, "One");
    CHECK_PARA(crlf, &list, 1, "Two a\r\nTwo b");

    const char *cr = "One\r\rTwo a\rTwo b\r\r\rThree";
    segment_paragraphs(cr, strlen(cr), &list);
    CHECK_EQ_INT(list.count, 3);
    CHECK_PARA(cr, &list, 0, "One");
    CHECK_PARA(cr, &list, 1, "Two a\rTwo b");
    CHECK_PARA(cr, &list, 2, "Three");

    /* White-space-only lines (ASCII and no-break spaces) separate paragraphs;
     * spans are trimmed; leading and trailing blank lines give nothing. */
    const char *ws = "\n\n   \n  Alpha beta  \n \t \nGamma\n\xC2\xA0\xC2\xA0\nDelta \xE2\x80\x94\t\n\n\n";
    segment_paragraphs(ws, strlen(ws), &list);
    CHECK_EQ_INT(list.count, 3);
    CHECK_PARA(ws, &list, 0, "Alpha beta");
    CHECK_PARA(ws, &list, 1, "Gamma");
    CHECK_PARA(ws, &list, 2, "Delta \xE2\x80\x94");
    if (list.count == 3) {
        CHECK_EQ_INT(ws[list.items[0].start], 'A');
        CHECK_EQ_INT(ws[list.items[0].end - 1], 'a');
        CHECK_EQ_INT(list.items[0].start, 8);
    }

    /* One-line blocks: headline, dateline and body are three paragraphs. */
    const char *lines = "KABUL\n\nMarch 4\n\nThe talks began.";
    segment_paragraphs(lines, strlen(lines), &list);
    CHECK_EQ_INT(list.count, 3);
    CHECK_PARA(lines, &list, 1, "March 4");

    /* A byte-order mark is white space, not text. */
    const char *bom = "\xEF\xBB\xBFHeadline\n\nBody";
    segment_paragraphs(bom, strlen(bom), &list);
    CHECK_EQ_INT(list.count, 2);
    CHECK_PARA(bom, &list, 0, "Headline");

    segment_paragraphs("", 0, &list);
    CHECK_EQ_INT(list.count, 0);
    segment_paragraphs("\n \r\n\t\n", 6, &list);
    CHECK_EQ_INT(list.count, 0);

    /* Only len bytes are looked at. */
    const char *cut = "First\n\nSecond";
    segment_paragraphs(cut, 5, &list);
    CHECK_EQ_INT(list.count, 1);
    CHECK_PARA(cut, &list, 0, "First");

    segment_list_free(&list);
    CHECK(list.items == NULL);
}

/* ================================================================================ */
/* tokens                                                                             */
/* ================================================================================ */

/* Checks token i: folded form and original bytes. */
static void check_tok_at(const char *file, int line, const char *s, const token_list *l, size_t i,
                         const char *norm, const char *orig)
{
    if (!check_true_at(file, line, i < l->count, "token index < count"))
        return;
    check_eq_str_at(file, line, token_norm(l, i), norm, "token_norm", "expected");
    check_eq_int_at(file, line, (long long)l->items[i].norm_len, (long long)strlen(norm),
                    "norm_len", "strlen(norm)");
    char *got = xstrndup(s + l->items[i].start, l->items[i].end - l->items[i].start);
    check_eq_str_at(file, line, got, orig, "token bytes", "expected");
    free(got);
}
#define CHECK_TOK(s, l, i, norm, orig) \
    check_tok_at(__FILE__, __LINE__, (s), (l), (i), (norm), (orig))

static void test_tokens_words(void)
{
    token_list l = {0};

    const char *s = "Russia's envoy met Ma\xE2\x80\x99" "arij; they don't agree.";
    tokenize(s, 0, strlen(s), &l);
    CHECK_EQ_INT(l.count, 7);
    CHECK_TOK(s, &l, 0, "russia's", "Russia's");
    CHECK_TOK(s, &l, 1, "envoy", "envoy");
    CHECK_TOK(s, &l, 3, "ma'arij", "Ma\xE2\x80\x99" "arij");
    CHECK_TOK(s, &l, 5, "don't", "don't");
    CHECK_TOK(s, &l, 6, "agree", "agree");

    s = "Taliban-led government; Taliban\xE2\x80\x93" "led talks";
    tokenize(s, 0, strlen(s), &l);
    CHECK_EQ_INT(l.count, 6);
    CHECK_TOK(s, &l, 0, "taliban", "Taliban");
    CHECK_TOK(s, &l, 1, "led", "led");
    CHECK_TOK(s, &l, 3, "taliban", "Taliban");
    CHECK_TOK(s, &l, 4, "led", "led");
    if (l.count == 6) {
        CHECK_EQ_INT(l.items[0].start, 0);
        CHECK_EQ_INT(l.items[0].end, 7);
        CHECK_EQ_INT(l.items[1].start, 8);
        CHECK_EQ_INT(l.items[1].end, 11);
    }

    /* An apostrophe not between two word characters is not part of a word. */
    s = "'Taliban' rule, the leaders' meeting";
    tokenize(s, 0, strlen(s), &l);
    CHECK_EQ_INT(l.count, 5);
    CHECK_TOK(s, &l, 0, "taliban", "Taliban");
    CHECK_TOK(s, &l, 3, "leaders", "leaders");

    /* Unicode case folding, offsets in bytes of the original. */
    s = "\xC3\x84" "BC \xC3\x9C" "BER Stra\xC3\x9F" "e \xCE\xA3\xCE\x9F\xCE\xA6";
    tokenize(s, 0, strlen(s), &l);
    CHECK_EQ_INT(l.count, 4);
    CHECK_TOK(s, &l, 0, "\xC3\xA4" "bc", "\xC3\x84" "BC");
    CHECK_TOK(s, &l, 1, "\xC3\xBC" "ber", "\xC3\x9C" "BER");
    CHECK_TOK(s, &l, 2, "strasse", "Stra\xC3\x9F" "e");
    CHECK_TOK(s, &l, 3, "\xCF\x83\xCE\xBF\xCF\x86", "\xCE\xA3\xCE\x9F\xCE\xA6");
    if (l.count == 4) {
        CHECK_EQ_INT(l.items[0].end, 4);
        CHECK_EQ_INT(l.items[1].start, 5);
    }

    /* Invalid bytes split words and are never inside one. */
    s = "ab\xFF" "cd";
    tokenize(s, 0, strlen(s), &l);
    CHECK_EQ_INT(l.count, 2);
    CHECK_TOK(s, &l, 1, "cd", "cd");

    /* A sub-range: offsets stay offsets into the whole string. */
    s = "skip THIS part";
    tokenize(s, 5, 9, &l);
    CHECK_EQ_INT(l.count, 1);
    CHECK_TOK(s, &l, 0, "this", "THIS");
    if (l.count == 1)
        CHECK_EQ_INT(l.items[0].start, 5);

    tokenize(s, 4, 4, &l);
    CHECK_EQ_INT(l.count, 0);
    token_list_free(&l);
}

static void test_tokens_numbers_and_breaks(void)
{
    token_list l = {0};
    const char *s = "Prices rose 3.5 percent to 1,000 afghanis in 2021. Then 90's";
    tokenize(s, 0, strlen(s), &l);
    CHECK_EQ_INT(l.count, 11);
    CHECK_TOK(s, &l, 2, "3.5", "3.5");
    CHECK_TOK(s, &l, 5, "1,000", "1,000");
    CHECK_TOK(s, &l, 8, "2021", "2021");
    CHECK_TOK(s, &l, 9, "then", "Then");
    CHECK_TOK(s, &l, 10, "90's", "90's");
    if (l.count == 11) {
        CHECK(l.items[2].is_number);
        CHECK(l.items[5].is_number);
        CHECK(l.items[8].is_number);
        CHECK(!l.items[0].is_number);
        CHECK(!l.items[10].is_number); /* 90's is a word */
        CHECK(l.items[9].clause_break);  /* the dot after 2021 is a break */
        CHECK(!l.items[3].clause_break); /* the dot inside 3.5 is not */
        CHECK(!l.items[6].clause_break); /* nor the comma inside 1,000 */
    }

    s = "a. b; c? d, e! f: g h";
    tokenize(s, 0, strlen(s), &l);
    CHECK_EQ_INT(l.count, 8);
    if (l.count == 8) {
        CHECK(l.items[1].clause_break); /* after . */
        CHECK(l.items[2].clause_break); /* after ; */
        CHECK(l.items[3].clause_break); /* after ? */
        CHECK(!l.items[4].clause_break); /* a comma is no clause break */
        CHECK(l.items[5].clause_break); /* after ! */
        CHECK(l.items[6].clause_break); /* after : */
        CHECK(!l.items[7].clause_break);
    }
    token_list_free(&l);
}

/* ================================================================================ */
/* stem                                                                               */
/* ================================================================================ */

static void check_stem_at(const char *file, int line, stemmer *st, const char *word,
                          const char *want)
{
    size_t n = 999;
    const char *s = stem_word(st, word, strlen(word), &n);
    check_eq_str_at(file, line, s, want, word, "stem");
    check_eq_int_at(file, line, (long long)n, (long long)strlen(want), "stem_len", "strlen");
}
#define CHECK_STEM(st, word, want) check_stem_at(__FILE__, __LINE__, (st), (word), (want))

static void test_stem(void)
{
    stance_error err = {0};
    stemmer *st = stem_new("english", &err);
    if (!CHECK(st != NULL))
        return;
    CHECK_STEM(st, "relations", "relat");
    CHECK_STEM(st, "fostering", "foster");
    CHECK_STEM(st, "foster", "foster");
    CHECK_STEM(st, "recognise", "recognis");
    CHECK_STEM(st, "russia's", "russia");
    /* The memo answers repeated words with the same stem, also after the
     * arena has grown and moved. */
    char word[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(word, sizeof word, "word%dings", i);
        size_t n;
        stem_word(st, word, strlen(word), &n);
    }
    CHECK_STEM(st, "relations", "relat");
    CHECK_STEM(st, "fostering", "foster");

    /* Only len bytes of the word count. */
    size_t n;
    const char *s = stem_word(st, "relationsXYZ", 9, &n);
    CHECK_EQ_STR(s, "relat");
    stem_free(st);
    stem_free(NULL);

    st = stem_new("klingon", &err);
    CHECK(st == NULL);
    CHECK_CONTAINS(err.message, "klingon");
    CHECK_CONTAINS(err.message, "english");
    CHECK_CONTAINS(err.message, "russian");
    CHECK_EQ_INT(err.code, STANCE_E_USAGE);
    stance_error_clear(&err);
}

/* The memo is emptied when full; stems stay right across that. */
static void test_stem_memo_limit(void)
{
    stance_error err = {0};
    stemmer *st = stem_new("english", &err);
    if (!CHECK(st != NULL))
        return;
    char word[32], *first[50];
    for (int i = 0; i < 50; i++) {
        int len = snprintf(word, sizeof word, "relating%dations", i);
        size_t n;
        const char *s = stem_word(st, word, (size_t)len, &n);
        first[i] = xstrndup(s, n);
    }
    for (int i = 0; i < 200100; i++) {
        int len = snprintf(word, sizeof word, "z%dxing", i);
        size_t n;
        stem_word(st, word, (size_t)len, &n);
    }
    size_t wrong = 0;
    for (int i = 0; i < 50; i++) {
        int len = snprintf(word, sizeof word, "relating%dations", i);
        size_t n;
        const char *s = stem_word(st, word, (size_t)len, &n);
        wrong += n != strlen(first[i]) || memcmp(s, first[i], n) != 0;
        free(first[i]);
    }
    CHECK_EQ_INT(wrong, 0);
    CHECK_STEM(st, "relations", "relat");
    CHECK_STEM(st, "fostering", "foster");
    stem_free(st);
}

/* ================================================================================ */
/* lexicon                                                                            */
/* ================================================================================ */

typedef struct {
    strbuf seen; /* "where|col|col;" for every call */
    size_t calls;
    int fail_at; /* return an error on this call (1-based), 0 never */
} lines_ctx;

static int collect_line(void *ctx, char **cols, size_t ncols, const char *where,
                        stance_error *err)
{
    lines_ctx *lc = ctx;
    lc->calls++;
    if (lc->fail_at && (size_t)lc->fail_at == lc->calls)
        return stance_error_set(err, STANCE_E_MODEL, where, "rejected by the callback");
    const char *colon = strrchr(where, ':');
    strbuf_adds(&lc->seen, colon ? colon + 1 : where);
    for (size_t i = 0; i < ncols; i++)
        strbuf_addf(&lc->seen, "|%s", cols[i]);
    strbuf_addc(&lc->seen, ';');
    return STANCE_OK;
}

static void test_lexicon_read(void)
{
    stance_error err = {0};
    const char *path = tmp_path("words.tsv");
    const char *content = "# a comment\n"
                          "\n"
                          "alpha\tone\r\n"
                          "# another\tcomment\n"
                          "beta\ttwo\tthree\n"
                          "\r\n"
                          "gamma\tfour";
    write_text(path, content);
    lines_ctx lc = {0};
    uint64_t sum = 0;
    int rc = lexicon_read(path, 2, 3, collect_line, &lc, &sum, &err);
    CHECK_EQ_INT(rc, STANCE_OK);
    CHECK_EQ_INT(lc.calls, 3);
    CHECK_EQ_STR(lc.seen.data, "3|alpha|one;5|beta|two|three;7|gamma|four;");
    CHECK_EQ_U64(sum, hash_bytes(content, strlen(content)));

    /* Too few and too many columns: the error names path:line. */
    write_text(path, "# header\nalpha\tone\nbeta\n");
    strbuf_reset(&lc.seen);
    lc.calls = 0;
    rc = lexicon_read(path, 2, 3, collect_line, &lc, NULL, &err);
    CHECK(ends_with(err.where, "words.tsv:3"));
    CHECK_CONTAINS(err.message, "column");
    CHECK(rc != STANCE_OK);
    CHECK_ERROR(rc, &err, STANCE_E_MODEL, NULL);

    write_text(path, "a\tb\tc\td\n");
    rc = lexicon_read(path, 2, 3, collect_line, &lc, NULL, &err);
    CHECK(ends_with(err.where, "words.tsv:1"));
    CHECK_ERROR(rc, &err, STANCE_E_MODEL, "column");

    /* A callback's error stops the read and is passed on. */
    write_text(path, "a\tb\nc\td\ne\tf\n");
    strbuf_reset(&lc.seen);
    lc.calls = 0;
    lc.fail_at = 2;
    rc = lexicon_read(path, 2, 2, collect_line, &lc, NULL, &err);
    CHECK_EQ_INT(lc.calls, 2);
    CHECK(ends_with(err.where, "words.tsv:2"));
    CHECK_ERROR(rc, &err, STANCE_E_MODEL, "rejected");

    rc = lexicon_read(tmp_path("missing.txt"), 1, 1, collect_line, &lc, NULL, &err);
    CHECK(rc != STANCE_OK);
    CHECK(err.message && err.message[0]);
    stance_error_clear(&err);
    strbuf_free(&lc.seen);
}

/* Tokenises and stems text as features.c does, then matches cues. */
static void match_cues(const cue_lexicon *lex, stemmer *st, const char *text, cue_counts *out)
{
    token_list toks = {0};
    strbuf arena = {0}, scratch = {0};
    tokenize(text, 0, strlen(text), &toks);
    size_t *offs = xcalloc(toks.count + 1, sizeof *offs);
    const char **stems = xcalloc(toks.count + 1, sizeof *stems);
    for (size_t i = 0; i < toks.count; i++) {
        size_t n;
        const char *s = stem_word(st, token_norm(&toks, i), toks.items[i].norm_len, &n);
        offs[i] = arena.len;
        strbuf_add(&arena, s, n);
        strbuf_addc(&arena, '\0');
    }
    for (size_t i = 0; i < toks.count; i++)
        stems[i] = arena.data + offs[i];
    word_seq seq = {0};
    word_seq_set(&seq, stems, toks.count);
    unsigned char *negation = xcalloc(toks.count + 1, 1);
    lexicon_negation_scope(lex, &toks, &seq, negation, &scratch);
    cue_lexicon_match(lex, &toks, &seq, negation, out, &scratch);
    free(negation);
    word_seq_free(&seq);
    free(offs);
    free(stems);
    strbuf_free(&arena);
    strbuf_free(&scratch);
    token_list_free(&toks);
}

/* Checks the cue counts of text: engagement, caution, opposition, each as
 * plain then negated. */
static void check_cues_at(const char *file, int line, const cue_lexicon *lex, stemmer *st,
                          const char *text, const unsigned want[6])
{
    cue_counts c;
    match_cues(lex, st, text, &c);
    char got_s[64], want_s[64];
    snprintf(got_s, sizeof got_s, "%u/%u %u/%u %u/%u", c.counts[0][0], c.counts[0][1],
             c.counts[1][0], c.counts[1][1], c.counts[2][0], c.counts[2][1]);
    snprintf(want_s, sizeof want_s, "%u/%u %u/%u %u/%u", want[0], want[1], want[2], want[3],
             want[4], want[5]);
    check_eq_str_at(file, line, got_s, want_s, text, "counts (eng caution opp, plain/negated)");
}
#define CHECK_CUES(lex, st, text, e, en, c, cn, o, on)                             \
    do {                                                                           \
        const unsigned want_[6] = {(e), (en), (c), (cn), (o), (on)};               \
        check_cues_at(__FILE__, __LINE__, (lex), (st), (text), want_);             \
    } while (0)

static void test_cue_lexicon(void)
{
    stance_error err = {0};
    stemmer *st = stem_new("english", &err);
    if (!CHECK(st != NULL))
        return;
    cue_lexicon *lex = cue_lexicon_load(lex_dir(), st, &err);
    if (!CHECK(lex != NULL)) {
        fprintf(stderr, "  %s\n", err.message ? err.message : "");
        stance_error_clear(&err);
        stem_free(st);
        return;
    }
    CHECK_EQ_INT(LEXICON_FILE_COUNT, 8);
    CHECK_EQ_STR(lex->file_names[4], "target.txt");
    CHECK_EQ_STR(lex->file_names[5], "valence_vader.tsv");
    CHECK_EQ_STR(lex->file_names[6], "valence_news.tsv");
    CHECK_EQ_STR(lex->file_names[7], "intensifiers.tsv");
    CHECK_EQ_STR(lex->file_names[0], "cues_engagement.txt");
    CHECK_EQ_STR(lex->file_names[1], "cues_caution.txt");
    CHECK_EQ_STR(lex->file_names[2], "cues_opposition.txt");
    CHECK_EQ_STR(lex->file_names[3], "negators.txt");
    strbuf bytes = {0};
    read_bytes(tmp_path("lex/cues_caution.txt"), &bytes);
    CHECK_EQ_U64(lex->checksums[1], hash_bytes(bytes.data, bytes.len));
    strbuf_free(&bytes);

    /* Plain counts, by class; inflections match. */
    CHECK_CUES(lex, st, "They signed a trade deal and held a dialogue.", 2, 0, 0, 0, 0, 0);
    CHECK_CUES(lex, st, "Trade deals, more trade deals.", 2, 0, 0, 0, 0, 0);
    CHECK_CUES(lex, st, "Concerns grew; they condemned it and sanctioned him.", 0, 0, 1, 0, 2, 0);
    CHECK_CUES(lex, st, "Nothing to see here.", 0, 0, 0, 0, 0, 0);
    /* Phrases across inflections, only as whole phrases. */
    CHECK_CUES(lex, st, "Both are fostering relations.", 1, 0, 0, 0, 0, 0);
    CHECK_CUES(lex, st, "They fostered relation after relation.", 1, 0, 0, 0, 0, 0);
    CHECK_CUES(lex, st, "Relations were fostered.", 0, 0, 0, 0, 0, 0);
    CHECK_CUES(lex, st, "They will wait and see.", 0, 0, 1, 0, 0, 0);
    CHECK_CUES(lex, st, "They will wait.", 0, 0, 0, 0, 0, 0);

    /* Negation within the window, in the same clause. */
    CHECK_CUES(lex, st, "They did not sign a trade deal.", 0, 1, 0, 0, 0, 0);
    CHECK_CUES(lex, st, "Not one two three trade deal.", 0, 1, 0, 0, 0, 0);   /* 4 after */
    CHECK_CUES(lex, st, "Not one two three four trade deal.", 1, 0, 0, 0, 0, 0); /* 5 after */
    CHECK_CUES(lex, st, "No. Trade deal signed.", 1, 0, 0, 0, 0, 0);
    CHECK_CUES(lex, st, "Never; a trade deal.", 1, 0, 0, 0, 0, 0);
    CHECK_CUES(lex, st, "They refused to recognise it.", 0, 1, 0, 0, 0, 0);  /* phrase negator */
    CHECK_CUES(lex, st, "They won't recognise it.", 0, 1, 0, 0, 0, 0);       /* n't */
    CHECK_CUES(lex, st, "They won\xE2\x80\x99t recognise it.", 0, 1, 0, 0, 0, 0);
    CHECK_CUES(lex, st, "They didn't condemn it, nor sanction it.", 0, 0, 0, 0, 0, 2);
    CHECK_CUES(lex, st, "They did not condemn it. They sanctioned it.", 0, 0, 0, 0, 1, 1);
    /* A cue before the negator is not negated. */
    CHECK_CUES(lex, st, "A trade deal, not a dialogue.", 1, 1, 0, 0, 0, 0);

    /* Missing files and bad entries. */
    cue_lexicon_free(lex);
    lex = cue_lexicon_load(tmp_path("no-such-dir"), st, &err);
    CHECK(lex == NULL);
    CHECK_ERROR(STANCE_E_MODEL, &err, STANCE_E_MODEL, NULL);

    const char *bad = tmp_path("badlex");
    write_lexicons(bad);
    write_text(tmp_path("badlex/cues_caution.txt"), "concern\n---\n");
    lex = cue_lexicon_load(bad, st, &err);
    CHECK(lex == NULL);
    CHECK(ends_with(err.where, "cues_caution.txt:2"));
    CHECK_ERROR(STANCE_E_MODEL, &err, STANCE_E_MODEL, "no words");

    write_text(tmp_path("badlex/cues_caution.txt"), "concern\tcolumn\n");
    lex = cue_lexicon_load(bad, st, &err);
    CHECK(lex == NULL);
    CHECK(ends_with(err.where, "cues_caution.txt:1"));
    CHECK_ERROR(STANCE_E_MODEL, &err, STANCE_E_MODEL, NULL);
    cue_lexicon_free(NULL);

    /* The shipped lexicons load. */
    strbuf p = {0};
    strbuf_addf(&p, "%s/lexicons", project_root);
    lex = cue_lexicon_load(p.data, st, &err);
    if (!CHECK(lex != NULL))
        fprintf(stderr, "  shipped lexicons: %s\n", err.message ? err.message : "");
    else
        CHECK_CUES(lex, st, "They will appoint an ambassador to Kabul.", 1, 0, 0, 0, 0, 0);
    cue_lexicon_free(lex);
    strbuf_free(&p);
    stance_error_clear(&err);
    stem_free(st);
}

/* ================================================================================ */
/* features                                                                           */
/* ================================================================================ */

static char english[] = "english";

static const feature_value *vec_of(feature_extractor *fx, const feature_dict *d, const char *s,
                                   size_t *n)
{
    return features_vector(fx, d, s, 0, strlen(s), NULL, n);
}

static double value_of(const feature_value *v, size_t n, unsigned id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].id == id)
            return v[i].value;
    return NAN;
}

static unsigned id_of(const feature_dict *d, const char *name)
{
    size_t *id = strmap_find(&d->index, name, strlen(name));
    return id ? (unsigned)*id : 0;
}

static void test_features_dict(void)
{
    stance_error err = {0};
    stemmer *st = stem_new("english", &err);
    cue_lexicon *lex = st ? cue_lexicon_load(lex_dir(), st, &err) : NULL;
    feature_config cfg = {.stemmer = english, .ngram_min = 1, .ngram_max = 2,
                          .weighting = STANCE_WEIGHT_BINARY, .l2_normalise = 0,
                          .cue_weight = 0.5};
    feature_extractor *fx = lex ? features_new(&cfg, lex, &err) : NULL;
    if (!CHECK(fx != NULL)) {
        stance_error_clear(&err);
        cue_lexicon_free(lex);
        stem_free(st);
        return;
    }
    char *texts[] = {"Gamma beta alpha", "gamma beta, alpha!", "alpha zeta", "3.5 zeta"};
    feature_dict d;
    feature_dict_build(&d, fx, texts, 4, 2, 0.5);
    /* df >= 2: alpha (3), beta (2), gamma (2), zeta (2), "gamma beta" (2),
     * "beta alpha" (2): sorted by name, then the ten lexicon features. */
    const char *want[] = {"alpha", "beta", "beta alpha", "gamma", "gamma beta", "zeta",
                          "cue:engagement", "cue:engagement:negated", "cue:caution",
                          "cue:caution:negated", "cue:opposition", "cue:opposition:negated",
                          "val:positive", "val:negative", "val:positive:target",
                          "val:negative:target"};
    CHECK_EQ_INT(d.ngram_count, 6);
    if (CHECK_EQ_INT(d.count, 16 + FEATURES_HOLDER_COUNT))
        for (size_t i = 0; i < 16; i++) {
            CHECK_EQ_STR(d.names[i], want[i]);
            CHECK_EQ_INT(id_of(&d, want[i]), i + 1);
        }
    if (d.count == 16) {
        CHECK_NEAR(d.weights[0], log(5.0 / 4.0) + 1.0, 1e-12); /* alpha: df 3 of 4 */
        CHECK_NEAR(d.weights[1], log(5.0 / 3.0) + 1.0, 1e-12); /* beta: df 2 of 4 */
        CHECK_NEAR(d.weights[6], 0.5, 0);
        CHECK_NEAR(d.weights[15], 0.5, 0);
    }
    CHECK_EQ_INT(id_of(&d, "#"), 0); /* df 1: dropped */
    feature_dict_free(&d);

    /* min_df 1 keeps everything, numbers as "#". */
    feature_dict_build(&d, fx, texts, 4, 1, 0.5);
    CHECK(id_of(&d, "#") != 0);
    CHECK(id_of(&d, "# zeta") != 0);
    CHECK(id_of(&d, "alpha zeta") != 0);
    CHECK_EQ_INT(d.count, d.ngram_count + FEATURES_EXTRA_COUNT);
    int sorted = 1;
    for (size_t i = 1; i < d.ngram_count; i++)
        sorted &= strcmp(d.names[i - 1], d.names[i]) < 0;
    CHECK(sorted);
    feature_dict_free(&d);

    features_free(fx);
    cue_lexicon_free(lex);
    stem_free(st);
}

static void count_gram(void *ctx, const char *gram, size_t len)
{
    (void)gram;
    (void)len;
    (*(size_t *)ctx)++;
}

/* Character n-grams: within each folded word padded with ^ and $, counted
 * in code points, none for numbers, L2-normalised apart from the words. */
static void test_features_char_ngrams(void)
{
    stance_error err = {0};
    stemmer *st = stem_new("english", &err);
    cue_lexicon *lex = st ? cue_lexicon_load(lex_dir(), st, &err) : NULL;
    feature_config cfg = {.stemmer = english, .ngram_min = 1, .ngram_max = 1, .char_min = 2,
                          .char_max = 3, .weighting = STANCE_WEIGHT_BINARY, .l2_normalise = 1,
                          .cue_weight = 0};
    feature_extractor *fx = lex ? features_new(&cfg, lex, &err) : NULL;
    if (!CHECK(fx != NULL)) {
        stance_error_clear(&err);
        cue_lexicon_free(lex);
        stem_free(st);
        return;
    }
    char *texts[] = {"Ab 42", "ab", "\xc3\xa9t\xc3\xa9"};
    feature_dict d;
    feature_dict_build(&d, fx, texts, 3, 1, 0);
    /* "^ab$": ^a ab b$ ^ab ab$; "#" has none; "^été$" in code points */
    CHECK(id_of(&d, "c:^a") && id_of(&d, "c:ab") && id_of(&d, "c:b$") && id_of(&d, "c:^ab") &&
          id_of(&d, "c:ab$"));
    CHECK_EQ_INT(id_of(&d, "c:^ab$"), 0); /* longer than 3 */
    CHECK_EQ_INT(id_of(&d, "c:^4"), 0);
    CHECK(id_of(&d, "c:^\xc3\xa9") && id_of(&d, "c:\xc3\xa9t\xc3\xa9") &&
          id_of(&d, "c:\xc3\xa9$"));
    CHECK_EQ_INT(id_of(&d, "c:^\xc3"), 0); /* never half a character */

    size_t n;
    const feature_value *v = vec_of(fx, &d, "ab", &n);
    /* the word block (ab) and the character block (five grams) each have norm 1 */
    CHECK_EQ_INT(n, 6);
    double words = 0, chars = 0;
    int sorted = 1;
    for (size_t i = 0; i < n; i++) {
        const char *name = d.names[v[i].id - 1];
        *(strncmp(name, "c:", 2) == 0 ? &chars : &words) += v[i].value * v[i].value;
        sorted &= i == 0 || v[i - 1].id < v[i].id;
    }
    CHECK_NEAR(words, 1.0, 1e-12);
    CHECK_NEAR(chars, 1.0, 1e-12);
    CHECK(sorted);
    feature_dict_free(&d);
    features_free(fx);
    cue_lexicon_free(lex);
    stem_free(st);
}

static void test_features_vector(void)
{
    stance_error err = {0};
    stemmer *st = stem_new("english", &err);
    cue_lexicon *lex = st ? cue_lexicon_load(lex_dir(), st, &err) : NULL;
    feature_config cfg = {.stemmer = english, .ngram_min = 1, .ngram_max = 2,
                          .weighting = STANCE_WEIGHT_BINARY, .l2_normalise = 0,
                          .cue_weight = 0.5};
    feature_extractor *fx = lex ? features_new(&cfg, lex, &err) : NULL;
    if (!CHECK(fx != NULL)) {
        stance_error_clear(&err);
        cue_lexicon_free(lex);
        stem_free(st);
        return;
    }
    char *texts[] = {"alpha beta gamma", "alpha beta delta", "alpha epsilon"};
    feature_dict d;
    feature_dict_build(&d, fx, texts, 3, 2, 0.5);
    /* alpha (df 3), "alpha beta" (2), beta (2). */
    CHECK_EQ_INT(d.ngram_count, 3);
    unsigned a = id_of(&d, "alpha"), ab = id_of(&d, "alpha beta"), b = id_of(&d, "beta");
    CHECK(a == 1 && ab == 2 && b == 3);
    double idf_a = 1.0, idf_b = log(4.0 / 3.0) + 1.0;

    size_t gram_count = 0;
    features_each_ngram(fx, "beta alpha beta", 0, 15, count_gram, &gram_count);
    CHECK_EQ_INT(gram_count, 4); /* beta, beta alpha, alpha, alpha beta */

    const char *s = "Beta alpha beta";
    size_t n;
    const feature_value *v = vec_of(fx, &d, s, &n);
    CHECK_EQ_INT(n, 3);
    CHECK_NEAR(value_of(v, n, a), 1.0, 0);
    CHECK_NEAR(value_of(v, n, ab), 1.0, 0);
    CHECK_NEAR(value_of(v, n, b), 1.0, 0); /* binary: twice is still 1 */

    cfg.weighting = STANCE_WEIGHT_LOGTF;
    v = vec_of(fx, &d, s, &n);
    CHECK_EQ_INT(n, 3);
    CHECK_NEAR(value_of(v, n, a), 1.0, 1e-12);
    CHECK_NEAR(value_of(v, n, b), 1.0 + log(2.0), 1e-12);

    cfg.weighting = STANCE_WEIGHT_TFIDF;
    v = vec_of(fx, &d, s, &n);
    CHECK_EQ_INT(n, 3);
    CHECK_NEAR(value_of(v, n, a), idf_a, 1e-12);
    CHECK_NEAR(value_of(v, n, ab), idf_b, 1e-12);
    CHECK_NEAR(value_of(v, n, b), (1.0 + log(2.0)) * idf_b, 1e-12);

    /* L2: the n-gram part has norm 1; the cue features follow, unscaled. */
    cfg.l2_normalise = 1;
    s = "alpha beta gamma beta, they signed a trade deal and did not condemn";
    v = vec_of(fx, &d, s, &n);
    double norm = 0;
    int ordered = 1;
    for (size_t i = 0; i < n; i++) {
        if (i)
            ordered &= v[i - 1].id < v[i].id;
        if (v[i].id <= d.ngram_count)
            norm += v[i].value * v[i].value;
    }
    CHECK(ordered);
    CHECK_NEAR(norm, 1.0, 1e-12);
    /* 3 n-grams, the engagement cue, the negated opposition cue, and the
     * negated "condemn" counted as a positive valence word. */
    CHECK_EQ_INT(n, 6);
    unsigned eng = (unsigned)d.ngram_count + 1, opp_neg = (unsigned)d.ngram_count + 6;
    unsigned val_pos = (unsigned)d.ngram_count + 7;
    CHECK_NEAR(value_of(v, n, eng), log(2.0) * 0.5, 1e-12);
    CHECK_NEAR(value_of(v, n, opp_neg), log(2.0) * 0.5, 1e-12);
    CHECK_NEAR(value_of(v, n, val_pos), log(2.0) * 0.5 * FEATURES_TONE_SHARE, 1e-12);
    if (n == 6)
        CHECK_EQ_INT(v[n - 1].id, val_pos);

    /* Nothing known: an empty vector. */
    v = vec_of(fx, &d, "qqqq rrrr", &n);
    CHECK_EQ_INT(n, 0);

    /* A sub-range of a longer string. */
    s = "gamma gamma ALPHA gamma";
    v = features_vector(fx, &d, s, 12, 17, NULL, &n);
    CHECK_EQ_INT(n, 1);
    if (n == 1)
        CHECK_EQ_INT(v[0].id, a);

    CHECK_EQ_STR(features_weighting_name(STANCE_WEIGHT_LOGTF), "logtf");
    stance_weighting w;
    CHECK_EQ_INT(features_weighting_parse("tfidf", &w), 0);
    CHECK_EQ_INT(w, STANCE_WEIGHT_TFIDF);
    CHECK_EQ_INT(features_weighting_parse("bm25", &w), -1);

    feature_dict_free(&d);
    features_free(fx);
    features_free(NULL);

    /* An unknown stemmer is refused by features_new. */
    cfg.stemmer = (char *)"klingon";
    fx = features_new(&cfg, lex, &err);
    CHECK(fx == NULL);
    CHECK(err.message && strstr(err.message, "klingon"));
    stance_error_clear(&err);

    cue_lexicon_free(lex);
    stem_free(st);
}

/* Writes a features.tsv by hand: the n-gram lines given, then the six cue
 * features with the next ids. */
static void write_features(const char *path, const char *ngram_lines, size_t first_cue_id)
{
    strbuf sb = {0};
    strbuf_adds(&sb, "id\tfeature\tweight\n");
    strbuf_adds(&sb, ngram_lines);
    static const char *const cue[] = {"cue:engagement",      "cue:engagement:negated",
                                      "cue:caution",         "cue:caution:negated",
                                      "cue:opposition",      "cue:opposition:negated",
                                      "val:positive",        "val:negative",
                                      "val:positive:target", "val:negative:target",
                                      "hold:none",           "hold:some",
                                      "hold:resolved",       "hold:target-only",
                                      "hold:speaks",         "hold:quote:official",
                                      "hold:quote:taliban",  "hold:quote:other"};
    for (size_t i = 0; i < FEATURES_EXTRA_COUNT; i++)
        strbuf_addf(&sb, "%zu\t%s\t0.5\n", first_cue_id + i, cue[i]);
    write_text(path, sb.data);
    strbuf_free(&sb);
}

static void test_features_io(void)
{
    stance_error err = {0};
    stemmer *st = stem_new("english", &err);
    cue_lexicon *lex = st ? cue_lexicon_load(lex_dir(), st, &err) : NULL;
    feature_config cfg = {.stemmer = english, .ngram_min = 1, .ngram_max = 3,
                          .weighting = STANCE_WEIGHT_TFIDF, .l2_normalise = 1,
                          .cue_weight = 0.3};
    feature_extractor *fx = lex ? features_new(&cfg, lex, &err) : NULL;
    if (!CHECK(fx != NULL)) {
        stance_error_clear(&err);
        cue_lexicon_free(lex);
        stem_free(st);
        return;
    }
    char *texts[] = {"The envoy's 3.5 talks in Kabul.", "Talks in K\xC3\xA4" "bul, \xC3\x9F.",
                     "talks; envoy 1,000", "The talks went on"};
    feature_dict d, r;
    feature_dict_build(&d, fx, texts, 4, 1, 0.3);
    const char *path = tmp_path("features.tsv");
    int rc = feature_dict_write(&d, path, &err);
    CHECK_EQ_INT(rc, STANCE_OK);
    rc = feature_dict_read(&r, path, d.count, &err);
    CHECK_EQ_INT(rc, STANCE_OK);
    if (rc == STANCE_OK && CHECK_EQ_INT(r.count, d.count)) {
        CHECK_EQ_INT(r.ngram_count, d.ngram_count);
        size_t diff = 0;
        for (size_t i = 0; i < d.count; i++) {
            diff += strcmp(r.names[i], d.names[i]) != 0;
            diff += r.weights[i] != d.weights[i]; /* %.17g round-trips exactly */
            diff += id_of(&r, d.names[i]) != i + 1;
        }
        CHECK_EQ_INT(diff, 0);
        /* Writing what was read gives the same bytes. */
        strbuf a = {0}, b = {0};
        const char *path2 = tmp_path("features2.tsv");
        CHECK_EQ_INT(feature_dict_write(&r, path2, &err), STANCE_OK);
        read_bytes(path, &a);
        read_bytes(path2, &b);
        CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
        strbuf_free(&a);
        strbuf_free(&b);
    }
    feature_dict_free(&r);

    /* A wrong count. */
    rc = feature_dict_read(&r, path, d.count + 1, &err);
    CHECK(r.count == 0 && r.names == NULL);
    CHECK_ERROR(rc, &err, STANCE_E_MODEL, NULL);

    /* Hand-written files: a good one, then one fault each. */
    write_features(path, "1\talpha\t1.5\n2\tbeta\t2\n", 3);
    rc = feature_dict_read(&r, path, 2 + FEATURES_EXTRA_COUNT, &err);
    CHECK_EQ_INT(rc, STANCE_OK);
    CHECK_EQ_INT(r.ngram_count, 2);
    feature_dict_free(&r);
    stance_error_clear(&err);

    write_features(path, "1\talpha\t1.5\n3\tbeta\t2\n", 4);
    rc = feature_dict_read(&r, path, 2 + FEATURES_EXTRA_COUNT, &err);
    CHECK(ends_with(err.where, "features.tsv:3"));
    CHECK_ERROR(rc, &err, STANCE_E_MODEL, "order");

    write_features(path, "2\talpha\t1.5\n1\tbeta\t2\n", 3);
    rc = feature_dict_read(&r, path, 2 + FEATURES_EXTRA_COUNT, &err);
    CHECK_ERROR(rc, &err, STANCE_E_MODEL, "order");

    const char *bad_weights[] = {"abc", "nan", "inf", "", "1.5x", "-inf"};
    for (size_t i = 0; i < sizeof bad_weights / sizeof *bad_weights; i++) {
        strbuf line = {0};
        strbuf_addf(&line, "1\talpha\t1.5\n2\tbeta\t%s\n", bad_weights[i]);
        write_features(path, line.data, 3);
        rc = feature_dict_read(&r, path, 2 + FEATURES_EXTRA_COUNT, &err);
        CHECK(ends_with(err.where, "features.tsv:3"));
        CHECK_ERROR(rc, &err, STANCE_E_MODEL, "weight");
        strbuf_free(&line);
    }

    write_features(path, "1\talpha\t1.5\n2\talpha\t2\n", 3);
    rc = feature_dict_read(&r, path, 2 + FEATURES_EXTRA_COUNT, &err);
    CHECK_ERROR(rc, &err, STANCE_E_MODEL, "repeated");

    write_text(path, "1\talpha\t1.5\n");
    rc = feature_dict_read(&r, path, 1, &err);
    CHECK_ERROR(rc, &err, STANCE_E_MODEL, "header");

    write_text(path, "id\tfeature\tweight\n1\talpha\t1.5\n2\tbeta\t2\n");
    rc = feature_dict_read(&r, path, 2, &err); /* no lexicon features */
    CHECK_ERROR(rc, &err, STANCE_E_MODEL, "lexicon features");

    write_text(path, "id\tfeature\tweight\n1\talpha\n");
    rc = feature_dict_read(&r, path, 1, &err);
    CHECK_ERROR(rc, &err, STANCE_E_MODEL, "column");

    feature_dict_free(&d);
    features_free(fx);
    cue_lexicon_free(lex);
    stem_free(st);
}

/* ================================================================================ */
/* metrics                                                                            */
/* ================================================================================ */

static void test_metrics(void)
{
    char *labels[] = {"a", "b", "c"};
    stance_metrics *m = stance_metrics_new(3, labels);
    /* rows gold, columns predicted:
     *        a  b  c
     *   a    3  1  0
     *   b    0  2  2
     *   c    1  0  2       */
    const size_t cells[3][3] = {{3, 1, 0}, {0, 2, 2}, {1, 0, 2}};
    for (size_t g = 0; g < 3; g++)
        for (size_t p = 0; p < 3; p++)
            for (size_t k = 0; k < cells[g][p]; k++)
                stance_metrics_add(m, g, p);
    stance_metrics_finish(m);
    CHECK_EQ_INT(m->total, 11);
    CHECK_EQ_INT(m->confusion[1 * 3 + 2], 2);
    CHECK_EQ_STR(m->labels[2], "c");
    CHECK_NEAR(m->precision[0], 3.0 / 4.0, 1e-12);
    CHECK_NEAR(m->recall[0], 3.0 / 4.0, 1e-12);
    CHECK_NEAR(m->f1[0], 3.0 / 4.0, 1e-12);
    CHECK_NEAR(m->precision[1], 2.0 / 3.0, 1e-12);
    CHECK_NEAR(m->recall[1], 2.0 / 4.0, 1e-12);
    CHECK_NEAR(m->f1[1], 4.0 / 7.0, 1e-12);
    CHECK_NEAR(m->precision[2], 2.0 / 4.0, 1e-12);
    CHECK_NEAR(m->recall[2], 2.0 / 3.0, 1e-12);
    CHECK_NEAR(m->f1[2], 4.0 / 7.0, 1e-12);
    CHECK_NEAR(m->macro_f1, (3.0 / 4.0 + 8.0 / 7.0) / 3.0, 1e-12);
    CHECK_NEAR(m->accuracy, 7.0 / 11.0, 1e-12);

    /* The table names the labels and the scores. */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (CHECK(f != NULL)) {
        CHECK_EQ_INT(stance_metrics_write(f, m), STANCE_OK);
        fclose(f);
        CHECK_CONTAINS(buf, "macro-F1 0.6310");
        CHECK_CONTAINS(buf, "accuracy 0.6364");
        CHECK_CONTAINS(buf, "0.5714");
        free(buf);
    }
    stance_metrics_free(m);

    /* A label never seen nor predicted scores 0, not NaN. */
    char *two[] = {"x", "y"};
    m = stance_metrics_new(2, two);
    stance_metrics_add(m, 0, 0);
    stance_metrics_add(m, 0, 0);
    stance_metrics_finish(m);
    CHECK_NEAR(m->precision[0], 1.0, 0);
    CHECK_NEAR(m->precision[1], 0.0, 0);
    CHECK_NEAR(m->recall[1], 0.0, 0);
    CHECK_NEAR(m->f1[1], 0.0, 0);
    CHECK_NEAR(m->macro_f1, 0.5, 1e-12);
    CHECK_NEAR(m->accuracy, 1.0, 0);
    stance_metrics_free(m);

    /* Nothing added: zeros. */
    m = stance_metrics_new(2, two);
    stance_metrics_finish(m);
    CHECK_NEAR(m->accuracy, 0.0, 0);
    CHECK_NEAR(m->macro_f1, 0.0, 0);
    stance_metrics_free(m);
    stance_metrics_free(NULL);
}

/* ================================================================================ */
/* dataset                                                                            */
/* ================================================================================ */

static void test_dataset(void)
{
    stance_error err = {0};
    stance_dataset *d = NULL;
    const char *path = tmp_path("data.tsv");

    write_text(path, "\xEF\xBB\xBFlabel\ttext\tsource\tdate\r\n"
                     "pro\tHello\\tworld\\nline two\tReuters\t2021\r\n"
                     "\r\n"
                     "anti\tback\\\\slash and \\r\r\n"
                     "pro\tplain text, no extra column");
    int rc = stance_dataset_read(path, &d, &err);
    CHECK_EQ_INT(rc, STANCE_OK);
    if (CHECK(d != NULL)) {
        CHECK_EQ_STR(d->path, path);
        if (CHECK_EQ_INT(d->count, 3)) {
            CHECK_EQ_STR(d->labels[0], "pro");
            CHECK_EQ_STR(d->texts[0], "Hello\tworld\nline two");
            CHECK_EQ_STR(d->labels[1], "anti");
            CHECK_EQ_STR(d->texts[1], "back\\slash and \r");
            CHECK_EQ_STR(d->labels[2], "pro");
            CHECK_EQ_STR(d->texts[2], "plain text, no extra column");
        }
    }
    stance_dataset_free(d);
    stance_dataset_free(NULL);

    write_text(path, "pro\tno header here\n");
    rc = stance_dataset_read(path, &d, &err);
    CHECK(d == NULL);
    CHECK(ends_with(err.where, "data.tsv:1"));
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "header");

    write_text(path, "label\ttextual\npro\tx\n");
    rc = stance_dataset_read(path, &d, &err);
    CHECK(d == NULL);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "header");

    write_text(path, "label\ttext\npro\tfine\nanti no tab here\n");
    rc = stance_dataset_read(path, &d, &err);
    CHECK(d == NULL);
    CHECK(ends_with(err.where, "data.tsv:3"));
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "tab");

    write_text(path, "label\ttext\n\tno label\n");
    rc = stance_dataset_read(path, &d, &err);
    CHECK(d == NULL);
    CHECK(ends_with(err.where, "data.tsv:2"));
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "label");

    write_text(path, "label\ttext\npro\t\n");
    rc = stance_dataset_read(path, &d, &err);
    CHECK(d == NULL);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "empty");

    write_text(path, "label\ttext\r\n\r\n");
    rc = stance_dataset_read(path, &d, &err);
    CHECK(d == NULL);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, NULL);

    write_text(path, "");
    rc = stance_dataset_read(path, &d, &err);
    CHECK(d == NULL);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, NULL);

    rc = stance_dataset_read(tmp_path("missing.tsv"), &d, &err);
    CHECK(d == NULL);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, NULL);
}

/* ================================================================================ */
/* train, model, score: end to end                                                    */
/* ================================================================================ */

static const char *const subjects[] = {"Officials in Doha", "The trade ministry",
                                       "Diplomats from Tashkent", "The delegation",
                                       "Beijing", "Islamabad", "The envoy"};
static const char *const pro_phrases[] = {
    "agreed to expand trade with Kabul", "are fostering relations with the new government",
    "signed a trade deal on transit", "want to recognise the administration",
    "praised the dialogue in Kabul", "will open an embassy and boost cooperation",
    "welcomed investment talks and a trade deal"};
static const char *const anti_phrases[] = {
    "condemned the ban on girls' schools", "imposed new sanctions on the leaders",
    "refused to recognise the regime", "denounced the crackdown on women",
    "called the rulers a threat and condemned them", "condemned the executions",
    "demanded sanctions and isolation"};
static const char *const none_phrases[] = {
    "reported rain in the mountains", "said the football match was postponed",
    "published the wheat price figures", "noted that the bridge reopened",
    "recorded a mild winter", "announced a museum exhibition",
    "described the traffic in the city"};

static const char *const caution_phrases[] = {
    "urged caution over ties with Kabul", "said it would wait and see",
    "voiced concern about the government", "is watching the rulers closely",
    "called for patience before any engagement", "expressed concern over refugees",
    "kept a careful distance and will wait and see"};

/* Example i (0..13) of a label's phrase list. */
static void corpus_line(strbuf *sb, const char *const *phrases, size_t i)
{
    strbuf_addf(sb, "%s %s.", subjects[i % 7], phrases[(i + i / 7) % 7]);
    if (i % 3 == 0)
        strbuf_adds(sb, "\\nA spokesman confirmed it.");
}

/* Writes the labeled corpus: labels interleaved; labels[] of 2 to 4 names
 * for the pro, anti, none and caution lists. */
static void write_corpus(const char *path, const char *const *labels, size_t nlabels)
{
    const char *const *lists[] = {pro_phrases, anti_phrases, none_phrases, caution_phrases};
    strbuf sb = {0};
    strbuf_adds(&sb, "label\ttext\tnote\n");
    for (size_t i = 0; i < 14; i++)
        for (size_t l = 0; l < nlabels; l++) {
            strbuf_addf(&sb, "%s\t", labels[l]);
            corpus_line(&sb, lists[l], i);
            strbuf_addf(&sb, "\tline %zu\n", i);
        }
    write_text(path, sb.data);
    strbuf_free(&sb);
}

static int log_lines;

static void count_log(void *ctx, const char *line)
{
    (void)ctx;
    if (line && line[0])
        log_lines++;
}

static const char *const model_files[] = {"model.conf", "features.tsv", "model.svm", NULL};
static const char *const lexicon_files[] = {"cues_engagement.txt", "cues_caution.txt",
                                            "cues_opposition.txt", "negators.txt", NULL};

static int model3_ok, model2_ok;

/* Trains a model from a corpus file into dir; returns 0 on success. */
static int train_model(const char *data_path, const char *dir, stance_metrics **cv)
{
    stance_error err = {0};
    stance_dataset *data = NULL;
    int rc = stance_dataset_read(data_path, &data, &err);
    if (!CHECK_EQ_INT(rc, STANCE_OK)) {
        stance_error_clear(&err);
        return -1;
    }
    stance_train_options o;
    stance_train_options_init(&o);
    o.lexicon_dir = lex_dir();
    o.log = count_log;
    rc = stance_train(data, &o, dir, cv, &err);
    if (!CHECK_EQ_INT(rc, STANCE_OK))
        fprintf(stderr, "  train: %s: %s\n", err.where ? err.where : "",
                err.message ? err.message : "");
    stance_error_clear(&err);
    stance_dataset_free(data);
    return rc == STANCE_OK ? 0 : -1;
}

/* libsvm's own prediction on the same vector, from libsvm's own loader: the
 * reference the collapsed model must equal. The engine never calls
 * svm_load_model (it reads model.svm strictly itself); the tests do, on the
 * models they trained. load_model() registers each model's libsvm twin. */
#define LIBSVM_TWINS 16
static struct {
    const stance_model *model;
    struct svm_model *svm;
} libsvm_twins[LIBSVM_TWINS];

static void libsvm_register(const stance_model *m, const char *dir)
{
    strbuf path = {0};
    strbuf_addf(&path, "%s/model.svm", dir);
    for (size_t i = 0; i < LIBSVM_TWINS; i++)
        if (!libsvm_twins[i].model) {
            libsvm_twins[i].model = m;
            libsvm_twins[i].svm = svm_load_model(path.data);
            break;
        }
    strbuf_free(&path);
}

static void libsvm_forget_all(void)
{
    for (size_t i = 0; i < LIBSVM_TWINS; i++)
        if (libsvm_twins[i].svm)
            svm_free_and_destroy_model(&libsvm_twins[i].svm);
}

static size_t libsvm_predict(const stance_model *m, const feature_value *x, size_t n,
                             double *probs)
{
    struct svm_model *svm = NULL;
    for (size_t i = LIBSVM_TWINS; i-- > 0;)
        if (libsvm_twins[i].model == m && libsvm_twins[i].svm) {
            svm = libsvm_twins[i].svm;
            break;
        }
    if (!CHECK(svm != NULL))
        return 0;
    struct svm_node *nodes = xmalloc((n + 1) * sizeof *nodes);
    for (size_t i = 0; i < n; i++) {
        nodes[i].index = (int)x[i].id;
        nodes[i].value = x[i].value;
    }
    nodes[n].index = -1;
    size_t k = (size_t)svm_get_nr_class(svm);
    double *p = xmalloc(k * sizeof *p);
    int *labels = xmalloc(k * sizeof *labels);
    svm_get_labels(svm, labels);
    svm_predict_probability(svm, nodes, p);
    size_t best = 0;
    for (size_t c = 0; c < k; c++) {
        probs[labels[c]] = p[c];
        if (p[c] > p[best])
            best = c;
    }
    size_t label = (size_t)labels[best];
    free(p);
    free(labels);
    free(nodes);
    return label;
}

/* Checks collapsed prediction against libsvm's on text; returns the label. */
static size_t check_predict_at(const char *file, int line, const stance_model *m,
                               feature_extractor *fx, const char *text)
{
    size_t k = stance_model_label_count(m), n;
    double probs[8], lib[8];
    double *work = xcalloc(model_work_size(m), sizeof *work);
    const feature_value *v = features_vector(fx, model_dict(m), text, 0, strlen(text), NULL, &n);
    size_t label = model_predict(m, v, n, probs, work);
    size_t lib_label = libsvm_predict(m, v, n, lib);
    double diff = 0, sum = 0;
    for (size_t c = 0; c < k; c++) {
        diff = fmax(diff, fabs(probs[c] - lib[c]));
        sum += probs[c];
    }
    check_near_at(file, line, diff, 0, 1e-9, "max |collapsed - libsvm|", "0");
    check_eq_int_at(file, line, (long long)label, (long long)lib_label, "label", "libsvm label");
    check_near_at(file, line, sum, 1, 1e-9, "sum of probabilities", "1");
    free(work);
    return label;
}
#define CHECK_PREDICT(m, fx, text) check_predict_at(__FILE__, __LINE__, (m), (fx), (text))

static stance_model *load_model(const char *dir)
{
    stance_error err = {0};
    stance_model *m = NULL;
    int rc = stance_model_load(dir, lex_dir(), &m, &err);
    if (!CHECK_EQ_INT(rc, STANCE_OK))
        fprintf(stderr, "  load %s: %s: %s\n", dir, err.where ? err.where : "",
                err.message ? err.message : "");
    else
        libsvm_register(m, dir);
    stance_error_clear(&err);
    return m;
}

static size_t label_index(const stance_model *m, const char *name)
{
    for (size_t i = 0; i < stance_model_label_count(m); i++)
        if (strcmp(stance_model_label(m, i), name) == 0)
            return i;
    return (size_t)-1;
}

static void test_model_predict(const char *dir, const char *corpus, size_t nlabels)
{
    stance_model *m = load_model(dir);
    if (!m)
        return;
    CHECK_EQ_INT(stance_model_label_count(m), nlabels);
    CHECK_EQ_STR(stance_model_setting(m, "stemmer"), "english");
    CHECK_EQ_STR(stance_model_setting(m, "weighting"), "tfidf");
    CHECK(stance_model_setting(m, "no_such_key") == NULL);
    stance_error err = {0};
    feature_extractor *fx = features_new(model_feature_config(m), model_lexicon(m), &err);
    stance_dataset *data = NULL;
    if (CHECK(fx != NULL) &&
        CHECK_EQ_INT(stance_dataset_read(corpus, &data, &err), STANCE_OK)) {
        size_t right = 0;
        for (size_t i = 0; i < data->count; i++) {
            size_t label = CHECK_PREDICT(m, fx, data->texts[i]);
            right += label == label_index(m, data->labels[i]);
        }
        CHECK(right * 10 >= data->count * 9); /* the training set is learnt */
        CHECK_PREDICT(m, fx, "The envoy signed a trade deal and praised the dialogue.");
        CHECK_PREDICT(m, fx, "Ministers condemned the regime and demanded sanctions.");
        CHECK_PREDICT(m, fx, "Rain fell on the museum.");
        CHECK_PREDICT(m, fx, "zzz qqq");  /* no known feature */
        CHECK_PREDICT(m, fx, "trade trade trade trade deal deal deal condemned condemned");
    }
    stance_dataset_free(data);
    features_free(fx);
    stance_error_clear(&err);
    stance_model_free(m);
}

static void test_train_defaults_and_errors(void)
{
    stance_train_options o;
    stance_train_options_init(&o);
    CHECK_EQ_STR(o.stemmer, "english");
    CHECK(o.ngram_min == 1 && o.ngram_max == 2);
    CHECK_EQ_INT(o.min_df, 2);
    CHECK_EQ_INT(o.weighting, STANCE_WEIGHT_TFIDF);
    CHECK_EQ_INT(o.l2_normalise, 1);
    CHECK_EQ_INT(o.folds, 5);
    CHECK(o.log == NULL);

    char *labels[] = {"a", "b", "a", "b"};
    char *texts[] = {"trade deal signed", "they condemned it", "a dialogue began",
                     "sanctions were imposed"};
    stance_dataset d = {.path = (char *)"mem.tsv", .labels = labels, .texts = texts, .count = 4};
    stance_error err = {0};
    o.lexicon_dir = lex_dir();
    const char *dir = tmp_path("never-written");

    o.folds = 1;
    int rc = stance_train(&d, &o, dir, NULL, &err);
    CHECK_ERROR(rc, &err, STANCE_E_USAGE, "fold");
    o.folds = 5; /* more folds than examples */
    rc = stance_train(&d, &o, dir, NULL, &err);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "fold");
    o.folds = 2;
    o.ngram_min = 3; /* above the default maximum, 2 */
    rc = stance_train(&d, &o, dir, NULL, &err);
    CHECK_ERROR(rc, &err, STANCE_E_USAGE, "n-gram");
    o.ngram_min = 1;

    char *same[] = {"a", "a", "a", "a"};
    d.labels = same;
    rc = stance_train(&d, &o, dir, NULL, &err);
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, "label");
    d.labels = labels;

    o.stemmer = "klingon";
    stance_metrics *cv = (stance_metrics *)1;
    rc = stance_train(&d, &o, dir, &cv, &err);
    CHECK(cv == NULL);
    CHECK(rc != STANCE_OK);
    CHECK_CONTAINS(err.message, "klingon");
    stance_error_clear(&err);
    o.stemmer = "english";

    o.lexicon_dir = tmp_path("no-such-lexicons");
    rc = stance_train(&d, &o, dir, NULL, &err);
    CHECK(rc != STANCE_OK);
    CHECK(err.message && err.message[0]);
    stance_error_clear(&err);

    struct stat sb;
    CHECK(stat(dir, &sb) != 0); /* nothing was written */
}

static void test_train_three_labels(void)
{
    const char *labels[] = {"pro", "anti", "none"};
    const char *data = tmp_path("corpus3.tsv");
    write_corpus(data, labels, 3);
    const char *dir = tmp_path("model3");
    stance_metrics *cv = NULL;
    log_lines = 0;
    if (train_model(data, dir, &cv) != 0) {
        stance_metrics_free(cv);
        return;
    }
    model3_ok = 1;
    CHECK(log_lines > 0);
    if (CHECK(cv != NULL)) {
        CHECK_EQ_INT(cv->label_count, 3);
        CHECK_EQ_INT(cv->total, 42);
        CHECK(cv->accuracy >= 0 && cv->accuracy <= 1);
        CHECK(cv->macro_f1 >= 0 && cv->macro_f1 <= 1);
        CHECK(cv->accuracy > 0.6); /* the corpus is easy */
    }
    stance_model *m = load_model(dir);
    if (m && cv) {
        char want[32];
        snprintf(want, sizeof want, "%.4f", cv->macro_f1);
        CHECK_EQ_STR(stance_model_setting(m, "cv_macro_f1"), want);
        snprintf(want, sizeof want, "%.4f", cv->accuracy);
        CHECK_EQ_STR(stance_model_setting(m, "cv_accuracy"), want);
    }
    stance_model_free(m);
    stance_metrics_free(cv);

    /* The directory holds exactly the three files, no temporaries. */
    struct stat sb;
    for (size_t i = 0; model_files[i]; i++) {
        strbuf p = {0};
        strbuf_addf(&p, "%s/%s", dir, model_files[i]);
        CHECK(stat(p.data, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0);
        strbuf_reset(&p);
        strbuf_addf(&p, "%s/%s.tmp", dir, model_files[i]);
        CHECK(stat(p.data, &sb) != 0);
        strbuf_free(&p);
    }
}

static void test_train_reproducible(void)
{
    const char *labels[] = {"yes", "no"};
    const char *data = tmp_path("corpus2.tsv");
    write_corpus(data, labels, 2);
    if (train_model(data, tmp_path("model2"), NULL) != 0)
        return;
    model2_ok = 1;
    if (train_model(data, tmp_path("model2b"), NULL) != 0)
        return;
    strbuf a = {0}, b = {0};
    for (size_t i = 0; model_files[i]; i++) {
        strbuf p = {0};
        strbuf_addf(&p, "model2/%s", model_files[i]);
        read_bytes(tmp_path(p.data), &a);
        strbuf_reset(&p);
        strbuf_addf(&p, "model2b/%s", model_files[i]);
        read_bytes(tmp_path(p.data), &b);
        CHECK(a.len > 0 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
        strbuf_free(&p);
    }
    strbuf_free(&a);
    strbuf_free(&b);
}

/* The kernel matrix holds every dot product of the sparse rows, in libsvm's
 * precomputed layout, symmetric and the same bytes for any thread count. */
static void test_gram_matrix(void)
{
    enum { N = 23, DIM = 40 };
    struct svm_node rows[N][DIM + 1], *x[N];
    unsigned seed = 7;
    for (size_t i = 0; i < N; i++) {
        size_t k = 0;
        for (int d = 1; d <= DIM; d++) {
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 16) % 4 == 0)
                rows[i][k++] = (struct svm_node){d, (double)((seed >> 8) % 97) / 13.0 - 3};
        }
        rows[i][k].index = -1;
        x[i] = rows[i];
    }
    gram_matrix one = {0}, three = {0};
    gram_build(&one, x, N, DIM, 1);
    gram_build(&three, x, N, DIM, 3);
    CHECK(gram_bytes(N) >= (size_t)N * (N + 2) * sizeof(struct svm_node));
    int same = 1, exact = 1, layout = 1;
    for (size_t i = 0; i < N; i++) {
        const struct svm_node *r = one.rows[i];
        layout &= r[0].index == 0 && r[0].value == (double)(i + 1) && r[N + 1].index == -1;
        for (size_t j = 0; j < N; j++) {
            double dot = 0;
            for (const struct svm_node *a = x[i]; a->index != -1; a++)
                for (const struct svm_node *b = x[j]; b->index != -1; b++)
                    if (a->index == b->index)
                        dot += a->value * b->value;
            layout &= r[j + 1].index == (int)(j + 1);
            exact &= fabs(r[j + 1].value - dot) < 1e-9 && r[j + 1].value == one.rows[j][i + 1].value;
            same &= memcmp(&r[j + 1].value, &three.rows[i][j + 1].value, sizeof(double)) == 0;
        }
    }
    CHECK(layout);
    CHECK(exact);
    CHECK(same);
    gram_free(&one);
    gram_free(&three);
    CHECK(one.rows == NULL && one.n == 0);
}

/* The four stance labels are kept in their usual order, whatever order the
 * data gives them in. */
static void test_train_stance_labels(void)
{
    const char *labels[] = {"engagement", "opposition", "neutral", "caution"};
    const char *data = tmp_path("corpus4.tsv");
    write_corpus(data, labels, 4);
    const char *dir = tmp_path("model4");
    if (train_model(data, dir, NULL) != 0)
        return;
    stance_error err = {0};
    stance_model *m = NULL;
    int rc = stance_model_load(dir, lex_dir(), &m, &err);
    if (CHECK_EQ_INT(rc, STANCE_OK)) {
        CHECK_EQ_STR(stance_model_setting(m, "labels"), "engagement,caution,opposition,neutral");
        CHECK_EQ_INT(stance_model_label_count(m), 4);
    }
    stance_model_free(m);
    stance_error_clear(&err);
    test_model_predict(dir, data, 4);
}

static void test_model_predict3(void)
{
    if (!CHECK(model3_ok))
        return;
    test_model_predict(tmp_path("model3"), tmp_path("corpus3.tsv"), 3);
    stance_model *m = load_model(tmp_path("model3"));
    if (!m)
        return;
    /* Labels in order of first appearance; any label set works. */
    CHECK_EQ_STR(stance_model_label(m, 0), "pro");
    CHECK_EQ_STR(stance_model_label(m, 1), "anti");
    CHECK_EQ_STR(stance_model_label(m, 2), "none");
    CHECK_EQ_STR(stance_model_setting(m, "labels"), "pro,anti,none");
    CHECK_EQ_STR(stance_model_setting(m, "examples"), "42");
    stance_model_free(m);
    stance_model_free(NULL);
}

static void test_model_predict2(void)
{
    if (!CHECK(model2_ok))
        return;
    test_model_predict(tmp_path("model2"), tmp_path("corpus2.tsv"), 2);
}

/* Texts with no known n-gram. These cases run isolated: under UBSan a null
 * pointer handed to qsort or memcpy, even with a count of 0, aborts. */

/* A dictionary that keeps no n-gram (min_df above every document frequency)
 * still has the cue features and scores cues. */
static void test_dict_without_ngrams(void)
{
    stance_error err = {0};
    stemmer *st = stem_new("english", &err);
    cue_lexicon *lex = st ? cue_lexicon_load(lex_dir(), st, &err) : NULL;
    feature_config cfg = {.stemmer = english, .ngram_min = 1, .ngram_max = 2,
                          .weighting = STANCE_WEIGHT_TFIDF, .l2_normalise = 1,
                          .cue_weight = 1.0};
    feature_extractor *fx = lex ? features_new(&cfg, lex, &err) : NULL;
    if (CHECK(fx != NULL)) {
        /* Known words first, so that only the dictionary build is at stake. */
        feature_dict d;
        char *warm[] = {"alpha alpha"};
        feature_dict_build(&d, fx, warm, 1, 1, 1.0);
        size_t n;
        features_vector(fx, &d, "alpha", 0, 5, NULL, &n);
        feature_dict_free(&d);

        char *texts[] = {"Gamma beta alpha", "gamma beta, alpha!", "alpha zeta", "3.5 zeta"};
        feature_dict_build(&d, fx, texts, 4, 5, 1.0); /* no n-gram is in 5 texts */
        CHECK_EQ_INT(d.ngram_count, 0);
        CHECK_EQ_INT(d.count, FEATURES_EXTRA_COUNT);
        CHECK_EQ_STR(d.count ? d.names[0] : NULL, "cue:engagement");
        const feature_value *v = features_vector(fx, &d, "alpha condemned", 0, 15, NULL, &n);
        if (CHECK_EQ_INT(n, 2)) {
            CHECK_EQ_INT(v[0].id, 5); /* cue:opposition */
            CHECK_NEAR(v[0].value, log(2.0), 1e-12);
            CHECK_EQ_INT(v[1].id, 8); /* val:negative */
        }
        feature_dict_free(&d);
    }
    stance_error_clear(&err);
    features_free(fx);
    cue_lexicon_free(lex);
    stem_free(st);
}

/* A fresh extractor, and a fresh scorer, whose first text has no known
 * n-gram. */
static void test_first_text_unknown(void)
{
    stance_error err = {0};
    stemmer *st = stem_new("english", &err);
    cue_lexicon *lex = st ? cue_lexicon_load(lex_dir(), st, &err) : NULL;
    feature_config cfg = {.stemmer = english, .ngram_min = 1, .ngram_max = 2,
                          .weighting = STANCE_WEIGHT_TFIDF, .l2_normalise = 1,
                          .cue_weight = 1.0};
    feature_extractor *fx = lex ? features_new(&cfg, lex, &err) : NULL;
    feature_extractor *fresh = lex ? features_new(&cfg, lex, &err) : NULL;
    if (CHECK(fx != NULL && fresh != NULL)) {
        char *texts[] = {"alpha beta", "alpha gamma"};
        feature_dict d;
        feature_dict_build(&d, fx, texts, 2, 2, 1.0);
        size_t n = 99;
        features_vector(fresh, &d, "nothing known here", 0, 18, NULL, &n);
        CHECK_EQ_INT(n, 0);
        features_vector(fresh, &d, "alpha", 0, 5, NULL, &n);
        CHECK_EQ_INT(n, 1);
        feature_dict_free(&d);
    }
    stance_error_clear(&err);
    features_free(fx);
    features_free(fresh);
    cue_lexicon_free(lex);
    stem_free(st);

    stance_model *m = model3_ok ? load_model(tmp_path("model3")) : NULL;
    stance_scorer *sc = m ? stance_scorer_new(m, &err) : NULL;
    if (CHECK(sc != NULL)) {
        const char *article = "Qqqx zzzy\n\nThey signed a trade deal.\n";
        stance_text *t = NULL;
        stance_doc *doc = NULL;
        if (CHECK_EQ_INT(stance_text_from_memory("a", article, strlen(article), &t, &err),
                         STANCE_OK) &&
            CHECK_EQ_INT(stance_score_text(sc, t, &doc, &err), STANCE_OK))
            CHECK_EQ_INT(doc->unit_count, 2);
        stance_doc_free(doc);
        stance_text_free(t);
    }
    stance_error_clear(&err);
    stance_scorer_free(sc);
    stance_model_free(m);
}

/* Training data whose first example has no feature at all. */
static void test_train_first_example_unknown(void)
{
    const char *labels[] = {"pro", "anti"};
    const char *data = tmp_path("corpus-unknown-first.tsv");
    write_corpus(data, labels, 2);
    strbuf sb = {0}, fixed = {0};
    read_bytes(data, &sb);
    char *body = strchr(sb.data, '\n');
    if (CHECK(body != NULL)) {
        strbuf_adds(&fixed, "label\ttext\nanti\tqqqx zzzy\n");
        strbuf_adds(&fixed, body + 1);
        write_text(data, fixed.data);
        train_model(data, tmp_path("model-unknown-first"), NULL);
    }
    strbuf_free(&sb);
    strbuf_free(&fixed);
}

/* Checks the units of a scored doc against the paragraphs of its text:
 * paragraph units in order with exact offsets, each followed by the quotes
 * that open in it; probabilities that sum to 1 and a label that is their
 * argmax; and, for every unit, the probabilities libsvm gives for exactly
 * the unit's span. */
static void check_doc_at(const char *file, int line, const stance_model *m,
                         feature_extractor *fx, const stance_doc *doc, const stance_text *t)
{
    size_t k = stance_model_label_count(m);
    segment_list list = {0};
    segment_paragraphs(t->bytes, t->len, &list);
    check_eq_int_at(file, line, (long long)doc->paragraph_count, (long long)list.count,
                    "paragraph_count", "paragraphs");
    check_eq_int_at(file, line, (long long)doc->unit_count,
                    (long long)(doc->paragraph_count + doc->quote_count), "unit_count",
                    "paragraphs + quotes");
    size_t para = 0, quote = 0, bad_order = 0, bad_span = 0, bad_probs = 0, bad_libsvm = 0;
    double lib[8];
    for (size_t i = 0; i < doc->unit_count; i++) {
        const stance_unit *u = &doc->units[i];
        if (u->kind == STANCE_UNIT_PARAGRAPH) {
            bad_order += u->number != para || u->paragraph != para;
            bad_span += para >= list.count || u->start != list.items[para].start ||
                        u->end != list.items[para].end;
            para++;
        } else {
            quote++;
            bad_order += u->kind != STANCE_UNIT_QUOTE || u->number != quote || para == 0 ||
                         u->paragraph != para - 1;
            bad_span += u->start >= u->end || u->end > t->len ||
                        (para > 0 && para <= list.count &&
                         u->start < list.items[para - 1].start);
        }
        double sum = 0;
        size_t best = 0;
        for (size_t c = 0; c < k; c++) {
            sum += u->probs[c];
            if (u->probs[c] > u->probs[best])
                best = c;
        }
        bad_probs += fabs(sum - 1) > 1e-9 || u->label != best;
        if (fx && u->start <= u->end && u->end <= t->len) {
            size_t n;
            const feature_value *v =
                features_vector(fx, model_dict(m), t->bytes, u->start, u->end, NULL, &n);
            /* The unit's own probabilities also carry its holder context
             * and the no-holder discount; the collapsed model must still
             * equal libsvm on the same vector. */
            double mine[8];
            double *work = xcalloc(model_work_size(m), sizeof *work);
            model_predict(m, v, n, mine, work);
            free(work);
            libsvm_predict(m, v, n, lib);
            for (size_t c = 0; c < k; c++)
                bad_libsvm += fabs(lib[c] - mine[c]) > 1e-9;
        }
    }
    check_eq_int_at(file, line, (long long)para, (long long)doc->paragraph_count,
                    "paragraph units", "paragraph_count");
    check_eq_int_at(file, line, (long long)quote, (long long)doc->quote_count, "quote units",
                    "quote_count");
    check_eq_int_at(file, line, (long long)bad_order, 0, "units out of order", "0");
    check_eq_int_at(file, line, (long long)bad_span, 0, "units with wrong offsets", "0");
    check_eq_int_at(file, line, (long long)bad_probs, 0, "units with bad probabilities", "0");
    check_eq_int_at(file, line, (long long)bad_libsvm, 0, "units unlike libsvm on their span",
                    "0");
    segment_list_free(&list);
}
#define CHECK_DOC(m, fx, doc, t) check_doc_at(__FILE__, __LINE__, (m), (fx), (doc), (t))

/* The paragraph unit of paragraph p, or NULL. */
static const stance_unit *paragraph_unit(const stance_doc *doc, size_t p)
{
    for (size_t i = 0; i < doc->unit_count; i++)
        if (doc->units[i].kind == STANCE_UNIT_PARAGRAPH && doc->units[i].number == p)
            return &doc->units[i];
    return NULL;
}

static void test_score_text(void)
{
    if (!CHECK(model3_ok))
        return;
    stance_model *m = load_model(tmp_path("model3"));
    if (!m)
        return;
    stance_error err = {0};
    stance_scorer *sc = stance_scorer_new(m, &err);
    /* The extractor check_doc recomputes units with. Its first vector has
     * known n-grams: a fresh extractor's first text without any is the
     * engine bug test_first_text_unknown exposes on its own. */
    feature_extractor *fx = features_new(model_feature_config(m), model_lexicon(m), &err);
    size_t warm;
    if (fx)
        features_vector(fx, model_dict(m), "a trade deal", 0, 12, NULL, &warm);
    if (!CHECK(sc != NULL && fx != NULL)) {
        stance_scorer_free(sc);
        features_free(fx);
        stance_model_free(m);
        return;
    }
    const char *article = "Trade talks\n"
                          "\n"
                          "Officials agreed to expand trade with Kabul.\r\n"
                          "They signed a trade deal.\r\n"
                          "\r\n"
                          "  The minister condemned the ban.  \n"
                          "\n\n"
                          "Rain in the mountains.\n";
    const char *want[] = {"Trade talks",
                          "Officials agreed to expand trade with Kabul.\r\n"
                          "They signed a trade deal.",
                          "The minister condemned the ban.", "Rain in the mountains."};
    stance_text *t = NULL;
    stance_doc *doc = NULL;
    CHECK_EQ_INT(stance_text_from_memory("article", article, strlen(article), &t, &err),
                 STANCE_OK);
    if (t && CHECK_EQ_INT(stance_score_text(sc, t, &doc, &err), STANCE_OK) && doc) {
        CHECK(doc->text == t);
        CHECK_EQ_INT(doc->paragraph_count, 4);
        CHECK_EQ_INT(doc->quote_count, 0);
        CHECK_EQ_INT(doc->unit_count, 4);
        CHECK_DOC(m, fx, doc, t);
        for (size_t i = 0; i < 4 && i < doc->unit_count; i++) {
            const stance_unit *u = &doc->units[i];
            char *got = xstrndup(article + u->start, u->end - u->start);
            CHECK_EQ_STR(got, want[i]);
            free(got);
        }
        if (doc->unit_count == 4) {
            CHECK_EQ_STR(stance_model_label(m, doc->units[1].label), "pro");
            CHECK_EQ_STR(stance_model_label(m, doc->units[2].label), "anti");
            CHECK_EQ_STR(stance_model_label(m, doc->units[3].label), "none");
        }
    }
    stance_doc_free(doc);
    stance_doc_free(NULL);
    stance_text_free(t);

    /* Quotes are units of their own after their paragraph; the paragraph
     * units keep their exact offsets. */
    article = "Envoys met in Doha\n"
              "\n"
              "\"We signed a trade deal and will expand trade with Kabul,\" the envoy said.\n"
              "\n"
              "Rain in the mountains.\n";
    doc = NULL;
    CHECK_EQ_INT(stance_text_from_memory("quoted", article, strlen(article), &t, &err),
                 STANCE_OK);
    if (t && CHECK_EQ_INT(stance_score_text(sc, t, &doc, &err), STANCE_OK) && doc) {
        CHECK_EQ_INT(doc->paragraph_count, 3);
        CHECK_DOC(m, fx, doc, t);
        const stance_unit *p1 = paragraph_unit(doc, 1);
        if (CHECK(p1 != NULL))
            CHECK_EQ_INT(article[p1->start], '"');
    }
    stance_doc_free(doc);
    stance_text_free(t);

    /* A quote fragment with no cue of its own takes the label of the
     * sentence that leads into it. */
    article = "Officials agreed to expand trade with Kabul and to sign "
              "\"the papers on Monday morning before noon\".\n";
    doc = NULL;
    CHECK_EQ_INT(stance_text_from_memory("fragment", article, strlen(article), &t, &err),
                 STANCE_OK);
    if (t && CHECK_EQ_INT(stance_score_text(sc, t, &doc, &err), STANCE_OK) && doc &&
        CHECK_EQ_INT(doc->unit_count, 2)) {
        const stance_unit *q = &doc->units[1];
        size_t n;
        double own[8];
        double *work = xcalloc(model_work_size(m), sizeof *work);
        const feature_value *v = features_vector(fx, model_dict(m), t->bytes, q->start, q->end,
                                                 NULL, &n);
        size_t alone = model_predict(m, v, n, own, work);
        free(work);
        CHECK_EQ_STR(stance_model_label(m, q->label), "pro");
        CHECK(strcmp(stance_model_label(m, alone), "pro") != 0); /* the frame decided */
    }
    stance_doc_free(doc);
    stance_text_free(t);

    /* The shipped sample article. */
    strbuf p = {0};
    strbuf_addf(&p, "%s/tests/fixtures/sample-article.txt", project_root);
    t = NULL;
    doc = NULL;
    if (CHECK_EQ_INT(stance_text_read(p.data, &t, &err), STANCE_OK) &&
        CHECK_EQ_INT(stance_score_text(sc, t, &doc, &err), STANCE_OK) && doc) {
        CHECK(doc->paragraph_count >= 3);
        CHECK_DOC(m, fx, doc, t);
    }
    stance_error_clear(&err);
    stance_doc_free(doc);
    stance_text_free(t);
    strbuf_free(&p);
    stance_scorer_free(sc);
    stance_scorer_free(NULL);
    features_free(fx);
    stance_model_free(m);
}

/* The group sums of an explanation add up every feature's contribution,
 * each in the group its name says. */
static void test_explain_groups(void)
{
    if (!CHECK(model3_ok))
        return;
    stance_model *m = load_model(tmp_path("model3"));
    if (!m)
        return;
    stance_error err = {0};
    stance_scorer *sc = stance_scorer_new(m, &err);
    const char *article = "Officials agreed to expand trade with Kabul and signed a trade deal.\n"
                          "\n"
                          "The minister condemned the ban.\n";
    stance_text *t = NULL;
    stance_doc *doc = NULL;
    if (CHECK(sc != NULL)) {
        stance_scorer_set_explain(sc, 100000);
        CHECK_EQ_INT(stance_text_from_memory("groups", article, strlen(article), &t, &err),
                     STANCE_OK);
    }
    if (t && CHECK_EQ_INT(stance_score_text(sc, t, &doc, &err), STANCE_OK) && doc) {
        size_t bad = 0, cue_units = 0;
        for (size_t i = 0; i < doc->unit_count; i++) {
            const stance_explanation *e = doc->units[i].explain;
            if (!CHECK(e != NULL))
                continue;
            double want[STANCE_GROUP_COUNT] = {0};
            for (size_t f = 0; f < e->feature_count; f++) {
                const char *name = e->features[f].feature;
                size_t g = strncmp(name, "cue:", 4) == 0    ? STANCE_GROUP_CUES
                           : strncmp(name, "val:", 4) == 0  ? STANCE_GROUP_TONE
                           : strncmp(name, "hold:", 5) == 0 ? STANCE_GROUP_HOLDERS
                                                            : STANCE_GROUP_NGRAMS;
                want[g] += e->features[f].weight;
            }
            for (size_t g = 0; g < STANCE_GROUP_COUNT; g++)
                bad += fabs(want[g] - e->groups[g]) > 1e-9;
            cue_units += e->groups[STANCE_GROUP_CUES] != 0;
        }
        CHECK_EQ_INT(bad, 0);
        CHECK(cue_units > 0); /* the cues of the test lexicon are seen as a group */
    }
    stance_doc_free(doc);
    stance_text_free(t);
    stance_scorer_free(sc);
    stance_model_free(m);
}

static void test_evaluate(void)
{
    if (!CHECK(model3_ok))
        return;
    stance_model *m = load_model(tmp_path("model3"));
    if (!m)
        return;
    stance_error err = {0};
    stance_dataset *data = NULL;
    stance_metrics *met = NULL;
    if (CHECK_EQ_INT(stance_dataset_read(tmp_path("corpus3.tsv"), &data, &err), STANCE_OK) &&
        CHECK_EQ_INT(stance_evaluate(m, data, NULL, NULL, &met, &err), STANCE_OK) && met) {
        CHECK_EQ_INT(met->label_count, 3);
        CHECK_EQ_INT(met->total, 42);
        CHECK(met->accuracy >= 0 && met->accuracy <= 1);
        CHECK(met->accuracy >= 0.9);
        CHECK_EQ_STR(met->labels[0], "pro");
        size_t row_ok = 0;
        for (size_t g = 0; g < 3; g++) {
            size_t row = 0;
            for (size_t p = 0; p < 3; p++)
                row += met->confusion[g * 3 + p];
            row_ok += row == 14;
        }
        CHECK_EQ_INT(row_ok, 3);
    }
    stance_metrics_free(met);
    stance_dataset_free(data);

    char *labels[] = {"pro", "maybe"};
    char *texts[] = {"a trade deal", "who knows"};
    stance_dataset d = {.path = (char *)"mem.tsv", .labels = labels, .texts = texts, .count = 2};
    met = (stance_metrics *)1;
    int rc = stance_evaluate(m, &d, NULL, NULL, &met, &err);
    CHECK(met == NULL);
    CHECK_CONTAINS(err.message, "maybe");
    CHECK_ERROR(rc, &err, STANCE_E_INPUT, NULL);
    stance_model_free(m);
}

/* Copies model3 to a fresh directory and returns its path. */
static const char *fresh_model_copy(const char *name)
{
    const char *dir = tmp_path(name);
    CHECK_EQ_INT(copy_dir_files(tmp_path("model3"), dir, model_files), 0);
    return dir;
}

/* Loads dir with lexicons from lex and checks the refusal. */
static void check_refused_at(const char *file, int line, const char *dir, const char *lex,
                             const char *needle, const char *where_suffix)
{
    stance_error err = {0};
    stance_model *m = (stance_model *)1;
    int rc = stance_model_load(dir, lex, &m, &err);
    check_true_at(file, line, m == NULL, "no model returned");
    if (m != (stance_model *)1)
        stance_model_free(m);
    if (where_suffix)
        check_true_at(file, line, ends_with(err.where, where_suffix),
                      "err.where names the file");
    if (where_suffix && !ends_with(err.where, where_suffix))
        fprintf(stderr, "  where: %s, wanted ...%s\n", err.where ? err.where : "(null)",
                where_suffix);
    check_error_at(file, line, rc, &err, STANCE_E_MODEL, needle);
}
#define CHECK_REFUSED(dir, lex, needle, where) \
    check_refused_at(__FILE__, __LINE__, (dir), (lex), (needle), (where))

/* Records in DIR/model.conf that model.svm now holds the given bytes
 * instead of the old ones, and reseals model.conf: what a tool that edits
 * a model and fixes its checksums would do. */
static void reseal_svm(const char *dir, const strbuf *old_svm, const char *new_svm, size_t new_len)
{
    char sum_old[64], sum_new[64];
    snprintf(sum_old, sizeof sum_old, "svm_checksum = %016llx",
             (unsigned long long)hash_bytes(old_svm->data, old_svm->len));
    snprintf(sum_new, sizeof sum_new, "svm_checksum = %016llx",
             (unsigned long long)hash_bytes(new_svm, new_len));
    strbuf conf = {0};
    strbuf_addf(&conf, "%s/model.conf", dir);
    CHECK_EQ_INT(replace_in_file(conf.data, sum_old, sum_new), 0);
    CHECK_EQ_INT(reseal_conf(conf.data), 0);
    strbuf_free(&conf);
}

/* model.svm edited with s/from/to/ (the first occurrence after byte
 * `after`), its checksum resealed in model.conf, so that only the strict
 * reader stands between the edit and the scorer. */
static const char *resealed_svm_edit(const char *name, const char *from, const char *to,
                                     size_t after)
{
    const char *dir = fresh_model_copy(name);
    strbuf path = {0}, sb = {0}, out = {0};
    strbuf_addf(&path, "%s/model.svm", dir);
    read_bytes(path.data, &sb);
    const char *at = after < sb.len ? strstr(sb.data + after, from) : NULL;
    if (CHECK(at != NULL)) {
        strbuf_add(&out, sb.data, (size_t)(at - sb.data));
        strbuf_adds(&out, to);
        strbuf_adds(&out, at + strlen(from));
        write_bytes(path.data, out.data, out.len);
        reseal_svm(dir, &sb, out.data, out.len);
    }
    strbuf_free(&path);
    strbuf_free(&sb);
    strbuf_free(&out);
    return dir;
}

/* The strict reader of model.svm: a model edited and resealed (or written by
 * another tool) is refused with its line and what is wrong, never handed to
 * code that trusts it. Each case was a crash or a silent acceptance of
 * libsvm's loader. */
static void test_model_strict_reader(void)
{
    if (!CHECK(model3_ok))
        return;
    strbuf sb = {0};
    read_bytes(tmp_path("model3/model.svm"), &sb);
    const char *sv = strstr(sb.data, "\nSV\n");
    if (!CHECK(sv != NULL))
        return;
    size_t body = (size_t)(sv - sb.data) + 4;
    static const struct {
        const char *name, *from, *to, *needle, *where;
        int in_body;
    } cases[] = {
        {"strict-no-rho", "\nrho ", "\nrhox ", "unknown header key 'rhox'", "model.svm:5", 0},
        {"strict-twice", "\nlabel ", "\nsvm_type c_svc\nlabel ", "'svm_type' given twice",
         "model.svm:6", 0},
        {"strict-kernel", "kernel_type linear", "kernel_type rbf", "kernel_type must be linear",
         "model.svm:2", 0},
        {"strict-total-neg", "\ntotal_sv ", "\ntotal_sv -", "total_sv must be", "model.svm:4", 0},
        {"strict-nan-rho", "\nrho ", "\nrho nan ", "finite numbers", "model.svm:5", 0},
        {"strict-inf-prob", "\nprobA ", "\nprobA inf ", "finite numbers", "model.svm:7", 0},
        {"strict-no-probb", "\nprobB ", "\nprobBx ", "unknown header key", "model.svm:8", 0},
        {"strict-nr-sv", "\nnr_sv ", "\nnr_sv 1", "nr_sv does not add up", NULL, 0},
        {"strict-label", "\nlabel 0", "\nlabel 7", "label must list each class", "model.svm:6", 0},
        {"strict-coef-nan", "\n", "\nnan ", "coefficients", NULL, 1},
        {"strict-feature", " 1:", " 99999999:", "beyond features.tsv", NULL, 1},
        {"strict-order", ":", ":1 1:", "must increase", NULL, 1},
        {"strict-value", ":", ":inf x", "finite number", NULL, 1},
        {"strict-short", "\nSV\n", "\nSV\n\n", "", NULL, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_case_name = cases[i].name;
        const char *dir =
            resealed_svm_edit(cases[i].name, cases[i].from, cases[i].to, cases[i].in_body ? body : 0);
        CHECK_REFUSED(dir, lex_dir(), cases[i].needle[0] ? cases[i].needle : NULL,
                      cases[i].where);
    }
    check_case_name = "test_model_strict_reader";
    /* A truncated file: fewer vectors than total_sv. */
    {
        const char *dir = fresh_model_copy("strict-truncated");
        strbuf path = {0};
        strbuf_addf(&path, "%s/model.svm", dir);
        size_t keep = body + (sb.len - body) / 2;
        while (keep > body && sb.data[keep - 1] != '\n')
            keep--;
        write_bytes(path.data, sb.data, keep);
        reseal_svm(dir, &sb, sb.data, keep);
        CHECK_REFUSED(dir, lex_dir(), "ends before total_sv vectors", NULL);
        strbuf_free(&path);
    }
    /* The untouched file, resealed by the same path, still loads. */
    {
        const char *dir = resealed_svm_edit("strict-control", "\nSV\n", "\nSV\n", 0);
        stance_model *m = load_model(dir);
        CHECK(m != NULL);
        stance_model_free(m);
    }
    strbuf_free(&sb);
}

static void test_model_refuses_damage(void)
{
    if (!CHECK(model3_ok))
        return;
    strbuf sb = {0}, p = {0};

    /* Controls: an untouched copy of the model, and of the lexicons, load. */
    stance_model *ok = load_model(fresh_model_copy("copy-ok"));
    CHECK(ok != NULL);
    stance_model_free(ok);
    {
        stance_error err = {0};
        stance_model *m = NULL;
        CHECK_EQ_INT(copy_all_files(lex_dir(), tmp_path("lex-copy")), 0);
        CHECK_EQ_INT(stance_model_load(tmp_path("model3"), tmp_path("lex-copy"), &m, &err),
                     STANCE_OK);
        stance_model_free(m);
        stance_error_clear(&err);
    }

    /* One byte flipped in model.svm: refused by its checksum, before libsvm. */
    const char *dir = fresh_model_copy("dmg-svm");
    strbuf_addf(&p, "%s/model.svm", dir);
    if (CHECK_EQ_INT(read_bytes(p.data, &sb), 0) && sb.len > 10) {
        sb.data[sb.len / 2] ^= 0x01;
        write_bytes(p.data, sb.data, sb.len);
    }
    CHECK_REFUSED(dir, lex_dir(), "checksum", "model.svm");

    /* model.svm replaced by garbage of another size. */
    write_text(p.data, "svm_type c_svc\nkernel_type rbf\n");
    CHECK_REFUSED(dir, lex_dir(), "checksum", "model.svm");

    /* features.tsv truncated. */
    dir = fresh_model_copy("dmg-features");
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/features.tsv", dir);
    if (CHECK_EQ_INT(read_bytes(p.data, &sb), 0) && sb.len > 10)
        write_bytes(p.data, sb.data, sb.len / 2);
    CHECK_REFUSED(dir, lex_dir(), "checksum", "features.tsv");

    /* features.tsv missing. */
    remove(p.data);
    CHECK_REFUSED(dir, lex_dir(), NULL, "features.tsv");

    /* model.conf missing: the error is about the model, not a lexicon. */
    dir = fresh_model_copy("dmg-noconf");
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/model.conf", dir);
    remove(p.data);
    {
        stance_error err = {0};
        stance_model *m = NULL;
        int rc = stance_model_load(dir, lex_dir(), &m, &err);
        CHECK(m == NULL);
        CHECK(ends_with(err.where, "model.conf"));
        CHECK(err.message && strstr(err.message, "lexicon") == NULL);
        if (err.message && strstr(err.message, "lexicon"))
            fprintf(stderr, "  misleading message for a missing model.conf: %s: %s\n",
                    err.where ? err.where : "", err.message);
        CHECK_ERROR(rc, &err, STANCE_E_MODEL, NULL);
        stance_model_free(m);
    }

    /* An unknown key in model.conf. */
    dir = fresh_model_copy("dmg-key");
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/model.conf", dir);
    append_text(p.data, "colour = blue\n");
    CHECK_REFUSED(dir, lex_dir(), "colour", NULL);

    /* A key removed, a key given twice, a line with no `=`. */
    dir = fresh_model_copy("dmg-missing-key");
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/model.conf", dir);
    CHECK_EQ_INT(replace_in_file(p.data, "svm_checksum", "# svm_checksum"), 0);
    CHECK_EQ_INT(reseal_conf(p.data), 0);
    CHECK_REFUSED(dir, lex_dir(), "svm_checksum", "model.conf");
    dir = fresh_model_copy("dmg-twice");
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/model.conf", dir);
    append_text(p.data, "seed = 1\n");
    CHECK_REFUSED(dir, lex_dir(), "twice", NULL);
    dir = fresh_model_copy("dmg-noeq");
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/model.conf", dir);
    append_text(p.data, "just some words\n");
    CHECK_REFUSED(dir, lex_dir(), NULL, NULL);

    /* A wrong format version. */
    dir = fresh_model_copy("dmg-format");
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/model.conf", dir);
    CHECK_EQ_INT(replace_in_file(p.data, "format = stance-model 1", "format = stance-model 9"),
                 0);
    CHECK_REFUSED(dir, lex_dir(), "edited since training", "model.conf");
    CHECK_EQ_INT(reseal_conf(p.data), 0);
    CHECK_REFUSED(dir, lex_dir(), "format", "model.conf");

    /* A lexicon changed after training: the error names it. */
    const char *lex2 = tmp_path("lex-changed");
    CHECK_EQ_INT(copy_all_files(lex_dir(), lex2), 0);
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/cues_caution.txt", lex2);
    append_text(p.data, "worry\n");
    CHECK_REFUSED(tmp_path("model3"), lex2, "cues_caution.txt", NULL);
    {
        stance_error err = {0};
        stance_model *m = NULL;
        int rc = stance_model_load(tmp_path("model3"), lex2, &m, &err);
        CHECK_CONTAINS(err.message, "lexicon");
        CHECK_ERROR(rc, &err, STANCE_E_MODEL, NULL);
        stance_model_free(m);
    }
    /* Even a comment-only change counts: the checksum is of the bytes. */
    CHECK_EQ_INT(copy_dir_files(lex_dir(), lex2, lexicon_files), 0);
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/negators.txt", lex2);
    append_text(p.data, "# a comment\n");
    CHECK_REFUSED(tmp_path("model3"), lex2, "negators.txt", NULL);
    /* A lexicon missing. */
    remove(p.data);
    CHECK_REFUSED(tmp_path("model3"), lex2, NULL, NULL);

    /* Directories that are not models. */
    CHECK_REFUSED(tmp_path("no-such-model"), lex_dir(), NULL, NULL);
    CHECK_REFUSED(tmp_path("corpus3.tsv"), lex_dir(), NULL, NULL);
    CHECK_REFUSED(tmp_path("lex"), lex_dir(), NULL, NULL);

    /* A model.svm of the wrong model with a matching checksum: the class
     * count is checked against model.conf. */
    if (model2_ok) {
        dir = fresh_model_copy("dmg-swap");
        strbuf_reset(&p);
        strbuf_addf(&p, "%s/model.svm", dir);
        copy_file(tmp_path("model2/model.svm"), p.data);
        strbuf swapped = {0};
        read_bytes(p.data, &swapped);
        read_bytes(tmp_path("model3/model.svm"), &sb);
        reseal_svm(dir, &sb, swapped.data, swapped.len);
        strbuf_free(&swapped);
        CHECK_REFUSED(dir, lex_dir(), "nr_class", "model.svm:3");
    }

    /* An edited model.conf (labels swapped) changes what every prediction
     * means: the loader should refuse it like any other damage. */
    dir = fresh_model_copy("dmg-labels");
    strbuf_reset(&p);
    strbuf_addf(&p, "%s/model.conf", dir);
    CHECK_EQ_INT(replace_in_file(p.data, "labels = pro,anti,none", "labels = anti,pro,none"), 0);
    {
        stance_error err = {0};
        stance_model *m = NULL;
        int rc = stance_model_load(dir, lex_dir(), &m, &err);
        if (!CHECK_EQ_INT(rc, STANCE_E_MODEL))
            fprintf(stderr, "  a model.conf with its labels swapped was accepted\n");
        stance_model_free(m);
        stance_error_clear(&err);
    }

    strbuf_free(&sb);
    strbuf_free(&p);
}

/* ================================================================================ */
/* sentences, quotes, gazetteer and attribution, with the shipped lexicons            */
/* ================================================================================ */

/* Loads the attribution resources of ROOT/lexicons, or NULL after a failed check. */
static attribute_resources *load_shipped_resources(void)
{
    strbuf p = {0};
    strbuf_addf(&p, "%s/lexicons", project_root);
    stance_error err = {0};
    attribute_resources *res = attribute_resources_load(p.data, &err);
    if (!CHECK(res != NULL))
        fprintf(stderr, "  %s: %s\n", p.data, err.message);
    stance_error_clear(&err);
    strbuf_free(&p);
    return res;
}

/* Loads the gazetteer of ROOT/lexicons, or NULL after a failed check. */
static gazetteer *load_shipped_gazetteer(void)
{
    strbuf p = {0};
    strbuf_addf(&p, "%s/lexicons", project_root);
    stance_error err = {0};
    gazetteer *gz = gazetteer_load(p.data, &err);
    if (!CHECK(gz != NULL))
        fprintf(stderr, "  %s: %s\n", p.data, err.message);
    stance_error_clear(&err);
    strbuf_free(&p);
    return gz;
}

/* ---- segment_sentences ------------------------------------------------------------- */

/* Checks that the sentences of s[start..end) are exactly want (NULL-ended):
 * each sentence's text and its byte offsets, found as the first occurrence
 * of its text after the previous one. Both sides are printed as
 * "[start,end)text | ..." so that a failure shows where the split went. */
static void check_sentences_at(const char *file, int line, const char *s, size_t start,
                               size_t end, const strmap *abbreviations,
                               const char *const *want)
{
    segment_list list = {0};
    segment_sentences(s, start, end, abbreviations, &list);
    strbuf got = {0}, expected = {0};
    strbuf_adds(&got, "");
    strbuf_adds(&expected, "");
    for (size_t i = 0; i < list.count; i++) {
        const segment_span *sp = &list.items[i];
        strbuf_addf(&got, "%s[%zu,%zu)%.*s", i ? " | " : "", sp->start, sp->end,
                    (int)(sp->end - sp->start), s + sp->start);
    }
    size_t from = start;
    for (size_t i = 0; want[i]; i++) {
        const char *at = strstr(s + from, want[i]);
        size_t a = at ? (size_t)(at - s) : 0, z = a + strlen(want[i]);
        strbuf_addf(&expected, "%s[%zu,%zu)%s", i ? " | " : "", a, z, want[i]);
        if (at)
            from = z;
        else
            strbuf_adds(&expected, "(not in the input)");
    }
    check_eq_str_at(file, line, got.data, expected.data, "sentences", "expected");
    strbuf_free(&got);
    strbuf_free(&expected);
    segment_list_free(&list);
}
#define CHECK_SENTENCES(s, abbr, ...)                                               \
    check_sentences_at(__FILE__, __LINE__, (s), 0, strlen(s), (abbr),               \
                       (const char *const[]){__VA_ARGS__, NULL})
#define CHECK_SENTENCES_IN(s, start, end, abbr, ...)                                \
    check_sentences_at(__FILE__, __LINE__, (s), (start), (end), (abbr),             \
                       (const char *const[]){__VA_ARGS__, NULL})

static void test_sentences_abbreviations(void)
{
    attribute_resources *res = load_shipped_resources();
    if (!res)
        return;
    const strmap *ab = attribute_abbreviations(res);
    /* The shipped list holds the abbreviations of news prose. */
    const char *const listed[] = {"mr", "dr", "gen", "sept", "no", "st", "prof", "mrs"};
    for (size_t i = 0; i < sizeof listed / sizeof *listed; i++)
        if (!CHECK(strmap_find(ab, listed[i], strlen(listed[i])) != NULL))
            fprintf(stderr, "  '%s' is not in abbreviations.txt\n", listed[i]);

    CHECK_SENTENCES("Mr. Ivanov met Dr. Chen in the U.S. on Monday. The U.N. envoy left in "
                    "Sept. after the talks.",
                    ab, "Mr. Ivanov met Dr. Chen in the U.S. on Monday.",
                    "The U.N. envoy left in Sept. after the talks.");
    CHECK_SENTENCES("Gen. Malik cited rule No. 5 twice. Prof. Aziz and Mrs. Lee agreed.", ab,
                    "Gen. Malik cited rule No. 5 twice.", "Prof. Aziz and Mrs. Lee agreed.");
    CHECK_SENTENCES("She met Gen. Malik in St. Petersburg on Sept. 5. It rained.", ab,
                    "She met Gen. Malik in St. Petersburg on Sept. 5.", "It rained.");
    /* Initials and decimals. */
    CHECK_SENTENCES("On Monday J. K. Rowling said nothing. Others did.", ab,
                    "On Monday J. K. Rowling said nothing.", "Others did.");
    CHECK_SENTENCES("Trade grew 3.5 percent in May. Exports rose 12.75 percent. 2023 was calm.",
                    ab, "Trade grew 3.5 percent in May.", "Exports rose 12.75 percent.",
                    "2023 was calm.");
    /* Inside brackets too. */
    CHECK_SENTENCES("The envoy (Mr. Ivanov) left. The talks went on.", ab,
                    "The envoy (Mr. Ivanov) left.", "The talks went on.");

    /* Without a list only initials, dotted acronyms and numbers are kept whole. */
    CHECK_SENTENCES("Mr. Ivanov met Dr. Chen.", NULL, "Mr.", "Ivanov met Dr.", "Chen.");
    CHECK_SENTENCES("He met J. K. Rowling in the U.S. and left 2.5 hours later.", NULL,
                    "He met J. K. Rowling in the U.S. and left 2.5 hours later.");

    /* A list of our own: only what it holds protects a period. */
    strmap own = {0};
    strmap_insert(&own, "mr", 2, 1, NULL);
    CHECK_SENTENCES("Mr. Ivanov met Dr. Chen.", &own, "Mr. Ivanov met Dr.", "Chen.");
    strmap_free(&own);

    attribute_resources_free(res);
}

static void test_sentences_punctuation(void)
{
    attribute_resources *res = load_shipped_resources();
    if (!res)
        return;
    const strmap *ab = attribute_abbreviations(res);

    /* Quotes ending in punctuation: the closing mark stays with its sentence. */
    CHECK_SENTENCES("\"We will act.\" He said it twice.", ab, "\"We will act.\"",
                    "He said it twice.");
    CHECK_SENTENCES("\"We will act,\" he said. Then he left.", ab, "\"We will act,\" he said.",
                    "Then he left.");
    CHECK_SENTENCES("\xE2\x80\x9CWe will act.\xE2\x80\x9D He left.", ab,
                    "\xE2\x80\x9CWe will act.\xE2\x80\x9D", "He left.");
    CHECK_SENTENCES("\xC2\xABNous agirons.\xC2\xBB Il est parti.", ab,
                    "\xC2\xABNous agirons.\xC2\xBB", "Il est parti.");
    CHECK_SENTENCES("He asked: \xE2\x80\x9CWhy not?\xE2\x80\x9D and left.", ab,
                    "He asked: \xE2\x80\x9CWhy not?\xE2\x80\x9D and left.");
    CHECK_SENTENCES("He left. \"We will act,\" she said.", ab, "He left.",
                    "\"We will act,\" she said.");
    CHECK_SENTENCES("He left. (Then he came back.) Fine.", ab, "He left.",
                    "(Then he came back.)", "Fine.");

    /* ! and ?, alone and together. */
    CHECK_SENTENCES("Why now? Nobody knows! It ended.", ab, "Why now?", "Nobody knows!",
                    "It ended.");
    CHECK_SENTENCES("Is it over?! Yes.", ab, "Is it over?!", "Yes.");

    /* Ellipsis: three periods or U+2026; a lowercase word after it goes on. */
    CHECK_SENTENCES("He paused... Then he spoke. He paused... and then spoke.", ab,
                    "He paused...", "Then he spoke.", "He paused... and then spoke.");
    CHECK_SENTENCES("He paused\xE2\x80\xA6 Then he spoke.", ab, "He paused\xE2\x80\xA6",
                    "Then he spoke.");

    /* A lowercase word after a period, or no space after it: no split. */
    CHECK_SENTENCES("The talks ended. then they left.", ab, "The talks ended. then they left.");
    CHECK_SENTENCES("The site example.com went down. It is back.", ab,
                    "The site example.com went down.", "It is back.");

    /* Capitals outside ASCII start a sentence; offsets are bytes. */
    CHECK_SENTENCES("\xC3\x87" "a a commenc\xC3\xA9. \xC3\x89lan suivit.", ab,
                    "\xC3\x87" "a a commenc\xC3\xA9.", "\xC3\x89lan suivit.");

    /* Leading and trailing white space is trimmed off the sentences. */
    CHECK_SENTENCES("  One thing happened.   Another followed.  \t ", ab, "One thing happened.",
                    "Another followed.");
    CHECK_SENTENCES("No final stop here  ", ab, "No final stop here");

    /* Only s[start..end) is read; offsets stay offsets into s. */
    const char *in = "SKIPPED. Alpha came. Beta left. SKIPPED TOO.";
    size_t a = (size_t)(strstr(in, "Alpha") - in), z = (size_t)(strstr(in, "SKIPPED TOO") - in);
    CHECK_SENTENCES_IN(in, a, z, ab, "Alpha came.", "Beta left.");
    CHECK_SENTENCES_IN(in, a, a + 8, ab, "Alpha ca");
    check_sentences_at(__FILE__, __LINE__, in, a, a, ab, (const char *const[]){NULL});
    check_sentences_at(__FILE__, __LINE__, "   ", 0, 3, ab, (const char *const[]){NULL});

    attribute_resources_free(res);
}

/* An abbreviation right after an opening quote mark (“Mr. «Dr.) is still an
 * abbreviation, as it is after a straight mark or a bracket. */
static void test_sentences_abbreviation_after_open_quote(void)
{
    attribute_resources *res = load_shipped_resources();
    if (!res)
        return;
    const strmap *ab = attribute_abbreviations(res);
    CHECK_SENTENCES("He said: \"Mr. Ivanov will come.\" Then he left.", ab,
                    "He said: \"Mr. Ivanov will come.\"", "Then he left.");
    CHECK_SENTENCES("He said: \xE2\x80\x9CMr. Ivanov will come.\xE2\x80\x9D Then he left.", ab,
                    "He said: \xE2\x80\x9CMr. Ivanov will come.\xE2\x80\x9D", "Then he left.");
    CHECK_SENTENCES("He wrote \xC2\xABGen. Malik agreed\xC2\xBB and left.", ab,
                    "He wrote \xC2\xABGen. Malik agreed\xC2\xBB and left.");
    attribute_resources_free(res);
}

/* ---- quotes_find ------------------------------------------------------------------------ */

static void find_quotes(const char *s, segment_list *paras, quote_list *quotes)
{
    segment_paragraphs(s, strlen(s), paras);
    quotes_find(s, paras, quotes);
}

/* Checks quote i: its text (without the marks), the paragraphs it opens and
 * ends in, that it starts just after its opening mark, and that it ends just
 * before close (or, when close is NULL, has no closing mark). */
static void check_quote_at(const char *file, int line, const char *s, const quote_list *ql,
                           size_t i, const char *text, size_t para, size_t last_para,
                           const char *close)
{
    if (!check_true_at(file, line, i < ql->count, "quote index < count"))
        return;
    const quote_span *q = &ql->items[i];
    if (!check_true_at(file, line, q->open < q->start && q->start <= q->end &&
                                       q->end <= q->close_end && q->close_end <= strlen(s),
                       "open < start <= end <= close_end <= len"))
        return;
    char *got = xstrndup(s + q->start, q->end - q->start);
    check_eq_str_at(file, line, got, text, "quote text", "expected");
    free(got);
    check_eq_int_at(file, line, (long long)q->paragraph, (long long)para, "paragraph",
                    "expected");
    check_eq_int_at(file, line, (long long)q->last_paragraph, (long long)last_para,
                    "last_paragraph", "expected");
    size_t after_mark = q->open;
    int32_t mark = text_next_cp(s, strlen(s), &after_mark);
    check_true_at(file, line, mark == '"' || mark == 0x201C || mark == 0x201E ||
                                  mark == 0x00AB || mark == 0x2039 || mark == 0x2018,
                  "open is at an opening mark");
    check_eq_int_at(file, line, (long long)q->start, (long long)after_mark, "start",
                    "just after the opening mark");
    if (close) {
        check_eq_int_at(file, line, (long long)q->close_end, (long long)(q->end + strlen(close)),
                        "close_end", "end + closing mark");
        check_true_at(file, line, strncmp(s + q->end, close, strlen(close)) == 0,
                      "the closing mark follows the text");
    } else {
        check_eq_int_at(file, line, (long long)q->close_end, (long long)q->end, "close_end",
                        "end (no closing mark)");
    }
}
#define CHECK_QUOTE(s, ql, i, text, para, last_para, close) \
    check_quote_at(__FILE__, __LINE__, (s), (ql), (i), (text), (para), (last_para), (close))

#define LDQ "\xE2\x80\x9C" /* “ */
#define RDQ "\xE2\x80\x9D" /* ” */
#define LOWQ "\xE2\x80\x9E" /* „ */
#define LGU "\xC2\xAB"      /* « */
#define RGU "\xC2\xBB"      /* » */
#define LSG "\xE2\x80\xB9"  /* ‹ */
#define RSG "\xE2\x80\xBA"  /* › */
#define RSQ "\xE2\x80\x99"  /* ’ */
#define LSQ "\xE2\x80\x98"  /* ‘ */

static void test_quotes_marks(void)
{
    segment_list paras = {0};
    quote_list ql = {0};

    /* Each family of marks, in one paragraph. */
    const char *s = "He said " LDQ "we will keep working with them" RDQ " today. "
                    "She said \"we will keep working with them\" today. "
                    "Il a dit " LGU "nous allons continuer le travail" RGU " hier. "
                    "Er sagte " LOWQ "wir werden weiter zusammen arbeiten" LDQ " heute. "
                    "Powiedzia\xC5\x82 " LOWQ "b\xC4\x99" "dziemy dalej razem pracowa\xC4\x87" RDQ
                    " wczoraj. "
                    "Il a dit " LSG "nous allons continuer le travail" RSG " hier.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 6);
    CHECK_QUOTE(s, &ql, 0, "we will keep working with them", 0, 0, RDQ);
    CHECK_QUOTE(s, &ql, 1, "we will keep working with them", 0, 0, "\"");
    CHECK_QUOTE(s, &ql, 2, "nous allons continuer le travail", 0, 0, RGU);
    CHECK_QUOTE(s, &ql, 3, "wir werden weiter zusammen arbeiten", 0, 0, LDQ);
    CHECK_QUOTE(s, &ql, 4, "b\xC4\x99" "dziemy dalej razem pracowa\xC4\x87", 0, 0, RDQ);
    CHECK_QUOTE(s, &ql, 5, "nous allons continuer le travail", 0, 0, RSG);

    /* A quote of several sentences, and one after a colon. */
    s = "Talks\n\n" LDQ "The first sentence is here. The second one follows! And a third?" RDQ
        " the envoy asked.\n\nShe said: \"Nothing is agreed. Everything is open.\"";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 2);
    CHECK_QUOTE(s, &ql, 0, "The first sentence is here. The second one follows! And a third?", 1,
                1, RDQ);
    CHECK_QUOTE(s, &ql, 1, "Nothing is agreed. Everything is open.", 2, 2, "\"");

    /* Nested quotes of the other kind stay inside the outer quote. */
    s = "He said " LDQ "they called it a " LSG "tiny little thing" RSG " for us all" RDQ
        " yesterday.\n\n"
        LDQ "He called it \"a farce of many kinds\" and walked out," RDQ " she said.\n\n"
        "\"He called it " LDQ "a farce of many kinds" RDQ " and walked out,\" she said.\n\n"
        LGU "Il a parl\xC3\xA9 d'" LOWQ "une farce sans fin" LDQ " et il est parti" RGU
        ", a-t-elle dit.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 4);
    CHECK_QUOTE(s, &ql, 0, "they called it a " LSG "tiny little thing" RSG " for us all", 0, 0,
                RDQ);
    CHECK_QUOTE(s, &ql, 1, "He called it \"a farce of many kinds\" and walked out,", 1, 1, RDQ);
    CHECK_QUOTE(s, &ql, 2, "He called it " LDQ "a farce of many kinds" RDQ " and walked out,", 2,
                2, "\"");
    CHECK_QUOTE(s, &ql, 3, "Il a parl\xC3\xA9 d'" LOWQ "une farce sans fin" LDQ " et il est parti",
                3, 3, RGU);

    /* A straight opening mark closed by a curly one, and the reverse, still
     * pair; a nested pair of the other kind inside does not close them. */
    s = "He said \"we will keep working with the authorities" RDQ " on Monday.\n\n"
        LDQ "Nothing changes for our embassy in Kabul,\" she said.\n\n"
        "\"He called it " LDQ "a farce of many kinds" RDQ " and walked out" RDQ " she said.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 3);
    CHECK_QUOTE(s, &ql, 0, "we will keep working with the authorities", 0, 0, RDQ);
    CHECK_QUOTE(s, &ql, 1, "Nothing changes for our embassy in Kabul,", 1, 1, "\"");
    CHECK_QUOTE(s, &ql, 2, "He called it " LDQ "a farce of many kinds" RDQ " and walked out", 2, 2,
                RDQ);

    /* Apostrophes, straight or curly, inside or outside quotes, never quote. */
    s = "Russia" RSQ "s envoy met Ma" RSQ "arij. They don't agree, and the ministers' views "
        "differ. 'Nor will we go back,' she said.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 0);

    /* Single curly marks quote (British style); a ’ inside a word, after a
     * space or as a plural possessive before a lowercase word stays an
     * apostrophe, even inside the quote. */
    s = LSQ "The ministers" RSQ " views on Russia" RSQ "s plan differ from ours," RSQ
        " he said. " LSQ "We will not go back on this" RSQ ".";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 2);
    CHECK_QUOTE(s, &ql, 0, "The ministers" RSQ " views on Russia" RSQ "s plan differ from ours,",
                0, 0, RSQ);
    CHECK_QUOTE(s, &ql, 1, "We will not go back on this", 0, 0, RSQ);
    s = LDQ "Russia" RSQ "s envoy said they don't want Ma" RSQ "arij's plan," RDQ " he said.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 1);
    CHECK_QUOTE(s, &ql, 0, "Russia" RSQ "s envoy said they don't want Ma" RSQ "arij's plan,", 0, 0,
                RDQ);

    /* Scare quotes of one to three words are not quotes; four words are. */
    s = "The " LDQ "terrorist" RDQ " regime, the \"so-called regime\", " LDQ "one two three" RDQ
        " and " LGU "Kabul" RGU " but then " LDQ "one two three four" RDQ " was kept.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 1);
    CHECK_QUOTE(s, &ql, 0, "one two three four", 0, 0, RDQ);
    s = "\"Russia's door stays open\" is what they said.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 1);
    CHECK_QUOTE(s, &ql, 0, "Russia's door stays open", 0, 0, "\"");

    /* Inch marks neither open nor close a quote. */
    s = "A 12\" screen and a 5\" pipe were found by the crew.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 0);
    s = "The 5\" pipe and the 10\" valve arrived, and \"the rest will be delivered next week,\" "
        "he said.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 1);
    CHECK_QUOTE(s, &ql, 0, "the rest will be delivered next week,", 0, 0, "\"");

    find_quotes("", &paras, &ql);
    CHECK_EQ_INT(ql.count, 0);

    quote_list_free(&ql);
    CHECK(ql.items == NULL);
    segment_list_free(&paras);
}

static void test_quotes_paragraphs(void)
{
    segment_list paras = {0};
    quote_list ql = {0};
    const char *s =
        LDQ "Our embassy will stay open as long as it is safe for the staff.\n"          /* P0 */
        "\n"
        LDQ "We will review the situation every week," RDQ " the envoy said.\n"         /* P1 */
        "\n"
        LDQ "This quote opens the paragraph and is never closed\n"                       /* P2 */
        "\n"
        "The next paragraph opens with no mark and says " LDQ "nothing more than this one "
        "thing" RDQ " here.\n"                                                            /* P3 */
        "\n"
        LGU "Une citation qui ouvre le paragraphe et ne se ferme pas\n"                 /* P4 */
        "\n"
        LDQ "A paragraph opening with another family does not continue it," RDQ
        " he said.\n"                                                                     /* P5 */
        "\n"
        "\"First part of a long statement goes here.\n"                                  /* P6 */
        "\n"
        "\"Second part of it goes on here.\n"                                            /* P7 */
        "\n"
        "\"Third part closes it now,\" she said.\n"                                      /* P8 */
        "\n"
        "He talked of a " LDQ "plan that never closes and more words here.\n"           /* P9 */
        "\n"
        "Nothing here continues it.\n"                                                   /* P10 */
        "\n"
        LDQ "The last paragraph opens a quote that never ends\n";                       /* P11 */
    find_quotes(s, &paras, &ql);
    if (!CHECK_EQ_INT(paras.count, 12)) {
        quote_list_free(&ql);
        segment_list_free(&paras);
        return;
    }
    CHECK_EQ_INT(ql.count, 7);
    /* Continued: starts in P0, ends in P1. */
    CHECK_QUOTE(s, &ql, 0,
                "Our embassy will stay open as long as it is safe for the staff.\n\n" LDQ
                "We will review the situation every week,",
                0, 1, RDQ);
    if (ql.count > 0) {
        CHECK_EQ_INT(ql.items[0].open, paras.items[0].start);
        CHECK(ql.items[0].end > paras.items[1].start && ql.items[0].end < paras.items[1].end);
    }
    /* Opens P2, not closed, P3 opens with no mark: ends with P2. */
    CHECK_QUOTE(s, &ql, 1, "This quote opens the paragraph and is never closed", 2, 2, NULL);
    if (ql.count > 1)
        CHECK_EQ_INT(ql.items[1].end, paras.items[2].end);
    CHECK_QUOTE(s, &ql, 2, "nothing more than this one thing", 3, 3, RDQ);
    /* P5 opens with a mark of another family: P4's quote ends with P4. */
    CHECK_QUOTE(s, &ql, 3, "Une citation qui ouvre le paragraphe et ne se ferme pas", 4, 4, NULL);
    CHECK_QUOTE(s, &ql, 4, "A paragraph opening with another family does not continue it,", 5,
                5, RDQ);
    /* Three paragraphs of straight marks, one quote. */
    CHECK_QUOTE(s, &ql, 5,
                "First part of a long statement goes here.\n\n\"Second part of it goes on "
                "here.\n\n\"Third part closes it now,",
                6, 8, "\"");
    /* P9's quote opens mid-paragraph and is not continued: dropped. P11's is
     * the last of the text and opens its paragraph: it ends with it. */
    CHECK_QUOTE(s, &ql, 6, "The last paragraph opens a quote that never ends", 11, 11, NULL);
    if (ql.count > 6)
        CHECK_EQ_INT(ql.items[6].end, strlen(s) - 1);

    quote_list_free(&ql);
    segment_list_free(&paras);
}

/* A stray opening mark costs at most its own quote: a later real quote in
 * the same paragraph is found (quotes.h). */
static void test_quotes_stray_marks(void)
{
    segment_list paras = {0};
    quote_list ql = {0};
    const char *s = "He spoke of " LDQ "stray marks and then said " LDQ
                    "we will meet them again soon," RDQ " and left.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 1);
    CHECK_QUOTE(s, &ql, 0, "we will meet them again soon,", 0, 0, RDQ);

    s = "A " LGU "stray mark and then " LGU "a real guillemet quote is here" RGU " after it.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 1);
    CHECK_QUOTE(s, &ql, 0, "a real guillemet quote is here", 0, 0, RGU);

    /* An unclosed mark mid-paragraph, not continued, is dropped; the next
     * paragraph's quote is found. */
    s = "Nothing " LDQ "here and then more words and so on until the end.\n\n"
        "Later he said " LDQ "we will meet them again soon" RDQ " and left.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 1);
    CHECK_QUOTE(s, &ql, 0, "we will meet them again soon", 1, 1, RDQ);
    s = "Nothing \"here and then more words and so on until the end.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 0);

    quote_list_free(&ql);
    segment_list_free(&paras);
}

/* The same with straight marks: "stray ... "real quote," is one real quote. */
static void test_quotes_stray_straight_mark(void)
{
    segment_list paras = {0};
    quote_list ql = {0};
    const char *s = "He spoke of \"stray marks and then said \"we will meet them again soon,\" "
                    "and left.";
    find_quotes(s, &paras, &ql);
    CHECK_EQ_INT(ql.count, 1);
    CHECK_QUOTE(s, &ql, 0, "we will meet them again soon,", 0, 0, "\"");
    quote_list_free(&ql);
    segment_list_free(&paras);
}

/* 200000 unpaired marks of every kind: the pass finishes (it is linear) and
 * finds a bounded number of quotes, each inside its paragraph. */
static void test_quotes_many_marks(void)
{
    static const char *const runs[] = {
        LDQ "a ",               /* curly openers, each restarting the quote */
        "\"a ",                 /* straight openers (the first opens the paragraph) */
        "a\" ",                 /* straight closers with nothing open */
        "a " RDQ " ",           /* curly closers */
        LGU "a " LSG "b " LOWQ "c ", /* openers of three families */
        RGU " " RSG " " LDQ " ", /* closers, and openers before white space */
    };
    size_t nruns = sizeof runs / sizeof *runs;
    strbuf sb = {0};
    size_t marks = 0;
    for (size_t r = 0; r < nruns; r++) {
        if (r)
            strbuf_adds(&sb, "\n\n");
        strbuf_adds(&sb, r == 1 ? "" : "Intro ");
        size_t per_run = r >= 4 ? 3 : 1;
        for (size_t i = 0; i < 200000 / (nruns * per_run) + 1; i++) {
            strbuf_adds(&sb, runs[r]);
            marks += per_run;
        }
    }
    CHECK(marks >= 200000);
    segment_list paras = {0};
    quote_list ql = {0};
    find_quotes(sb.data, &paras, &ql);
    CHECK_EQ_INT(paras.count, nruns);
    CHECK(ql.count <= nruns);
    size_t outside = 0;
    for (size_t i = 0; i < ql.count; i++) {
        const quote_span *q = &ql.items[i];
        outside += q->paragraph != q->last_paragraph || q->paragraph >= paras.count ||
                   q->open < paras.items[q->paragraph].start ||
                   q->end > paras.items[q->paragraph].end;
    }
    CHECK_EQ_INT(outside, 0);

    /* 200000 paragraphs that each open with a mark and never close it: one
     * quote, continued from the first paragraph to the last. */
    strbuf_reset(&sb);
    for (size_t i = 0; i < 200000; i++)
        strbuf_adds(&sb, LDQ "a b c d e\n\n");
    find_quotes(sb.data, &paras, &ql);
    CHECK_EQ_INT(paras.count, 200000);
    if (CHECK_EQ_INT(ql.count, 1)) {
        CHECK_EQ_INT(ql.items[0].paragraph, 0);
        CHECK_EQ_INT(ql.items[0].last_paragraph, 199999);
        CHECK_EQ_INT(ql.items[0].end, paras.items[199999].end);
    }
    quote_list_free(&ql);
    segment_list_free(&paras);
    strbuf_free(&sb);
}

/* ---- gazetteer ------------------------------------------------------------------------------ */

/* The mentions of s as "text=Entity|text=Entity", TARGET for the target. */
static char *mentions_of(const gazetteer *gz, const char *s)
{
    token_list toks = {0};
    gazetteer_mentions m = {0};
    tokenize(s, 0, strlen(s), &toks);
    gazetteer_find(gz, s, &toks, &m);
    strbuf out = {0};
    strbuf_adds(&out, "");
    for (size_t i = 0; i < m.count; i++) {
        size_t a = toks.items[m.items[i].first].start, z = toks.items[m.items[i].last].end;
        size_t e = m.items[i].entity;
        strbuf_addf(&out, "%s%.*s=%s", i ? "|" : "", (int)(z - a), s + a,
                    e == GAZETTEER_TARGET ? "TARGET"
                    : e < gz->count      ? gz->entities[e].name
                                         : "(bad entity)");
    }
    gazetteer_mentions_free(&m);
    token_list_free(&toks);
    return strbuf_detach(&out);
}
#define CHECK_MENTIONS(gz, s, want)                  \
    do {                                             \
        char *got_ = mentions_of((gz), (s));         \
        CHECK_EQ_STR(got_, (want));                  \
        free(got_);                                  \
    } while (0)

static void test_gazetteer_names(void)
{
    gazetteer *gz = load_shipped_gazetteer();
    if (!gz)
        return;
    /* Multi-word names and offices. */
    CHECK_MENTIONS(gz, "The United Arab Emirates and the Foreign Office spoke.",
                   "United Arab Emirates=United Arab Emirates|Foreign Office=United Kingdom");
    CHECK_MENTIONS(gz, "The United States of America and the U.K. government agreed.",
                   "United States of America=United States|U.K. government=United Kingdom");
    /* Demonyms and capitals stand for their states. */
    CHECK_MENTIONS(gz,
                   "Moscow, Beijing, Tehran, Islamabad, Washington, New Delhi and Tashkent "
                   "reacted.",
                   "Moscow=Russia|Beijing=China|Tehran=Iran|Islamabad=Pakistan|"
                   "Washington=United States|New Delhi=India|Tashkent=Uzbekistan");
    CHECK_MENTIONS(gz, "Russian and Chinese diplomats met Uzbek and Pakistani officials.",
                   "Russian=Russia|Chinese=China|Uzbek=Uzbekistan|Pakistani=Pakistan");
    /* Possessives, with either apostrophe. */
    CHECK_MENTIONS(gz, "Russia's envoy and China" RSQ "s envoy met Pakistan's foreign office.",
                   "Russia's=Russia|China" RSQ "s=China|Pakistan's foreign office=Pakistan");
    /* Aliases of three letters or fewer only in capitals. */
    CHECK_MENTIONS(gz, "The US told us that the UN and the EU agree.",
                   "US=United States|UN=United Nations|EU=European Union");
    CHECK_MENTIONS(gz, "Us and them, un-named, eu and uk words.", "");
    CHECK_MENTIONS(gz, "The U.S. and the U.N. spoke.", "U.S=United States|U.N=United Nations");
    /* The target, and Kabul as its government. */
    CHECK_MENTIONS(gz,
                   "The Taliban, the Islamic Emirate, the interim government and Kabul spoke.",
                   "Taliban=TARGET|Islamic Emirate=TARGET|interim government=TARGET|"
                   "Kabul=TARGET");
    CHECK_MENTIONS(gz, "Afghan officials met the caretaker government in Afghanistan.",
                   "Afghan=Afghanistan|caretaker government=TARGET|Afghanistan=Afghanistan");
    /* No match across a comma: a list is several mentions. */
    CHECK_MENTIONS(gz, "Russia, China and Iran.", "Russia=Russia|China=China|Iran=Iran");
    CHECK_MENTIONS(gz, "From Abu, Dhabi and United, Arab Emirates.", "");
    CHECK_MENTIONS(gz, "Ordinary words: the weather was cold in the mountains.", "");
    gazetteer_free(gz);
}

/* A possessive of an alias written in capitals is still that alias: "the
 * UN's decision" names the United Nations as "the UN decision" does. */
static void test_gazetteer_short_possessive(void)
{
    gazetteer *gz = load_shipped_gazetteer();
    if (!gz)
        return;
    CHECK_MENTIONS(gz, "The UN's decision.", "UN's=United Nations");
    CHECK_MENTIONS(gz, "The EU's member states.", "EU's=European Union");
    CHECK_MENTIONS(gz, "The US" RSQ "s allies.", "US" RSQ "s=United States");
    gazetteer_free(gz);
}

/* A name does not run over the end of a sentence. */
static void test_gazetteer_sentence_boundary(void)
{
    gazetteer *gz = load_shipped_gazetteer();
    if (!gz)
        return;
    CHECK_MENTIONS(gz, "The opposition is not united. States such as Iran disagree.",
                   "Iran=Iran");
    CHECK_MENTIONS(gz, "He flew far to the south. Korea was next.", "");
    gazetteer_free(gz);
}

static void test_gazetteer_members(void)
{
    gazetteer *gz = load_shipped_gazetteer();
    if (!gz)
        return;
    static const char *const codes[] = {"AF", "RU", "CN", "IR", "PK", "US", "GB", "UZ", "TJ",
                                        "KZ", "TM", "KG", "IN", "TR", "QA", "SA", "AE", "DE",
                                        "FR", "JP", "BR", "ZA", "NG", "MX", "TV", "SS", "VA"};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        size_t e = gazetteer_lookup(gz, codes[i]);
        if (!CHECK(e != GAZETTEER_NONE)) {
            fprintf(stderr, "  no entity with code %s\n", codes[i]);
            continue;
        }
        CHECK_EQ_STR(gz->entities[e].code, codes[i]);
        CHECK(!gz->entities[e].is_body);
        /* A state is found by its display name too, and its name in text
         * names it. */
        CHECK_EQ_INT(gazetteer_lookup(gz, gz->entities[e].name), e);
        strbuf want = {0};
        strbuf_addf(&want, "%s=%s", gz->entities[e].name, gz->entities[e].name);
        CHECK_MENTIONS(gz, gz->entities[e].name, want.data);
        strbuf_free(&want);
    }
    size_t states = 0;
    for (size_t i = 0; i < gz->count; i++)
        states += !gz->entities[i].is_body;
    CHECK(states >= 193);

    /* Lookup by name and by code. */
    size_t ru = gazetteer_lookup(gz, "Russia");
    CHECK(ru != GAZETTEER_NONE);
    CHECK_EQ_INT(gazetteer_lookup(gz, "RU"), ru);
    size_t uk = gazetteer_lookup(gz, "United Kingdom");
    if (CHECK(uk != GAZETTEER_NONE))
        CHECK_EQ_STR(gz->entities[uk].code, "GB");
    size_t eu = gazetteer_lookup(gz, "EU");
    if (CHECK(eu != GAZETTEER_NONE)) {
        CHECK_EQ_STR(gz->entities[eu].name, "European Union");
        CHECK(gz->entities[eu].is_body);
    }
    size_t un = gazetteer_lookup(gz, "United Nations");
    if (CHECK(un != GAZETTEER_NONE)) {
        CHECK_EQ_STR(gz->entities[un].code, "UN");
        CHECK(gz->entities[un].is_body);
    }
    CHECK_EQ_INT(gz->afghanistan, gazetteer_lookup(gz, "AF"));
    CHECK_EQ_INT(gazetteer_lookup(gz, "Afghanistan"), gz->afghanistan);
    CHECK_EQ_INT(gazetteer_lookup(gz, "Narnia"), GAZETTEER_NONE);
    CHECK_EQ_INT(gazetteer_lookup(gz, "ru"), GAZETTEER_NONE);
    CHECK_EQ_INT(gazetteer_lookup(gz, ""), GAZETTEER_NONE);
    gazetteer_free(gz);
}

/* ---- attribute_doc -------------------------------------------------------------------------- */

typedef struct {
    const char *s;
    const gazetteer *gz;
    segment_list paras;
    quote_list quotes;
    doc_attribution d;
} attr_run;

static void attr_run_text(attr_run *r, attributor *at, const char *s)
{
    r->s = s;
    segment_paragraphs(s, strlen(s), &r->paras);
    quotes_find(s, &r->paras, &r->quotes);
    attribute_doc(at, s, strlen(s), &r->paras, &r->quotes, &r->d);
}

static void attr_run_free(attr_run *r)
{
    segment_list_free(&r->paras);
    quote_list_free(&r->quotes);
}

static const char *entity_name(const gazetteer *gz, size_t e)
{
    return e == GAZETTEER_NONE ? NULL : e < gz->count ? gz->entities[e].name : "(bad entity)";
}

/* The holder names of h joined by ';'. */
static char *holder_names(const gazetteer *gz, const holder_list *h)
{
    strbuf sb = {0};
    strbuf_adds(&sb, "");
    for (size_t i = 0; i < h->count; i++)
        strbuf_addf(&sb, "%s%s", i ? ";" : "", entity_name(gz, h->items[i]));
    return strbuf_detach(&sb);
}

/* Checks quote k (0-based): that its text starts with prefix, its speaker
 * (NULL: none) and the speaker's country (NULL: none), and its holders. */
static void check_attr_quote_at(const char *file, int line, const attr_run *r, size_t k,
                                const char *prefix, const char *speaker, const char *country,
                                const char *holders)
{
    if (!check_true_at(file, line, k < r->quotes.count && k < r->d.quote_count,
                       "quote index < count"))
        return;
    const quote_span *q = &r->quotes.items[k];
    check_true_at(file, line, strncmp(r->s + q->start, prefix, strlen(prefix)) == 0,
                  "the quote starts with the prefix");
    const quote_attribution *qa = &r->d.quotes[k];
    check_eq_str_at(file, line, qa->speaker, speaker, "speaker", "expected");
    check_eq_str_at(file, line, entity_name(r->gz, qa->speaker_entity), country,
                    "speaker_entity", "expected");
    char *got = holder_names(r->gz, &qa->holders);
    check_eq_str_at(file, line, got, holders, "quote holders", "expected");
    free(got);
}
#define CHECK_ATTR_QUOTE(r, k, prefix, speaker, country, holders) \
    check_attr_quote_at(__FILE__, __LINE__, (r), (k), (prefix), (speaker), (country), (holders))

static void check_attr_para_at(const char *file, int line, const attr_run *r, size_t p,
                               const char *holders)
{
    if (!check_true_at(file, line, p < r->d.paragraph_count, "paragraph index < count"))
        return;
    char *got = holder_names(r->gz, &r->d.paragraphs[p]);
    check_eq_str_at(file, line, got, holders, "paragraph holders", "expected");
    free(got);
}
#define CHECK_ATTR_PARA(r, p, holders) check_attr_para_at(__FILE__, __LINE__, (r), (p), (holders))

/* The speaker patterns of news prose, affiliation from titles, apposition
 * and possessives, surnames, pronouns and definite descriptions. */
static void test_attribute_patterns(void)
{
    attribute_resources *res = load_shipped_resources();
    if (!res)
        return;
    attributor *at = attributor_new(res);
    attr_run r = {.gz = attribute_gazetteer(res)};
    const char *s =
        "Envoys gather in Astana\n" /* P0 */
        "\n"
        "\"We are ready to widen trade with the authorities in Kabul,\" said Rustam Karimov, "
        "Uzbekistan's special envoy for Afghanistan.\n" /* P1 */
        "\n"
        "\"Our railway plans depend on calm along the border,\" Karimov said on Tuesday.\n"
        "\n"
        "Chinese Foreign Minister Wang Yi said: \"China will keep helping the Afghan people "
        "rebuild their economy.\"\n" /* P3 */
        "\n"
        "Pakistan's foreign office spokesperson Sadia Qureshi said that talks would resume "
        "soon and that \"Pakistan wants a peaceful and stable neighbour.\"\n" /* P4 */
        "\n"
        "According to Marta Lindqvist, the EU's foreign policy chief, \"no normal relations are "
        "possible while girls stay out of school.\"\n" /* P5 */
        "\n"
        "\"The talks went well and we agreed on the next steps,\" Karimov told Anwar Saleh at "
        "the ministry.\n" /* P6 */
        "\n"
        "Omar Haddad, a political affairs analyst in Amman, expects little change.\n" /* P7 */
        "\n"
        "Aleksei Volkov, the Russian foreign ministry spokesman, said \"Moscow will keep its "
        "channels to the Kabul government open.\"\n" /* P8 */
        "\n"
        "\"We are not discussing recognition at this stage,\" stated the diplomat.\n" /* P9 */
        "\n"
        "\"Every step will be weighed carefully,\" he said. \"The coming months will be "
        "decisive for the region.\"\n" /* P10 */
        "\n"
        "\"Isolation has never worked anywhere, not for Iran and not for Cuba,\" said Omar "
        "Haddad.\n" /* P11 */
        "\n"
        "\"Britain will judge the Taliban by their actions and not their words,\" the British "
        "foreign secretary said.\n"; /* P12 */
    attr_run_text(&r, at, s);
    CHECK_EQ_INT(r.paras.count, 13);
    CHECK_EQ_INT(r.d.paragraph_count, 13);
    if (!CHECK_EQ_INT(r.quotes.count, 12) || !CHECK_EQ_INT(r.d.quote_count, 12)) {
        attr_run_free(&r);
        attributor_free(at);
        attribute_resources_free(res);
        return;
    }
    /* "…," said X, with an appositive giving the country by a possessive. */
    CHECK_ATTR_QUOTE(&r, 0, "We are ready", "Rustam Karimov", "Uzbekistan", "Uzbekistan");
    /* "…," X said, by surname: the full name and the first description. */
    CHECK_ATTR_QUOTE(&r, 1, "Our railway", "Rustam Karimov", "Uzbekistan", "Uzbekistan");
    /* X said: "…" with the country in the title before the name. */
    CHECK_ATTR_QUOTE(&r, 2, "China will", "Wang Yi", "China", "China");
    /* X said that … "…", country by a possessive before the title. */
    CHECK_ATTR_QUOTE(&r, 3, "Pakistan wants", "Sadia Qureshi", "Pakistan", "Pakistan");
    /* according to X, "…", a body's title in apposition. */
    CHECK_ATTR_QUOTE(&r, 4, "no normal", "Marta Lindqvist", "European Union", "European Union");
    /* "…," X told Y: the teller speaks. */
    CHECK_ATTR_QUOTE(&r, 5, "The talks went", "Rustam Karimov", "Uzbekistan", "Uzbekistan");
    /* X, the TITLE, said "…". */
    CHECK_ATTR_QUOTE(&r, 6, "Moscow will", "Aleksei Volkov", "Russia", "Russia");
    /* "…," stated the diplomat: the last official named. */
    CHECK_ATTR_QUOTE(&r, 7, "We are not", "Aleksei Volkov", "Russia", "Russia");
    /* he said: the last person named; then an unattributed quote goes on. */
    CHECK_ATTR_QUOTE(&r, 8, "Every step", "Aleksei Volkov", "Russia", "Russia");
    CHECK_ATTR_QUOTE(&r, 9, "The coming months", "Aleksei Volkov", "Russia", "Russia");
    /* An analyst speaks for no state: the quote's holders are those it names. */
    CHECK_ATTR_QUOTE(&r, 10, "Isolation", "Omar Haddad", NULL, "Iran;Cuba");
    /* A description with no name. */
    CHECK_ATTR_QUOTE(&r, 11, "Britain will", "the British foreign secretary", "United Kingdom",
                     "United Kingdom");

    /* Paragraph holders: the states and bodies named, in order, then the
     * speakers' countries; Afghanistan and the Taliban never; a meeting's
     * venue ("gather in Astana") never. */
    CHECK_ATTR_PARA(&r, 0, "");
    CHECK_ATTR_PARA(&r, 1, "Uzbekistan");
    CHECK_ATTR_PARA(&r, 2, "Uzbekistan");
    CHECK_ATTR_PARA(&r, 3, "China");
    CHECK_ATTR_PARA(&r, 4, "Pakistan");
    CHECK_ATTR_PARA(&r, 5, "European Union");
    CHECK_ATTR_PARA(&r, 8, "Russia");
    CHECK_ATTR_PARA(&r, 10, "Russia");
    CHECK_ATTR_PARA(&r, 11, "Iran;Cuba");
    CHECK_ATTR_PARA(&r, 12, "United Kingdom");

    attr_run_free(&r);
    attributor_free(at);
    attribute_resources_free(res);
}

/* Speakers resolved by role and recency, Taliban speakers, holders of
 * paragraphs, and names written with apostrophes and diacritics. One
 * attributor serves several articles in turn. */
static void test_attribute_holders_and_names(void)
{
    attribute_resources *res = load_shipped_resources();
    if (!res)
        return;
    attributor *at = attributor_new(res);
    attr_run r = {.gz = attribute_gazetteer(res)};

    const char *s =
        "Sergei Orlov, Russia's ambassador to Kabul, met Dana Whitfield, a security analyst.\n"
        "\n"
        "\"We will not close our embassy,\" stated the diplomat.\n"
        "\n"
        "\"Moscow is playing a long game here,\" she said.\n"
        "\n"
        "\"Russia has agreed to buy more Afghan fruit this year,\" said Bilal Rahimi, a Taliban "
        "deputy commerce minister.\n"
        "\n"
        "China, Russia and Iran keep close ties with the Taliban, while Afghanistan hosts their "
        "delegations.\n"
        "\n"
        "Afghanistan and the Taliban government announced a new budget in Kabul.\n"
        "\n"
        "Kazakh officials met the Islamic Emirate in Astana; Turkmenistan and Tajikistan sent "
        "observers.\n"
        "\n"
        "\"Kazakhstan is ready to host the next round,\" said Chinese Foreign Minister Wang Yi.\n";
    attr_run_text(&r, at, s);
    if (CHECK_EQ_INT(r.d.quote_count, 4)) {
        /* The definite description skips the analyst named after the diplomat. */
        CHECK_ATTR_QUOTE(&r, 0, "We will not", "Sergei Orlov", "Russia", "Russia");
        /* The pronoun takes the last person named. */
        CHECK_ATTR_QUOTE(&r, 1, "Moscow is", "Dana Whitfield", NULL, "Russia");
        /* A Taliban official reporting another country's position makes it the holder. */
        CHECK_ATTR_QUOTE(&r, 2, "Russia has", "Bilal Rahimi", "Afghanistan", "Russia");
        /* An official's quote has the speaker's country only. */
        CHECK_ATTR_QUOTE(&r, 3, "Kazakhstan is", "Wang Yi", "China", "China");
    }
    if (CHECK_EQ_INT(r.d.paragraph_count, 8)) {
        CHECK_ATTR_PARA(&r, 1, "Russia");
        CHECK_ATTR_PARA(&r, 3, "Russia");
        CHECK_ATTR_PARA(&r, 4, "China;Russia;Iran");
        CHECK_ATTR_PARA(&r, 5, "");
        CHECK_ATTR_PARA(&r, 6, "Kazakhstan;Turkmenistan;Tajikistan");
        /* The states an official's quote names are not holders of it. */
        CHECK_ATTR_PARA(&r, 7, "China");
    }

    /* Names with apostrophes and diacritics, kept as written. */
    s = "Azizullah Ma" RSQ "arij, a deputy minister of the interim government, met Jos\xC3\xA9 "
        "Ram\xC3\xADrez, Mexico's ambassador to Pakistan, in Kabul.\n"
        "\n"
        "\"The new border market will open next month for traders from both sides,\" Ma" RSQ
        "arij told the visitors.\n"
        "\n"
        "\"Mexico has no plans to send anyone to Kabul this year,\" Ram\xC3\xADrez said.\n"
        "\n"
        "\"Ireland will keep funding the clinics in the north,\" said Sean O'Neill, Ireland's "
        "special envoy.\n";
    attr_run_text(&r, at, s);
    if (CHECK_EQ_INT(r.d.quote_count, 3)) {
        CHECK_ATTR_QUOTE(&r, 0, "The new border", "Azizullah Ma" RSQ "arij", "Afghanistan", "");
        CHECK_ATTR_QUOTE(&r, 1, "Mexico has", "Jos\xC3\xA9 Ram\xC3\xADrez", "Mexico", "Mexico");
        CHECK_ATTR_QUOTE(&r, 2, "Ireland will", "Sean O'Neill", "Ireland", "Ireland");
    }
    CHECK_ATTR_PARA(&r, 0, "Mexico;Pakistan");
    CHECK_ATTR_PARA(&r, 1, "");

    /* Descriptions and capitals as speakers; a quote continued across
     * paragraphs; a first quote with no speaker at all. */
    s = "Reactions\n"
        "\n"
        LDQ "Nothing about this plan is new or surprising." RDQ "\n"
        "\n"
        "\"There will be no business as usual with Kabul,\" the EU's foreign policy chief "
        "said.\n"
        "\n"
        "\"Our doors stay open for dialogue with everyone,\" said the Chinese foreign "
        "minister.\n"
        "\n"
        "\"We are watching closely what happens next there,\" Tehran said.\n"
        "\n"
        "Beijing said on Monday that \"cooperation with its neighbour will continue in every "
        "field.\"\n"
        "\n"
        "\"Nothing will change soon in the region,\" said a senior Kazakh diplomat.\n"
        "\n"
        LDQ "Our embassy will stay open as long as it is safe.\n"
        "\n"
        LDQ "We will review the situation every week," RDQ " the Russian envoy said.\n";
    attr_run_text(&r, at, s);
    if (CHECK_EQ_INT(r.d.quote_count, 7)) {
        CHECK_ATTR_QUOTE(&r, 0, "Nothing about", NULL, NULL, "");
        CHECK_ATTR_QUOTE(&r, 1, "There will be", "the EU's foreign policy chief", "European Union",
                         "European Union");
        CHECK_ATTR_QUOTE(&r, 2, "Our doors", "the Chinese foreign minister", "China", "China");
        CHECK_ATTR_QUOTE(&r, 3, "We are watching", "Tehran", "Iran", "Iran");
        CHECK_ATTR_QUOTE(&r, 4, "cooperation", "Beijing", "China", "China");
        CHECK_ATTR_QUOTE(&r, 5, "Nothing will", "a senior Kazakh diplomat", "Kazakhstan",
                         "Kazakhstan");
        CHECK_ATTR_QUOTE(&r, 6, "Our embassy", "the Russian envoy", "Russia", "Russia");
        if (CHECK_EQ_INT(r.quotes.items[6].paragraph, 7))
            CHECK_EQ_INT(r.quotes.items[6].last_paragraph, 8);
        CHECK_ATTR_PARA(&r, 7, "Russia");
        CHECK_ATTR_PARA(&r, 8, "Russia");
    }

    attr_run_free(&r);
    attributor_free(at);
    attribute_resources_free(res);
}

/* A description after the verb is the speaker as a whole: "said the EU's
 * foreign policy chief", not "the EU's foreign". */
static void test_attribute_description_after_verb(void)
{
    attribute_resources *res = load_shipped_resources();
    if (!res)
        return;
    attributor *at = attributor_new(res);
    attr_run r = {.gz = attribute_gazetteer(res)};
    const char *s =
        "\"There will be no business as usual with Kabul,\" said the EU's foreign policy "
        "chief.\n"
        "\n"
        "\"We will keep talking with them every week,\" said the Pakistani foreign office "
        "spokesperson.\n";
    attr_run_text(&r, at, s);
    if (CHECK_EQ_INT(r.d.quote_count, 2)) {
        CHECK_ATTR_QUOTE(&r, 0, "There will be", "the EU's foreign policy chief", "European Union",
                         "European Union");
        CHECK_ATTR_QUOTE(&r, 1, "We will keep", "the Pakistani foreign office spokesperson",
                         "Pakistan", "Pakistan");
    }
    attr_run_free(&r);
    attributor_free(at);
    attribute_resources_free(res);
}

/* One rule of holder resolution or of what is not a holder: in text, the
 * holders of paragraph para (';'-joined, in order). */
typedef struct {
    const char *rule, *text;
    size_t para;
    const char *holders;
} holder_case;

static const holder_case holder_cases[] = {
    /* What is not a holder. */
    {"dateline city", "Iran widens trade\n\nDHAKA: Iran said on Monday it would widen trade with "
     "the Taliban government.\n", 1, "Iran"},
    {"meeting venue", "Uzbekistan and Kazakhstan held talks with the Taliban in Doha on "
     "Monday.\n", 0, "Uzbekistan;Kazakhstan"},
    {"forum venue", "Norway's envoy met Taliban officials on the sidelines of a forum in "
     "Geneva.\n", 0, "Norway"},
    {"a pipeline named after countries", "Turkmenistan said work on the Turkmenistan-"
     "Afghanistan-Pakistan-India pipeline would resume with the Taliban.\n", 0, "Turkmenistan"},
    {"a treaty named after a city", "The Doha Agreement still shapes how Japan deals with the "
     "Taliban, the minister said.\n", 0, "Japan"},
    {"companies acting commercially", "Chinese firms signed new mining contracts with the "
     "Taliban authorities this week.\n", 0, ""},
    {"the object of another's action", "Pakistan urged the United States to release frozen "
     "Afghan assets held by the Taliban's central bank.\n", 0, "Pakistan"},
    {"the object after 'called on'", "Iran called on Russia to press the Taliban on water "
     "rights.\n", 0, "Iran"},
    {"background of the holder's action", "After the US withdrawal, Uzbekistan opened a trade "
     "hub for the Taliban near Termez.\n", 0, "Uzbekistan"},
    {"a historical clause", "The Taliban, whom Russia listed as terrorists in 2003, sent a "
     "delegation to Kazan, and Kazakhstan welcomed it.\n", 0, "Kazakhstan"},
    {"the target and Afghanistan are never holders", "The Taliban said Afghanistan wants good "
     "ties with every neighbour.\n", 0, ""},
    /* Resolution across sentences and paragraphs. */
    {"a pronoun across a paragraph break", "Kazakhstan's trade minister Serik Abenov arrived in "
     "Kabul on Monday.\n\nHe said the Taliban had agreed to buy more grain.\n", 1, "Kazakhstan"},
    {"a role noun", "Uzbekistan's foreign minister Anvar Saidov met Taliban officials on "
     "Tuesday.\n\nThe minister said trade would double.\n", 1, "Uzbekistan"},
    {"a surname later", "Qatar's envoy Khalid al-Thani met the Taliban's foreign minister.\n\n"
     "Al-Thani said the talks had been useful.\n", 1, "Qatar"},
    {"a definite organisation", "Turkey's foreign ministry said on Friday it would reopen its "
     "consulate in Mazar-i-Sharif.\n\nThe ministry added that the Taliban had given "
     "guarantees.\n", 1, "Turkey"},
    {"the Kingdom", "Saudi Arabia resumed consular work in Kabul on Sunday.\n\nThe Kingdom "
     "said the Taliban had been informed in advance.\n", 1, "Saudi Arabia"},
    {"'the statement' after the issuer", "The European Union issued a statement on the "
     "Taliban's new decree.\n\nThe statement said the ban must be reversed.\n", 1,
     "European Union"},
    {"the Embassy of X in Y", "The Embassy of Japan in Kabul said it would fund two clinics "
     "with the Taliban's consent.\n", 0, "Japan"},
    {"a statement-only article", "Statement by the Ministry of Foreign Affairs of Norway\n\n"
     "Norway notes with concern the latest decree of the Taliban.\n\nWe call on the de facto "
     "authorities to reopen schools for girls.\n\nWe remain ready to support the Afghan people "
     "through humanitarian channels.\n\nOur embassy staff will continue to meet officials in "
     "Kabul.\n", 3, "Norway"},
    {"a Taliban spokesman on the Taliban's own views", "Taliban spokesman Qari Hamid said the "
     "Islamic Emirate wants good relations with all its neighbours.\n", 0, ""},
    {"a Taliban spokesman reporting another country", "Taliban spokesman Qari Hamid said "
     "Uzbekistan had agreed to extend the power supply contract.\n", 0, "Uzbekistan"},
    /* Organs every state has. */
    {"the Foreign Office under an Islamabad dateline", "Briefing\n\nISLAMABAD: The Foreign "
     "Office said the Taliban must act against militants.\n", 1, "Pakistan"},
    {"a dateline of the state that then speaks", "Briefing\n\nISLAMABAD: Pakistan said it would "
     "keep its channels to the Taliban open.\n", 1, "Pakistan"},
    {"'FO' under an Islamabad dateline", "FO says Kabul must act\n\nISLAMABAD: The Taliban "
     "must act against militants, officials said.\n", 0, "Pakistan"},
    {"the Foreign Office with a UK context", "Britain's envoy met Taliban officials in Doha.\n\n"
     "The Foreign Office said it would not reopen the embassy in Kabul.\n", 1,
     "United Kingdom"},
    {"a national security council", "The US National Security Council said the Taliban "
     "must release the detainees.\n", 0, "United States"},
    {"the states an official's quote names", "\"The United States should return the assets "
     "of the Afghan people,\" said Chinese foreign ministry spokesman Lin Wei.\n", 0, "China"},
    {"the sides of talks another holder hosts", "Turkey said it was ready to host talks "
     "between Pakistan and the Taliban in Istanbul.\n", 0, "Turkey"},
    {"the countries a corridor links", "Azerbaijan backs a corridor that links Afghanistan with "
     "Turkmenistan, Georgia and Turkey and will work with the Taliban on it.\n", 0,
     "Azerbaijan"},
    {"a partner met by the holder", "Turkey's foreign minister, who held talks with Qatari "
     "officials in Doha, said Ankara would keep its embassy in Kabul open.\n", 0, "Turkey"},
    {"a partner acting together with the holder", "Kazakhstan, together with Uzbekistan, "
     "signed a transit deal with the Taliban.\n", 0, "Kazakhstan;Uzbekistan"},
    {"a channel or route, not a holder", "South Korea provides aid to Afghanistan only through "
     "UN channels and keeps no diplomats in Kabul under the Taliban.\n", 0, "South Korea"},
    {"a country in a hyphened participle", "Norway said Japanese-funded clinics would stay open "
     "under the Taliban.\n", 0, "Norway"},
    {"a capitalised ministry of the dateline's country", "Talks on water\n\nTEHRAN: The "
     "Ministry of Foreign Affairs said the Taliban must respect the treaty.\n", 1, "Iran"},
    {"a pipeline named after countries, with its acronym", "Turkmenistan and the Taliban "
     "agreed to speed up the Turkmenistan-Afghanistan-Pakistan-India (TAPI) gas pipeline.\n", 0,
     "Turkmenistan"},
    {"the countries a corridor links, in a statement", "We regard the corridor, which links "
     "Afghanistan with Turkmenistan, Georgia and Turkey, as a route we will build with the "
     "Taliban.\n", 0, ""},
    {"the body an official tells", "Kenya's envoy met the Taliban, telling the United Nations "
     "that Nairobi would send a trade mission.\n", 0, "Kenya"},
    {"a country word that names a place", "Kazakhstan will build a logistics hub with the "
     "Taliban near the Turkmen border.\n", 0, "Kazakhstan"},
    {"a Taliban official's words about the Taliban take no holder from before", "Norway's "
     "envoy met Taliban spokesman Qari Hamid in Kabul.\n\nHamid said the Islamic Emirate "
     "would never change its course.\n", 1, ""},
    {"a statement's Taliban paragraph takes no issuer", "Statement by the Ministry of Foreign "
     "Affairs of Norway\n\nWe call on the Taliban to reopen schools.\n\nWe will keep our "
     "embassy staff in Kabul.\n\nTaliban spokesman Qari Hamid said the Islamic Emirate "
     "would not change course.\n", 3, ""},
    {"a railway named after cities joined by en dashes", "Azerbaijan said the Baku\u2013Tbilisi"
     "\u2013Kars railway would carry freight for the Taliban.\n", 0, "Azerbaijan"},
    {"the subject of a relative clause on another holder's policy", "Washington keeps its "
     "sanctions on the Taliban, a policy that Moscow and Beijing regard as useless.\n", 0,
     "United States"},
    {"a caption names no holder", "Norway's envoy met the Taliban in Kabul.\n\nPhoto: "
     "Norway's envoy with Taliban officials in Kabul, May 2025.\n", 1, ""},
};

/* Holder resolution and the filters of what is not a holder, one rule a case. */
static void test_attribute_holder_rules(void)
{
    attribute_resources *res = load_shipped_resources();
    if (!res)
        return;
    attributor *at = attributor_new(res);
    attr_run r = {.gz = attribute_gazetteer(res)};
    for (size_t k = 0; k < sizeof holder_cases / sizeof *holder_cases; k++) {
        const holder_case *c = &holder_cases[k];
        attr_run_text(&r, at, c->text);
        if (!CHECK(c->para < r.d.paragraph_count)) {
            fprintf(stderr, "  rule: %s\n", c->rule);
            continue;
        }
        char *got = holder_names(r.gz, &r.d.paragraphs[c->para]);
        if (!CHECK_EQ_STR(got, c->holders))
            fprintf(stderr, "  rule: %s\n", c->rule);
        free(got);
    }
    attr_run_free(&r);
    attributor_free(at);
    attribute_resources_free(res);
}

/* One rule of speaker attribution: quote k of text, its speaker and country. */
typedef struct {
    const char *rule, *text;
    size_t quote;
    const char *speaker, *country;
} speaker_case;

static const speaker_case speaker_cases[] = {
    {"an honorific and an initial", "Uzbekistan's foreign minister Dr R. Mehta said: \"We will "
     "expand trade with Kabul.\"\n", 0, "R. Mehta", "Uzbekistan"},
    {"two initials", "Mr A. B. Okafor, Nigeria's ambassador, said: \"We are ready to talk to "
     "the Taliban.\"\n", 0, "A. B. Okafor", "Nigeria"},
    {"a surname with a particle, later", "Pieter van der Berg, the Dutch envoy, met Taliban "
     "officials.\n\n\"The talks were frank,\" Van der Berg said.\n", 0, "Pieter van der Berg",
     "Netherlands"},
    {"a Taliban official named in the target lexicon", "\"The Islamic Emirate wants good ties "
     "with everyone,\" said Amir Khan Muttaqi.\n", 0, "Amir Khan Muttaqi", "Afghanistan"},
    {"a role abbreviation", "India's EAM Rohan Kapoor said: \"We will keep our technical team "
     "in Kabul.\"\n", 0, "Rohan Kapoor", "India"},
    {"the Embassy of X in Y", "The Embassy of Japan in Kabul said: \"We continue our "
     "humanitarian work.\"\n", 0, "The Embassy of Japan", "Japan"},
    {"X's office", "\"The ban on schooling must end,\" Kenyan President William Ruto's office "
     "said.\n", 0, "William Ruto", "Kenya"},
    {"'the statement said' takes the issuer", "Canada issued a statement on Monday.\n\n\"We "
     "will not recognise the Taliban while the bans stand,\" the statement said.\n", 0,
     "the statement", "Canada"},
    {"a national security council", "\"Recognition is not on the table,\" the US National "
     "Security Council said.\n", 0, "US National Security Council", "United States"},
    {"a title without a country takes the sentence's", "Kazakhstan will send grain to Kabul, "
     "Deputy Foreign Minister Arman Isaliev said on Monday, adding: \"Trade with our neighbour "
     "comes first.\"\n", 0,
     "Arman Isaliev", "Kazakhstan"},
    {"a title without a country takes the dateline's", "Talks resume\n\nANKARA: Deputy "
     "Foreign Minister Selin Aydin said: \"We will keep our embassy in Kabul open.\"\n", 0,
     "Selin Aydin", "Turkey"},
    {"a speech-verb lexeme with another subject after the quote", "Qatar's envoy Khalid "
     "Nasser said: \"The channel to Kabul stays open.\" The talks concluded on Friday.\n", 0,
     "Khalid Nasser", "Qatar"},
    {"the Foreign Office of another country", "Briefing\n\nISLAMABAD: \"We expect action "
     "against the TTP,\" a Foreign Office spokesperson said.\n", 0,
     "a Foreign Office spokesperson", "Pakistan"},
    {"a speech verb after the quote that names nobody", "Iran's foreign ministry spokesman "
     "Mohsen Karimi met reporters.\n\nKarimi said Tehran would work \"through dialogue and joint "
     "technical committees\" and denied reports of troops on the border.\n", 0, "Mohsen Karimi",
     "Iran"},
    {"a venue before the verb is not the speaker", "South Africa's minister Thandi Mokoena was "
     "asked about the contacts its diplomats keep with the Taliban in Doha, and replied that "
     "\"isolation has never liberated anyone at all\".\n", 0, "Thandi Mokoena", "South Africa"},
    {"a pronoun after a speaker named only by description", "Kiryl Orsha, Belarus's envoy, "
     "met Taliban officials.\n\nA spokesperson for the European Union said the bloc had taken "
     "note. \"There is no basis for normal relations yet,\" she said.\n", 0,
     "A spokesperson for the European Union", "European Union"},
    {"'the ministry said' is the body, not a person", "Norway's foreign minister Ola Brekke "
     "met the envoy.\n\nOslo will send more aid. None of it \"will pass through accounts of "
     "the de facto authorities\", the ministry said.\n", 0, "the ministry", "Norway"},
    {"an honorific is not part of the name", "\"We want good relations with all our "
     "neighbours,\" said Islamic Emirate spokesman Qari Hamid Sadiq.\n", 0, "Hamid Sadiq",
     "Afghanistan"},
    {"an untitled official takes the state named earlier in the paragraph", "Live updates\n\n"
     "12:20 - Norway's foreign ministry has responded. Spokesperson Sigrid Holm said: \"We keep "
     "our channels to Kabul open.\"\n", 0, "Sigrid Holm", "Norway"},
};

/* Speaker rules found on real news, one a case. */
static void test_attribute_speaker_rules(void)
{
    attribute_resources *res = load_shipped_resources();
    if (!res)
        return;
    attributor *at = attributor_new(res);
    attr_run r = {.gz = attribute_gazetteer(res)};
    for (size_t k = 0; k < sizeof speaker_cases / sizeof *speaker_cases; k++) {
        const speaker_case *c = &speaker_cases[k];
        attr_run_text(&r, at, c->text);
        if (!CHECK(c->quote < r.d.quote_count)) {
            fprintf(stderr, "  rule: %s\n", c->rule);
            continue;
        }
        const quote_attribution *qa = &r.d.quotes[c->quote];
        int ok = CHECK_EQ_STR(qa->speaker, c->speaker);
        ok &= CHECK_EQ_STR(entity_name(r.gz, qa->speaker_entity), c->country);
        if (!ok)
            fprintf(stderr, "  rule: %s\n", c->rule);
    }
    attr_run_free(&r);
    attributor_free(at);
    attribute_resources_free(res);
}

/* ================================================================================ */


/* ---- sentiment --------------------------------------------------------------------------- */

typedef struct {
    stemmer *st;
    cue_lexicon *lex;
    feature_extractor *fx;
    feature_config cfg;
    feature_dict dict;
    sentiment_cues cues;
    strbuf scratch;
} tone_kit;

/* The shipped lexicons: sentiment is tested as users get it. */
static int tone_open(tone_kit *k)
{
    memset(k, 0, sizeof *k);
    stance_error err = {0};
    strbuf p = {0};
    strbuf_addf(&p, "%s/lexicons", project_root);
    k->st = stem_new("english", &err);
    k->lex = k->st ? cue_lexicon_load(p.data, k->st, &err) : NULL;
    strbuf_free(&p);
    k->cfg = (feature_config){.stemmer = "english", .ngram_min = 1, .ngram_max = 1,
                              .weighting = STANCE_WEIGHT_BINARY, .cue_weight = 1};
    k->fx = k->lex ? features_new(&k->cfg, k->lex, &err) : NULL;
    stance_error_clear(&err);
    if (!k->fx)
        return 0;
    char *none[] = {"x"};
    feature_dict_build(&k->dict, k->fx, none, 1, 1, 1.0);
    return 1;
}

static double tone(tone_kit *k, const char *text)
{
    size_t n;
    features_vector(k->fx, &k->dict, text, 0, strlen(text), NULL, &n);
    feature_analysis a = features_last_analysis(k->fx);
    return sentiment_score(k->lex, text, strlen(text), &a, &k->cues, &k->scratch);
}

static void tone_close(tone_kit *k)
{
    feature_dict_free(&k->dict);
    features_free(k->fx);
    cue_lexicon_free(k->lex);
    stem_free(k->st);
    sentiment_cues_free(&k->cues);
    strbuf_free(&k->scratch);
}

static void test_sentiment_rules(void)
{
    tone_kit k;
    if (!CHECK(tone_open(&k))) {
        tone_close(&k);
        return;
    }
    /* Plain cues, and no cue at all. */
    double good = tone(&k, "The talks were productive.");
    CHECK(good > 0);
    CHECK(tone(&k, "The talks were a failure.") < 0);
    CHECK_NEAR(tone(&k, "The meeting took place on Tuesday in Tashkent."), 0.0, 0);
    CHECK_EQ_INT(k.cues.count, 0);
    CHECK_NEAR(tone(&k, "1234"), 0.0, 0);

    /* Negation flips and dampens; its known hard cases lean the right way. */
    double not_good = tone(&k, "The talks were not productive.");
    CHECK(not_good < 0);
    CHECK(fabs(not_good) < good);
    CHECK(tone(&k, "They were never happy with the outcome.") < 0);
    CHECK(tone(&k, "There was no progress.") < 0);
    CHECK(tone(&k, "Officials said there were no problems at the crossing.") > 0);
    CHECK(tone(&k, "The situation is not the worst it has been.") > 0);
    CHECK(tone(&k, "Aid will be delivered without delay.") > 0);
    /* A negator in another clause does not reach the cue. */
    CHECK(tone(&k, "No. The talks were productive.") > 0);

    /* Intensifiers and dampeners. */
    double very = tone(&k, "The talks were very productive.");
    double slightly = tone(&k, "The talks were slightly productive.");
    CHECK(very > good);
    CHECK(slightly < good && slightly > 0);
    CHECK(tone(&k, "The attack was deeply shocking.") < tone(&k, "The attack was shocking."));

    /* Contrast: the clause after "but" weighs more; so does the main clause
     * after a concession. */
    CHECK(tone(&k, "The visit was cordial, but the results were deeply disappointing.") < 0);
    CHECK(tone(&k, "The results were disappointing, but the visit was warm and cordial.") > 0);
    CHECK(tone(&k, "Despite the friendly welcome, the meeting was a failure.") < 0);

    /* Multi-word entries of our news list. */
    CHECK(tone(&k, "The agreement is a step forward.") > 0);
    CHECK(tone(&k, "It was a grave violation.") < 0);
    CHECK_EQ_INT(k.cues.count, 1); /* "grave violation" is one cue, not two */

    /* Exclamation marks add emphasis in the sentence's direction. */
    CHECK(tone(&k, "The talks were productive!!") > good);
    CHECK(tone(&k, "The talks were a failure!!") < tone(&k, "The talks were a failure."));

    /* Long paragraphs do not saturate: ten good sentences score like one. */
    strbuf many = {0};
    for (int i = 0; i < 10; i++)
        strbuf_adds(&many, "The talks were productive. ");
    CHECK_NEAR(tone(&k, many.data), good, 1e-9);
    strbuf_free(&many);
    /* Mixed sentences average: one good and one bad sentence cancel out. */
    double mixed = tone(&k, "The talks were productive. The talks were a failure.");
    CHECK(mixed > -0.5 && mixed < 0.5);

    /* Scores stay in [-1, 1]; cues carry byte offsets and signed shares. */
    double extreme = tone(&k, "Brutal horrific catastrophic murderous terrible atrocities!!!!");
    CHECK(extreme >= -1 && extreme < -0.9);
    const char *t = "Russia warmly welcomed the delegation despite the grim crisis.";
    tone(&k, t);
    int saw_welcomed = 0, saw_crisis = 0;
    for (size_t i = 0; i < k.cues.count; i++) {
        const char *w = t + k.cues.items[i].start;
        size_t len = k.cues.items[i].end - k.cues.items[i].start;
        if (len == 8 && strncmp(w, "welcomed", 8) == 0)
            saw_welcomed = k.cues.items[i].contribution > 0;
        if (len == 6 && strncmp(w, "crisis", 6) == 0)
            saw_crisis = k.cues.items[i].contribution < 0;
    }
    CHECK(saw_welcomed);
    CHECK(saw_crisis);
    tone_close(&k);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        project_root = argv[1];
    if (!mkdtemp(tmp_root)) {
        perror("mkdtemp");
        return 2;
    }
    write_lexicons(lex_dir());

    RUN_CASE(test_strbuf);
    RUN_CASE(test_grow_array);
    RUN_CASE(test_error);
    RUN_CASE(test_hash_bytes);
    RUN_CASE(test_strmap_basic);
    RUN_CASE(test_strmap_many);
    RUN_CASE(test_text_next_cp);
    RUN_CASE(test_text_fold);
    RUN_CASE(test_text_from_memory);
    RUN_CASE(test_text_read);
    RUN_CASE(test_segment);
    RUN_CASE(test_furniture);
    RUN_CASE(test_sentences_abbreviations);
    RUN_CASE(test_sentences_punctuation);
    RUN_CASE(test_sentences_abbreviation_after_open_quote);
    RUN_CASE(test_quotes_marks);
    RUN_CASE(test_quotes_paragraphs);
    RUN_CASE(test_quotes_stray_marks);
    RUN_CASE(test_quotes_stray_straight_mark);
    RUN_CASE(test_quotes_many_marks);
    RUN_CASE(test_gazetteer_names);
    RUN_CASE(test_gazetteer_short_possessive);
    RUN_CASE(test_gazetteer_sentence_boundary);
    RUN_CASE(test_gazetteer_members);
    RUN_CASE(test_attribute_patterns);
    RUN_CASE(test_attribute_holders_and_names);
    RUN_CASE(test_attribute_description_after_verb);
    RUN_CASE(test_attribute_holder_rules);
    RUN_CASE(test_attribute_speaker_rules);
    RUN_CASE(test_tokens_words);
    RUN_CASE(test_tokens_numbers_and_breaks);
    RUN_CASE(test_stem);
    RUN_CASE(test_stem_memo_limit);
    RUN_CASE(test_lexicon_read);
    RUN_CASE(test_cue_lexicon);
    RUN_CASE(test_features_dict);
    RUN_CASE(test_features_vector);
    RUN_CASE(test_features_char_ngrams);
    RUN_CASE(test_features_io);
    RUN_CASE(test_metrics);
    RUN_CASE(test_dataset);
    RUN_CASE(test_train_defaults_and_errors);
    RUN_CASE(test_train_three_labels);
    RUN_CASE(test_train_reproducible);
    RUN_CASE(test_gram_matrix);
    RUN_CASE(test_train_stance_labels);
    RUN_CASE(test_model_predict3);
    RUN_CASE(test_model_predict2);
    RUN_CASE(test_score_text);
    RUN_CASE(test_evaluate);
    RUN_CASE(test_explain_groups);
    RUN_CASE(test_sentiment_rules);
    RUN_CASE(test_model_refuses_damage);
    RUN_CASE(test_model_strict_reader);
    RUN_CASE_ISOLATED(test_dict_without_ngrams);
    RUN_CASE_ISOLATED(test_first_text_unknown);
    RUN_CASE_ISOLATED(test_train_first_example_unknown);

    remove_tree(tmp_root);
    free_tmp_paths();
    libsvm_forget_all();
    return check_summary();
}
