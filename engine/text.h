/* text.h - UTF-8 decoding and the normalised, case-folded form used for matching.
 *
 * The input bytes are never rewritten: stages decode them on the fly with
 * text_next_cp, so every offset they report is an offset into the input.
 */
#ifndef STANCE_TEXT_H
#define STANCE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"

#define TEXT_REPLACEMENT 0xFFFD

/* Decodes the code point at s[*pos] and advances *pos past it. A byte that
 * does not start a valid sequence decodes as U+FFFD and advances by one.
 * ASCII, most of any English text, is decoded inline. */
int32_t text_next_cp_multibyte(const char *s, size_t len, size_t *pos);

static inline int32_t text_next_cp(const char *s, size_t len, size_t *pos)
{
    unsigned char c = (unsigned char)s[*pos];
    if (c < 0x80) {
        (*pos)++;
        return c;
    }
    return text_next_cp_multibyte(s, len, pos);
}

/* Appends the UTF-8 encoding of cp. */
void text_put_cp(strbuf *sb, int32_t cp);

/* Appends the matching form of cp: Unicode case folding, curly and modifier
 * apostrophes as ', dashes and minus signs as -. */
void text_fold_cp_multibyte(strbuf *sb, int32_t cp);

static inline void text_fold_cp(strbuf *sb, int32_t cp)
{
    if (cp < 0x80)
        strbuf_addc(sb, (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
    else
        text_fold_cp_multibyte(sb, cp);
}

/* Folds a whole string (as text_fold_cp on each code point) into sb, in
 * NFC, so that text typed with combining accents folds as its composed
 * form does. */
void text_fold(strbuf *sb, const char *s, size_t len);

/* Whether cp combines with the character before it (an accent typed
 * separately, as in NFD). */
int text_is_combining(int32_t cp);

/* Rewrites sb's bytes from `from` on in NFC (after a combining mark). */
void text_compose_from(strbuf *sb, size_t from);

/* A malloc'd NFC copy of s[0..len). */
char *text_nfc_dup(const char *s, size_t len);

/* White space, including no-break and other Unicode spaces and the BOM. */
int text_is_space_multibyte(int32_t cp);

static inline int text_is_space(int32_t cp)
{
    if (cp < 0x80)
        return cp == ' ' || (cp >= '\t' && cp <= '\r');
    return text_is_space_multibyte(cp);
}

/* Letters, combining marks and digits: the characters words are made of. */
int text_is_word_char_multibyte(int32_t cp);

static inline int text_is_word_char(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    return text_is_word_char_multibyte(cp);
}

/* Characters read as an apostrophe inside a word (Russia's, Ma’arij). */
int text_is_apostrophe(int32_t cp);

#endif
