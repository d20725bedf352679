#include "sentiment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEGATION_SCALE (-0.74)
#define BEFORE_CONTRAST 0.5
#define AFTER_CONTRAST 1.5
#define EXCLAMATION 0.292
#define EXCLAMATIONS_MAX 4
#define NORMALISATION 15.0

static int is_contrast(const char *word)
{
    return strcmp(word, "but") == 0 || strcmp(word, "however") == 0;
}

/* A sentence that opens with a concession ("Despite the friendly welcome,
 * the meeting achieved nothing") weighs its main clause as "but" would. */
static int is_concession(const char *word)
{
    return strcmp(word, "despite") == 0 || strcmp(word, "although") == 0 ||
           strcmp(word, "though") == 0 || strcmp(word, "while") == 0 ||
           strcmp(word, "whereas") == 0;
}

/* The first token after the comma that closes a concessive opening, or b. */
static size_t after_concession(const char *s, const token_list *t, size_t a, size_t b)
{
    for (size_t i = a; i + 1 < b; i++)
        for (size_t k = t->items[i].end; k < t->items[i + 1].start; k++)
            if (s[k] == ',')
                return i + 1;
    return b;
}

static void add_cue(sentiment_cues *cues, size_t start, size_t end, double v)
{
    if (!cues)
        return;
    grow_array((void **)&cues->items, &cues->cap, cues->count + 1, sizeof *cues->items);
    cues->items[cues->count++] = (sentiment_cue){start, end, v};
}

/* The sum of sentence [a, b) of the tokens, bytes up to limit for '!'. */
static double sentence_sum(const cue_lexicon *lex, const char *s, const feature_analysis *an,
                           size_t a, size_t b, size_t limit, int *has_cue, sentiment_cues *cues,
                           strbuf *scratch)
{
    const token_list *t = an->tokens;
    size_t contrast = b;
    for (size_t i = a; i < b; i++)
        if (is_contrast(an->words->words[i]))
            contrast = i;
    if (contrast == b && is_concession(an->words->words[a]))
        contrast = after_concession(s, t, a, b);
    double sum = 0;
    *has_cue = 0;
    for (size_t i = a; i < b;) {
        size_t len = 1;
        double v = an->negation[i] == 2
                       ? 0
                       : scored_phrases_match(&lex->valence, an->words, b, i, &len, scratch);
        if (v != 0) {
            for (size_t back = 1; back <= 2 && i >= a + back; back++) {
                size_t l;
                double d = scored_phrases_match(&lex->intensifiers, an->words, i, i - back, &l,
                                                scratch);
                if (d != 0 && l == 1) {
                    d *= back == 1 ? 1.0 : 0.95;
                    v += v > 0 ? d : -d;
                }
            }
            if (an->negation[i] == 1)
                v *= NEGATION_SCALE;
            if (contrast < b)
                v *= i < contrast ? BEFORE_CONTRAST : AFTER_CONTRAST;
            add_cue(cues, t->items[i].start, t->items[i + len - 1].end, v);
            sum += v;
            *has_cue = 1;
        }
        i += len;
    }
    if (*has_cue && sum != 0) {
        int marks = 0;
        for (size_t k = t->items[a].start; k < limit && marks < EXCLAMATIONS_MAX; k++)
            marks += s[k] == '!';
        sum += (sum > 0 ? 1 : -1) * EXCLAMATION * marks;
    }
    return sum;
}

double sentiment_score(const cue_lexicon *lex, const char *s, size_t end_offset,
                       const feature_analysis *a, sentiment_cues *cues, strbuf *scratch)
{
    if (cues)
        cues->count = 0;
    const token_list *t = a->tokens;
    size_t n = t->count, scored = 0;
    double total = 0;
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && !t->items[end].clause_break)
            end++;
        /* Exclamation marks count up to the next sentence's first word. */
        size_t limit = end < n ? t->items[end].start : end_offset;
        int has_cue;
        double sum = sentence_sum(lex, s, a, start, end, limit, &has_cue, cues, scratch);
        if (has_cue) {
            total += sum / sqrt(sum * sum + NORMALISATION);
            scored++;
        }
        start = end;
    }
    double score = scored ? total / (double)scored : 0.0;
    return score > 1 ? 1 : score < -1 ? -1 : score;
}

void sentiment_cues_free(sentiment_cues *cues)
{
    free(cues->items);
    cues->items = NULL;
    cues->count = cues->cap = 0;
}
