/* furniture.c - bylines, captions, teasers and credits (see furniture.h). */
#include "furniture.h"

#include <string.h>
#include <strings.h>

/* Labels that open furniture, compared without case. */
static const char *const opening_labels[] = {
    "photo:",        "photo caption:", "caption:",      "picture:",     "image:",
    "file photo:",   "photograph:",    "read more:",    "also read:",   "read also:",
    "related:",      "see also:",      "watch:",        "video:",       "listen:",
    "reporting by ", "(reporting by ", "editing by ",   "(editing by ", "writing by ",
    "(writing by ",  "compiled by ",   "(compiled by ", NULL};

/* Credits that close a caption. */
static const char *const closing_credits[] = {"(file)", "(file photo)", "(photo)", "(file image)",
                                              NULL};

static int starts_with_label(const char *s, size_t len)
{
    for (size_t k = 0; opening_labels[k]; k++) {
        size_t n = strlen(opening_labels[k]);
        if (len >= n && strncasecmp(s, opening_labels[k], n) == 0)
            return 1;
    }
    return 0;
}

static int ends_with_credit(const char *s, size_t len)
{
    for (size_t k = 0; closing_credits[k]; k++) {
        size_t n = strlen(closing_credits[k]);
        if (len >= n && strncasecmp(s + len - n, closing_credits[k], n) == 0)
            return 1;
    }
    /* "(Photo: agency)", "(AP Photo/name)" */
    const char *open = NULL;
    for (size_t i = len; i-- > 0 && !open;)
        if (s[i] == '(')
            open = s + i;
    if (!open || s[len - 1] != ')')
        return 0;
    size_t rest = len - (size_t)(open - s);
    return (rest > 7 && strncasecmp(open, "(photo:", 7) == 0) ||
           (rest > 10 && strncasecmp(open, "(ap photo", 9) == 0);
}

/* "By Name Surname", "By Name, City", "By our correspondent": short, no
 * sentence end, no quotation. */
static int is_byline(const char *s, size_t len)
{
    if (len < 4 || len > 120 || strncmp(s, "By ", 3) != 0)
        return 0;
    if (!(s[3] >= 'A' && s[3] <= 'Z') && strncmp(s + 3, "our ", 4) != 0 &&
        strncmp(s + 3, "the ", 4) != 0)
        return 0;
    size_t words = 1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"' || (unsigned char)s[i] == 0xe2 || s[i] == ';')
            return 0; /* a quotation or a list: a sentence, not a byline */
        if (s[i] == ' ')
            words++;
    }
    char last = s[len - 1];
    return words <= 12 && last != '.' && last != '?' && last != '!';
}

int furniture_paragraph(const char *s, size_t start, size_t end)
{
    if (end <= start)
        return 0;
    const char *p = s + start;
    size_t len = end - start;
    return starts_with_label(p, len) || ends_with_credit(p, len) || is_byline(p, len);
}
