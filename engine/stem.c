#include "stem.h"
#include "alloc.h"
#include "strmap.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

/* News vocabulary is Zipfian: a few thousand words make up most tokens, so a
 * memo saves most calls into Snowball. It is emptied when it reaches this
 * size so that memory stays flat over any number of articles. */
#define STEM_MEMO_MAX 200000

struct stemmer {
    struct sb_stemmer *sb;
    strmap memo;  /* word -> offset of its stem in arena */
    strbuf arena; /* NUL-separated stems */
};

stemmer *stem_new(const char *language, stance_error *err)
{
    struct sb_stemmer *sb = sb_stemmer_new(language, "UTF_8");
    if (!sb) {
        strbuf known = {0};
        for (const char **l = sb_stemmer_list(); *l; l++)
            strbuf_addf(&known, "%s%s", known.len ? ", " : "", *l);
        stance_error_set(err, STANCE_E_USAGE, NULL, "unknown stemmer language '%s' (known: %s)",
                         language, known.data ? known.data : "none");
        strbuf_free(&known);
        return NULL;
    }
    stemmer *st = xcalloc(1, sizeof *st);
    st->sb = sb;
    return st;
}

const char *stem_word(stemmer *st, const char *word, size_t len, size_t *stem_len)
{
    size_t *off = strmap_find(&st->memo, word, len);
    if (!off) {
        if (st->memo.count >= STEM_MEMO_MAX) {
            strmap_clear(&st->memo);
            strbuf_reset(&st->arena);
        }
        const sb_symbol *s = sb_stemmer_stem(st->sb, (const sb_symbol *)word, (int)len);
        size_t n = s ? (size_t)sb_stemmer_length(st->sb) : len;
        size_t at = st->arena.len;
        strbuf_add(&st->arena, s ? (const char *)s : word, n);
        strbuf_addc(&st->arena, '\0');
        off = strmap_insert(&st->memo, word, len, at, NULL);
    }
    const char *stem = st->arena.data + *off;
    *stem_len = strlen(stem);
    return stem;
}

void stem_free(stemmer *st)
{
    if (!st)
        return;
    sb_stemmer_delete(st->sb);
    strmap_free(&st->memo);
    strbuf_free(&st->arena);
    free(st);
}
