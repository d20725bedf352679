#include "attribute.h"
#include "alloc.h"
#include "furniture.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define NONE ((size_t)-1)
/* How far from a quote its attribution may stand, in tokens. */
#define AFTER_WINDOW 12
#define BEFORE_WINDOW 30
#define DESCRIPTION_MAX 20
#define PREFIX_MAX 6
#define COORDINATED_MAX 8 /* subjects joined by "and"/"or" before a relative pronoun */

enum { ROLE_NONE, ROLE_OFFICIAL, ROLE_ANALYST, ROLE_MODIFIER, ROLE_HONORIFIC };

struct attribute_resources {
    gazetteer *gz;
    phrase_set verbs;
    strmap roles; /* word -> ROLE_* */
    strmap not_names;
    strmap abbreviations;
    strmap holder_words; /* word -> HW_* bits */
    uint64_t checksums[ATTRIBUTE_FILE_COUNT]; /* of attribute_file_names */
};

const char *const attribute_file_names[ATTRIBUTE_FILE_COUNT] = {
    "gazetteer.tsv", "speech_verbs.txt", "roles.tsv", "not_names.txt", "abbreviations.txt",
    "holder_words.tsv"};

/* Kinds of holder_words.tsv. */
enum {
    HW_PROPER = 1,
    HW_COMPANY = 2,
    HW_OBJECT = 4,
    HW_OBJECT_ON = 8,
    HW_BACKGROUND = 16,
    HW_VENUE = 32,
    HW_ORG = 64,
    HW_STATE_ORG = 128,
    HW_SIDE = 256,
    HW_PLACE = 512
};

typedef struct {
    size_t name_start, name_end; /* bytes of the first full mention */
    char *full;                  /* folded full name */
    char *surname;               /* folded last word */
    size_t entity;               /* GAZETTEER_NONE unless an official */
    int role;
} person;

typedef struct {
    size_t first, last; /* tokens */
    size_t person;
} person_mention;

/* Who said a quote: a known person, or a description standing alone. */
typedef struct {
    size_t person;               /* NONE for a description */
    size_t first, last;          /* tokens of the description */
    size_t entity;
    int found;    /* a speaker was identified */
    int verb;     /* a speech verb attributes the quote, even if to nobody known */
} speaker_ref;

struct attributor {
    const attribute_resources *res;
    token_list tokens;
    gazetteer_mentions mentions;
    segment_list sentences, para_sentences;
    size_t *tok_para, *tok_sent, *tok_entity, *person_at_end, *person_at_start;
    size_t *tok_quote;             /* 1 + the quote holding the token, or 0 */
    unsigned char *tok_verb;       /* length of a speech verb starting at the token, or 0 */
    unsigned char *tok_holds;      /* 1 in a mention of a state or body that may hold a stance */
    unsigned char *tok_tperson;    /* 1 in a target alias that is a person's name ("Muttaqi") */
    size_t tok_cap;
    /* per sentence: the first token that holds a stance or says "we"
     * outside quotes, as far as marked; NONE before any */
    size_t *sent_holder;
    size_t sent_cap;
    const char **words;
    size_t words_cap;
    word_seq word_seq; /* words with lengths and hashes, for phrase matching */
    person *persons;
    size_t person_count, person_cap;
    strmap by_full, by_surname; /* folded name -> latest person with it */
    person_mention *pmentions;
    size_t pmention_count, pmention_cap;
    size_t home;     /* the article's own country: its dateline, else the most named */
    size_t dateline; /* the country of its dateline, or GAZETTEER_NONE */
    strbuf scratch, fold;
    quote_attribution *quotes;
    size_t quotes_cap;
    holder_list *paragraphs;
    size_t paragraphs_cap;
};

/* ---- resources --------------------------------------------------------------------- */

typedef struct {
    strmap *map;
} set_ctx;

static int add_word(void *ctx, char **cols, size_t ncols, const char *where, stance_error *err)
{
    set_ctx *sc = ctx;
    size_t value = 1;
    if (ncols == 2) {
        static const char *const roles[] = {"", "official", "analyst", "modifier", "honorific"};
        value = 0;
        for (size_t r = 1; r < 5; r++)
            if (strcmp(cols[1], roles[r]) == 0)
                value = r;
        if (!value)
            return stance_error_set(err, STANCE_E_MODEL, where,
                                    "role must be official, analyst, modifier or honorific, "
                                    "not '%s'", cols[1]);
    }
    strbuf folded = {0};
    text_fold(&folded, cols[0], strlen(cols[0]));
    strmap_insert(sc->map, folded.data, folded.len, value, NULL);
    strbuf_free(&folded);
    return STANCE_OK;
}

static int add_holder_word(void *ctx, char **cols, size_t ncols, const char *where,
                           stance_error *err)
{
    (void)ncols;
    static const char *const kinds[] = {"proper", "company", "object", "object-on",
                                        "background", "venue", "org", "state-org", "side",
                                        "place", NULL};
    size_t bit = 0;
    for (size_t k = 0; kinds[k]; k++)
        if (strcmp(cols[1], kinds[k]) == 0)
            bit = (size_t)1 << k;
    if (!bit)
        return stance_error_set(err, STANCE_E_MODEL, where, "unknown kind '%s'", cols[1]);
    strmap *map = ctx;
    *strmap_insert(map, cols[0], strlen(cols[0]), 0, NULL) |= bit;
    return STANCE_OK;
}

static int load_words(const char *dir, const char *name, size_t cols, strmap *map,
                      uint64_t *checksum, stance_error *err)
{
    strbuf path = {0};
    strbuf_addf(&path, "%s/%s", dir, name);
    set_ctx sc = {.map = map};
    int rc = lexicon_read(path.data, cols, cols, add_word, &sc, checksum, err);
    strbuf_free(&path);
    return rc;
}

attribute_resources *attribute_resources_load(const char *dir, stance_error *err)
{
    attribute_resources *res = xcalloc(1, sizeof *res);
    strbuf path = {0};
    strbuf_addf(&path, "%s/speech_verbs.txt", dir);
    uint64_t *sum = res->checksums;
    int ok = (res->gz = gazetteer_load(dir, err)) != NULL &&
             phrase_set_load(&res->verbs, path.data, NULL, 1, &sum[1], err) == STANCE_OK &&
             load_words(dir, "roles.tsv", 2, &res->roles, &sum[2], err) == STANCE_OK &&
             load_words(dir, "not_names.txt", 1, &res->not_names, &sum[3], err) == STANCE_OK &&
             load_words(dir, "abbreviations.txt", 1, &res->abbreviations, &sum[4], err) ==
                 STANCE_OK;
    if (ok) {
        sum[0] = res->gz->checksum;
        strbuf_reset(&path);
        strbuf_addf(&path, "%s/holder_words.tsv", dir);
        ok = lexicon_read(path.data, 2, 2, add_holder_word, &res->holder_words, &sum[5], err) ==
             STANCE_OK;
    }
    strbuf_free(&path);
    if (!ok) {
        attribute_resources_free(res);
        return NULL;
    }
    return res;
}

void attribute_resources_free(attribute_resources *res)
{
    if (!res)
        return;
    gazetteer_free(res->gz);
    phrase_set_free(&res->verbs);
    strmap_free(&res->roles);
    strmap_free(&res->not_names);
    strmap_free(&res->abbreviations);
    strmap_free(&res->holder_words);
    free(res);
}

const uint64_t *attribute_checksums(const attribute_resources *res)
{
    return res->checksums;
}

const gazetteer *attribute_gazetteer(const attribute_resources *res)
{
    return res->gz;
}

const strmap *attribute_abbreviations(const attribute_resources *res)
{
    return &res->abbreviations;
}

attributor *attributor_new(const attribute_resources *res)
{
    attributor *at = xcalloc(1, sizeof *at);
    at->res = res;
    return at;
}

static void reset_people(attributor *at)
{
    for (size_t i = 0; i < at->person_count; i++) {
        free(at->persons[i].full);
        free(at->persons[i].surname);
    }
    at->person_count = 0;
    at->pmention_count = 0;
    strmap_clear(&at->by_full);
    strmap_clear(&at->by_surname);
}

static void reset_result(attributor *at)
{
    for (size_t i = 0; i < at->quotes_cap; i++) {
        free(at->quotes[i].speaker);
        at->quotes[i].speaker = NULL;
    }
}

void attributor_free(attributor *at)
{
    if (!at)
        return;
    reset_people(at);
    reset_result(at);
    for (size_t i = 0; i < at->quotes_cap; i++)
        free(at->quotes[i].holders.items);
    for (size_t i = 0; i < at->paragraphs_cap; i++)
        free(at->paragraphs[i].items);
    free(at->quotes);
    free(at->paragraphs);
    token_list_free(&at->tokens);
    gazetteer_mentions_free(&at->mentions);
    segment_list_free(&at->sentences);
    segment_list_free(&at->para_sentences);
    free(at->tok_para);
    free(at->tok_sent);
    free(at->tok_entity);
    free(at->person_at_end);
    free(at->person_at_start);
    free(at->tok_quote);
    free(at->tok_verb);
    free(at->tok_holds);
    free(at->sent_holder);
    free(at->tok_tperson);
    free(at->words);
    word_seq_free(&at->word_seq);
    free(at->persons);
    free(at->pmentions);
    strmap_free(&at->by_full);
    strmap_free(&at->by_surname);
    strbuf_free(&at->scratch);
    strbuf_free(&at->fold);
    free(at);
}

/* ---- token helpers -------------------------------------------------------------------- */

/* The role of word i, its possessive ignored ("the ministry's spokesman"). */
static int role_of(const attributor *at, size_t i)
{
    const char *w = at->words[i];
    size_t len = strlen(w);
    if (len > 2 && w[len - 2] == '\'' && w[len - 1] == 's')
        len -= 2;
    const size_t *r = strmap_find(&at->res->roles, w, len);
    return r ? (int)*r : ROLE_NONE;
}

static size_t holder_word(const attributor *at, size_t i)
{
    const char *w = at->words[i];
    size_t len = strlen(w);
    if (len > 2 && w[len - 2] == '\'' && w[len - 1] == 's')
        len -= 2;
    const size_t *k = strmap_find(&at->res->holder_words, w, len);
    return k ? *k : 0;
}

