/* alloc.h - the one out-of-memory policy: report and abort.
 *
 * Every allocation in libstance goes through these wrappers. Running out of
 * memory while scoring news is not a recoverable input error, so the wrappers
 * print one line to stderr and abort instead of returning NULL.
 */
#ifndef STANCE_ALLOC_H
#define STANCE_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Growable byte buffer, always NUL-terminated once anything was added. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} strbuf;

void strbuf_reserve(strbuf *sb, size_t extra);
void strbuf_add(strbuf *sb, const char *bytes, size_t n);

/* Appends one byte; inline because tokenising and writing call it per byte. */
static inline void strbuf_addc(strbuf *sb, char c)
{
    if (sb->len + 2 > sb->cap)
        strbuf_reserve(sb, 1);
    sb->data[sb->len++] = c;
    sb->data[sb->len] = '\0';
}
void strbuf_adds(strbuf *sb, const char *s);
/* printf-style append. */
void strbuf_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_reset(strbuf *sb);
/* Returns the buffer's string (caller frees) and leaves sb empty. */
char *strbuf_detach(strbuf *sb);
void strbuf_free(strbuf *sb);

/* Grows *items (of elem_size bytes each) so that index need-1 fits. */
void grow_array(void **items, size_t *cap, size_t need, size_t elem_size);

#endif
