/* lexicon.h - word lists: reading them, and matching cue phrases with negation.
 *
 * Lexicon files are UTF-8, one entry a line, tab-separated columns, `#`
 * comments. Cue lists (cues_engagement.txt, cues_caution.txt,
 * cues_opposition.txt) hold words and phrases that signal a stance; they are
 * tokenised and stemmed at load time so that they match any inflection. A cue
 * within LEXICON_NEGATION_WINDOW tokens after a negator (negators.txt, plus
 * any word ending in n't) and in the same clause counts as negated.
 */
#ifndef STANCE_LEXICON_H
#define STANCE_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "stance.h"
#include "stem.h"
#include "strmap.h"
#include "tokens.h"

#define LEXICON_CUE_CLASSES 3
#define LEXICON_NEGATION_WINDOW 4

extern const char *const lexicon_cue_class_names[LEXICON_CUE_CLASSES];

/* Called for every entry line with its columns (NUL-terminated, borrowed for
 * the call) and its "path:line" for messages. Returns 0, or an error code
 * after filling err. */
typedef int (*lexicon_line_fn)(void *ctx, char **cols, size_t ncols, const char *where,
                               stance_error *err);

/* Reads a lexicon file, calling fn for each entry, which must have between
 * min_cols and max_cols columns. *checksum (if not NULL) receives the FNV-1a
 * hash of the file's bytes. Errors name path:line. */
int lexicon_read(const char *path, size_t min_cols, size_t max_cols, lexicon_line_fn fn, void *ctx,
                 uint64_t *checksum, stance_error *err);

/* A set of phrases (words joined by single spaces) with a value each,
 * matched longest first. Read-only after building, so threads may share it. */
typedef struct {
    strmap phrases; /* "word word ..." -> value */
    strmap first;   /* first word of any phrase -> longest phrase length in words */
} phrase_set;

/* The value slot of a phrase of word_count words, created as 0 if new. */
size_t *phrase_set_add(phrase_set *set, const char *phrase, size_t len, size_t word_count);

/* The value of the longest phrase of words[i..] (0 when none matches) and its
 * length in *len. When joined is not NULL, a phrase may only span words i
 * and i+1 where joined[i] is set (no punctuation between them). scratch is
 * working space kept by the caller. */
size_t phrase_set_match(const phrase_set *set, const char *const *words, size_t count, size_t i,
                        const unsigned char *joined, size_t *len, strbuf *scratch);

void phrase_set_free(phrase_set *set);

/* Reads a one-column list into set: each entry tokenised and folded (and
 * stemmed when st is not NULL), its value slot or-ed with bits. */
int phrase_set_load(phrase_set *set, const char *path, stemmer *st, size_t bits,
                    uint64_t *checksum, stance_error *err);

/* The stemmed cue and negator phrases of a lexicon directory. Read-only
 * after loading, so threads may share it. */
typedef struct {
    phrase_set cues; /* value: bit mask, 1 << class, or the negator bit */
    size_t file_count;
    char *file_names[LEXICON_CUE_CLASSES + 1];
    uint64_t checksums[LEXICON_CUE_CLASSES + 1];
} cue_lexicon;

/* Loads the cue and negator lists of dir, stemming with st. */
cue_lexicon *cue_lexicon_load(const char *dir, stemmer *st, stance_error *err);
void cue_lexicon_free(cue_lexicon *lex);

/* Cue counts of a token sequence: [class][0] plain, [class][1] negated. */
typedef struct {
    unsigned counts[LEXICON_CUE_CLASSES][2];
} cue_counts;

/* Counts the cues in tokens; stems[i] is the stem of token i; scratch is
 * working space kept by the caller so that matching does not allocate. */
void cue_lexicon_match(const cue_lexicon *lex, const token_list *tokens, const char *const *stems,
                       cue_counts *out, strbuf *scratch);

#endif