/* The first byte decides most compares, so strcmp runs only on a likely match. */
static int word_is(const attributor *at, size_t i, const char *w)
{
    return at->words[i][0] == w[0] && strcmp(at->words[i], w) == 0;
}

static int is_determiner(const attributor *at, size_t i)
{
    return word_is(at, i, "the") || word_is(at, i, "a") || word_is(at, i, "an") ||
           word_is(at, i, "one");
}

static int is_pronoun(const attributor *at, size_t i)
{
    return word_is(at, i, "he") || word_is(at, i, "she");
}

static int is_particle(const attributor *at, size_t i)
{
    static const char *const particles[] = {"al", "bin", "ibn", "ul", "de", "van", "von",
                                            "da", "del", "der", "la", "le", "el", NULL};
    for (size_t k = 0; particles[k]; k++)
        if (word_is(at, i, particles[k]))
            return 1;
    return 0;
}

static int starts_upper(const char *s, const token *t)
{
    size_t pos = t->start;
    return utf8proc_isupper(text_next_cp(s, t->end, &pos));
}

static int possessive(const attributor *at, size_t i)
{
    size_t len = strlen(at->words[i]);
    return len > 2 && at->words[i][len - 2] == '\'' && at->words[i][len - 1] == 's';
}

/* Tokens i and i+1 with nothing but spaces or a hyphen between them. */
static int space_joined(const char *s, const token_list *tokens, size_t i)
{
    size_t a = tokens->items[i].end, b = tokens->items[i + 1].start;
    if (b == a || b - a > 2)
        return 0;
    for (size_t k = a; k < b; k++)
        if (s[k] != ' ' && s[k] != '-')
            return 0;
    return 1;
}

/* Tokens i and i+1 may be words of one name: joined by spaces or a hyphen,
 * or an initial with its dot before the next word ("R. Mehta"). */
static int name_joined(const char *s, const token_list *tokens, size_t i)
{
    if (space_joined(s, tokens, i))
        return 1;
    const token *t = &tokens->items[i];
    size_t next = tokens->items[i + 1].start;
    return t->end - t->start == 1 && s[t->start] >= 'A' && s[t->start] <= 'Z' &&
           next > t->end && next - t->end <= 2 && s[t->end] == '.' &&
           (next - t->end == 1 || s[t->end + 1] == ' ');
}

/* A capitalised word that may be part of a person's name. */
static int name_word(const attributor *at, const char *s, size_t i)
{
    const token *t = &at->tokens.items[i];
    if (t->end - t->start == 1 && i + 1 < at->tokens.count && name_joined(s, &at->tokens, i) &&
        !space_joined(s, &at->tokens, i))
        return at->tok_entity[i] == NONE; /* an initial: "A." of "Mr A. B. Okafor" */
    return starts_upper(s, &at->tokens.items[i]) &&
           (at->tok_entity[i] == NONE || at->tok_tperson[i]) &&
           role_of(at, i) == ROLE_NONE && !at->tokens.items[i].is_number &&
           !strmap_find(&at->res->not_names, at->words[i], strlen(at->words[i]));
}

