#include "lexicon.h"
#include "alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    uint64_t h = HASH_SEED;
    strbuf line = {0}, where = {0};
    char **cols = NULL;
    size_t cols_cap = 0, lineno = 0;
    int rc = STANCE_OK, c;
    int at_eof = 0;
    while (!at_eof && rc == STANCE_OK) {
        strbuf_reset(&line);
        while ((c = getc(f)) != EOF && c != '\n' && line.len <= LEXICON_LINE_MAX)
            strbuf_addc(&line, (char)c);
        if (line.len > LEXICON_LINE_MAX) {
            rc = stance_error_set(err, STANCE_E_MODEL, path, "line %zu is longer than %d bytes",
                                  lineno + 1, LEXICON_LINE_MAX);
            break;
        }
        h = hash_bytes_from(h, line.data ? line.data : "", line.len);
        if (c == '\n')
            h = hash_bytes_from(h, "\n", 1);
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

void word_seq_reserve(word_seq *seq, size_t count)
{
    if (count + 1 > seq->cap) {
        seq->cap = count + 1;
        seq->words = xrealloc(seq->words, seq->cap * sizeof *seq->words);
        seq->lens = xrealloc(seq->lens, seq->cap * sizeof *seq->lens);
        seq->hashes = xrealloc(seq->hashes, seq->cap * sizeof *seq->hashes);
        seq->starts = xrealloc(seq->starts, seq->cap * sizeof *seq->starts);
    }
    seq->count = count;
}

void word_seq_set(word_seq *seq, const char *const *words, size_t count)
{
    word_seq_reserve(seq, count);
    for (size_t i = 0; i < count; i++) {
        seq->words[i] = words[i];
        seq->lens[i] = strlen(words[i]);
        seq->hashes[i] = hash_bytes(words[i], seq->lens[i]);
        seq->starts[i] = 0xff; /* unknown: try every set */
    }
}

void word_seq_free(word_seq *seq)
{
    free(seq->words);
    free(seq->lens);
    free(seq->hashes);
    free(seq->starts);
    memset(seq, 0, sizeof *seq);
}

int phrase_set_starts(const phrase_set *set, const char *word, size_t len, uint64_t hash)
{
    return strmap_find_hashed(&set->first, word, len, hash) != NULL;
}

size_t phrase_set_match(const phrase_set *set, const word_seq *ws, size_t count, size_t i,
                        const unsigned char *joined, size_t *len, strbuf *scratch)
{
    if (set->bit && !(ws->starts[i] & set->bit))
        return 0;
    size_t *longest = strmap_find_hashed(&set->first, ws->words[i], ws->lens[i], ws->hashes[i]);
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
        size_t *value;
        if (n == 1) {
            value = strmap_find_hashed(&set->phrases, ws->words[i], ws->lens[i], ws->hashes[i]);
        } else {
            strbuf_reset(scratch);
            for (size_t k = 0; k < n; k++) {
                if (k)
                    strbuf_addc(scratch, ' ');
                strbuf_add(scratch, ws->words[i + k], ws->lens[i + k]);
            }
            value = strmap_find(&set->phrases, scratch->data, scratch->len);
        }
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

typedef struct {
    scored_phrases *sp;
    token_list tokens;
    strbuf key;
} scored_ctx;

static int add_scored(void *ctx, char **cols, size_t ncols, const char *where, stance_error *err)
{
    (void)ncols;
    scored_ctx *sc = ctx;
    char *end;
    double v = strtod(cols[1], &end);
    if (!cols[1][0] || *end || !(v >= -10 && v <= 10))
        return stance_error_set(err, STANCE_E_MODEL, where, "bad number '%s'", cols[1]);
    tokenize(cols[0], 0, strlen(cols[0]), &sc->tokens);
    if (sc->tokens.count == 0 || sc->tokens.count > PHRASE_MAX_TOKENS)
        return stance_error_set(err, STANCE_E_MODEL, where, "entry '%s' needs 1 to %d words",
                                cols[0], PHRASE_MAX_TOKENS);
    strbuf_reset(&sc->key);
    for (size_t i = 0; i < sc->tokens.count; i++) {
        if (i)
            strbuf_addc(&sc->key, ' ');
        strbuf_add(&sc->key, token_norm(&sc->tokens, i), sc->tokens.items[i].norm_len);
    }
    size_t *slot = phrase_set_add(&sc->sp->set, sc->key.data, sc->key.len, sc->tokens.count);
    if (*slot == 0) {
        grow_array((void **)&sc->sp->values, &sc->sp->cap, sc->sp->count + 1,
                   sizeof *sc->sp->values);
        *slot = ++sc->sp->count;
    }
    sc->sp->values[*slot - 1] = v;
    return STANCE_OK;
}

int scored_phrases_load(scored_phrases *sp, const char *path, uint64_t *checksum,
                        stance_error *err)
{
    scored_ctx sc = {.sp = sp};
    int rc = lexicon_read(path, 2, 2, add_scored, &sc, checksum, err);
    strbuf_free(&sc.key);
    token_list_free(&sc.tokens);
    return rc;
}

void scored_phrases_free(scored_phrases *sp)
{
    phrase_set_free(&sp->set);
    free(sp->values);
    memset(sp, 0, sizeof *sp);
}

double scored_phrases_match(const scored_phrases *sp, const word_seq *words, size_t count,
                            size_t i, size_t *len, strbuf *scratch)
{
    size_t slot = phrase_set_match(&sp->set, words, count, i, NULL, len, scratch);
    return slot ? sp->values[slot - 1] : 0.0;
}

static const char *const lexicon_files[LEXICON_FILE_COUNT] = {
    "cues_engagement.txt", "cues_caution.txt", "cues_opposition.txt", "negators.txt",
    "target.txt",          "valence_vader.tsv", "valence_news.tsv",  "intensifiers.tsv"};

cue_lexicon *cue_lexicon_load(const char *dir, stemmer *st, stance_error *err)
{
    cue_lexicon *lex = xcalloc(1, sizeof *lex);
    lex->cues.bit = LEXICON_BIT_CUES;
    lex->negators.bit = LEXICON_BIT_NEGATORS;
    lex->target.bit = LEXICON_BIT_TARGET;
    lex->valence.set.bit = LEXICON_BIT_VALENCE;
    lex->intensifiers.set.bit = LEXICON_BIT_INTENSIFIERS;
    strbuf path = {0};
    int rc = STANCE_OK;
    for (size_t i = 0; i < LEXICON_FILE_COUNT && rc == STANCE_OK; i++) {
        lex->file_names[i] = lexicon_files[i];
        strbuf_reset(&path);
        strbuf_addf(&path, "%s/%s", dir, lexicon_files[i]);
        uint64_t *sum = &lex->checksums[i];
        if (i < LEXICON_CUE_CLASSES)
            rc = phrase_set_load(&lex->cues, path.data, st, (size_t)1 << i, sum, err);
        else if (i == 3)
            rc = phrase_set_load(&lex->negators, path.data, st, 1, sum, err);
        else if (i == 4)
            rc = phrase_set_load(&lex->target, path.data, NULL, 1, sum, err);
        else if (i < 7)
            rc = scored_phrases_load(&lex->valence, path.data, sum, err);
        else
            rc = scored_phrases_load(&lex->intensifiers, path.data, sum, err);
    }
    strbuf_free(&path);
    if (rc != STANCE_OK) {
        cue_lexicon_free(lex);
        return NULL;
    }
    return lex;
}

void cue_lexicon_free(cue_lexicon *lex)
{
    if (!lex)
        return;
    phrase_set_free(&lex->cues);
    phrase_set_free(&lex->negators);
    phrase_set_free(&lex->target);
    scored_phrases_free(&lex->valence);
    scored_phrases_free(&lex->intensifiers);
    free(lex);
}

static int ends_in_nt(const token_list *tokens, size_t i)
{
    const char *s = token_norm(tokens, i);
    size_t n = tokens->items[i].norm_len;
    return n > 3 && strcmp(s + n - 3, "n't") == 0;
}

/* The length of the negator at token i, or 0. */
static size_t negator_at(const cue_lexicon *lex, const token_list *tokens,
                         const word_seq *stems, size_t i, strbuf *scratch)
{
    size_t len = 1;
    if (phrase_set_match(&lex->negators, stems, tokens->count, i, NULL, &len, scratch))
        return len;
    return ends_in_nt(tokens, i) ? 1 : 0;
}

void cue_lexicon_match(const cue_lexicon *lex, const token_list *tokens, const word_seq *stems,
                       const unsigned char *negation, cue_counts *out, strbuf *scratch)
{
    memset(out, 0, sizeof *out);
    size_t count = tokens->count;
    for (size_t i = 0; i < count;) {
        size_t len = 1;
        size_t classes = phrase_set_match(&lex->cues, stems, count, i, NULL, &len, scratch);
        if (classes) {
            int negated = negation[i] == 1;
            for (size_t c = 0; c < LEXICON_CUE_CLASSES; c++)
                if (classes & ((size_t)1 << c))
                    out->counts[c][negated]++;
        } else {
            len = 1;
        }
        i += len;
    }
}

void lexicon_negation_scope(const cue_lexicon *lex, const token_list *tokens,
                            const word_seq *stems, unsigned char *negated, strbuf *scratch)
{
    long last_negator = -1000;
    for (size_t i = 0; i < tokens->count;) {
        if (tokens->items[i].clause_break)
            last_negator = -1000;
        size_t len = negator_at(lex, tokens, stems, i, scratch);
        if (len > 0) {
            for (size_t k = 0; k < len; k++)
                negated[i + k] = 2;
            last_negator = (long)(i + len - 1);
            i += len;
            continue;
        }
        negated[i] = (long)i - last_negator <= LEXICON_NEGATION_WINDOW;
        i++;
    }
}
