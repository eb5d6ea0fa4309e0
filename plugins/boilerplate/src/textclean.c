/*
 * Text mode: the page was already reduced to text by a scraper, with the page's junk still in
 * it. Works line by line: drops prompts ("Share", "Advertisement", newsletter and cookie
 * notices), bylines, date and copyright lines, photo captions and credits, truncated caption
 * tails, lone fragments and repeated short lines; keeps every other line, headline included.
 */
#include "bp_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct line {
    const char *s;
    size_t n;
    int words;
    int drop;
} line;

/* ASCII classes as the C locale has them (sluice never sets a locale), inline: these run on
 * every byte of every line. */
static inline int a_space(unsigned char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}
static inline int a_alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* Lower-case ASCII copy with surrounding punctuation and spaces removed. */
static size_t squash(const char *s, size_t n, char *out, size_t cap) {
    while (n && !a_alnum((unsigned char)*s) && (unsigned char)*s < 0x80)
        s++, n--;
    while (n && !a_alnum((unsigned char)s[n - 1]) && (unsigned char)s[n - 1] < 0x80)
        n--;
    size_t j = 0;
    int sp = 0;
    for (size_t i = 0; i < n && j + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (a_space(c)) {
            sp = 1;
            continue;
        }
        if (sp && j)
            out[j++] = ' ';
        sp = 0;
        if (j + 1 < cap)
            out[j++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[j] = '\0';
    return j;
}

static int starts(const char *s, const char *p) {
    return strncmp(s, p, strlen(p)) == 0;
}

/* Whole-line prompts, compared after squash(). */
static const char *const exact[] = {
    "share",
    "share this",
    "share this article",
    "share this story",
    "share this post",
    "share on facebook",
    "share on twitter",
    "share via email",
    "tweet",
    "email",
    "print",
    "facebook",
    "twitter",
    "linkedin",
    "whatsapp",
    "pinterest",
    "reddit",
    "copy link",
    "advertisement",
    "advertisements",
    "advertising",
    "ad",
    "ads",
    "sponsored",
    "sponsored content",
    "promoted",
    "promoted content",
    "story continues below",
    "story continues below advertisement",
    "article continues below",
    "continue reading",
    "continue reading below",
    "read more",
    "read next",
    "read also",
    "see also",
    "related",
    "related articles",
    "related stories",
    "related content",
    "related posts",
    "more stories",
    "recommended",
    "recommended for you",
    "most popular",
    "most read",
    "trending",
    "trending now",
    "comments",
    "comment",
    "leave a comment",
    "show comments",
    "view comments",
    "loading",
    "loading comments",
    "click to expand",
    "click here",
    "back to top",
    "skip to content",
    "skip to main content",
    "menu",
    "search",
    "close",
    "next",
    "previous",
    "home",
    "subscribe",
    "subscribe now",
    "sign up",
    "sign in",
    "log in",
    "login",
    "register",
    "follow us",
    "follow",
    "like",
    "image",
    "photo",
    "video",
    "watch",
    "listen",
    "play",
    "gallery",
    "view gallery",
    "enlarge",
    "enlarge this image",
    "toggle caption",
    "hide caption",
    "image source",
    "image caption",
    "media caption",
    "photo credit",
    "getty images",
    "all rights reserved",
    "top",
    "accept",
    "accept cookies",
    "ok",
    "got it",
    "x",
};

/* Line openings that mark prompts, notices and credits. */
static const char *const prefixes[] = {
    "share this",
    "share on ",
    "follow us",
    "follow me",
    "follow @",
    "subscribe to",
    "subscribe for",
    "sign up for",
    "sign up to",
    "click here",
    "tap here",
    "read more:",
    "read more at",
    "read more about",
    "related:",
    "see also:",
    "more:",
    "also read",
    "also see",
    "copyright",
    "all rights reserved",
    "photo:",
    "photos:",
    "image:",
    "images:",
    "credit:",
    "photo credit",
    "photograph:",
    "picture:",
    "pictured:",
    "caption:",
    "file photo",
    "source:",
    "getty images",
    "ap photo",
    "reuters/",
    "afp/",
    "we use cookies",
    "this site uses cookies",
    "this website uses cookies",
    "by using this site",
    "by continuing to",
    "get the latest",
    "get our newsletter",
    "join our newsletter",
    "download our app",
    "download the app",
    "posted by",
    "published by",
    "written by",
    "reporting by",
    "editing by",
    "additional reporting",
    "contact us",
    "send us",
    "advertisement",
    "sponsored by",
    "don't miss",
    "do not miss",
    "watch:",
    "video:",
    "listen:",
    "updated:",
    "published:",
    "last updated",
    "first published",
    "posted:",
    "posted on",
    "published on",
    "updated on",
};

/* Anywhere in a short line: notices and credits that article sentences do not contain. */
static const char *const contains[] = {
    "all rights reserved",
    "\xC2\xA9",
    "(c) 20",
    "(c) 19",
    "cookie policy",
    "privacy policy",
    "terms of use",
    "terms of service",
    "sign up for our",
    "subscribe to our",
    "in your inbox",
    "follow us on",
    "like us on facebook",
    "getty images",
    "ap photo",
    "(photo:",
    "(photo by",
    "(image:",
    "photo courtesy",
    "/ap)",
    "afp/",
    "/afp",
    "reuters/",
    "shutterstock",
    "istock",
    "uses cookies",
    "use cookies",
};

/* bp_junk_phrase() on a line of n bytes already squashed into low (k bytes, untruncated up
 * to 400 bytes: a shorter copy would give the same answers). */
static int junk_phrase_squashed(const char *low, size_t k, size_t n) {
    if (n > 400)
        return 0;
    if (!k)
        return 1; /* punctuation or symbols only */
    /* The first letters differ for nearly every line: test them before the whole strings. */
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++)
        if (exact[i][0] == low[0] && !strcmp(low, exact[i]))
            return 1;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (prefixes[i][0] == low[0] && starts(low, prefixes[i]))
            return 1;
    if (n <= 160)
        for (size_t i = 0; i < sizeof contains / sizeof *contains; i++)
            if (strstr(low, contains[i]))
                return 1;
    return 0;
}

int bp_junk_phrase(const char *s, size_t n) {
    char low[512];
    if (n > 400)
        return 0;
    return junk_phrase_squashed(low, squash(s, n, low, sizeof low), n);
}

static int count_words(const char *s, size_t n) {
    int w = 0, prev_space = 1;
    for (size_t i = 0; i < n; i++) { /* branch-free: a word starts where a space ends */
        int sp = a_space((unsigned char)s[i]);
        w += (!sp) & prev_space;
        prev_space = sp;
    }
    return w;
}

static int is_terminal(const char *s, size_t n) {
    static const char *const ends[] = {
        ".", "!", "?", "\"",           "\xE2\x80\x9D", "\xE2\x80\x99",
        "'", ")", ":", "\xE3\x80\x82", "\xC2\xBB",     "\xE2\x80\xA6"};
    while (n && a_space((unsigned char)s[n - 1]))
        n--;
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        size_t k = strlen(ends[i]);
        if (n >= k && !memcmp(s + n - k, ends[i], k))
            return 1;
    }
    return 0;
}

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};