/* The first token that starts at or after offset. */
static size_t token_at(const attributor *at, size_t offset)
{
    size_t lo = 0, hi = at->tokens.count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (at->tokens.items[mid].start < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether punctuation (a comma, a colon, a quote mark ...) stands between tokens i and i+1. */
static int punct_between(const char *s, const token_list *tokens, size_t i)
{
    size_t a = tokens->items[i].end, b = tokens->items[i + 1].start;
    /* An en dash joins the parts of a name: "the Baku–Tbilisi–Kars railway". */
    if (b - a == 3 && memcmp(s + a, "\xe2\x80\x93", 3) == 0)
        return 0;
    for (size_t k = a; k < b; k++)
        if (s[k] != ' ' && s[k] != '-' && s[k] != '\'')
            return 1;
    return 0;
}

/* ---- people ---------------------------------------------------------------------------- */

/* Role and entity of the description tokens [first..last]. */
static void describe(const attributor *at, size_t first, size_t last, int *role, size_t *entity)
{
    int official = 0, analyst = 0;
    for (size_t i = first; i <= last && i != NONE; i++) {
        int r = role_of(at, i);
        official |= r == ROLE_OFFICIAL;
        /* "a former UN official" speaks for no one now. */
        analyst |= r == ROLE_ANALYST || word_is(at, i, "former") || word_is(at, i, "retired");
        if (*entity == GAZETTEER_NONE && at->tok_entity[i] != NONE)
            *entity = at->tok_entity[i] == GAZETTEER_TARGET ? at->res->gz->afghanistan
                                                            : at->tok_entity[i];
    }
    if (analyst)
        *role = ROLE_ANALYST;
    else if (official && *role != ROLE_ANALYST)
        *role = ROLE_OFFICIAL;
}

/* The country named by the mention at token i, for an official's
 * affiliation: a state or body that may hold a stance, or Afghanistan (and
 * for the target too when target_too is set); not "his Uzbek counterpart". */
static size_t named_country(const attributor *at, size_t i, int target_too)
{
    size_t e = at->tok_entity[i];
    if (e == NONE || at->tok_quote[i] || (e == GAZETTEER_TARGET && !target_too))
        return GAZETTEER_NONE;
    if (e == GAZETTEER_TARGET || e == at->res->gz->afghanistan)
        return at->res->gz->afghanistan;
    if (!at->tok_holds[i])
        return GAZETTEER_NONE;
    size_t j = i;
    while (j + 1 < at->tokens.count && at->tok_entity[j + 1] == e)
        j++;
    if (j + 1 < at->tokens.count &&
        (word_is(at, j + 1, "counterpart") || word_is(at, j + 1, "counterparts")))
        return GAZETTEER_NONE;
    return e;
}

/* The country of an official whose title names none ("Foreign Minister
 * X"): the state named nearest before the name in its sentence (Afghanistan
 * only when it is the only one), else after it up to the speech verb, else
 * earlier in its paragraph, else the dateline's, the headline's, the
 * article's most named. */
static size_t context_country(const attributor *at, size_t name_first)
{
    const size_t afghanistan = at->res->gz->afghanistan;
    size_t n = at->tokens.count, sent = at->tok_sent[name_first], target = GAZETTEER_NONE;
    for (size_t i = name_first; i > 0 && at->tok_sent[i - 1] == sent;) {
        size_t e = named_country(at, --i, 1);
        if (e == afghanistan)
            target = e; /* a state the sentence names comes first */
        else if (e != GAZETTEER_NONE)
            return e;
    }
    if (target != GAZETTEER_NONE)
        return target;
    for (size_t i = name_first; i < n && at->tok_sent[i] == sent && !at->tok_verb[i]; i++) {
        /* "who led the Afghan side", but not "who travelled to Kabul" */
        size_t e = at->person_at_start[i] == NONE || i == name_first ? named_country(at, i, 0)
                                                                   : GAZETTEER_NONE;
        if (e != GAZETTEER_NONE)
            return e;
    }
    /* "Norway's foreign ministry has responded. Spokesperson X said ..." */
    for (size_t i = name_first; i > 0 && at->tok_para[i - 1] == at->tok_para[name_first];) {
        size_t e = named_country(at, --i, 0);
        if (e != GAZETTEER_NONE && e != afghanistan)
            return e;
    }
    if (at->dateline != GAZETTEER_NONE)
        return at->dateline;
    for (size_t i = 0; i < n && at->tok_para[i] == 0 && at->tok_para[name_first] > 0; i++)
        if (at->tok_holds[i])
            return at->tok_entity[i];
    return at->home;
}

/* Reads the description around a new person's first mention: the title
 * words before the name and an appositive after it. */
static void describe_person(attributor *at, const char *s, person *p, size_t run_first,
                            size_t name_first, size_t name_last)
{
    size_t n = at->tokens.count;
    int role = ROLE_NONE;
    size_t entity = GAZETTEER_NONE;
    size_t pre = run_first, steps = 0;
    /* "Deputy Minister of Energy Pavel Orlov": titles run over "of", "for"
     * and the capitalised words of a portfolio. */
    while (pre > 0 && steps < PREFIX_MAX && !punct_between(s, &at->tokens, pre - 1) &&
           at->tok_para[pre - 1] == at->tok_para[name_first] &&
           (role_of(at, pre - 1) != ROLE_NONE || at->tok_entity[pre - 1] != NONE ||
            is_determiner(at, pre - 1) || word_is(at, pre - 1, "of") ||
            word_is(at, pre - 1, "for") ||
            (starts_upper(s, &at->tokens.items[pre - 1]) &&
             strmap_find(&at->res->not_names, at->words[pre - 1], strlen(at->words[pre - 1]))))) {
        pre--;
        steps++;
    }
    if (pre < name_first)
        describe(at, pre, name_first - 1, &role, &entity);
    /* "China's ambassador, Wu Jiancheng," / "a deputy spokesman of the
     * Islamic Emirate, Hamidullah Tarin,": a description just before the
     * comma that precedes the name. */
    size_t lead = name_first; /* back over honorifics: "Qari Yusuf Ahmadi" */
    while (lead > run_first &&
           strmap_find(&at->res->not_names, at->words[lead - 1], strlen(at->words[lead - 1])))
        lead--;
    if (role == ROLE_NONE && run_first == lead && lead > 1 &&
        punct_between(s, &at->tokens, lead - 1) && s[at->tokens.items[lead - 1].end] == ',') {
        size_t end = lead - 1, first = end;
        while (first > 0 && end - first < DESCRIPTION_MAX / 2 &&
               at->tok_para[first - 1] == at->tok_para[end] &&
               !punct_between(s, &at->tokens, first - 1) && !at->tokens.items[first].clause_break)
            first--;
        int pre_role = ROLE_NONE;
        size_t pre_entity = GAZETTEER_NONE;
        describe(at, first, end, &pre_role, &pre_entity);
        if (pre_role != ROLE_NONE) {
            role = pre_role;
            entity = pre_entity;
        }
    }
    /* X, a political affairs analyst, ... / X, Head of the ... Ministry, ... */
    size_t a = name_last + 1;
    if (a < n && at->tok_para[a] == at->tok_para[name_last]) {
        size_t gap = at->tokens.items[name_last].end;
        while (gap < at->tokens.items[a].start && s[gap] == ' ')
            gap++;
        if (s[gap] == ',' && (is_determiner(at, a) || role_of(at, a) != ROLE_NONE ||
                              at->tok_entity[a] != NONE)) {
            size_t z = a;
            while (z + 1 < n && z - a < DESCRIPTION_MAX && at->tok_para[z + 1] == at->tok_para[a] &&
                   !punct_between(s, &at->tokens, z))
                z++;
            describe(at, a, z, &role, &entity);
        }
    }
    /* A Taliban official named by the target lexicon speaks for Afghanistan. */
    for (size_t i = name_first; i <= name_last; i++)
        if (at->tok_tperson[i]) {
            role = ROLE_OFFICIAL;
            entity = at->res->gz->afghanistan;
        }
    p->role = role;
    if (role == ROLE_OFFICIAL && entity == GAZETTEER_NONE)
        entity = context_country(at, name_first);
    p->entity = role == ROLE_OFFICIAL ? entity : GAZETTEER_NONE;
}

static size_t find_person(const attributor *at, const char *full, const char *surname,
                          size_t words)
{
    const size_t *k = strmap_find(&at->by_full, full, strlen(full));
    if (!k && words == 1)
        k = strmap_find(&at->by_surname, surname, strlen(surname));
    return k ? *k : NONE;
}

static void add_mention(attributor *at, size_t first, size_t last, size_t who)
{
    grow_array((void **)&at->pmentions, &at->pmention_cap, at->pmention_count + 1,
               sizeof *at->pmentions);
    at->pmentions[at->pmention_count++] = (person_mention){first, last, who};
    at->person_at_start[first] = who;
    at->person_at_end[last] = who;
}

/* Tokens from i are lowercase particles, then a capitalised word, all
 * joined: "van der Berg", "al-Thani". */
static int particles_then_name(const attributor *at, const char *s, size_t i)
{
    size_t n = at->tokens.count, k = i;
    while (k < n && k - i < 3 && is_particle(at, k) && k + 1 < n && space_joined(s, &at->tokens, k))
        k++;
    return k > i && k < n && starts_upper(s, &at->tokens.items[k]);
}

/* The folded words of tokens [first..last], space-separated, into at->fold. */
static void fold_words(attributor *at, size_t first, size_t last)
{
    strbuf_reset(&at->fold);
    for (size_t t = first; t <= last; t++) {
        if (t > first)
            strbuf_addc(&at->fold, ' ');
        strbuf_adds(&at->fold, at->words[t]);
    }
}

/* Finds people: runs of capitalised words whose tail is a name (not a
 * title, place, organisation or sentence opener). */
static void find_people(attributor *at, const char *s)
{
    size_t n = at->tokens.count;
    for (size_t i = 0; i < n;) {
        if (!starts_upper(s, &at->tokens.items[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < n && name_joined(s, &at->tokens, j) &&
               (starts_upper(s, &at->tokens.items[j + 1]) || particles_then_name(at, s, j + 1)))
            j++;
        size_t k = j + 1;
        while (k > i && (name_word(at, s, k - 1) || (k - 1 > i && is_particle(at, k - 1))))
            k--;
        size_t first = k, last = j;
        /* "Al-Thani said", "Van der Berg said": a family name with its
         * particle, known from the full name. */
        size_t who = NONE;
        if (first < last && is_particle(at, first)) {
            fold_words(at, first, last);
            who = find_person(at, at->fold.data, at->words[last], 2);
            if (who == NONE)
                while (first < last && is_particle(at, first))
                    first++;
        }
        if (first <= last && (who != NONE || !is_particle(at, first))) {
            size_t words = last - first + 1;
            if (who == NONE) {
                fold_words(at, first, last);
                who = find_person(at, at->fold.data, at->words[last], words);
            }
            int titled = first > i && (role_of(at, first - 1) == ROLE_OFFICIAL ||
                                       role_of(at, first - 1) == ROLE_ANALYST);
            int created = 0;
            if (who == NONE && (words >= 2 || titled) && words <= 5) {
                created = 1;
                grow_array((void **)&at->persons, &at->person_cap, at->person_count + 1,
                           sizeof *at->persons);
                person *p = &at->persons[at->person_count];
                p->name_start = at->tokens.items[first].start;
                p->name_end = at->tokens.items[last].end;
                if (possessive(at, last)) { /* "President Ruto's office": the name is Ruto */
                    p->name_end -= 2;
                    while ((s[p->name_end] & 0xC0) == 0x80)
                        p->name_end--;
                }
                p->full = xstrdup(at->fold.data);
                p->surname = xstrdup(at->words[last]);
                describe_person(at, s, p, i, first, last);
                who = at->person_count++;
                *strmap_insert(&at->by_full, p->full, strlen(p->full), who, NULL) = who;
                /* Later mentions use the family name: last in "Rustam Karimov",
                 * first in "Lin Haoran"; the last word wins a clash. */
                if (words > 1)
                    *strmap_insert(&at->by_surname, at->words[first], strlen(at->words[first]), who,
                                   NULL) = who;
                *strmap_insert(&at->by_surname, p->surname, strlen(p->surname), who, NULL) = who;
                for (size_t t = first + 1; t < last; t++)
                    if (is_particle(at, t) && !is_particle(at, t - 1)) {
                        fold_words(at, t, last);
                        *strmap_insert(&at->by_full, at->fold.data, at->fold.len, who, NULL) = who;
                    }
            }
            if (who != NONE && !created && at->persons[who].role == ROLE_NONE) {
                /* Described only now: "met José Ramírez ... José Ramírez,
                 * Mexico's ambassador, said". */
                person *p = &at->persons[who];
                describe_person(at, s, p, i, first, last);
            }
            if (who != NONE)
                add_mention(at, first, last, who);
        }
        i = j + 1;
    }
}

/* The state or body in "of [the] X" or "for [the] X" just after token head
 * ("the Embassy of Japan", "a spokeswoman for the EU"), with *last set to
 * its last token; or GAZETTEER_NONE. */
static size_t of_entity(const attributor *at, size_t head, size_t *last)
{
    size_t i = head + 1, n = at->tokens.count;
    if (i >= n || !(word_is(at, i, "of") || word_is(at, i, "for")) ||
        at->tok_sent[i] != at->tok_sent[head])
        return GAZETTEER_NONE;
    i++;
    if (i < n && word_is(at, i, "the"))
        i++;
    size_t e = i < n ? at->tok_entity[i] : NONE;
    if (e == NONE || e == GAZETTEER_TARGET)
        return GAZETTEER_NONE;
    while (i + 1 < n && at->tok_entity[i + 1] == e)
        i++;
    *last = i;
    return e;
}

/* Speakers introduced by a description alone, "A spokesperson for the
 * European Union said ...", become nameless persons, so that a later "she
 * said" finds them rather than someone named before. */
static int by_mention_end(const void *a, const void *b)
{
    const person_mention *x = a, *y = b;
    return (x->last > y->last) - (x->last < y->last);
}

static void find_described_speakers(attributor *at)
{
    size_t n = at->tokens.count, before = at->pmention_count;
    for (size_t i = 0; i < n; i++) {
        if (!(word_is(at, i, "a") || word_is(at, i, "an")) || at->tok_quote[i] ||
            at->person_at_start[i] != NONE)
            continue;
        size_t head = NONE, j = i + 1;
        for (; j < n && j - i <= PREFIX_MAX && at->tok_sent[j] == at->tok_sent[i]; j++) {
            int role = role_of(at, j);
            if (role == ROLE_OFFICIAL || role == ROLE_ANALYST)
                head = j;
            else if (role != ROLE_MODIFIER && at->tok_entity[j] == NONE)
                break;
        }
        if (head == NONE)
            continue;
        size_t last = head;
        size_t of = of_entity(at, head, &last);
        if (last + 1 >= n || !at->tok_verb[last + 1] || at->person_at_start[last + 1] != NONE)
            continue; /* only the subject of a speech verb: "a spokesperson said" */
        int role = ROLE_NONE;
        size_t entity = of;
        describe(at, i, head, &role, &entity);
        grow_array((void **)&at->persons, &at->person_cap, at->person_count + 1,
                   sizeof *at->persons);
        person *p = &at->persons[at->person_count];
        p->name_start = at->tokens.items[i].start;
        p->name_end = at->tokens.items[last].end;
        p->full = xstrdup("");
        p->surname = xstrdup("");
        p->role = role;
        if (role == ROLE_OFFICIAL && entity == GAZETTEER_NONE)
            entity = context_country(at, i);
        p->entity = role == ROLE_OFFICIAL ? entity : GAZETTEER_NONE;
        add_mention(at, i, last, at->person_count++);
        i = last;
    }
    if (at->pmention_count > before) /* keep mentions in token order */
        qsort(at->pmentions, at->pmention_count, sizeof *at->pmentions, by_mention_end);
}

/* How many person mentions back a pronoun or "the diplomat" may reach: a
 * bound that keeps attribution linear in the article's length. */
#define RECENT_MENTIONS 64

/* The person named last before token limit whose role and entity fit (when
 * given), among the RECENT_MENTIONS mentions before it; or NONE. */
static size_t last_person_before(const attributor *at, size_t limit, int role, size_t entity)
{
    size_t lo = 0, hi = at->pmention_count; /* mentions are in token order */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (at->pmentions[mid].last < limit)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k-- > 0 && lo - k <= RECENT_MENTIONS;) {
        const person_mention *m = &at->pmentions[k];
        const person *p = &at->persons[m->person];
        if (role != ROLE_NONE && p->role != role)
            continue;
        if (entity != GAZETTEER_NONE && p->entity != entity)
            continue;
        return m->person;
    }
    return NONE;
}

/* ---- speakers ---------------------------------------------------------------------------- */

static speaker_ref person_ref(const attributor *at, size_t who)
{
    speaker_ref r = {.person = who, .entity = at->persons[who].entity, .found = 1};
    return r;
}

/* How far back "the statement said" looks for its issuer, in tokens. */
#define ISSUER_WINDOW 400

/* The state or body that acted or spoke last before token limit: a
 * mention that may hold a stance, or an official's country. */
static size_t agent_before(const attributor *at, size_t limit)
{
    for (size_t i = limit; i > 0 && limit - i < ISSUER_WINDOW;) {
        i--;
        if (at->tok_holds[i])
            return at->tok_entity[i];
        size_t who = at->person_at_end[i];
        if (who != NONE && at->persons[who].entity != GAZETTEER_NONE)
            return at->persons[who].entity;
    }
    return GAZETTEER_NONE;
}

/* A description ending in a role word at token head, read backwards over
 * modifiers, places and a determiner: "a senior Kazakh diplomat". A definite
 * one ("the diplomat") names the last person mentioned whose role fits. */
static speaker_ref description_ending(const attributor *at, size_t head, size_t quote_tok)
{
    speaker_ref r = {.person = NONE, .entity = GAZETTEER_NONE};
    size_t first = head;
    while (first > 0 && head - first < PREFIX_MAX &&
           (role_of(at, first - 1) != ROLE_NONE || at->tok_entity[first - 1] != NONE ||
            is_determiner(at, first - 1)) &&
           at->tok_para[first - 1] == at->tok_para[head]) {
        first--;
        if (is_determiner(at, first))
            break;
    }
    int role = ROLE_NONE;
    size_t entity = GAZETTEER_NONE, last = head;
    describe(at, first, head, &role, &entity);
    size_t of = of_entity(at, head, &last);
    if (entity == GAZETTEER_NONE && of != GAZETTEER_NONE) {
        /* "the Embassy of Japan in Kabul": the description names its state. */
        entity = of;
        head = last;
    } else if (word_is(at, first, "the") && entity == GAZETTEER_NONE &&
               (holder_word(at, head) & (HW_ORG | HW_STATE_ORG))) {
        /* "the ministry said": the body that acted last, not a person. */
        entity = agent_before(at, quote_tok);
    } else if (word_is(at, first, "the")) {
        size_t who = last_person_before(at, quote_tok, role, entity);
        if (who != NONE)
            return person_ref(at, who);
    }
    r.first = first;
    r.last = head;
    if (role == ROLE_OFFICIAL && entity == GAZETTEER_NONE)
        entity = context_country(at, first);
    r.entity = role == ROLE_OFFICIAL ? entity : GAZETTEER_NONE;
    r.found = 1;
    return r;
}

/* The speaker written just before token v (the speech verb). */
static speaker_ref speaker_before(const attributor *at, const char *s, size_t v, size_t lower,
                                  size_t quote_tok)
{
    speaker_ref none = {.person = NONE, .entity = GAZETTEER_NONE};
    /* "X was asked about ..., and replied": a second predicate of the
     * sentence's subject, the first person the sentence names. */
    if (v > lower + 1 && word_is(at, v - 1, "and")) {
        size_t i = v - 1;
        while (i > 0 && at->tok_sent[i - 1] == at->tok_sent[v])
            i--;
        for (; i < v; i++)
            if (at->person_at_start[i] != NONE && !at->tok_quote[i])
                return person_ref(at, at->person_at_start[i]);
    }
    /* "X, the Russian presidential envoy for Afghanistan, said": skip the
     * appositive back to the name before it. */
    if (v > lower + 1 && punct_between(s, &at->tokens, v - 1))
        for (size_t i = v - 1; i > lower && v - i <= DESCRIPTION_MAX; i--)
            if (at->person_at_end[i - 1] != NONE && punct_between(s, &at->tokens, i - 1))
                return person_ref(at, at->person_at_end[i - 1]);
    for (size_t i = v; i > lower && v - i < 10;) {
        i--;
        if (at->person_at_end[i] != NONE)
            return person_ref(at, at->person_at_end[i]);
        if (is_pronoun(at, i)) {
            size_t who = last_person_before(at, quote_tok, ROLE_NONE, GAZETTEER_NONE);
            return who != NONE ? person_ref(at, who) : none;
        }
        int role = role_of(at, i);
        if (role == ROLE_OFFICIAL || role == ROLE_ANALYST)
            return description_ending(at, i, quote_tok);
        if (at->tok_entity[i] != NONE && at->tok_holds[i] && i + 1 == v) { /* not "in Doha" */
            speaker_ref r = {.person = NONE, .first = i, .last = i,
                             .entity = at->tok_entity[i], .found = 1};
            while (r.first > lower && at->tok_entity[r.first - 1] == at->tok_entity[i])
                r.first--;
            return r;
        }
    }
    return none;
}

/* A plain noun phrase just before the verb: "the agency said", "an
 * archivist noted". It names no country, except a definite issuer ("the
 * statement said", "the office added"), which speaks for the last state or
 * body before the quote. */
static speaker_ref plain_description(const attributor *at, const char *s, size_t v, size_t lower,
                                     size_t quote_tok)
{
    speaker_ref r = {.person = NONE, .entity = GAZETTEER_NONE};
    for (size_t i = v; i > lower && v - i < 4;) {
        i--;
        if (i + 1 < v && punct_between(s, &at->tokens, i))
            break;
        if (is_determiner(at, i)) {
            r.first = i;
            r.last = v - 1;
            r.found = i + 1 < v;
            if (r.found && word_is(at, i, "the") &&
                (holder_word(at, v - 1) & (HW_ORG | HW_STATE_ORG)))
                r.entity = agent_before(at, quote_tok);
            break;
        }
    }
    return r;
}

/* The speaker written just after the speech verb ending at token v-1. */
static speaker_ref speaker_after(const attributor *at, size_t v, size_t upper, size_t quote_tok)
{
    speaker_ref none = {.person = NONE, .entity = GAZETTEER_NONE};
    for (size_t i = v; i < upper && i - v < PREFIX_MAX; i++) {
        if (at->person_at_start[i] != NONE)
            return person_ref(at, at->person_at_start[i]);
        int role = role_of(at, i);
        if (role == ROLE_OFFICIAL || role == ROLE_ANALYST) {
            /* Take the whole description, "the EU's foreign policy chief",
             * up to its last role word. */
            size_t head = i;
            for (size_t j = i + 1; j < upper && j - i < PREFIX_MAX &&
                                   (role_of(at, j) != ROLE_NONE || at->tok_entity[j] != NONE);
                 j++)
                if (role_of(at, j) == ROLE_OFFICIAL || role_of(at, j) == ROLE_ANALYST)
                    head = j;
            size_t name = head + 1; /* past honorifics: "spokesman Qari Hamid Sadiq" */
            while (name < upper && name - head <= 2 && at->person_at_start[name] == NONE &&
                   strmap_find(&at->res->not_names, at->words[name], strlen(at->words[name])))
                name++;
            if (name < upper && at->person_at_start[name] != NONE)
                return person_ref(at, at->person_at_start[name]);
            return description_ending(at, head, quote_tok);
        }
        if (!(is_determiner(at, i) || role == ROLE_MODIFIER || role == ROLE_HONORIFIC ||
              at->tok_entity[i] != NONE))
            break;
    }
    return none;
}

/* A speech verb in tokens [from, to): the first one, or the last when last is set. */
static size_t find_verb(attributor *at, size_t from, size_t to, int last, size_t *len)
{
    size_t found = NONE;
    for (size_t i = from; i < to; i++) {
        size_t l;
        if (phrase_set_match(&at->res->verbs, &at->word_seq, to, i, NULL, &l, &at->scratch)) {
            found = i;
            *len = l;
            if (!last)
                break;
        }
    }
    return found;
}

static speaker_ref find_speaker(attributor *at, const char *s, const quote_span *q,
                                size_t next_open)
{
    speaker_ref none = {.person = NONE, .entity = GAZETTEER_NONE};
    size_t n = at->tokens.count;
    size_t open_tok = token_at(at, q->open);
    /* After the quote: `"…," said X`, `"…," X said`, `"…," he said`. */
    size_t a = token_at(at, q->close_end), upper = a;
    /* Only in the quote's own sentence: in `"…." The talks concluded`, the
     * verb has another subject and the attribution before the quote stands. */
    size_t sent = a > 0 ? at->tok_sent[a - 1] : NONE;
    while (upper < n && upper - a < AFTER_WINDOW && at->tok_para[upper] == q->last_paragraph &&
           at->tokens.items[upper].start < next_open && at->tok_sent[upper] == sent)
        upper++;
    size_t len;
    size_t v = find_verb(at, a, upper, 0, &len);
    speaker_ref after = none;
    if (v != NONE) {
        int according = word_is(at, v, "according");
        after = according ? none : speaker_before(at, s, v, a, open_tok);
        if (!after.found)
            after = speaker_after(at, v + len, upper, open_tok);
        if (!after.found && !according)
            after = plain_description(at, s, v, a, open_tok);
        after.verb = 1;
        if (after.found)
            return after;
        /* `X said Tehran would work "through dialogue" and denied reports`:
         * the verb after names nobody, the attribution before stands. */
    }
    /* Before it, in the same sentence: `X said: "…"`, `according to X, "…"`. */
    if (open_tok > 0 && at->tok_para[open_tok - 1] == q->paragraph) {
        size_t sentence = at->tok_sent[open_tok - 1], lower = open_tok - 1;
        while (lower > 0 && at->tok_sent[lower - 1] == sentence && open_tok - lower < BEFORE_WINDOW)
            lower--;
        v = find_verb(at, lower, open_tok, 1, &len);
        if (v != NONE) {
            speaker_ref r =
                word_is(at, v, "according") ? none : speaker_before(at, s, v, lower, open_tok);
            if (!r.found)
                r = speaker_after(at, v + len, open_tok, open_tok);
            if (r.found) {
                r.verb = 1;
                return r;
            }
        }
    }
    return after;
}

/* ---- which mentions hold a stance ------------------------------------------------------------ */

/* Tokens i-1 and i stand in the same sentence with no punctuation between. */
static int joined_before(const attributor *at, const char *s, size_t i)
{
    return i > 0 && at->tok_sent[i - 1] == at->tok_sent[i] && !punct_between(s, &at->tokens, i - 1);
}

/* A dateline: the capitalised place that opens one of the first paragraphs,
 * followed by punctuation ("DHAKA:", "KABUL, May 3 -"). It says where the
 * reporter is, not who holds a stance. */
static int is_dateline(const attributor *at, const char *s, size_t first, size_t last)
{
    if (at->tok_para[first] > 3 || (first > 0 && at->tok_para[first - 1] == at->tok_para[first]))
        return 0;
    const token *t = &at->tokens.items[first];
    for (size_t k = t->start; k < t->end; k++)
        if (s[k] >= 'a' && s[k] <= 'z')
            return 0;
    return last + 1 < at->tokens.count && punct_between(s, &at->tokens, last);
}

/* Token j is a participle hyphened to the word before it: "-funded", "-led". */
static int hyphen_participle(const attributor *at, const char *s, size_t j)
{
    const token *t = &at->tokens.items[j];
    const char *w = at->words[j];
    size_t len = strlen(w);
    return t->start == at->tokens.items[j - 1].end + 1 && s[t->start - 1] == '-' &&
           !starts_upper(s, t) && len > 3 && w[len - 2] == 'e' && w[len - 1] == 'd';
}

/* Token j follows a bracketed acronym that follows the word before it:
 * "Turkmenistan-Afghanistan-Pakistan-India (TAPI) pipeline". */
static int after_acronym(const attributor *at, const char *s, size_t j)
{
    if (j < 2 || j >= at->tokens.count || at->tok_sent[j - 2] != at->tok_sent[j])
        return 0;
    const token *a = &at->tokens.items[j - 2], *b = &at->tokens.items[j - 1],
                *c = &at->tokens.items[j];
    for (size_t k = b->start; k < b->end; k++)
        if (!(s[k] >= 'A' && s[k] <= 'Z'))
            return 0;
    size_t k = a->end;
    while (k < b->start && s[k] == ' ')
        k++;
    if (k + 1 != b->start || s[k] != '(' || s[b->end] != ')')
        return 0;
    for (k = b->end + 1; k < c->start; k++)
        if (s[k] != ' ')
            return 0;
    return 1;
}

/* The mention is the first part of another name: "the Doha Agreement", "the
 * China-Pakistan Economic Corridor", "Kazakh railway company". */
static int inside_other_name(const attributor *at, const char *s, size_t last)
{
    if (possessive(at, last))
        return 0;
    size_t n = at->tokens.count, j = last + 1, lower = 0;
    if (j < n && hyphen_participle(at, s, j))
        return 1; /* "Japanese-funded aid", "US-led forces" */
    while (j < n && j - last <= 8 &&
           (joined_before(at, s, j) || after_acronym(at, s, j) || after_acronym(at, s, j + 1))) {
        size_t hw = holder_word(at, j);
        if (hw & HW_PROPER)
            return 1;
        if (hw & HW_COMPANY)
            return 1;
        /* Further countries of a chain, the capitalised words of a name, or
         * up to two plain words ("Kazakh railway company"), but no article:
         * "Azerbaijan backs a corridor" is a sentence, not a name. */
        int chain = at->tok_entity[j] != NONE || starts_upper(s, &at->tokens.items[j]);
        if (!chain && (lower++ >= 2 || role_of(at, j) != ROLE_NONE || is_determiner(at, j)))
            return 0;
        j++;
    }
    return 0;
}

static int is_filler(const attributor *at, size_t i)
{
    static const char *const fillers[] = {"the", "its", "his", "her", "their", "and", "both",
                                          "other", "fellow", NULL};
    for (size_t k = 0; fillers[k]; k++)
        if (word_is(at, i, fillers[k]))
            return 1;
    return 0;
}

/* What the words before the mention make of it: a venue ("in Doha"), the
 * object of another's action ("urged Washington to"), background ("after
 * the US withdrawal"). */
static int object_or_setting(const attributor *at, const char *s, size_t first)
{
    size_t i = first, steps = 0;
    while (i > 0 && steps < 5 && at->tok_sent[i - 1] == at->tok_sent[first] &&
           !at->tokens.items[i].clause_break) {
        i--;
        steps++;
        size_t hw = holder_word(at, i);
        if (hw & (HW_OBJECT | HW_BACKGROUND | HW_VENUE))
            return 1;
        if ((word_is(at, i, "on") || word_is(at, i, "upon")) && i > 0 &&
            (holder_word(at, i - 1) & HW_OBJECT_ON))
            return 1;
        if (!(is_filler(at, i) || is_determiner(at, i) || at->tok_entity[i] != NONE))
            return 0;
        if (punct_between(s, &at->tokens, i) && s[at->tokens.items[i].end] != ',')
            return 0;
    }
    return 0;
}

static int is_past_year(const attributor *at, size_t i)
{
    const char *w = at->words[i];
    size_t len = strlen(w);
    if (!(len == 4 || (len == 5 && w[4] == 's')))
        return 0;
    for (size_t k = 0; k < 4; k++)
        if (w[k] < '0' || w[k] > '9')
            return 0;
    int year = atoi(w);
    return year >= 1900 && year <= 2020;
}

/* A clause of history: the words between commas around the mention name a
 * year before the Taliban's return ("which listed the group in 2003"). */
static int in_past_clause(const attributor *at, const char *s, size_t first, size_t last)
{
    size_t n = at->tokens.count, a = first, b = last;
    while (a > 0 && first - a < 12 && joined_before(at, s, a))
        a--;
    while (b + 1 < n && b - last < 12 && joined_before(at, s, b + 1))
        b++;
    for (size_t i = a; i <= b; i++)
        if (is_past_year(at, i))
            return 1;
    return 0;
}

static int is_first_person(const attributor *at, size_t i)
{
    static const char *const plural[] = {"we", "our", "ours", "ourselves", NULL};
    for (size_t k = 0; plural[k]; k++)
        if (word_is(at, i, plural[k]))
            return 1;
    return 0;
}

/* Whether a holder of the sentence (a holding mention marked so far, or
 * "we" outside quotes) comes before token i: one look-up, not a walk back
 * over the sentence, so a sentence of many mentions stays linear. */
static int holder_before(const attributor *at, size_t i)
{
    size_t first = at->sent_holder[at->tok_sent[i]];
    return first != NONE && first < i;
}

/* A side of something another holder of the sentence does or names:
 * "hosted talks between Pakistan and Afghanistan", "a corridor that links
 * Afghanistan with Turkmenistan", "Uzbekistan, which competes with
 * Kazakhstan". The words back to the side word may be fillers, other
 * countries, "with", "and" and commas. */
static int side_of_other(const attributor *at, size_t first)
{
    size_t sent = at->tok_sent[first], i = first, steps = 0;
    while (i > 0 && steps < 8 && at->tok_sent[i - 1] == sent) {
        i--;
        steps++;
        if ((holder_word(at, i) & HW_SIDE) &&
            !(word_is(at, i, "with") && i > 0 &&
              (word_is(at, i - 1, "together") || word_is(at, i - 1, "along")))) {
            return holder_before(at, i);
        }
        if (!(is_filler(at, i) || is_determiner(at, i) || at->tok_entity[i] != NONE ||
              word_is(at, i, "with")))
            return 0;
    }
    return 0;
}

/* The subject of a relative clause on another holder's act or words:
 * "keeps sanctions, a policy that Moscow regards as counterproductive",
 * "an asset that Washington and Islamabad need". The noun before the
 * relative pronoun opens with a determiner; "said that X" is no noun. */
static int relative_subject(const attributor *at, const char *s, size_t first)
{
    /* back over the subjects it is coordinated with: "that Washington and
     * Islamabad"; a few at most, so a list of hundreds stays linear */
    for (size_t steps = 0; steps < COORDINATED_MAX && first > 0 &&
                           at->tok_sent[first - 1] == at->tok_sent[first] &&
           (at->tok_entity[first - 1] != NONE || word_is(at, first - 1, "and") ||
            word_is(at, first - 1, "or"));
         steps++)
        first--;
    if (first < 3 || !(word_is(at, first - 1, "that") || word_is(at, first - 1, "which")) ||
        punct_between(s, &at->tokens, first - 2))
        return 0;
    size_t sent = at->tok_sent[first];
    for (size_t i = first - 2, steps = 0; steps < 3 && at->tok_sent[i] == sent; i--, steps++) {
        if (at->tok_verb[i] || at->tok_entity[i] != NONE || (steps && punct_between(s, &at->tokens, i)))
            return 0;
        if (is_determiner(at, i) || possessive(at, i))
            return steps > 0 && holder_before(at, i);
        if (i == 0)
            break;
    }
    return 0;
}

/* A country word naming a place or a thing on its ground: "near the
 * Turkmen border", "the Pakistani section of the pipeline". */
static int names_place(const attributor *at, const char *s, size_t last)
{
    return last + 1 < at->tokens.count && at->tok_sent[last + 1] == at->tok_sent[last] &&
           !punct_between(s, &at->tokens, last) && (holder_word(at, last + 1) & HW_PLACE);
}

static void mark_holding_mentions(attributor *at, const char *s)
{
    size_t n = at->tokens.count, sentences = n ? at->tok_sent[n - 1] + 1 : 0;
    memset(at->tok_holds, 0, n);
    grow_array((void **)&at->sent_holder, &at->sent_cap, sentences + 1, sizeof *at->sent_holder);
    for (size_t k = 0; k < sentences; k++)
        at->sent_holder[k] = NONE;
    for (size_t i = n; i-- > 0;)
        if (!at->tok_quote[i] && is_first_person(at, i))
            at->sent_holder[at->tok_sent[i]] = i;
    /* mentions come in text order, so the first holding one of a sentence is marked first */
    for (size_t k = 0; k < at->mentions.count; k++) {
        const gazetteer_mention *g = &at->mentions.items[k];
        int holds = g->entity != GAZETTEER_TARGET && g->entity != at->res->gz->afghanistan &&
                    !is_dateline(at, s, g->first, g->last) &&
                    !inside_other_name(at, s, g->last) && !object_or_setting(at, s, g->first) &&
                    !in_past_clause(at, s, g->first, g->last) && !side_of_other(at, g->first) &&
                    !names_place(at, s, g->last) && !relative_subject(at, s, g->first);
        for (size_t i = g->first; i <= g->last; i++)
            at->tok_holds[i] = (unsigned char)holds;
        size_t *first = &at->sent_holder[at->tok_sent[g->first]];
        if (holds && (*first == NONE || g->first < *first))
            *first = g->first;
    }
}

/* ---- holders ------------------------------------------------------------------------------- */

static void add_holder(const attributor *at, holder_list *h, size_t entity)
{
    if (entity == GAZETTEER_NONE || entity == GAZETTEER_TARGET ||
        entity == at->res->gz->afghanistan)
        return;
    for (size_t i = 0; i < h->count; i++)
        if (h->items[i] == entity)
            return;
    grow_array((void **)&h->items, &h->cap, h->count + 1, sizeof *h->items);
    h->items[h->count++] = entity;
}

/* The country an article is written from (its home) is its dateline's, else
 * the state or body it names most often. An official whose description names
 * no country ("Foreign Minister X") speaks for it. The dateline: a place in
 * capitals opening one of the first paragraphs ("DOHA —", "BEIJING, June 3
 * —"; KABUL stands for Afghanistan). */
static size_t dateline_country(const attributor *at, const char *s)
{
    const gazetteer *gz = at->res->gz;
    size_t n = at->tokens.count;
    for (size_t i = 0; i < n && at->tok_para[i] < 3; i++) {
        if (i > 0 && at->tok_para[i - 1] == at->tok_para[i])
            continue; /* only the first word of a paragraph */
        size_t e = at->tok_entity[i];
        const token *t = &at->tokens.items[i];
        int capitals = t->end - t->start >= 3;
        for (size_t k = t->start; k < t->end && capitals; k++)
            capitals = !(s[k] >= 'a' && s[k] <= 'z');
        if (capitals && e != NONE)
            return e == GAZETTEER_TARGET ? gz->afghanistan : e;
    }
    return GAZETTEER_NONE;
}

/* The state or body named most often, if named at least twice and more
 * often than any other. */
static size_t most_named(const attributor *at)
{
    const gazetteer *gz = at->res->gz;
    size_t best = GAZETTEER_NONE, best_count = 0, second = 0;
    size_t *counts = xcalloc(gz->count + 1, sizeof *counts);
    for (size_t m = 0; m < at->mentions.count; m++) {
        size_t e = at->mentions.items[m].entity;
        if (e != GAZETTEER_TARGET && e != gz->afghanistan)
            counts[e]++;
    }
    for (size_t e = 0; e < gz->count; e++) {
        if (counts[e] > best_count) {
            second = best_count;
            best_count = counts[e];
            best = e;
        } else if (counts[e] > second) {
            second = counts[e];
        }
    }
    free(counts);
    return best_count >= 2 && best_count > second ? best : GAZETTEER_NONE;
}

/* Target aliases that name the group or its government rather than a person. */
static int group_word(const char *w)
{
    static const char *const words[] = {"taliban", "taleban", "islamic", "emirate", "emirate's",
                                        "iea", "kabul", "government", "authorities",
                                        "administration", "regime", "rulers", "network", "afghan",
                                        "afghanistan", "interim", "caretaker", "de", "facto",
                                        "ministry", "foreign", NULL};
    for (size_t k = 0; words[k]; k++)
        if (strcmp(w, words[k]) == 0)
            return 1;
    return 0;
}

/* Target mentions written as a person's name ("Amir Khan Muttaqi"): every
 * word capitalised and none a word of the group's names. They become
 * persons speaking for Afghanistan instead of vanishing into the target. */
static void mark_target_persons(attributor *at, const char *s)
{
    memset(at->tok_tperson, 0, at->tokens.count);
    for (size_t m = 0; m < at->mentions.count; m++) {
        const gazetteer_mention *g = &at->mentions.items[m];
        if (g->entity != GAZETTEER_TARGET)
            continue;
        int name = 1;
        for (size_t i = g->first; i <= g->last && name; i++)
            name = starts_upper(s, &at->tokens.items[i]) && !group_word(at->words[i]);
        for (size_t i = g->first; i <= g->last && name; i++)
            at->tok_tperson[i] = 1;
    }
}

/* Whether mention m is exactly the words w1 w2. */
static int mention_is(const attributor *at, const gazetteer_mention *m, const char *w1,
                      const char *w2)
{
    return m->last == m->first + 1 && word_is(at, m->first, w1) && word_is(at, m->last, w2);
}

/* "the Foreign Office", or "FO" as South Asian papers write it. */
static int is_foreign_office(const attributor *at, const gazetteer_mention *m)
{
    return mention_is(at, m, "foreign", "office") ||
           (m->first == m->last && word_is(at, m->first, "fo"));
}

/* A state named just before mention m, joined to it ("Russia's Security
 * Council", "US National Security Council"): its index in mentions, or NONE. */
static size_t state_before(const attributor *at, const char *s, size_t m, size_t skip)
{
    const gazetteer *gz = at->res->gz;
    size_t first = at->mentions.items[m].first;
    if (m == 0 || first < skip + 1)
        return NONE;
    const gazetteer_mention *p = &at->mentions.items[m - 1];
    if (p->last + 1 + skip != first || p->entity >= gz->count || gz->entities[p->entity].is_body)
        return NONE;
    for (size_t i = p->last; i < first; i++)
        if (!tokens_joined(s, &at->tokens, i))
            return NONE;
    return m - 1;
}

static void set_mention_entity(attributor *at, size_t m, size_t entity)
{
    at->mentions.items[m].entity = entity;
    for (size_t i = at->mentions.items[m].first; i <= at->mentions.items[m].last; i++)
        at->tok_entity[i] = entity;
}

/* "the ministry said", "the Ministry added": the body the article named in
 * full before with the same head noun ("the Turkish Foreign Ministry", "the
 * Federal Ministry of the Interior") is shown as the speaker instead. Finds
 * the last such name that ends at or before the description; 1 with its
 * tokens, else 0. */
static int named_body_before(const attributor *at, const char *s, size_t desc_first,
                             size_t desc_last, size_t *name_first, size_t *name_last)
{
    static const char *const heads[] = {"ministry", "office", "embassy", "council",
                                        "committee", "commission", "department", "mission",
                                        "secretariat", NULL};
    if (desc_last - desc_first > 1 || (desc_last > desc_first && !word_is(at, desc_first, "the")))
        return 0;
    const char *head = at->words[desc_last];
    size_t h = 0;
    while (heads[h] && strcmp(heads[h], head) != 0)
        h++;
    if (!heads[h])
        return 0;
    size_t n = at->tokens.count;
    /* from the head itself: "the Federal Ministry of the Interior said" may
     * come as the description "Ministry" */
    for (size_t i = desc_last + 1; i-- > 0;) {
        if (strcmp(at->words[i], head) != 0 || !starts_upper(s, &at->tokens.items[i]))
            continue;
        size_t a = i, z = i;
        while (a > 0 && !punct_between(s, &at->tokens, a - 1) &&
               starts_upper(s, &at->tokens.items[a - 1]) && !is_determiner(at, a - 1) &&
               at->tok_sent[a - 1] == at->tok_sent[i])
            a--;
        /* "... Ministry of the Interior", "... Office for Migration" */
        size_t k = z + 1;
        if (k + 1 < n && (word_is(at, k, "of") || word_is(at, k, "for")) &&
            !punct_between(s, &at->tokens, z)) {
            k++;
            if (k + 1 < n && word_is(at, k, "the"))
                k++;
            if (starts_upper(s, &at->tokens.items[k]) && at->tok_sent[k] == at->tok_sent[i]) {
                z = k;
                while (z + 1 < n && !punct_between(s, &at->tokens, z) &&
                       starts_upper(s, &at->tokens.items[z + 1]) &&
                       at->tok_sent[z + 1] == at->tok_sent[i])
                    z++;
            }
        }
        if (z == a)
            continue; /* "Ministry" alone names nothing more */
        *name_first = a;
        *name_last = z;
        return 1;
    }
    return 0;
}

/* Names of organs that every state has, read in context: "National Security
 * Council" is a state's (the one before it, else the article's own), "the
 * Security Council" is Russia's after "Russia's"; "the Foreign Office" is the
 * UK's only when nothing makes it another country's: a state joined before
 * it, the dateline, a state in its sentence, or an article that never names
 * the UK otherwise. */
static void reassign_organs(attributor *at, const char *s)
{
    const gazetteer *gz = at->res->gz;
    size_t uk = gazetteer_lookup(gz, "GB"), uk_mentions = 0;
    for (size_t m = 0; m < at->mentions.count; m++)
        uk_mentions += at->mentions.items[m].entity == uk &&
                       !is_foreign_office(at, &at->mentions.items[m]);
    for (size_t m = 0; m < at->mentions.count; m++) {
        gazetteer_mention *g = &at->mentions.items[m];
        if (mention_is(at, g, "security", "council")) {
            int national = g->first > 0 && word_is(at, g->first - 1, "national");
            size_t st = state_before(at, s, m, (size_t)national);
            if (st != NONE) {
                /* One mention of the state from its name to "Council". */
                size_t e = at->mentions.items[st].entity, last = g->last;
                at->mentions.items[st].last = last;
                for (size_t i = at->mentions.items[st].first; i <= last; i++)
                    at->tok_entity[i] = e;
                memmove(g, g + 1, (at->mentions.count - m - 1) * sizeof *g);
                at->mentions.count--;
                m--;
            } else if (national && at->home < gz->count) {
                set_mention_entity(at, m, at->home);
            } else if (national) { /* a council of no state we know */
                for (size_t i = g->first; i <= g->last; i++)
                    at->tok_entity[i] = NONE;
                memmove(g, g + 1, (at->mentions.count - m - 1) * sizeof *g);
                at->mentions.count--;
                m--;
            }
        } else if (g->entity == uk && is_foreign_office(at, g)) {
            size_t st = state_before(at, s, m, 0), e = uk;
            if (st != NONE)
                e = at->mentions.items[st].entity;
            else if (at->dateline != GAZETTEER_NONE && at->dateline != gz->afghanistan)
                e = at->dateline;
            else {
                for (size_t k = 0; k < at->mentions.count && e == uk; k++) {
                    size_t ke = at->mentions.items[k].entity;
                    if (at->tok_sent[at->mentions.items[k].first] == at->tok_sent[g->first] &&
                        ke < gz->count && ke != uk && !gz->entities[ke].is_body &&
                        ke != gz->afghanistan)
                        e = ke;
                }
                if (e == uk && uk_mentions == 0 && at->home != GAZETTEER_NONE &&
                    at->home < gz->count && !gz->entities[at->home].is_body)
                    e = at->home;
            }
            if (e != uk)
                set_mention_entity(at, m, e);
        }
    }
}

/* ---- the whole article ----------------------------------------------------------------------- */

static void prepare(attributor *at, const char *s, size_t len, const segment_list *paragraphs)
{
    tokenize(s, 0, len, &at->tokens);
    size_t n = at->tokens.count;
    if (n + 1 > at->tok_cap) {
        size_t cap = n + 1;
        at->tok_para = xrealloc(at->tok_para, cap * sizeof(size_t));
        at->tok_sent = xrealloc(at->tok_sent, cap * sizeof(size_t));
        at->tok_entity = xrealloc(at->tok_entity, cap * sizeof(size_t));
        at->person_at_end = xrealloc(at->person_at_end, cap * sizeof(size_t));
        at->person_at_start = xrealloc(at->person_at_start, cap * sizeof(size_t));
        at->tok_quote = xrealloc(at->tok_quote, cap * sizeof(size_t));
        at->tok_verb = xrealloc(at->tok_verb, cap);
        at->tok_holds = xrealloc(at->tok_holds, cap);
        at->tok_tperson = xrealloc(at->tok_tperson, cap);
        at->tok_cap = cap;
    }
    grow_array((void **)&at->words, &at->words_cap, n + 1, sizeof *at->words);
    for (size_t i = 0; i < n; i++) {
        at->words[i] = token_norm(&at->tokens, i);
        at->tok_entity[i] = at->person_at_end[i] = at->person_at_start[i] = NONE;
    }
    word_seq_set(&at->word_seq, at->words, n);
    /* Sentences of every paragraph, in order. */
    at->sentences.count = 0;
    for (size_t p = 0; p < paragraphs->count; p++) {
        segment_sentences(s, paragraphs->items[p].start, paragraphs->items[p].end,
                          &at->res->abbreviations, &at->para_sentences);
        for (size_t k = 0; k < at->para_sentences.count; k++) {
            grow_array((void **)&at->sentences.items, &at->sentences.cap, at->sentences.count + 1,
                       sizeof *at->sentences.items);
            at->sentences.items[at->sentences.count++] = at->para_sentences.items[k];
        }
    }
    size_t p = 0, sent = 0;
    for (size_t i = 0; i < n; i++) {
        size_t start = at->tokens.items[i].start;
        while (p + 1 < paragraphs->count && paragraphs->items[p].end <= start)
            p++;
        while (sent + 1 < at->sentences.count && at->sentences.items[sent].end <= start)
            sent++;
        at->tok_para[i] = p;
        at->tok_sent[i] = sent;
    }
    gazetteer_find(at->res->gz, s, &at->tokens, &at->mentions);
    for (size_t m = 0; m < at->mentions.count; m++)
        for (size_t i = at->mentions.items[m].first; i <= at->mentions.items[m].last; i++)
            at->tok_entity[i] = at->mentions.items[m].entity;
    at->dateline = dateline_country(at, s);
    at->home = at->dateline != GAZETTEER_NONE ? at->dateline : most_named(at);
    mark_target_persons(at, s);
    reassign_organs(at, s);
}

/* ---- holders across sentences ---------------------------------------------------------------- */

/* Marks the tokens inside quotes and where speech verbs start. */
static void mark_quotes_and_verbs(attributor *at, const quote_list *quotes)
{
    size_t n = at->tokens.count;
    memset(at->tok_quote, 0, n * sizeof *at->tok_quote);
    for (size_t k = 0; k < quotes->count; k++)
        for (size_t i = token_at(at, quotes->items[k].start);
             i < n && at->tokens.items[i].end <= quotes->items[k].end; i++)
            at->tok_quote[i] = k + 1;
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        at->tok_verb[i] = 0;
        if (phrase_set_match(&at->res->verbs, &at->word_seq, n, i, NULL, &len, &at->scratch))
            at->tok_verb[i] = (unsigned char)(len < 255 ? len : 255);
    }
}

/* Whether a speech verb starts within three tokens after head, in its sentence. */
static int verb_follows(const attributor *at, size_t head)
{
    for (size_t k = head + 1; k < at->tokens.count && k <= head + 3; k++) {
        if (at->tok_sent[k] != at->tok_sent[head])
            return 0;
        if (at->tok_verb[k])
            return 1;
    }
    return 0;
}

/* Token i opens its sentence or follows punctuation (a comma, a quote mark). */
static int subject_place(const attributor *at, const char *s, size_t i)
{
    return i == 0 || at->tok_sent[i - 1] != at->tok_sent[i] || punct_between(s, &at->tokens, i - 1);
}

enum { REF_NONE, REF_PERSON, REF_ROLE, REF_ORG, REF_STATE_ORG };

/* A referring subject at token i: "he", "the minister", "the ministry",
 * "the statement", "the Kingdom". Sets *head to its last word. */
static int referring_subject(const attributor *at, size_t i, size_t limit, size_t *head)
{
    *head = i;
    if (is_pronoun(at, i))
        return REF_PERSON;
    if (word_is(at, i, "it"))
        return REF_ORG;
    if (!word_is(at, i, "the"))
        return REF_NONE;
    int kind = REF_NONE;
    for (size_t j = i + 1; j < limit && j <= i + 4; j++) {
        if (at->tok_entity[j] != NONE || at->person_at_start[j] != NONE)
            return REF_NONE; /* a name follows: "the Chinese foreign ministry" */
        size_t hw = holder_word(at, j);
        int role = role_of(at, j);
        if (hw & HW_STATE_ORG)
            kind = REF_STATE_ORG;
        else if (hw & HW_ORG)
            kind = REF_ORG;
        else if (role == ROLE_OFFICIAL)
            kind = REF_ROLE;
        else if (role != ROLE_MODIFIER)
            break;
        *head = j;
    }
    size_t last;
    if (kind != REF_NONE && of_entity(at, *head, &last) != GAZETTEER_NONE)
        return REF_NONE; /* "the Embassy of Japan" names its state */
    return kind;
}

/* Tokens from i name a ministry as a proper name: "Ministry of Foreign
 * Affairs", "Foreign Ministry", capitalised, with no country. */
static int capitalised_ministry(const attributor *at, const char *s, size_t i)
{
    for (size_t j = i; j < at->tokens.count && j < i + 3; j++) {
        if (at->tok_entity[j] != NONE || !starts_upper(s, &at->tokens.items[j]))
            return 0;
        if (word_is(at, j, "ministry"))
            return 1;
    }
    return 0;
}

/* The entity a referring subject at token i names, from what came before. */
static size_t resolve_subject(const attributor *at, const char *s, int kind, size_t i,
                              size_t last_agent)
{
    const gazetteer *gz = at->res->gz;
    size_t who;
    switch (kind) {
    case REF_PERSON:
        who = last_person_before(at, i, ROLE_NONE, GAZETTEER_NONE);
        return who != NONE ? at->persons[who].entity : GAZETTEER_NONE;
    case REF_ROLE:
        who = last_person_before(at, i, ROLE_OFFICIAL, GAZETTEER_NONE);
        return who != NONE ? at->persons[who].entity : last_agent;
    case REF_STATE_ORG:
        /* "The Ministry of Foreign Affairs said", written as a name with no
         * country: the ministry of the country the article is filed from. */
        if (at->dateline != GAZETTEER_NONE && capitalised_ministry(at, s, i + 1))
            return at->dateline;
        return last_agent < gz->count && !gz->entities[last_agent].is_body ? last_agent
                                                                           : GAZETTEER_NONE;
    case REF_ORG:
        return last_agent;
    default:
        return GAZETTEER_NONE;
    }
}

/* The holders of the sentence of tokens [a, b) into h: the states and
 * bodies it names that may hold a stance, the countries of the officials
 * who speak in it, and what its referring subjects resolve to.
 * *last_agent follows who acts from sentence to sentence: the first state
 * or body of a sentence, or the target when it comes first. */
static void sentence_holders(attributor *at, const char *s, size_t a, size_t b, holder_list *h,
                             size_t *last_agent)
{
    const gazetteer *gz = at->res->gz;
    size_t first_agent = GAZETTEER_NONE;
    for (size_t i = a; i < b; i++) {
        size_t e = at->tok_entity[i];
        /* Once per mention; "ISLAMABAD: Pakistan said" is two mentions of
         * one state, of which only the second holds. */
        if (e != NONE && (i == a || at->tok_entity[i - 1] != e ||
                          at->tok_holds[i - 1] != at->tok_holds[i])) {
            /* An official's quote holds the stance of the official's country,
             * not of the states it names ("The United States should ..."). */
            size_t k = at->tok_quote[i];
            if (k && at->quotes[k - 1].speaker_entity != GAZETTEER_NONE &&
                at->quotes[k - 1].speaker_entity != gz->afghanistan)
                continue;
            if (at->tok_holds[i]) {
                add_holder(at, h, e);
                if (first_agent == GAZETTEER_NONE)
                    first_agent = e;
            } else if ((e == GAZETTEER_TARGET || e == gz->afghanistan) && i - a < 5 &&
                       first_agent == GAZETTEER_NONE) {
                first_agent = GAZETTEER_TARGET;
                /* "The Taliban said ...", "Taliban spokesman X said ..." */
                h->taliban |= (i == a || (i == a + 1 && is_determiner(at, a))) && h->count == 0;
            }
            continue;
        }
        if (at->tok_quote[i])
            continue;
        size_t who = at->person_at_start[i];
        if (who != NONE) {
            size_t last = i;
            while (last + 1 < b && at->person_at_start[last + 1] == NONE &&
                   at->person_at_end[last] != who)
                last++;
            if (subject_place(at, s, i) || verb_follows(at, last) || role_of(at, i - (i > 0)) ==
                                                                          ROLE_OFFICIAL) {
                size_t pe = at->persons[who].entity;
                add_holder(at, h, pe);
                if (first_agent == GAZETTEER_NONE && pe != GAZETTEER_NONE)
                    first_agent = pe == gz->afghanistan ? GAZETTEER_TARGET : pe;
                h->taliban |= pe == gz->afghanistan && h->count == 0;
            }
            continue;
        }
        size_t head;
        int kind = referring_subject(at, i, b, &head);
        if (kind == REF_NONE || !(subject_place(at, s, i) || verb_follows(at, head)))
            continue;
        size_t r = resolve_subject(at, s, kind, i, *last_agent);
        add_holder(at, h, r);
        if (r != GAZETTEER_NONE) {
            h->resolved = 1;
            if (first_agent == GAZETTEER_NONE)
                first_agent = r == gz->afghanistan ? GAZETTEER_TARGET : r;
        }
        h->taliban |= (r == gz->afghanistan || r == GAZETTEER_TARGET) && h->count == 0;
        i = head;
    }
    if (first_agent != GAZETTEER_NONE)
        *last_agent = first_agent;
}

/* The issuer of an article that is one government's statement or speech:
 * its body speaks in the first person plural outside quotes in at least a
 * third of its paragraphs (and two), and its headline or first paragraph
 * names the issuer. GAZETTEER_NONE otherwise. */
static size_t statement_issuer(const attributor *at, const segment_list *paragraphs)
{
    size_t n = at->tokens.count, body = 0, first_person = 0;
    size_t issuer = GAZETTEER_NONE;
    size_t i = 0;
    for (size_t p = 0; p < paragraphs->count; p++) {
        size_t words = 0, we = 0;
        for (; i < n && at->tok_para[i] == p; i++) {
            words++;
            if (!at->tok_quote[i] && is_first_person(at, i))
                we = 1;
            if (p < 2 && issuer == GAZETTEER_NONE && at->tok_holds[i])
                issuer = at->tok_entity[i];
        }
        if (p > 0 && words >= 8) {
            body++;
            first_person += we;
        }
    }
    if (first_person < 2 || 3 * first_person < body)
        return GAZETTEER_NONE;
    return issuer != GAZETTEER_NONE ? issuer : at->home;
}

/* A headline or subheading that is only a quoted phrase takes the speaker
 * of the later quote that repeats it. */
static void headline_quotes(attributor *at, const segment_list *paragraphs,
                            const quote_list *quotes)
{
    for (size_t k = 0; k < quotes->count; k++) {
        const quote_span *q = &quotes->items[k];
        const segment_span *par = &paragraphs->items[q->paragraph];
        size_t first = token_at(at, q->start), tail = token_at(at, q->close_end);
        size_t par_end_tok = token_at(at, par->end);
        if (q->paragraph != q->last_paragraph || tail + 3 < par_end_tok ||
            first + 4 > at->tokens.count || at->tokens.items[first].start - q->open > 4 ||
            q->open > par->start + 4)
            continue;
        for (size_t k2 = k + 1; k2 < quotes->count; k2++) {
            if (quotes->items[k2].paragraph == q->paragraph)
                continue;
            size_t a = token_at(at, quotes->items[k2].start);
            int found = 0;
            for (; a + 4 <= at->tokens.count &&
                   at->tokens.items[a + 3].end <= quotes->items[k2].end && !found;
                 a++) {
                found = 1;
                for (size_t d = 0; d < 4 && found; d++)
                    found = strcmp(at->words[a + d], at->words[first + d]) == 0;
            }
            if (!found)
                continue;
            quote_attribution *qa = &at->quotes[k], *src = &at->quotes[k2];
            free(qa->speaker);
            qa->speaker = src->speaker ? xstrdup(src->speaker) : NULL;
            qa->speaker_entity = src->speaker_entity;
            qa->holders.count = 0;
            for (size_t h = 0; h < src->holders.count; h++)
                add_holder(at, &qa->holders, src->holders.items[h]);
            break;
        }
    }
}

static void grow_results(attributor *at, size_t quotes, size_t paragraphs)
{
    if (quotes > at->quotes_cap) {
        at->quotes = xrealloc(at->quotes, quotes * sizeof *at->quotes);
        memset(at->quotes + at->quotes_cap, 0, (quotes - at->quotes_cap) * sizeof *at->quotes);
        at->quotes_cap = quotes;
    }
    if (paragraphs > at->paragraphs_cap) {
        at->paragraphs = xrealloc(at->paragraphs, paragraphs * sizeof *at->paragraphs);
        memset(at->paragraphs + at->paragraphs_cap, 0,
               (paragraphs - at->paragraphs_cap) * sizeof *at->paragraphs);
        at->paragraphs_cap = paragraphs;
    }
}

static void clear_holders(holder_list *h)
{
    h->count = 0;
    h->resolved = h->speaks = h->target = h->taliban = h->furniture = 0;
}

void attribute_doc(attributor *at, const char *s, size_t len, const segment_list *paragraphs,
                   const quote_list *quotes, doc_attribution *out)
{
    reset_people(at);
    reset_result(at);
    prepare(at, s, len, paragraphs);
    mark_quotes_and_verbs(at, quotes);
    mark_holding_mentions(at, s);
    find_people(at, s);
    find_described_speakers(at);
    size_t n = at->tokens.count;
    const gazetteer *gz = at->res->gz;
    grow_results(at, quotes->count, paragraphs->count);
    for (size_t p = 0; p < paragraphs->count; p++)
        clear_holders(&at->paragraphs[p]);

    speaker_ref previous = {.person = NONE, .entity = GAZETTEER_NONE};
    for (size_t k = 0; k < quotes->count; k++) {
        const quote_span *q = &quotes->items[k];
        quote_attribution *qa = &at->quotes[k];
        clear_holders(&qa->holders);
        size_t next_open = k + 1 < quotes->count ? quotes->items[k + 1].open : len;
        speaker_ref r = find_speaker(at, s, q, next_open);
        if (!r.found && !r.verb) {
            /* An unattributed quote goes on with the last speaker; the first
             * one of an article belongs to the person just named ("X said
             * on Tuesday that ... / "..."). */
            r = previous;
            size_t who = previous.found ? NONE
                                        : last_person_before(at, token_at(at, q->open), ROLE_NONE,
                                                             GAZETTEER_NONE);
            if (who != NONE)
                r = person_ref(at, who);
        }
        previous = r;
        qa->speaker = NULL;
        qa->speaker_entity = GAZETTEER_NONE;
        if (r.found && r.person != NONE) {
            const person *p = &at->persons[r.person];
            qa->speaker = text_nfc_dup(s + p->name_start, p->name_end - p->name_start);
            qa->speaker_entity = p->entity;
        } else if (r.found) {
            size_t first = r.first, last = r.last;
            named_body_before(at, s, r.first, r.last, &first, &last);
            size_t a = at->tokens.items[first].start, z = at->tokens.items[last].end;
            qa->speaker = text_nfc_dup(s + a, z - a);
            qa->speaker_entity = r.entity;
        }
        qa->holders.speaks = 1;
        if (qa->speaker_entity != GAZETTEER_NONE && qa->speaker_entity != gz->afghanistan) {
            add_holder(at, &qa->holders, qa->speaker_entity);
        } else {
            /* An analyst's or a Taliban spokesman's words hold the stance
             * of the states they describe. */
            for (size_t i = token_at(at, q->start); i < n && at->tokens.items[i].end <= q->end; i++)
                if (at->tok_holds[i])
                    add_holder(at, &qa->holders, at->tok_entity[i]);
        }
        for (size_t i = token_at(at, q->start); i < n && at->tokens.items[i].end <= q->end; i++)
            if (at->tok_entity[i] == GAZETTEER_TARGET)
                qa->holders.target = 1;
    }
    headline_quotes(at, paragraphs, quotes);

    /* Paragraphs: their sentences, then the countries of their speakers. */
    size_t last_agent = GAZETTEER_NONE;
    int names_target = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && at->tok_sent[b] == at->tok_sent[a] && at->tok_para[b] == at->tok_para[a])
            b++;
        holder_list *h = &at->paragraphs[at->tok_para[a]];
        sentence_holders(at, s, a, b, h, &last_agent);
        for (size_t i = a; i < b; i++) {
            if (at->tok_entity[i] == GAZETTEER_TARGET)
                h->target = names_target = 1;
            if (at->tok_entity[i] == gz->afghanistan)
                names_target = 1;
            if (at->tok_verb[i] && !at->tok_quote[i])
                h->speaks = 1;
        }
        for (size_t k = 0; k < quotes->count; k++)
            if (quotes->items[k].close_end > at->tokens.items[a].start &&
                quotes->items[k].close_end <= at->tokens.items[b - 1].end + 2 &&
                at->quotes[k].speaker_entity != GAZETTEER_NONE)
                last_agent = at->quotes[k].speaker_entity == gz->afghanistan
                                 ? GAZETTEER_TARGET
                                 : at->quotes[k].speaker_entity;
        a = b;
    }
    for (size_t k = 0; k < quotes->count; k++) {
        holder_list *h = &at->paragraphs[quotes->items[k].paragraph];
        add_holder(at, h, at->quotes[k].speaker_entity);
        h->speaks |= at->quotes[k].speaker != NULL;
    }
    for (size_t p = 0; p < paragraphs->count; p++)
        if (furniture_paragraph(s, paragraphs->items[p].start, paragraphs->items[p].end)) {
            clear_holders(&at->paragraphs[p]);
            at->paragraphs[p].furniture = 1;
        }
    size_t issuer = statement_issuer(at, paragraphs);
    if (issuer != GAZETTEER_NONE)
        for (size_t i = 0, p = 0; p < paragraphs->count; p++) {
            int we = 0;
            for (; i < n && at->tok_para[i] == p; i++)
                we |= !at->tok_quote[i] && is_first_person(at, i);
            holder_list *h = &at->paragraphs[p];
            /* Not the Taliban's own words reported in it, nor its furniture. */
            if (!h->furniture && (we || (h->count == 0 && p > 0 && !h->taliban))) {
                add_holder(at, h, issuer);
                h->resolved = h->speaks = 1;
            }
        }

    out->quotes = at->quotes;
    out->quote_count = quotes->count;
    out->paragraphs = at->paragraphs;
    out->paragraph_count = paragraphs->count;
    out->names_target = names_target;
}

const token_list *attribute_tokens(const attributor *at)
{
    return &at->tokens;
}

int attribute_sentence_at(const attributor *at, size_t offset, segment_span *out)
{
    size_t lo = 0, hi = at->sentences.count; /* sentences are in order */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (at->sentences.items[mid].end <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == at->sentences.count || at->sentences.items[lo].start > offset)
        return 0;
    *out = at->sentences.items[lo];
    return 1;
}
