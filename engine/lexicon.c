#include "lexicon.h"
#include "alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEGATOR_BIT ((size_t)1 << LEXICON_CUE_CLASSES)
#define PHRASE_MAX_TOKENS 8

const char *const lexicon_cue_class_names[LEXICON_CUE_CLASSES] = {"engagement", "caution",
                                                                  "opposition"};

int lexicon_read(const char *path, size_t min_cols, size_t max_cols, lexicon_line_fn fn, void *ctx,
                 uint64_t *checksum, stance_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return stance_error_set(err, STANCE_E_MODEL, path, "cannot open lexicon: %s",
                                strerror(errno));
    uint64_t h = 0xcbf29ce484222325ULL;
    strbuf line = {0}, where = {0};
    char **cols = NULL;
    size_t cols_cap = 0, lineno = 0;
    int rc = STANCE_OK, c;
    int at_eof = 0;
    while (!at_eof && rc == STANCE_OK) {
        strbuf_reset(&line);
        while ((c = getc(f)) != EOF && c != '\n') {
            h = (h ^ (unsigned char)c) * 0x100000001b3ULL;
            strbuf_addc(&line, (char)c);
        }
        if (c == '\n')
            h = (h ^ (unsigned char)c) * 0x100000001b3ULL;
        at_eof = c == EOF;
        if (at_eof && line.len == 0)
            break;
        lineno++;
        strbuf_reset(&where);
        strbuf_addf(&where, "%s:%zu", path, lineno);
        if (line.len && line.data[line.len - 1] == '\r')
            line.data[--line.len] = '\0';
        if (line.len == 0 || line.data[0] == '#')
            continue;
        if (memchr(line.data, '\0', line.len)) {
            rc = stance_error_set(err, STANCE_E_MODEL, where.data, "NUL byte in lexicon line");
            break;
        }
        size_t ncols = 0;
        for (char *p = line.data;;) {
            grow_array((void **)&cols, &cols_cap, ncols + 1, sizeof *cols);
            cols[ncols++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = '\0';
            p = tab + 1;
        }
        if (ncols < min_cols || ncols > max_cols) {
            rc = stance_error_set(err, STANCE_E_MODEL, where.data,
                                  "expected %zu to %zu tab-separated columns, found %zu", min_cols,
                                  max_cols, ncols);
            break;
        }
        rc = fn(ctx, cols, ncols, where.data, err);
    }
    if (rc == STANCE_OK && ferror(f))
        rc = stance_error_set(err, STANCE_E_MODEL, path, "read error");
    fclose(f);
    free(cols);
    strbuf_free(&line);
    strbuf_free(&where);
    if (checksum)
        *checksum = h;
    return rc;
}

typedef struct {
    cue_lexicon *lex;
    stemmer *st;
    size_t bit;
    token_list tokens;
    strbuf key;
} load_ctx;

/* Stems a phrase the way cue_lexicon_match sees text: tokenise, fold, stem,
 * join with single spaces. Returns the number of tokens. */
static size_t stem_phrase(load_ctx *lc, const char *phrase)
{
    tokenize(phrase, 0, strlen(phrase), &lc->tokens);
    strbuf_reset(&lc->key);
    for (size_t i = 0; i < lc->tokens.count; i++) {
        size_t n;
        const char *s = stem_word(lc->st, token_norm(&lc->tokens, i), lc->tokens.items[i].norm_len, &n);
        if (i)
            strbuf_addc(&lc->key, ' ');
        strbuf_add(&lc->key, s, n);
    }
    return lc->tokens.count;
}

static int add_phrase(void *ctx, char **cols, size_t ncols, const char *where, stance_error *err)
{
    (void)ncols;
    load_ctx *lc = ctx;
    size_t n = stem_phrase(lc, cols[0]);
    if (n == 0)
        return stance_error_set(err, STANCE_E_MODEL, where, "entry '%s' has no words", cols[0]);
    if (n > PHRASE_MAX_TOKENS)
        return stance_error_set(err, STANCE_E_MODEL, where, "entry '%s' is longer than %d words",
                                cols[0], PHRASE_MAX_TOKENS);
    *strmap_insert(&lc->lex->phrases, lc->key.data, lc->key.len, 0, NULL) |= lc->bit;
    size_t first_len = strcspn(lc->key.data, " ");
    size_t *longest = strmap_insert(&lc->lex->first_stems, lc->key.data, first_len, 0, NULL);
    if (*longest < n)
        *longest = n;
    return STANCE_OK;
}

cue_lexicon *cue_lexicon_load(const char *dir, stemmer *st, stance_error *err)
{
    cue_lexicon *lex = xcalloc(1, sizeof *lex);
    load_ctx lc = {.lex = lex, .st = st};
    strbuf path = {0};
    for (size_t i = 0; i <= LEXICON_CUE_CLASSES; i++) {
        strbuf_reset(&path);
        if (i < LEXICON_CUE_CLASSES) {
            strbuf_addf(&path, "cues_%s.txt", lexicon_cue_class_names[i]);
            lc.bit = (size_t)1 << i;
        } else {
            strbuf_adds(&path, "negators.txt");
            lc.bit = NEGATOR_BIT;
        }
        lex->file_names[i] = xstrdup(path.data);
        lex->file_count = i + 1;
        strbuf_reset(&path);
        strbuf_addf(&path, "%s/%s", dir, lex->file_names[i]);
        if (lexicon_read(path.data, 1, 1, add_phrase, &lc, &lex->checksums[i], err) != STANCE_OK) {
            cue_lexicon_free(lex);
            lex = NULL;
            break;
        }
    }
    strbuf_free(&path);
    strbuf_free(&lc.key);
    token_list_free(&lc.tokens);
    return lex;
}

void cue_lexicon_free(cue_lexicon *lex)
{
    if (!lex)
        return;
    strmap_free(&lex->phrases);
    strmap_free(&lex->first_stems);
    for (size_t i = 0; i < lex->file_count; i++)
        free(lex->file_names[i]);
    free(lex);
}

/* The bit mask of the longest phrase starting at token i, its length in *len. */
static size_t longest_match(const cue_lexicon *lex, const char *const *stems, size_t count,
                            size_t i, size_t *len, strbuf *key)
{
    size_t *longest = strmap_find(&lex->first_stems, stems[i], strlen(stems[i]));
    if (!longest)
        return 0;
    size_t max = *longest < count - i ? *longest : count - i;
    for (size_t n = max; n >= 1; n--) {
        strbuf_reset(key);
        for (size_t k = 0; k < n; k++) {
            if (k)
                strbuf_addc(key, ' ');
            strbuf_adds(key, stems[i + k]);
        }
        size_t *mask = strmap_find(&lex->phrases, key->data, key->len);
        if (mask) {
            *len = n;
            return *mask;
        }
    }
    return 0;
}

static int ends_in_nt(const token_list *tokens, size_t i)
{
    const char *s = token_norm(tokens, i);
    size_t n = tokens->items[i].norm_len;
    return n > 3 && strcmp(s + n - 3, "n't") == 0;
}

void cue_lexicon_match(const cue_lexicon *lex, const token_list *tokens, const char *const *stems,
                       cue_counts *out, strbuf *scratch)
{
    memset(out, 0, sizeof *out);
    size_t count = tokens->count;
    long last_negator = -1000; /* index of the last token of the last negator */
    for (size_t i = 0; i < count;) {
        if (tokens->items[i].clause_break)
            last_negator = -1000;
        size_t len = 1;
        size_t mask = longest_match(lex, stems, count, i, &len, scratch);
        size_t classes = mask & ~NEGATOR_BIT;
        if (classes) {
            int negated = (long)i - last_negator <= LEXICON_NEGATION_WINDOW;
            for (size_t c = 0; c < LEXICON_CUE_CLASSES; c++)
                if (classes & ((size_t)1 << c))
                    out->counts[c][negated]++;
        } else if ((mask & NEGATOR_BIT) || ends_in_nt(tokens, i)) {
            last_negator = (long)(i + len - 1);
        }
        for (size_t k = 1; k < len; k++)
            if (tokens->items[i + k].clause_break)
                last_negator = -1000;
        i += len;
    }
}