/* A date at the end of the line ("Friday, Aug. 26, 2016." / "26 August 2016"). */
static int trailing_date(const char *low) {
    size_t n = strlen(low);
    while (n && (low[n - 1] == '.' || low[n - 1] == ' ' || low[n - 1] == ')'))
        n--;
    if (n < 4 || !isdigit((unsigned char)low[n - 1]) || !isdigit((unsigned char)low[n - 4]))
        return 0;
    size_t from = n > 28 ? n - 28 : 0;
    for (size_t i = from; i < n; i++)
        for (size_t m = 0; m < 12; m++)
            if (!strncmp(low + i, months[m], 3) && (i == 0 || low[i - 1] == ' '))
                return 1;
    return 0;
}

/* "By Jane Doe", "By Jane Doe and John Roe, Reuters": names, so capitalised words. */
static int byline(const char *s, size_t n, int words) {
    if (words > 8 || n < 4 || strncmp(s, "By ", 3) != 0 || is_terminal(s, n))
        return 0;
    int caps = 0, lower = 0;
    for (size_t i = 3; i < n; i++)
        if (i == 3 || s[i - 1] == ' ') {
            if (isupper((unsigned char)s[i]))
                caps++;
            else if (islower((unsigned char)s[i]) && strncmp(s + i, "and ", 4) != 0)
                lower++;
        }
    return caps >= 1 && lower == 0;
}

