#include "attribute.h"
#include "alloc.h"
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

enum { ROLE_NONE, ROLE_OFFICIAL, ROLE_ANALYST, ROLE_MODIFIER };

struct attribute_resources {
    gazetteer *gz;
    phrase_set verbs;
    strmap roles; /* word -> ROLE_* */
    strmap not_names;
    strmap abbreviations;
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
    size_t tok_cap;
    const char **words;
    size_t words_cap;
    word_seq word_seq; /* words with lengths and hashes, for phrase matching */
    person *persons;
    size_t person_count, person_cap;
    strmap by_full, by_surname; /* folded name -> latest person with it */
    person_mention *pmentions;
    size_t pmention_count, pmention_cap;
    size_t home; /* the article's own country: its dateline, else the most named */
    strbuf scratch, fold;
    quote_attribution *quotes;
    size_t quotes_cap;
    holder_list *paragraphs;
    size_t paragraphs_cap;
};

/* ---- resources --------------------------------------------------------------------- */

typedef struct {
    strmap *map;
    const char *const *allowed; /* NULL: any second column */
} set_ctx;

static int add_word(void *ctx, char **cols, size_t ncols, const char *where, stance_error *err)
{
    set_ctx *sc = ctx;
    size_t value = 1;
    if (ncols == 2) {
        static const char *const roles[] = {"", "official", "analyst", "modifier"};
        value = 0;
        for (size_t r = 1; r < 4; r++)
            if (strcmp(cols[1], roles[r]) == 0)
                value = r;
        if (!value)
            return stance_error_set(err, STANCE_E_MODEL, where,
                                    "role must be official, analyst or modifier, not '%s'",
                                    cols[1]);
    }
    strbuf folded = {0};
    text_fold(&folded, cols[0], strlen(cols[0]));
    strmap_insert(sc->map, folded.data, folded.len, value, NULL);
    strbuf_free(&folded);
    return STANCE_OK;
}

static int load_words(const char *dir, const char *name, size_t cols, strmap *map,
                      stance_error *err)
{
    strbuf path = {0};
    strbuf_addf(&path, "%s/%s", dir, name);
    set_ctx sc = {.map = map};
    int rc = lexicon_read(path.data, cols, cols, add_word, &sc, NULL, err);
    strbuf_free(&path);
    return rc;
}

