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
        return stance_error_set(err, STANCE_E_MODEL, path, "cannot open: %s",
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

size_t *phrase_set_add(phrase_set *set, const char *phrase, size_t len, size_t word_count)
{
    size_t first_len = strcspn(phrase, " ");
    if (first_len > len)
        first_len = len;
    size_t *longest = strmap_insert(&set->first, phrase, first_len, 0, NULL);
    if (*longest < word_count)
        *longest = word_count;
    return strmap_insert(&set->phrases, phrase, len, 0, NULL);
}

size_t phrase_set_match(const phrase_set *set, const char *const *words, size_t count, size_t i,
                        const unsigned char *joined, size_t *len, strbuf *scratch)
{
    size_t *longest = strmap_find(&set->first, words[i], strlen(words[i]));
    if (!longest)
        return 0;
    size_t max = *longest < count - i ? *longest : count - i;
    if (joined)
        for (size_t n = 1; n < max; n++)
            if (!joined[i + n - 1]) {
                max = n;
                break;
            }
    for (size_t n = max; n >= 1; n--) {
        strbuf_reset(scratch);
        for (size_t k = 0; k < n; k++) {
            if (k)
                strbuf_addc(scratch, ' ');
            strbuf_adds(scratch, words[i + k]);
        }
        size_t *value = strmap_find(&set->phrases, scratch->data, scratch->len);
        if (value && *value) {
            *len = n;
            return *value;
        }
    }
    return 0;
}

void phrase_set_free(phrase_set *set)
{
    strmap_free(&set->phrases);
    strmap_free(&set->first);
}

typedef struct {
    phrase_set *set;
    stemmer *st;
    size_t bits;
    token_list tokens;
    strbuf key;
} load_ctx;

static int add_phrase(void *ctx, char **cols, size_t ncols, const char *where, stance_error *err)
{
    (void)ncols;
    load_ctx *lc = ctx;
    tokenize(cols[0], 0, strlen(cols[0]), &lc->tokens);
    size_t n = lc->tokens.count;
    if (n == 0)
        return stance_error_set(err, STANCE_E_MODEL, where, "entry '%s' has no words", cols[0]);
    if (n > PHRASE_MAX_TOKENS)
        return stance_error_set(err, STANCE_E_MODEL, where, "entry '%s' is longer than %d words",
                                cols[0], PHRASE_MAX_TOKENS);
    strbuf_reset(&lc->key);
    for (size_t i = 0; i < n; i++) {
        size_t len = lc->tokens.items[i].norm_len;
        const char *w = token_norm(&lc->tokens, i);
        if (lc->st)
            w = stem_word(lc->st, w, len, &len);
        if (i)
            strbuf_addc(&lc->key, ' ');
        strbuf_add(&lc->key, w, len);
    }
    *phrase_set_add(lc->set, lc->key.data, lc->key.len, n) |= lc->bits;
    return STANCE_OK;
}

int phrase_set_load(phrase_set *set, const char *path, stemmer *st, size_t bits,
                    uint64_t *checksum, stance_error *err)
{
    load_ctx lc = {.set = set, .st = st, .bits = bits};
    int rc = lexicon_read(path, 1, 1, add_phrase, &lc, checksum, err);
    strbuf_free(&lc.key);
    token_list_free(&lc.tokens);
    return rc;
}

cue_lexicon *cue_lexicon_load(const char *dir, stemmer *st, stance_error *err)
{
    cue_lexicon *lex = xcalloc(1, sizeof *lex);
    strbuf path = {0};
    for (size_t i = 0; i <= LEXICON_CUE_CLASSES; i++) {
        strbuf_reset(&path);
        if (i < LEXICON_CUE_CLASSES)
            strbuf_addf(&path, "cues_%s.txt", lexicon_cue_class_names[i]);
        else
            strbuf_adds(&path, "negators.txt");
        lex->file_names[i] = xstrdup(path.data);
        lex->file_count = i + 1;
        strbuf_reset(&path);
        strbuf_addf(&path, "%s/%s", dir, lex->file_names[i]);
        size_t bits = i < LEXICON_CUE_CLASSES ? (size_t)1 << i : NEGATOR_BIT;
        if (phrase_set_load(&lex->cues, path.data, st, bits, &lex->checksums[i], err) !=
            STANCE_OK) {
            cue_lexicon_free(lex);
            lex = NULL;
            break;
        }
    }
    strbuf_free(&path);
    return lex;
}

void cue_lexicon_free(cue_lexicon *lex)
{
    if (!lex)
        return;
    phrase_set_free(&lex->cues);
    for (size_t i = 0; i < lex->file_count; i++)
        free(lex->file_names[i]);
    free(lex);
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
        size_t mask = phrase_set_match(&lex->cues, stems, count, i, NULL, &len, scratch);
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