/* Whether a lower-case word is a month or weekday name or abbreviation ("aug", "friday"). */
static int calendar_word(const char *w, size_t n) {
    static const char *const names[] = {"january",   "february", "march",    "april",     "may",
                                        "june",      "july",     "august",   "september", "sept",
                                        "october",   "november", "december", "monday",    "tuesday",
                                        "wednesday", "thursday", "friday",   "saturday",  "sunday"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t k = strlen(names[i]);
        if ((n == k || (n == 3 && k > 3)) && !strncmp(w, names[i], n))
            return 1;
    }
    return 0;
}

/* A line made only of a date or time: every word a number, a calendar name or a filler word
 * ("Posted Monday, Aug. 26, 2016 at 10:30 am", "3 hours ago"). */
static int date_line(const char *low, int words) {
    static const char *const filler[] = {
        "at",    "on",     "of",      "am",      "pm",     "gmt",       "utc",  "est", "edt",
        "et",    "bst",    "cet",     "updated", "posted", "published", "last", "ago", "hour",
        "hours", "minute", "minutes", "mins",    "day",    "days",      "the",  "th",  "st",
        "nd",    "rd",     "a",       "m",       "p",      "h",         "hrs",  "and"};
    if (words > 10)
        return 0;
    int numbers = 0;
    const char *p = low;
    while (*p) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        if (!*p)
            break;
        const char *w = p;
        int digit = 0;
        while (*p && isalnum((unsigned char)*p))
            digit |= isdigit((unsigned char)*p++) != 0;
        size_t n = (size_t)(p - w);
        if (digit) {
            numbers++;
            continue;
        }
        int ok = calendar_word(w, n);
        for (size_t i = 0; !ok && i < sizeof filler / sizeof *filler; i++)
            ok = strlen(filler[i]) == n && !strncmp(w, filler[i], n);
        if (!ok)
            return 0;
    }
    return numbers > 0;
}

int bp_junk_line(const char *s, size_t n) {
    char low[512];
    if (bp_junk_phrase(s, n))
        return 1;
    if (n >= sizeof low)
        return 0;
    int words = count_words(s, n);
    squash(s, n, low, sizeof low);
    return byline(s, n, words) || date_line(low, words);
}

/* Photo captions: "X, left, and Y, right, walk to ...  Friday, Aug. 26, 2016." */
static int caption(const char *low) {
    static const char *const position[] = {
        ", left,",   ", right,",      ", center,",     ", centre,",     "(l)",
        "(r)",       "(c)",           "(left)",        "(right)",       "(center)",
        "from left", "left to right", "(l-r)",         "l-r:",          ", left)",
        ", right)",  ", foreground,", ", background,", ", second left", ", second right"};
    static const char *const verbs[] = {"walk to",
                                        "walks to",
                                        "poses ",
                                        "pose ",
                                        "looks on",
                                        "look on",
                                        "gestures",
                                        "gesture ",
                                        "is seen",
                                        "are seen",
                                        "speaks during",
                                        "speaks to",
                                        "speak to",
                                        "attends",
                                        "arrives",
                                        "shakes hands",
                                        "shake hands",
                                        "listens",
                                        "waves ",
                                        "smiles",
                                        "brief the press",
                                        "briefs the press",
                                        "pictured",
                                        "stands ",
                                        "sits ",
                                        "holds up",
                                        "reacts",
                                        "celebrates",
                                        "greets",
                                        "prior to a",
                                        "during a meeting",
                                        "during a press",
                                        "during a news",
                                        "meets with",
                                        "at a news conference"};
    static const char *const weekdays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                           "friday", "saturday", "sunday"};
    /* A caption needs a verb and a position marker or a date: look for the verbs, the
     * longest list, only when one of the others is there. */
    int pos = 0, verb = 0;
    for (size_t i = 0; i < sizeof position / sizeof *position && !pos; i++)
        pos = strstr(low, position[i]) != NULL;
    int date = trailing_date(low);
    if (pos && date)
        return 1;
    if (!pos && !date)
        return 0;
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs && !verb; i++)
        verb = strstr(low, verbs[i]) != NULL;
    if (!verb)
        return 0;
    if (pos)
        return 1;
    /* without a position marker, ask for the agency caption's "..., Friday, Aug. 26, 2016." */
    size_t n = strlen(low);
    const char *tail = low + (n > 40 ? n - 40 : 0);
    for (size_t i = 0; i < 7; i++)
        if (strstr(tail, weekdays[i]))
            return 1;
    return 0;
}

