#include "text.h"
#include "stance.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

/* Inputs above this are refused rather than read: a news article is far
 * smaller, a device such as /dev/zero must not be read forever, and scoring
 * one article this large stays within a few GB of memory. */
#define TEXT_MAX_BYTES ((size_t)64 << 20)

int32_t text_next_cp_multibyte(const char *s, size_t len, size_t *pos)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t n =
        utf8proc_iterate((const utf8proc_uint8_t *)s + *pos, (utf8proc_ssize_t)(len - *pos), &cp);
    if (n <= 0) {
        (*pos)++;
        return TEXT_REPLACEMENT;
    }
    *pos += (size_t)n;
    return cp;
}

void text_put_cp(strbuf *sb, int32_t cp)
{
    utf8proc_uint8_t buf[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
    strbuf_add(sb, (const char *)buf, (size_t)n);
}

int text_is_apostrophe(int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x02BB ||
           cp == 0x0060 || cp == 0x00B4;
}

static int is_dash(int32_t cp)
{
    return (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63 || cp == 0xFF0D;
}

void text_fold_cp_multibyte(strbuf *sb, int32_t cp)
{
    if (text_is_apostrophe(cp)) {
        strbuf_addc(sb, '\'');
        return;
    }
    if (is_dash(cp)) {
        strbuf_addc(sb, '-');
        return;
    }
    utf8proc_int32_t out[8];
    int boundclass = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, out, 8, UTF8PROC_CASEFOLD, &boundclass);
    if (n <= 0 || n > 8) {
        text_put_cp(sb, cp);
        return;
    }
    for (utf8proc_ssize_t i = 0; i < n; i++)
        text_put_cp(sb, out[i]);
}

int text_is_combining(int32_t cp)
{
    return cp >= 0x300 && utf8proc_get_property(cp)->combining_class != 0;
}

void text_compose_from(strbuf *sb, size_t from)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)sb->data + from,
                                      (utf8proc_ssize_t)(sb->len - from), &out,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n >= 0) {
        sb->len = from;
        strbuf_add(sb, (const char *)out, (size_t)n);
    }
    free(out);
}

char *text_nfc_dup(const char *s, size_t len)
{
    strbuf sb = {0};
    strbuf_add(&sb, s, len);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80) {
            text_compose_from(&sb, 0);
            break;
        }
    return strbuf_detach(&sb);
}

void text_fold(strbuf *sb, const char *s, size_t len)
{
    size_t pos = 0, from = sb->len;
    int combining = 0;
    while (pos < len) {
        int32_t cp = text_next_cp(s, len, &pos);
        combining |= cp >= 0x300 && text_is_combining(cp);
        text_fold_cp(sb, cp);
    }
    if (combining)
        text_compose_from(sb, from);
}

int text_is_space_multibyte(int32_t cp)
{
    if (cp == 0xFEFF || cp == 0x85)
        return 1;
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS ||
           utf8proc_category(cp) == UTF8PROC_CATEGORY_ZL ||
           utf8proc_category(cp) == UTF8PROC_CATEGORY_ZP;
}

int text_is_word_char_multibyte(int32_t cp)
{
    if (cp == TEXT_REPLACEMENT)
        return 0;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

/* ---- reading ----------------------------------------------------------------- */

static int read_all(int fd, const char *path, strbuf *sb, stance_error *err)
{
    for (;;) {
        strbuf_reserve(sb, 65536);
        ssize_t n = read(fd, sb->data + sb->len, sb->cap - sb->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return stance_error_set(err, STANCE_E_INPUT, path, "cannot read: %s", strerror(errno));
        }
        if (n == 0)
            break;
        sb->len += (size_t)n;
        if (sb->len > TEXT_MAX_BYTES)
            return stance_error_set(err, STANCE_E_INPUT, path, "too large (over %zu MiB)",
                                    TEXT_MAX_BYTES >> 20);
    }
    if (sb->data)
        sb->data[sb->len] = '\0';
    return STANCE_OK;
}

int stance_text_read(const char *path, stance_text **out, stance_error *err)
{
    *out = NULL;
    int fd = 0;
    int is_stdin = strcmp(path, "-") == 0;
    if (!is_stdin) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return stance_error_set(err, STANCE_E_INPUT, path, "cannot open: %s", strerror(errno));
        struct stat st;
        if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
            close(fd);
            return stance_error_set(err, STANCE_E_INPUT, path,
                                    "is a directory, not an article (use `stance batch DIR`)");
        }
        if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
            close(fd);
            return stance_error_set(err, STANCE_E_INPUT, path, "not a regular file");
        }
    }
    strbuf sb = {0};
    int rc = read_all(fd, path, &sb, err);
    if (!is_stdin)
        close(fd);
    if (rc == STANCE_OK)
        rc = stance_text_from_memory(path, sb.data ? sb.data : "", sb.len, out, err);
    strbuf_free(&sb);
    return rc;
}

int stance_text_from_memory(const char *name, const char *bytes, size_t len, stance_text **out,
                            stance_error *err)
{
    *out = NULL;
    if (len == 0)
        return stance_error_set(err, STANCE_E_INPUT, name, "empty file, nothing to score");
    const char *nul = memchr(bytes, '\0', len);
    if (nul)
        return stance_error_set(err, STANCE_E_INPUT, name,
                                "binary file, not text (NUL byte at offset %zu)",
                                (size_t)(nul - bytes));
    size_t invalid = 0, first_invalid = 0, pos = 0, visible = 0;
    while (pos < len) {
        size_t at = pos;
        int32_t cp = text_next_cp(bytes, len, &pos);
        if (cp == TEXT_REPLACEMENT && pos == at + 1 && (unsigned char)bytes[at] >= 0x80) {
            if (invalid++ == 0)
                first_invalid = at;
        } else if (!text_is_space(cp)) {
            visible++;
        }
    }
    /* Latin-1 or Windows-1252 news has a few invalid bytes among ASCII; a
     * file that is mostly invalid is some other format altogether. */
    if (invalid * 4 > len)
        return stance_error_set(err, STANCE_E_INPUT, name,
                                "not UTF-8 text (%zu of %zu bytes are invalid)", invalid, len);
    if (visible == 0)
        return stance_error_set(err, STANCE_E_INPUT, name, "no text, only white space");
    stance_text *t = xcalloc(1, sizeof *t);
    t->path = xstrdup(name);
    t->bytes = xstrndup(bytes, len);
    t->len = len;
    t->invalid_bytes = invalid;
    t->first_invalid = first_invalid;
    *out = t;
    return STANCE_OK;
}

void stance_text_free(stance_text *text)
{
    if (!text)
        return;
    free(text->path);
    free(text->bytes);
    free(text);
}
