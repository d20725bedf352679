/* stem.h - Snowball stemming through libstemmer.
 *
 * The only module that sees sb_stemmer. A stemmer is not thread-safe: make
 * one per thread. Scoring stems each distinct word once: the feature
 * extractor's word cache (features.c) remembers the result.
 */
#ifndef STANCE_STEM_H
#define STANCE_STEM_H

#include <stddef.h>

#include "stance.h"

typedef struct stemmer stemmer;

/* A UTF-8 stemmer for a Snowball language ("english", "russian", ...).
 * Returns NULL with STANCE_E_USAGE when libstemmer does not know it. */
stemmer *stem_new(const char *language, stance_error *err);

/* The stem of a case-folded word, not NUL-terminated: *stem_len receives its
 * length. The result is borrowed: valid until the next call on this stemmer. */
const char *stem_word(stemmer *st, const char *word, size_t len, size_t *stem_len);

void stem_free(stemmer *st);

#endif
