#include "gazetteer.h"
#include "alloc.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

typedef struct {
    gazetteer *gz;
    token_list tokens;
    strbuf key;
} load_ctx;

/* The matching form of an alias or a token: folded, possessive dropped. */
static void match_form(strbuf *out, const char *norm, size_t len)
{
    if (len > 2 && norm[len - 2] == '\'' && norm[len - 1] == 's')
        len -= 2;
    else if (len > 1 && norm[len - 1] == '\'')
        len -= 1;
    strbuf_add(out, norm, len);
}

static void add_alias(load_ctx *lc, const char *alias, size_t value)
{
    tokenize(alias, 0, strlen(alias), &lc->tokens);
    if (lc->tokens.count == 0)
        return;
    strbuf_reset(&lc->key);
    for (size_t i = 0; i < lc->tokens.count; i++) {
        if (i)
            strbuf_addc(&lc->key, ' ');
        match_form(&lc->key, token_norm(&lc->tokens, i), lc->tokens.items[i].norm_len);
    }
    size_t *slot = phrase_set_add(&lc->gz->aliases, lc->key.data, lc->key.len, lc->tokens.count);
    if (value == GAZETTEER_TARGET + 1 || *slot == 0)
        *slot = value;
}

static int add_entity(void *ctx, char **cols, size_t ncols, const char *where, stance_error *err)
{
    (void)ncols;
    load_ctx *lc = ctx;
    gazetteer *gz = lc->gz;
    if (strcmp(cols[2], "state") != 0 && strcmp(cols[2], "body") != 0)
        return stance_error_set(err, STANCE_E_MODEL, where, "kind must be state or body, not '%s'",
                                cols[2]);
    if (!cols[0][0] || !cols[1][0])
        return stance_error_set(err, STANCE_E_MODEL, where, "empty name or code");
    grow_array((void **)&gz->entities, &gz->cap, gz->count + 1, sizeof *gz->entities);
    gazetteer_entity *e = &gz->entities[gz->count];
    e->name = xstrdup(cols[0]);
    e->code = xstrdup(cols[1]);
    e->is_body = strcmp(cols[2], "body") == 0;
    if (strcmp(e->code, "AF") == 0)
        gz->afghanistan = gz->count;
    gz->count++;
    add_alias(lc, cols[0], gz->count);
    for (char *a = cols[3]; *a;) {
        size_t n = strcspn(a, ";");
        char saved = a[n];
        a[n] = '\0';
        add_alias(lc, a, gz->count);
        a[n] = saved;
        a += n + (saved ? 1 : 0);
    }
    return STANCE_OK;
}

static int add_target(void *ctx, char **cols, size_t ncols, const char *where, stance_error *err)
{
    (void)ncols;
    (void)where;
    (void)err;
    add_alias(ctx, cols[0], GAZETTEER_TARGET + 1);
    return STANCE_OK;
}

gazetteer *gazetteer_load(const char *dir, stance_error *err)
{
    gazetteer *gz = xcalloc(1, sizeof *gz);
    gz->afghanistan = GAZETTEER_NONE;
    load_ctx lc = {.gz = gz};
    strbuf path = {0};
    strbuf_addf(&path, "%s/gazetteer.tsv", dir);
    int rc = lexicon_read(path.data, 4, 4, add_entity, &lc, &gz->checksum, err);
    if (rc == STANCE_OK) {
        strbuf_reset(&path);
        strbuf_addf(&path, "%s/target.txt", dir);
        rc = lexicon_read(path.data, 1, 1, add_target, &lc, NULL, err);
    }
    strbuf_free(&path);
    strbuf_free(&lc.key);
    token_list_free(&lc.tokens);
    if (rc != STANCE_OK) {
        gazetteer_free(gz);
        return NULL;
    }
    return gz;
}

void gazetteer_free(gazetteer *gz)
{
    if (!gz)
        return;
    for (size_t i = 0; i < gz->count; i++) {
        free(gz->entities[i].name);
        free(gz->entities[i].code);
    }
    free(gz->entities);
    phrase_set_free(&gz->aliases);
    free(gz);
}

size_t gazetteer_lookup(const gazetteer *gz, const char *name_or_code)
{
    for (size_t i = 0; i < gz->count; i++)
        if (strcmp(gz->entities[i].name, name_or_code) == 0 ||
            strcmp(gz->entities[i].code, name_or_code) == 0)
            return i;
    return GAZETTEER_NONE;
}

int tokens_joined(const char *s, const token_list *tokens, size_t i)
{
    size_t a = tokens->items[i].end, b = tokens->items[i + 1].start;
    if (b - a > 3)
        return 0;
    for (size_t k = a; k < b; k++) {
        if (s[k] == '.') {
            /* Only the dots of an acronym (U.S., U.N.) join; a full stop
             * after a word ends a sentence ("not united. States ..."). */
            if (tokens->items[i].end - tokens->items[i].start > 2)
                return 0;
        } else if (s[k] != ' ' && s[k] != '-') {
            return 0;
        }
    }
    return 1;
}

/* Whether the original spelling of tokens[first..last] is all capitals. */
static int written_in_capitals(const char *s, const token_list *tokens, size_t first, size_t last)
{
    for (size_t i = first; i <= last; i++) {
        size_t pos = tokens->items[i].start, end = tokens->items[i].end;
        while (pos < end) {
            int32_t cp = text_next_cp(s, end, &pos);
            if (text_is_apostrophe(cp))
                break; /* the possessive of "the UN's" is not part of the name */
            if (utf8proc_islower(cp))
                return 0;
        }
    }
    return 1;
}

void gazetteer_find(const gazetteer *gz, const char *s, const token_list *tokens,
                    gazetteer_mentions *out)
{
    size_t n = tokens->count;
    out->count = 0;
    grow_array((void **)&out->words, &out->words_cap, n + 1, sizeof *out->words);
    grow_array((void **)&out->joined, &out->joined_cap, n + 1, 1);
    strbuf_reset(&out->arena);
    size_t *offsets = xmalloc((n + 1) * sizeof *offsets);
    for (size_t i = 0; i < n; i++) {
        offsets[i] = out->arena.len;
        match_form(&out->arena, token_norm(tokens, i), tokens->items[i].norm_len);
        strbuf_addc(&out->arena, '\0');
        out->joined[i] = i + 1 < n && tokens_joined(s, tokens, i);
    }
    for (size_t i = 0; i < n; i++)
        out->words[i] = out->arena.data + offsets[i];
    free(offsets);
    word_seq_set(&out->seq, out->words, n);
    for (size_t i = 0; i < n;) {
        size_t len = 1;
        size_t value = phrase_set_match(&gz->aliases, &out->seq, n, i, out->joined, &len,
                                        &out->scratch);
        if (value) {
            size_t letters = 0;
            for (size_t k = i; k < i + len; k++)
                letters += out->seq.lens[k];
            if (letters > 3 || written_in_capitals(s, tokens, i, i + len - 1)) {
                grow_array((void **)&out->items, &out->cap, out->count + 1, sizeof *out->items);
                out->items[out->count++] = (gazetteer_mention){i, i + len - 1, value - 1};
                i += len;
                continue;
            }
        }
        i++;
    }
}

void gazetteer_mentions_free(gazetteer_mentions *m)
{
    free(m->items);
    free(m->words);
    word_seq_free(&m->seq);
    free(m->joined);
    strbuf_free(&m->arena);
    strbuf_free(&m->scratch);
    memset(m, 0, sizeof *m);
}