attribute_resources *attribute_resources_load(const char *dir, stance_error *err)
{
    attribute_resources *res = xcalloc(1, sizeof *res);
    strbuf path = {0};
    strbuf_addf(&path, "%s/speech_verbs.txt", dir);
    int ok = (res->gz = gazetteer_load(dir, err)) != NULL &&
             phrase_set_load(&res->verbs, path.data, NULL, 1, NULL, err) == STANCE_OK &&
             load_words(dir, "roles.tsv", 2, &res->roles, err) == STANCE_OK &&
             load_words(dir, "not_names.txt", 1, &res->not_names, err) == STANCE_OK &&
             load_words(dir, "abbreviations.txt", 1, &res->abbreviations, err) == STANCE_OK;
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
    free(res);
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

static int word_is(const attributor *at, size_t i, const char *w)
{
    return strcmp(at->words[i], w) == 0;
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

/* A capitalised word that may be part of a person's name. */
static int name_word(const attributor *at, const char *s, size_t i)
{
    return starts_upper(s, &at->tokens.items[i]) && at->tok_entity[i] == NONE &&
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
    for (size_t k = tokens->items[i].end; k < tokens->items[i + 1].start; k++)
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

/* Reads the description around a new person's first mention: the title
 * words before the name and an appositive after it. */
static void describe_person(attributor *at, const char *s, person *p, size_t run_first,
                            size_t name_first, size_t name_last)
{
    size_t n = at->tokens.count;
    int role = ROLE_NONE;
    size_t entity = GAZETTEER_NONE;
    size_t pre = run_first, steps = 0;
    while (pre > 0 && steps < PREFIX_MAX && !punct_between(s, &at->tokens, pre - 1) &&
           at->tok_para[pre - 1] == at->tok_para[name_first] &&
           (role_of(at, pre - 1) != ROLE_NONE || at->tok_entity[pre - 1] != NONE ||
            is_determiner(at, pre - 1))) {
        pre--;
        steps++;
    }
    if (pre < name_first)
        describe(at, pre, name_first - 1, &role, &entity);
    /* "China's ambassador, Wu Jiancheng," / "a deputy spokesman of the
     * Islamic Emirate, Hamidullah Tarin,": a description just before the
     * comma that precedes the name. */
    if (role == ROLE_NONE && run_first == name_first && name_first > 1 &&
        punct_between(s, &at->tokens, name_first - 1) &&
        s[at->tokens.items[name_first - 1].end] == ',') {
        size_t end = name_first - 1, first = end;
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
    p->role = role;
    if (role == ROLE_OFFICIAL && entity == GAZETTEER_NONE)
        entity = at->home;
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
        while (j + 1 < n && space_joined(s, &at->tokens, j) &&
               (starts_upper(s, &at->tokens.items[j + 1]) ||
                (is_particle(at, j + 1) && j + 2 < n && space_joined(s, &at->tokens, j + 1) &&
                 starts_upper(s, &at->tokens.items[j + 2]))))
            j++;
        size_t k = j + 1;
        while (k > i && (name_word(at, s, k - 1) || (k - 1 > i && is_particle(at, k - 1))))
            k--;
        size_t first = k, last = j;
        if (first <= last && !is_particle(at, first)) {
            strbuf_reset(&at->fold);
            for (size_t t = first; t <= last; t++)
                strbuf_addf(&at->fold, "%s%s", t > first ? " " : "", at->words[t]);
            size_t words = last - first + 1;
            size_t who = find_person(at, at->fold.data, at->words[last], words);
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
    size_t entity = GAZETTEER_NONE;
    describe(at, first, head, &role, &entity);
    if (word_is(at, first, "the")) {
        size_t who = last_person_before(at, quote_tok, role, entity);
        if (who != NONE)
            return person_ref(at, who);
    }
    r.first = first;
    r.last = head;
    if (role == ROLE_OFFICIAL && entity == GAZETTEER_NONE)
        entity = at->home;
    r.entity = role == ROLE_OFFICIAL ? entity : GAZETTEER_NONE;
    r.found = 1;
    return r;
}

/* The speaker written just before token v (the speech verb). */
static speaker_ref speaker_before(const attributor *at, const char *s, size_t v, size_t lower,
                                  size_t quote_tok)
{
    speaker_ref none = {.person = NONE, .entity = GAZETTEER_NONE};
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
        if (at->tok_entity[i] != NONE && at->tok_entity[i] != GAZETTEER_TARGET && i + 1 == v) {
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
 * archivist noted". It names the speaker but no country. */
static speaker_ref plain_description(const attributor *at, const char *s, size_t v, size_t lower)
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
            if (head + 1 < upper && at->person_at_start[head + 1] != NONE)
                return person_ref(at, at->person_at_start[head + 1]);
            return description_ending(at, head, quote_tok);
        }
        if (!(is_determiner(at, i) || role == ROLE_MODIFIER || at->tok_entity[i] != NONE))
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
    while (upper < n && upper - a < AFTER_WINDOW && at->tok_para[upper] == q->last_paragraph &&
           at->tokens.items[upper].start < next_open)
        upper++;
    size_t len;
    size_t v = find_verb(at, a, upper, 0, &len);
    if (v != NONE) {
        int according = word_is(at, v, "according");
        speaker_ref r = according ? none : speaker_before(at, s, v, a, open_tok);
        if (!r.found)
            r = speaker_after(at, v + len, upper, open_tok);
        if (!r.found && !according)
            r = plain_description(at, s, v, a);
        r.verb = 1;
        return r;
    }
    /* Before it, in the same sentence: `X said: "…"`, `according to X, "…"`. */
    if (open_tok > 0 && at->tok_para[open_tok - 1] == q->paragraph) {
        size_t sentence = at->tok_sent[open_tok - 1], lower = open_tok - 1;
        while (lower > 0 && at->tok_sent[lower - 1] == sentence && open_tok - lower < BEFORE_WINDOW)
            lower--;
        v = find_verb(at, lower, open_tok, 1, &len);
        if (v != NONE) {
            speaker_ref r = word_is(at, v, "according") ? none : speaker_before(at, s, v, lower, open_tok);
            if (!r.found)
                r = speaker_after(at, v + len, open_tok, open_tok);
            if (r.found) {
                r.verb = 1;
                return r;
            }
        }
    }
    return none;
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

/* The country an article is written from: a dateline in capitals opening
 * one of its first paragraphs ("DOHA —", "BEIJING, June 3 —"; KABUL stands
 * for Afghanistan), else the state or body it names most often, if named at
 * least twice and more often than any other. An official whose description
 * names no country ("Foreign Minister X") speaks for it. */
static size_t home_country(const attributor *at, const char *s)
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

/* ---- the whole article ------------------------------------------------------------------------ */

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
    at->home = home_country(at, s);
}

void attribute_doc(attributor *at, const char *s, size_t len, const segment_list *paragraphs,
                   const quote_list *quotes, doc_attribution *out)
{
    reset_people(at);
    reset_result(at);
    prepare(at, s, len, paragraphs);
    find_people(at, s);
    size_t n = at->tokens.count;

    if (quotes->count > at->quotes_cap) {
        at->quotes = xrealloc(at->quotes, quotes->count * sizeof *at->quotes);
        memset(at->quotes + at->quotes_cap, 0, (quotes->count - at->quotes_cap) * sizeof *at->quotes);
        at->quotes_cap = quotes->count;
    }
    if (paragraphs->count > at->paragraphs_cap) {
        at->paragraphs = xrealloc(at->paragraphs, paragraphs->count * sizeof *at->paragraphs);
        memset(at->paragraphs + at->paragraphs_cap, 0,
               (paragraphs->count - at->paragraphs_cap) * sizeof *at->paragraphs);
        at->paragraphs_cap = paragraphs->count;
    }
    for (size_t p = 0; p < paragraphs->count; p++)
        at->paragraphs[p].count = 0;

    speaker_ref previous = {.person = NONE, .entity = GAZETTEER_NONE};
    for (size_t k = 0; k < quotes->count; k++) {
        const quote_span *q = &quotes->items[k];
        quote_attribution *qa = &at->quotes[k];
        qa->holders.count = 0;
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
            qa->speaker = xstrndup(s + p->name_start, p->name_end - p->name_start);
            qa->speaker_entity = p->entity;
        } else if (r.found) {
            size_t a = at->tokens.items[r.first].start, z = at->tokens.items[r.last].end;
            qa->speaker = xstrndup(s + a, z - a);
            qa->speaker_entity = r.entity;
        }
        if (qa->speaker_entity != GAZETTEER_NONE && qa->speaker_entity != at->res->gz->afghanistan) {
            add_holder(at, &qa->holders, qa->speaker_entity);
        } else {
            for (size_t i = token_at(at, q->start); i < n && at->tokens.items[i].end <= q->end; i++)
                add_holder(at, &qa->holders, at->tok_entity[i]);
        }
    }
    /* Paragraphs: the states and bodies they name, then their speakers' countries. */
    for (size_t i = 0; i < n; i++)
        add_holder(at, &at->paragraphs[at->tok_para[i]], at->tok_entity[i]);
    for (size_t k = 0; k < quotes->count; k++)
        add_holder(at, &at->paragraphs[quotes->items[k].paragraph], at->quotes[k].speaker_entity);

    out->quotes = at->quotes;
    out->quote_count = quotes->count;
    out->paragraphs = at->paragraphs;
    out->paragraph_count = paragraphs->count;
}
