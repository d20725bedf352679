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

/* The longest line of a lexicon, features.tsv or model.conf accepted. */
#define LEXICON_LINE_MAX (1 << 20)

/* Reads a lexicon file, calling fn for each entry, which must have between
 * min_cols and max_cols columns. *checksum (if not NULL) receives the FNV-1a
 * hash of the file's bytes. Errors name path:line. */
int lexicon_read(const char *path, size_t min_cols, size_t max_cols, lexicon_line_fn fn, void *ctx,
                 uint64_t *checksum, stance_error *err);

/* Words with their lengths and hashes, computed once per text so that the
 * many phrase lookups over them do not rehash. */
typedef struct {
    const char **words;
    size_t *lens;
    uint64_t *hashes;
    /* Optional: starts[i] has the bit of every phrase set that has a phrase
     * beginning with word i, so matching skips the sets that cannot match. */
    unsigned char *starts;
    size_t count, cap;
} word_seq;

/* Fills seq with words[0..count) (borrowed: they must outlive seq's use),
 * without starts. */
void word_seq_set(word_seq *seq, const char *const *words, size_t count);
/* Makes room for count words, for a caller that fills the arrays itself. */
void word_seq_reserve(word_seq *seq, size_t count);
void word_seq_free(word_seq *seq);

/* A set of phrases (words joined by single spaces) with a value each,
 * matched longest first. Read-only after building, so threads may share it. */
typedef struct {
    strmap phrases; /* "word word ..." -> value */
    strmap first;   /* first word of any phrase -> longest phrase length in words */
    unsigned char bit; /* this set's bit in word_seq.starts, or 0 */
} phrase_set;

/* Whether some phrase of set begins with word (of the given hash). */
int phrase_set_starts(const phrase_set *set, const char *word, size_t len, uint64_t hash);

/* The value slot of a phrase of word_count words, created as 0 if new. */
size_t *phrase_set_add(phrase_set *set, const char *phrase, size_t len, size_t word_count);

/* The value of the longest phrase of words[i..] (0 when none matches) and its
 * length in *len. When joined is not NULL, a phrase may only span words i
 * and i+1 where joined[i] is set (no punctuation between them). scratch is
 * working space kept by the caller. */
size_t phrase_set_match(const phrase_set *set, const word_seq *words, size_t count, size_t i,
                        const unsigned char *joined, size_t *len, strbuf *scratch);

void phrase_set_free(phrase_set *set);

/* Reads a one-column list into set: each entry tokenised and folded (and
 * stemmed when st is not NULL), its value slot or-ed with bits. */
int phrase_set_load(phrase_set *set, const char *path, stemmer *st, size_t bits,
                    uint64_t *checksum, stance_error *err);

/* A phrase set whose values are numbers: the value slot of a phrase holds
 * index + 1 into values. A later entry for the same phrase replaces the
 * number of an earlier one. */
typedef struct {
    phrase_set set;
    double *values;
    size_t count, cap;
} scored_phrases;

/* Reads `entry<TAB>number` lines (entries folded, not stemmed) into sp. */
int scored_phrases_load(scored_phrases *sp, const char *path, uint64_t *checksum,
                        stance_error *err);
void scored_phrases_free(scored_phrases *sp);

/* The number of the longest entry at words[i] (0 when none), its length in *len. */
double scored_phrases_match(const scored_phrases *sp, const word_seq *words, size_t count,
                            size_t i, size_t *len, strbuf *scratch);

#define LEXICON_FILE_COUNT 8

/* The bits of the scoring lexicons' phrase sets in word_seq.starts. Cues
 * and negators are keyed by stems, the others by folded words. */
#define LEXICON_BIT_CUES 1
#define LEXICON_BIT_NEGATORS 2
#define LEXICON_BIT_TARGET 4
#define LEXICON_BIT_VALENCE 8
#define LEXICON_BIT_INTENSIFIERS 16

/* The word lists that feed scoring, read from a lexicon directory: stance
 * cues and negators (stemmed), the names of the target, word valences
 * (VADER's list, then our corrections for news) and intensifiers (folded).
 * The model records the checksum of each file. Read-only after loading, so
 * threads may share it. */
typedef struct {
    phrase_set cues;      /* stems; value: bit mask of 1 << class */
    phrase_set negators;  /* stems; value 1 */
    phrase_set target;    /* folded words; value 1 */
    scored_phrases valence;      /* folded words -> valence in [-4, 4] */
    scored_phrases intensifiers; /* folded words -> added intensity */
    const char *file_names[LEXICON_FILE_COUNT];
    uint64_t checksums[LEXICON_FILE_COUNT];
} cue_lexicon;

/* Loads the scoring lexicons of dir, stemming with st. */
cue_lexicon *cue_lexicon_load(const char *dir, stemmer *st, stance_error *err);
void cue_lexicon_free(cue_lexicon *lex);

/* Cue counts of a token sequence: [class][0] plain, [class][1] negated. */
typedef struct {
    unsigned counts[LEXICON_CUE_CLASSES][2];
} cue_counts;

/* Counts the cues in tokens; stems holds the stem of each token and
 * negation the scope from lexicon_negation_scope (a cue starting inside a
 * scope is negated); scratch is working space kept by the caller so that
 * matching does not allocate. */
void cue_lexicon_match(const cue_lexicon *lex, const token_list *tokens, const word_seq *stems,
                       const unsigned char *negation, cue_counts *out, strbuf *scratch);

/* Sets negated[i] to 1 for every token within LEXICON_NEGATION_WINDOW tokens
 * after a negator in the same clause, to 2 for the negator's own tokens, and
 * to 0 otherwise. */
void lexicon_negation_scope(const cue_lexicon *lex, const token_list *tokens,
                            const word_seq *stems, unsigned char *negated, strbuf *scratch);

#endif
