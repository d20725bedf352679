/* attribute.h - who said each quote, for which country, and the holders of every unit.
 *
 * Speakers come from the attribution patterns of news prose around a quote:
 * `"…," said X`, `"…," X said`, `X said: "…"`, `X said that … "…"`,
 * `according to X, "…"`, `"…," X told Y`, a pronoun (the most recent person
 * named), a description with no name ("a senior Kazakh diplomat"), a
 * definite description ("the diplomat") resolved to the most recent named
 * person whose role fits, and no attribution at all (the earlier speaker's
 * turn goes on). Speech verbs come from speech_verbs.txt.
 *
 * A person's country comes from their description, before the name
 * ("Chinese Foreign Minister Wang Yi") or in apposition after it
 * ("X, Head of … of the Russian Foreign Ministry,"), and counts only when the
 * description names an official role (roles.tsv): analysts speak for no
 * state. Later mentions by surname share the first description.
 *
 * Holder candidates: a quote's are its speaker's country when the speaker
 * speaks for a state or body, otherwise the states and bodies it names; a
 * paragraph's are the states and bodies it names and the countries of the
 * speakers it quotes. Afghanistan and the Taliban are never holders. Whether
 * a unit expresses any stance at all (neutral units have no holder) is for
 * the caller to decide.
 */
#ifndef STANCE_ATTRIBUTE_H
#define STANCE_ATTRIBUTE_H

#include <stddef.h>

#include "gazetteer.h"
#include "quotes.h"
#include "segment.h"
#include "stance.h"

/* The word lists attribution reads. Read-only once loaded. */
typedef struct attribute_resources attribute_resources;

/* Loads gazetteer.tsv, target.txt, speech_verbs.txt, roles.tsv,
 * not_names.txt and abbreviations.txt from dir. */
attribute_resources *attribute_resources_load(const char *dir, stance_error *err);
void attribute_resources_free(attribute_resources *res);
const gazetteer *attribute_gazetteer(const attribute_resources *res);
/* The files of attribution beside the gazetteer's target.txt, whose
 * checksums a model records: its holder features depend on them. */
#define ATTRIBUTE_FILE_COUNT 6
extern const char *const attribute_file_names[ATTRIBUTE_FILE_COUNT];
const uint64_t *attribute_checksums(const attribute_resources *res);
/* Abbreviations for segment_sentences. */
const strmap *attribute_abbreviations(const attribute_resources *res);

typedef struct {
    size_t *items; /* entity indexes in order of first mention */
    size_t count, cap;
    unsigned char resolved; /* a holder came from an earlier sentence or the statement's issuer */
    unsigned char speaks;   /* someone speaks in the unit: a speech verb or an attributed quote */
    unsigned char target;   /* the unit names the target */
    unsigned char taliban;  /* the Taliban, or one of their officials, are a subject of the unit */
    unsigned char furniture; /* a byline, caption or teaser: no stance, no holders */
} holder_list;

typedef struct {
    char *speaker;         /* as written, or NULL when unknown */
    size_t speaker_entity; /* GAZETTEER_NONE when unknown or not speaking for a state */
    holder_list holders;
} quote_attribution;

typedef struct {
    quote_attribution *quotes; /* one per quote */
    holder_list *paragraphs;   /* one per paragraph */
    size_t quote_count, paragraph_count;
    int names_target; /* the article names the target (or Afghanistan) at all */
} doc_attribution;

/* Per-thread working state. */
typedef struct attributor attributor;

attributor *attributor_new(const attribute_resources *res);
void attributor_free(attributor *at);

/* Attributes the quotes and finds the holder candidates of an article. out
 * is reset first; its contents stay valid until the next call. */
void attribute_doc(attributor *at, const char *s, size_t len, const segment_list *paragraphs,
                   const quote_list *quotes, doc_attribution *out);

/* The tokens of the last article attribute_doc read, built once for the whole
 * article (features and tone read ranges of them); borrowed until the next call. */
const token_list *attribute_tokens(const attributor *at);

/* The sentence of the last article that holds byte offset at, into *out; 0 if none does. */
int attribute_sentence_at(const attributor *at, size_t offset, segment_span *out);

#endif
