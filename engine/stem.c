#include "stem.h"
#include "alloc.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

struct stemmer {
    struct sb_stemmer *sb;
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
    const sb_symbol *s = sb_stemmer_stem(st->sb, (const sb_symbol *)word, (int)len);
    if (!s) { /* libstemmer is out of memory: the word stands for itself */
        *stem_len = len;
        return word;
    }
    *stem_len = (size_t)sb_stemmer_length(st->sb);
    return (const char *)s;
}

void stem_free(stemmer *st)
{
    if (!st)
        return;
    sb_stemmer_delete(st->sb);
    free(st);
}