/* "... brief the press in Geneva. UN": a sentence, then a short unterminated tail, the mark
 * of a caption or credit cut off by the scraper. */
static int truncated_tail(const char *s, size_t n) {
    if (is_terminal(s, n))
        return 0;
    size_t i = n;
    while (i > 1 && !((s[i - 1] == ' ') && (s[i - 2] == '.' || s[i - 2] == '!' || s[i - 2] == '?')))
        i--;
    if (i <= 1)
        return 0;
    return count_words(s + i, n - i) <= 3 && count_words(s, i) >= 4;
}

int bp_clean_text(const char *text, size_t len, const bp_options *opt, bp_result *res) {
    (void)opt;
    memset(res, 0, sizeof *res);
    strcpy(res->charset, "utf-8");
    res->charset_source = "input";
    line *lines = NULL;
    size_t nl = 0, cap = 0;
    for (size_t i = 0; i < len;) {
        const char *nl_at = memchr(text + i, '\n', len - i);
        size_t j = nl_at ? (size_t)(nl_at - text) : len;
        size_t a = i, b = j;
        while (a < b && a_space((unsigned char)text[a]))
            a++;
        while (b > a && a_space((unsigned char)text[b - 1]))
            b--;
        if (b > a) {
            if (nl == cap) {
                cap = cap ? cap * 2 : 64;
                line *nlines = realloc(lines, cap * sizeof *nlines);
                if (!nlines) {
                    free(lines);
                    return -1;
                }
                lines = nlines;
            }
            lines[nl].s = text + a;
            lines[nl].n = b - a;
            lines[nl].words = count_words(text + a, b - a);
            lines[nl].drop = 0;
            nl++;
        }
        i = j + 1;
    }
    res->lines_in = (int)nl;
    char low[1024];
    for (size_t i = 0; i < nl; i++) {
        line *l = &lines[i];
        size_t k = squash(l->s, l->n, low, sizeof low);
        if (junk_phrase_squashed(low, k, l->n) || byline(l->s, l->n, l->words) ||
            date_line(low, l->words) || (l->n < sizeof low && caption(low)) ||
            truncated_tail(l->s, l->n))
            l->drop = 1;
    }
    /* repeated short lines are page furniture; a repeated long line is kept once */
    for (size_t i = 0; i < nl; i++) {
        for (size_t j = i + 1; j < nl; j++) {
            if (lines[j].n != lines[i].n || memcmp(lines[j].s, lines[i].s, lines[i].n))
                continue;
            lines[j].drop = 1;
            if (lines[i].words < 8)
                lines[i].drop = 1;
        }
    }
    /* lone fragments: one or two words without an end mark, not the headline slot */
    int seen_kept = 0;
    for (size_t i = 0; i < nl; i++) {
        line *l = &lines[i];
        if (l->drop)
            continue;
        if (seen_kept && l->words <= 2 && !is_terminal(l->s, l->n))
            l->drop = 1;
        else
            seen_kept = 1;
    }
    bp_buf out = {0};
    int first = 1;
    for (size_t i = 0; i < nl; i++) {
        if (lines[i].drop) {
            res->lines_dropped++;
            continue;
        }
        if (first && lines[i].words <= 20 && !is_terminal(lines[i].s, lines[i].n)) {
            res->title = bp_strndup(lines[i].s, lines[i].n);
            if (!res->title)
                out.oom = 1;
        }
        first = 0;
        if (out.len)
            bp_buf_put(&out, "\n\n", 2);
        bp_buf_put(&out, lines[i].s, lines[i].n);
        res->paragraphs++;
    }
    free(lines);
    if (out.oom) {
        bp_buf_free(&out);
        bp_result_free(res);
        return -1;
    }
    res->text = out.data ? out.data : calloc(1, 1);
    res->text_len = out.len;
    res->article_found = res->paragraphs > 0;
    if (!res->text) {
        bp_result_free(res);
        return -1;
    }
    return 0;
}
