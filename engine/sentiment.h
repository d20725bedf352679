/* sentiment.h - the tone of a unit, in [-1, 1], from word valences.
 *
 * Rules in the manner of VADER (Hutto and Gilbert, 2014), over the tokens of
 * a unit already analysed for features:
 *  - a word or phrase of the valence lexicon adds its valence (-4..+4);
 *  - an intensifier or dampener just before it (very, deeply, slightly)
 *    adds its delta in the direction of the valence (at 0.95 two words back);
 *  - a negator within the negation window before it scales it by -0.74, so
 *    "not productive" is negative and "no problems", "not the worst",
 *    "without delay" lean positive; negators carry no valence of their own;
 *  - in a sentence with "but" (or "however"), words before it weigh 0.5 and
 *    words after it 1.5; so do the words of a concessive opening clause
 *    ("Despite ...,", "Although ...,") against the rest of the sentence;
 *  - each exclamation mark (up to four) adds 0.292 in the sentence's
 *    direction.
 * A sentence's sum s becomes s / sqrt(s^2 + 15); the unit's score is the
 * mean over its sentences that hold any valence word, so that long
 * paragraphs do not saturate. A unit without such words scores 0.
 */
#ifndef STANCE_SENTIMENT_H
#define STANCE_SENTIMENT_H

#include <stddef.h>

#include "features.h"
#include "lexicon.h"

typedef struct {
    size_t start, end;   /* byte offsets of the cue */
    double contribution; /* its signed valence after the rules above */
} sentiment_cue;

typedef struct {
    sentiment_cue *items;
    size_t count, cap;
} sentiment_cues;

/* Scores the tone of the analysed text of s that ends at end_offset. When
 * cues is not NULL it receives every valence cue found (reset first).
 * scratch is caller-kept space. */
double sentiment_score(const cue_lexicon *lex, const char *s, size_t end_offset,
                       const feature_analysis *a, sentiment_cues *cues, strbuf *scratch);

void sentiment_cues_free(sentiment_cues *cues);

#endif
