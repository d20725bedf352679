/* gazetteer.h - countries, international bodies and the target, found in text.
 *
 * gazetteer.tsv names every state and body with its code and aliases (names,
 * demonyms, capitals, ministries, offices); target.txt lists the names of the
 * Taliban and their government. Aliases match as phrases of folded tokens
 * with nothing but spaces, hyphens or dots between them, possessives ('s)
 * ignored. An alias of three letters or fewer (US, UN, EU) matches only when
 * written in capitals, so "us" the pronoun is not the United States. Target
 * aliases win over gazetteer aliases (Kabul as the Taliban government).
 */
#ifndef STANCE_GAZETTEER_H
#define STANCE_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

#include "lexicon.h"
#include "stance.h"
#include "tokens.h"

#define GAZETTEER_NONE ((size_t)-1)
#define GAZETTEER_TARGET ((size_t)-2)

typedef struct {
    char *name; /* display name: Russia, European Union */
    char *code; /* ISO 3166 alpha-2, or the body's short name */
    int is_body;
} gazetteer_entity;

typedef struct {
    gazetteer_entity *entities;
    size_t count, cap;
    size_t afghanistan; /* never a holder of stance toward itself */
    phrase_set aliases; /* value: entity index + 1, or GAZETTEER_TARGET + 1 */
    uint64_t checksum;  /* of gazetteer.tsv (target.txt is the cue lexicon's) */
} gazetteer;

/* Loads gazetteer.tsv and target.txt from dir. */
gazetteer *gazetteer_load(const char *dir, stance_error *err);
void gazetteer_free(gazetteer *gz);

/* The entity index of a display name or code, or GAZETTEER_NONE. */
size_t gazetteer_lookup(const gazetteer *gz, const char *name_or_code);

typedef struct {
    size_t first, last; /* token range, inclusive */
    size_t entity;      /* entity index, or GAZETTEER_TARGET */
} gazetteer_mention;

typedef struct {
    gazetteer_mention *items;
    size_t count, cap;
    /* Working space, kept between calls. */
    const char **words;
    size_t words_cap;
    word_seq seq;
    unsigned char *joined;
    size_t joined_cap;
    strbuf arena, scratch;
} gazetteer_mentions;

/* Finds the mentions in tokens of the text s (reset first). */
void gazetteer_find(const gazetteer *gz, const char *s, const token_list *tokens,
                    gazetteer_mentions *out);
void gazetteer_mentions_free(gazetteer_mentions *m);

/* Whether tokens i and i+1 are written with only spaces, hyphens, dots or an
 * apostrophe between them (one name or phrase, not two list items). */
int tokens_joined(const char *s, const token_list *tokens, size_t i);

#endif
