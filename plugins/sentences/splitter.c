/*
 * Rule-based sentence splitting over core tokens.
 *
 * One pass over the tokens. A sentence ends after terminal punctuation (with the closing quotes,
 * brackets and citation marks that follow it) when the word before the period and the word
 * after it agree that it is an end; it also ends before line breaks (by the line_breaks mode),
 * bullets, the next item of a numbered list and separator lines, and after a dateline.
 */
#include "splitter.h"

#include "lexicon.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* --- configuration --- */

void sp_config_init(sp_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->line_breaks = SP_LB_AUTO;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The length of word without its final periods. */
static size_t abbrev_len(const char *word) {
    size_t len = word ? strlen(word) : 0;
    while (len > 0 && word[len - 1] == '.')
        len--;
    return len;
}

int sp_abbrev_valid(const char *word) {
    size_t len = abbrev_len(word);
    return len > 0 && len <= 63;
}

int sp_config_add_abbrev(sp_config *cfg, const char *word) {
    if (!sp_abbrev_valid(word))
        return SL_EINVAL;
    size_t len = abbrev_len(word);
    char *s = malloc(len + 1);
    if (!s)
        return SL_ENOMEM;
    for (size_t i = 0; i < len; i++)
        s[i] = (char)(word[i] >= 'A' && word[i] <= 'Z' ? word[i] + 32 : word[i]);
    s[len] = '\0';
    char **v = realloc(cfg->abbrevs, (cfg->n_abbrevs + 1) * sizeof *v);
    if (!v) {
        free(s);
        return SL_ENOMEM;
    }
    cfg->abbrevs = v;
    v[cfg->n_abbrevs++] = s;
    qsort(v, cfg->n_abbrevs, sizeof *v, cmp_str);
    return SL_OK;
}

void sp_config_free(sp_config *cfg) {
    for (size_t i = 0; i < cfg->n_abbrevs; i++)
        free(cfg->abbrevs[i]);
    free(cfg->abbrevs);
    sp_config_init(cfg);
}

void sp_spans_free(sp_spans *spans) {
    free(spans->v);
    spans->v = NULL;
    spans->n = spans->cap = 0;
}

/* --- the pass --- */

typedef struct ctx {
    const sp_config *cfg;
    const unsigned char *t;
    size_t len;
    const sl_token *tok;
    size_t n;
    int wrap_known; /* line statistics are computed on the first single line break */
    int wrapped;
    size_t max_line;
    long list_next;   /* the list item expected next: a number, or a letter; 0 for none */
    int lower_writer; /* -1 unknown; 1 when the text writes "i" for "I": no capitals to trust */
    sp_spans *out;
} ctx;

/* Kinds of terminal punctuation. */
enum term {
    T_NONE = 0,
    T_PERIOD,   /* . */
    T_ABBR,     /* a word that carries its period: U.S. Mr. E. */
    T_ELLIPSIS, /* ... … */
    T_MULTI,    /* .... (ellipsis plus period) */
    T_QE,       /* ? ! ?! and their kin */
    T_FULL      /* 。 and full-width ．: always an end */
};

/* What comes after a candidate end. */
enum next { NX_END, NX_LOWER, NX_UPPER, NX_DIGIT, NX_PUNCT, NX_OTHER };

/* What the word before a period is. */
enum wclass {
    W_NONE,
    W_PLAIN,
    W_NUMBER,
    W_SYMBOL,
    W_INITIAL_UP,
    W_INITIAL_LOW,
    W_DOTTED,
    W_TIME,
    W_TITLE,
    W_NUMBERED,
    W_EXAMPLE,
    W_ABBR
};

#define TP(c, i) ((c)->t + (c)->tok[i].start)
#define TL(c, i) ((c)->tok[i].end - (c)->tok[i].start)

static inline int tok_eq(const ctx *c, size_t i, const char *s) {
    size_t l = strlen(s); /* inlined: a constant */
    return TL(c, i) == l && memcmp(TP(c, i), s, l) == 0;
}

/* Whether p[0, l) is the string s: strlen(s) == l && memcmp(p, s, l) == 0, in one pass. */
static inline int lit_eq(const unsigned char *p, size_t l, const char *s) {
    for (size_t k = 0; k < l; k++)
        if (s[k] == '\0' || (unsigned char)s[k] != p[k])
            return 0;
    return s[l] == '\0';
}

static int tok_in(const ctx *c, size_t i, const char *const *set) {
    const unsigned char *p = TP(c, i);
    size_t l = TL(c, i);
    for (; *set; set++)
        if ((unsigned char)(*set)[0] == p[0] && lit_eq(p, l, *set))
            return 1;
    return 0;
}

static const char *const closers[] = {")",
                                      "]",
                                      "}",
                                      "\"",
                                      "'",
                                      "''",
                                      "\xE2\x80\x9D",
                                      "\xE2\x80\x99",
                                      "\xC2\xBB",
                                      "\xE2\x80\xBA",
                                      "\xE3\x80\x8D",
                                      "\xE3\x80\x8F",
                                      NULL};
static const char *const openers[] = {"(",
                                      "[",
                                      "{",
                                      "\"",
                                      "'",
                                      "`",
                                      "``",
                                      "\xE2\x80\x9C",
                                      "\xE2\x80\x98",
                                      "\xC2\xAB",
                                      "\xE2\x80\xB9",
                                      "\xE3\x80\x8C",
                                      "\xE3\x80\x8E",
                                      NULL};
static const char *const bullets[] = {
    "\xE2\x80\xA2", "\xE2\x80\xA3", "\xE2\x81\x83", "\xE2\x97\xA6", "\xE2\x96\xAA", "\xE2\x96\xAB",
    "\xE2\x97\x8F", "\xE2\x96\xA0", "\xE2\x88\x99", "\xE2\x97\x8B", "\xE2\x96\xBA", NULL};
static const char *const dashes[] = {"-", "--", "\xE2\x80\x94", "\xE2\x80\x93", NULL};

static enum term terminal(const ctx *c, size_t i) {
    const sl_token *k = &c->tok[i];
    const unsigned char *p = TP(c, i);
    size_t l = TL(c, i);
    if (k->kind == SL_TOK_WORD)
        return l > 1 && p[l - 1] == '.' ? T_ABBR : T_NONE;
    if (k->kind != SL_TOK_PUNCT)
        return T_NONE;
    switch (p[0]) {
    case '.':
        return l == 1 ? T_PERIOD : l <= 3 ? T_ELLIPSIS : T_MULTI;
    case '?':
    case '!':
        return T_QE;
    case 0xE2: /* … ‼ ⁇ ⁈ ⁉ ‽ */
        if (l == 3 && p[1] == 0x80 && p[2] == 0xA6)
            return T_ELLIPSIS;
        if (l == 3 && ((p[1] == 0x80 && (p[2] == 0xBC || p[2] == 0xBD)) ||
                       (p[1] == 0x81 && p[2] >= 0x87 && p[2] <= 0x89)))
            return T_QE;
        return T_NONE;
    case 0xE3: /* 。 */
        return l == 3 && p[1] == 0x80 && p[2] == 0x82 ? T_FULL : T_NONE;
    case 0xEF: /* ！ ？ ． */
        if (l == 3 && p[1] == 0xBC && (p[2] == 0x81 || p[2] == 0x9F))
            return T_QE;
        return l == 3 && p[1] == 0xBC && p[2] == 0x8E ? T_FULL : T_NONE;
    default:
        return T_NONE;
    }
}

/* A separator line such as *** or =====: a sentence of its own. */
static int separator(const ctx *c, size_t i) {
    const unsigned char *p = TP(c, i);
    size_t l = TL(c, i);
    if (c->tok[i].kind != SL_TOK_PUNCT || l < 3)
        return 0;
    if (!(p[0] == '*' || p[0] == '_' || (l >= 5 && (p[0] == '=' || p[0] == '-' || p[0] == '~'))))
        return 0;
    /* Only when it stands alone: "***NOTICE***" is a word in a frame. */
    return (i == 0 || (c->tok[i].flags & SL_TOKF_SPACE_BEFORE)) &&
           (i + 1 == c->n || (c->tok[i + 1].flags & SL_TOKF_SPACE_BEFORE));
}

static inline int is_bullet(const ctx *c, size_t i) {
    unsigned k = c->tok[i].kind;
    return (k == SL_TOK_PUNCT || k == SL_TOK_SYMBOL) && TL(c, i) == 3 && tok_in(c, i, bullets);
}

/* Whether token i begins with a lower-case letter (any script). */
static int lower_initial(const ctx *c, size_t i) {
    const unsigned char *p = TP(c, i);
    if (p[0] < 0x80)
        return p[0] >= 'a' && p[0] <= 'z';
    utf8proc_int32_t cp;
    if (utf8proc_iterate(p, (utf8proc_ssize_t)TL(c, i), &cp) <= 0)
        return 0;
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

/* The class of the first real token from j on (skipping opening quotes and brackets). */
static enum next next_class(const ctx *c, size_t j, size_t *at) {
    size_t skipped = 0;
    while (j < c->n && skipped < 3 && c->tok[j].kind == SL_TOK_PUNCT && tok_in(c, j, openers)) {
        j++;
        skipped++;
    }
    *at = j;
    if (j >= c->n)
        return skipped ? NX_OTHER : NX_END;
    const sl_token *k = &c->tok[j];
    switch (k->kind) {
    case SL_TOK_WORD:
        if (k->flags & SL_TOKF_UPPER_INITIAL)
            return NX_UPPER;
        return lower_initial(c, j) ? NX_LOWER : NX_UPPER;
    case SL_TOK_CLITIC:
        return NX_LOWER;
    case SL_TOK_NUMBER:
        return NX_DIGIT;
    case SL_TOK_PUNCT:
        /* Bullets and separators start sentences through break_before(); a comma or an
         * emoticon ":)" after a period belongs to what came before. */
        return is_bullet(c, j) || separator(c, j) ? NX_OTHER : NX_PUNCT;
    case SL_TOK_EMOJI:
        return NX_PUNCT;
    default:
        return NX_OTHER;
    }
}

static int user_abbrev(const ctx *c, const unsigned char *w, size_t l) {
    char buf[64];
    if (c->cfg->n_abbrevs == 0 || l == 0 || l >= sizeof buf)
        return 0;
    for (size_t i = 0; i < l; i++)
        buf[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
    buf[l] = '\0';
    const char *key = buf;
    return bsearch(&key, c->cfg->abbrevs, c->cfg->n_abbrevs, sizeof(char *), cmp_str) != NULL;
}

/* Classify the word before the period of terminal i; *wtok gets its token (or n). */
static enum wclass word_class(const ctx *c, size_t i, enum term tm, size_t *wtok) {
    const unsigned char *w;
    size_t l;
    *wtok = c->n;
    if (tm == T_ABBR) {
        w = TP(c, i);
        l = TL(c, i) - 1;
        *wtok = i;
    } else {
        if (i == 0 || (c->tok[i].flags & SL_TOKF_SPACE_BEFORE))
            return W_NONE;
        *wtok = i - 1;
        switch (c->tok[i - 1].kind) {
        case SL_TOK_WORD:
            break;
        case SL_TOK_NUMBER:
            return W_NUMBER;
        case SL_TOK_SYMBOL:
        case SL_TOK_OTHER:
            return W_SYMBOL;
        case SL_TOK_PUNCT:
            return W_NONE;
        default:
            return W_PLAIN;
        }
        w = TP(c, i - 1);
        l = TL(c, i - 1);
    }
    if (user_abbrev(c, w, l))
        return W_ABBR;
    /* The tokenizer marks the abbreviations it knows (core/abbreviations.def), with a class. */
    unsigned f = c->tok[*wtok].flags;
    if (f & SL_TOKF_ABBREV)
        return (f & SL_TOKF_ABBREV_TITLE)    ? W_TITLE
               : (f & SL_TOKF_ABBREV_NUMBER) ? W_NUMBERED
               : (f & SL_TOKF_ABBREV_NO_END) ? W_EXAMPLE
                                             : W_ABBR;
    if (memchr(w, '.', l)) {
        /* "a.m" "P.M": the word without its final period */
        if (l == 3 && ((w[0] | 32) == 'a' || (w[0] | 32) == 'p') && (w[2] | 32) == 'm')
            return W_TIME;
        return W_DOTTED;
    }
    utf8proc_int32_t cp;
    if (l == 1 || (w[0] >= 0x80 && utf8proc_iterate(w, (utf8proc_ssize_t)l, &cp) ==
                                       (utf8proc_ssize_t)l)) /* one letter: an initial */
        return (c->tok[*wtok].flags & SL_TOKF_UPPER_INITIAL) ? W_INITIAL_UP : W_INITIAL_LOW;
    return W_PLAIN;
}

/* The first token of the sentence that starts at s0, past any bullets. */
static size_t content_start(const ctx *c, size_t s0) {
    while (s0 < c->n && is_bullet(c, s0))
        s0++;
    return s0;
}

/* A list marker "1." "a." "iv)" parsed from token i; 0 when it is not one. */
static long marker_value(const ctx *c, size_t i) {
    const unsigned char *p = TP(c, i);
    size_t l = TL(c, i);
    unsigned kind = c->tok[i].kind;
    if (kind == SL_TOK_NUMBER && l > 1 && l <= 3 && p[l - 1] == '.')
        l--; /* "1." opening a line is one token */
    if (kind == SL_TOK_NUMBER && l <= 2) {
        long v = 0;
        for (size_t k = 0; k < l; k++) {
            if (p[k] < '0' || p[k] > '9')
                return 0;
            v = v * 10 + (p[k] - '0');
        }
        return v;
    }
    if (kind == SL_TOK_WORD && l == 2 && p[1] == '.' &&
        ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')))
        return 1000 + (p[0] | 32); /* letters live above the numbers */
    return 0;
}

/* Whether token i is the next item of the list in progress: "2." or "2)" or "b.". */
static int next_list_item(const ctx *c, size_t i) {
    if (c->list_next == 0 || !(c->tok[i].flags & SL_TOKF_SPACE_BEFORE))
        return 0;
    if (marker_value(c, i) != c->list_next)
        return 0;
    if (c->list_next > 1000)
        return 1;
    return i + 1 < c->n && (tok_eq(c, i + 1, ".") || tok_eq(c, i + 1, ")"));
}

/* Line statistics: is this text hard-wrapped at a fixed width? */
static void line_stats(ctx *c) {
    size_t lines = 0, max = 0, start = 0;
    for (size_t i = 0; i <= c->len; i++) {
        if (i == c->len || c->t[i] == '\n') {
            size_t l = i - start;
            if (l > 0) {
                lines++;
                if (l > max)
                    max = l;
            }
            start = i + 1;
        }
    }
    size_t longish = 0;
    start = 0;
    for (size_t i = 0; i <= c->len; i++) {
        if (i == c->len || c->t[i] == '\n') {
            size_t l = i - start;
            if (l > 0 && l * 10 >= max * 7)
                longish++;
            start = i + 1;
        }
    }
    c->max_line = max;
    c->wrapped = lines >= 4 && max <= 120 && longish * 10 >= lines * 6;
    c->wrap_known = 1;
}

/* Words and marks after which a line reads on. */
static int continues(const ctx *c, size_t i) {
    static const char *const cont[] = {",",   ";", "-",  "&",  "(",   "and",  "or",           "of",
                                       "the", "a", "to", "in", "for", "with", "\xE2\x80\x93", NULL};
    return tok_in(c, i, cont);
}

static int starter_at(const ctx *c, size_t at);

/* Whether a single line break before token i ends the sentence in auto mode. */
static int line_break_ends(ctx *c, size_t i) {
    size_t at;
    if (continues(c, i - 1))
        return 0;
    enum next nx = next_class(c, i, &at);
    if (nx == NX_LOWER)
        return 0;
    if (!c->wrap_known)
        line_stats(c);
    if (!c->wrapped)
        return 1;
    /* A wrapped text: only a short line (a heading, a paragraph's last line) ends here. */
    size_t s = c->tok[i - 1].end;
    while (s > 0 && c->t[s - 1] != '\n')
        s--;
    return (c->tok[i - 1].end - s) * 10 < c->max_line * 6;
}

static int break_before(ctx *c, size_t i) {
    unsigned f = c->tok[i].flags;
    if (f & SL_TOKF_NEWLINE_BEFORE) {
        if (c->cfg->line_breaks == SP_LB_ALWAYS)
            return 1;
        if (c->cfg->line_breaks == SP_LB_AUTO &&
            ((f & SL_TOKF_PARAGRAPH_BEFORE) || line_break_ends(c, i)))
            return 1;
    }
    if (is_bullet(c, i) || separator(c, i))
        return 1;
    const sl_token *p = &c->tok[i - 1];
    if (p->kind == SL_TOK_URL && (f & SL_TOKF_SPACE_BEFORE) &&
        (c->tok[i].kind == SL_TOK_URL || starter_at(c, i)))
        return 1; /* a bare link ends its line: "see http://x.org It is..." */
    if ((f & SL_TOKF_SPACE_BEFORE) && (p->flags & SL_TOKF_SPACE_BEFORE) &&
        tok_in(c, i - 1, dashes) && !tok_eq(c, i - 1, "-") && starter_at(c, i) &&
        !tok_eq(c, i, "I"))
        return 1; /* a broken-off utterance: "we need a -- Do you have..." */
    return !is_bullet(c, i - 1) && next_list_item(c, i);
}

/* A dateline "TEHRAN (AFP) -" at s0: the index of its dash, or 0 when there is none. */
static size_t dateline(const ctx *c, size_t s0) {
    size_t i = s0, words = 0;
    while (i < c->n && words < 4 &&
           ((c->tok[i].kind == SL_TOK_WORD && (c->tok[i].flags & SL_TOKF_ALL_UPPER)) ||
            tok_eq(c, i, ","))) {
        words++;
        i++;
    }
    if (words == 0 || i + 3 >= c->n || !tok_eq(c, i, "(") || !tok_eq(c, i + 2, ")") ||
        c->tok[i + 1].kind != SL_TOK_WORD || !tok_in(c, i + 3, dashes))
        return 0;
    size_t at;
    return next_class(c, i + 4, &at) == NX_UPPER ? i + 3 : 0;
}

/* Header time stamps of e-mail text, "08/16/2000 12:05 PM": the index of their last token. */
static size_t timestamp_end(const ctx *c, size_t i) {
    if (c->tok[i].kind != SL_TOK_NUMBER || i + 1 >= c->n || c->tok[i + 1].kind != SL_TOK_NUMBER)
        return 0;
    const unsigned char *p = TP(c, i);
    size_t l = TL(c, i), slashes = 0;
    for (size_t k = 0; k < l; k++)
        slashes += p[k] == '/';
    if (slashes != 2 || !memchr(TP(c, i + 1), ':', TL(c, i + 1)))
        return 0;
    if (i + 2 < c->n && (tok_eq(c, i + 2, "AM") || tok_eq(c, i + 2, "PM") ||
                         tok_eq(c, i + 2, "am") || tok_eq(c, i + 2, "pm")))
        return i + 2;
    return i + 1;
}

/* Words after which a time stamp continues the sentence ("sent on 08/16/2000 12:05 PM"). */
static int leads_into_time(const ctx *c, size_t i) {
    static const char *const w[] = {"on",     "at",    "by", "from", "until", "since",
                                    "before", "after", ",",  "(",    "-",     NULL};
    return tok_in(c, i, w);
}

/* A greeting or closing line, "Dear All," "Best regards,": the index of its comma, or 0. */
static size_t salutation_end(const ctx *c, size_t s) {
    static const char *const open1[] = {"Hi",        "Hello",   "Hey",    "Dear",         "Regards",
                                        "Sincerely", "Thanks",  "Cheers", "Respectfully", "Best",
                                        "Kind",      "Kindest", "Warm",   "Warmest",      "Yours",
                                        "Greetings", NULL};
    /* The comma first: it turns most sentences away sooner than the list of words. */
    for (size_t i = s + 1; i < c->n && i <= s + 3; i++) {
        if (tok_eq(c, i, ",")) {
            size_t at;
            return tok_in(c, s, open1) && next_class(c, i + 1, &at) == NX_UPPER ? i : 0;
        }
        if (c->tok[i].kind != SL_TOK_WORD)
            return 0;
    }
    return 0;
}

static int add(ctx *c, size_t first, size_t last) {
    sp_spans *o = c->out;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 16;
        sp_span *v = realloc(o->v, cap * sizeof *v);
        if (!v)
            return SL_ENOMEM;
        o->v = v;
        o->cap = cap;
    }
    o->v[o->n].start = c->tok[first].start;
    o->v[o->n].end = c->tok[last].end;
    o->n++;
    return SL_OK;
}

/* Whether the starter word at token `at` begins a sentence. */
static int starter_at(const ctx *c, size_t at) {
    if (at >= c->n)
        return 0;
    size_t l = TL(c, at);
    if (l > 1 && TP(c, at)[l - 1] == '.')
        l--; /* "No." */
    return sp_is_starter((const char *)TP(c, at), l);
}

/* Whether the text writes the pronoun "I" in lower case (computed once, when first needed). */
static int lower_writer(ctx *c) {
    if (c->lower_writer < 0) {
        c->lower_writer = 0;
        for (size_t i = 0; i < c->n; i++)
            if (c->t[c->tok[i].start] == 'i' && TL(c, i) == 1 && c->tok[i].kind == SL_TOK_WORD &&
                !(i > 0 && tok_eq(c, i - 1, "("))) { /* "(i)" numbers a list */
                c->lower_writer = 1;
                break;
            }
    }
    return c->lower_writer;
}

/* Period rules: the word before (wc) against what follows (nx at token `at`). */
static int period_ends(ctx *c, enum wclass wc, enum next nx, size_t at, size_t s0, size_t i) {
    switch (nx) {
    case NX_END:
        return 1;
    case NX_LOWER:
        /* Writers who do not capitalize: the sentence itself began in lower case. */
        return wc == W_PLAIN && i - s0 >= 3 &&
               ((c->tok[s0].kind == SL_TOK_WORD && lower_initial(c, s0)) || lower_writer(c));
    case NX_PUNCT:
        return 0;
    case NX_DIGIT:
        return wc == W_PLAIN || wc == W_NUMBER || wc == W_NONE || wc == W_TIME;
    case NX_OTHER:
        return wc == W_PLAIN || wc == W_NUMBER || wc == W_NONE || wc == W_TIME || wc == W_DOTTED ||
               wc == W_ABBR;
    case NX_UPPER:
        switch (wc) {
        case W_NONE:
        case W_PLAIN:
        case W_NUMBER:
        case W_SYMBOL:
            return 1;
        case W_TITLE:
        case W_EXAMPLE:
            return 0;
        case W_TIME:
            /* "At 5 a.m. Mr. Smith": a short opening is no sentence yet. */
            return i - s0 >= 4 || starter_at(c, at);
        default:
            return starter_at(c, at);
        }
    }
    return 0;
}

/*
 * The last token of the terminal group at terminal i (of kind tm): a spaced ellipsis ". . ."
 * (*runp gets its periods when three or more, else 1), then closing quotes and brackets, more
 * terminals, citations such as [12], and a footnote number before a sentence opener.
 */
static size_t terminal_group(const ctx *c, size_t i, enum term tm, size_t *runp) {
    const sl_token *tok = c->tok;
    size_t n = c->n;
    size_t j = i;
    /* Spaced ellipsis ". . ." as a run of single periods. */
    size_t run = 1;
    if (tm == T_PERIOD) {
        while (i + run < n && tok_eq(c, i + run, ".") &&
               (tok[i + run].flags & SL_TOKF_SPACE_BEFORE) &&
               !(tok[i + run].flags & SL_TOKF_NEWLINE_BEFORE))
            run++;
        if (run >= 3)
            j = i + run - 1;
        else
            run = 1;
    }
    /* Closing quotes and brackets, more terminals, and citations such as [12]. */
    for (;;) {
        if (j + 1 < n && !(tok[j + 1].flags & SL_TOKF_SPACE_BEFORE) &&
            tok[j + 1].kind == SL_TOK_PUNCT &&
            (tok_in(c, j + 1, closers) || terminal(c, j + 1) != T_NONE)) {
            j++;
            continue;
        }
        if (j + 3 < n && tok_eq(c, j + 1, "[") && tok[j + 2].kind == SL_TOK_NUMBER &&
            TL(c, j + 2) <= 3 && tok_eq(c, j + 3, "]")) {
            j += 3;
            continue;
        }
        /* A footnote number between sentences: "...rights. 4 Even though". */
        if (j + 2 < n && tm == T_PERIOD && tok[j + 1].kind == SL_TOK_NUMBER && TL(c, j + 1) <= 2 &&
            tok[j + 2].kind == SL_TOK_WORD && (tok[j + 2].flags & SL_TOKF_UPPER_INITIAL) &&
            starter_at(c, j + 2)) {
            j++;
            continue;
        }
        break;
    }
    *runp = run;
    return j;
}

/*
 * Whether the terminal group from terminal i (of kind tm, run periods) to token j ends the
 * sentence that starts at s0 (its content at cs). *cut gets the token to end it at when that is
 * not j ("compounds. . . . The" ends at the first period), else c->n.
 */
static int group_ends(ctx *c, size_t i, size_t j, enum term tm, size_t run, size_t s0, size_t cs,
                      size_t *cut) {
    const sl_token *tok = c->tok;
    size_t at, wtok;
    enum next nx = next_class(c, j + 1, &at);
    *cut = c->n;
    if (run >= 3) {
        int attached = !(tok[i].flags & SL_TOKF_SPACE_BEFORE);
        if (nx == NX_END)
            return 1;
        if (attached && run >= 4) {
            /* "compounds. . . . The": the first dot ends it, the ellipsis opens the next. */
            enum wclass wc = word_class(c, i, T_PERIOD, &wtok);
            if (period_ends(c, wc, nx, at, s0, i)) {
                *cut = i;
                return 1;
            }
            return 0;
        }
        if (run >= 4)
            return nx == NX_UPPER || nx == NX_DIGIT;
        return nx == NX_UPPER && !tok_eq(c, at, "I") && i != s0;
    }
    switch (tm) {
    case T_FULL:
        return 1;
    case T_QE:
        /* "Yahoo! in" reads on; "where did you grow up? india?" does not. */
        return (nx != NX_LOWER && nx != NX_PUNCT) ||
               (nx == NX_LOWER && i - s0 >= 2 && tok[at].kind == SL_TOK_WORD &&
                ((lower_initial(c, s0) && tok[s0].kind == SL_TOK_WORD) || lower_writer(c)));
    case T_ELLIPSIS:
        if (i > 0 && tok_eq(c, i - 1, "["))
            return 0; /* "[...]" marks an omission */
        return nx == NX_END || (nx == NX_UPPER && !tok_eq(c, at, "I") && i != s0);
    case T_MULTI:
    case T_PERIOD:
    case T_ABBR: {
        enum wclass wc = word_class(c, i, tm, &wtok);
        if (wtok == cs && (wtok + 1 == i || wtok == i) && marker_value(c, wtok) && nx != NX_END) {
            /* A list marker "1." or "a." opening the sentence, not its end. */
            c->list_next = marker_value(c, wtok) + 1;
            return 0;
        }
        return period_ends(c, wc, nx, at, s0, i);
    }
    default:
        return 0;
    }
}

/*
 * The fast path: from token i on, step over the tokens at which no rule of the main loop can
 * fire, and return the first one at which one may. They are inside a sentence (i > s0, and the
 * caller stops at the dateline's dash) with no line break before them. The rules need a
 * terminal (a mark . ? ! or a non-ASCII one, a word with a period), a number (list markers,
 * "1)", time stamps), a bullet or separator (non-ASCII, or three marks or more), or a bare link
 * or long dash just before (break_before()).
 */
static inline size_t skip_quiet(const ctx *c, size_t i, size_t lim, size_t cs) {
    const sl_token *tok = c->tok;
    const unsigned char *t = c->t;
    const sl_token *p = &tok[i - 1];
    int alert = p->kind == SL_TOK_URL || (p->kind == SL_TOK_PUNCT && p->end - p->start > 1 &&
                                          (t[p->start] == '-' || t[p->start] == 0xE2));
    for (; i < lim; i++) {
        const sl_token *k = &tok[i];
        if (alert || (k->flags & SL_TOKF_NEWLINE_BEFORE))
            return i;
        /* Tests in order of frequency, no jump table: the kinds come in no predictable order. */
        unsigned kind = k->kind;
        if (kind == SL_TOK_WORD) {
            if (t[k->end - 1] == '.')
                return i;
        } else if (kind == SL_TOK_PUNCT) {
            unsigned char b = t[k->start];
            if (k->end - k->start != 1 || b == '.' || b == '?' || b == '!')
                return i;
        } else if (kind == SL_TOK_NUMBER) {
            if (c->list_next != 0 || i == cs ||
                (i + 1 < c->n && (k[1].kind == SL_TOK_NUMBER || tok_eq(c, i + 1, ")"))))
                return i;
        } else if (kind == SL_TOK_SYMBOL) {
            if (t[k->start] >= 0x80)
                return i; /* bullets are U+2xxx */
        } else {
            alert = kind == SL_TOK_URL; /* e-mail addresses, handles, emoji, clitics: no rule */
        }
    }
    return i;
}

int sp_split(const sp_config *cfg, const char *text, size_t len, const sl_token *tok, size_t n,
             sp_spans *out) {
    ctx c = {cfg, (const unsigned char *)text, len, tok, n, 0, 0, 0, 0, -1, out};
    out->n = 0;
    size_t s0 = 0, i = 0;
    int rc = SL_OK;
    size_t dl = n ? dateline(&c, 0) : 0;
    size_t cs = n ? content_start(&c, 0) : 0;
    while (i < n) {
        if (i > s0) {
            i = skip_quiet(&c, i, dl >= i ? dl : n, cs); /* stops at the dateline's dash */
            if (i >= n)
                break;
        }
        const sl_token *k = &tok[i];
        if (i > s0 && break_before(&c, i)) {
            if ((rc = add(&c, s0, i - 1)) != SL_OK)
                return rc;
            s0 = i;
            dl = dateline(&c, s0);
            cs = content_start(&c, s0);
        }
        if (i + 1 < n && (tok_eq(&c, i + 1, ")") || (i == cs && c.t[k->end - 1] == '.')) &&
            marker_value(&c, i) &&
            (i == cs || (marker_value(&c, i) == 1 && (tok[i].flags & SL_TOKF_SPACE_BEFORE) &&
                         !tok_eq(&c, i - 1, "(")))) {
            /* "1)" opening a list: this item and the next ones start sentences. */
            if (i != cs) {
                if ((rc = add(&c, s0, i - 1)) != SL_OK)
                    return rc;
                s0 = cs = i;
                dl = 0;
            }
            c.list_next = marker_value(&c, i) + 1;
        }
        size_t te = timestamp_end(&c, i);
        if (te && i > s0 && !leads_into_time(&c, i - 1)) {
            if ((rc = add(&c, s0, i - 1)) != SL_OK)
                return rc;
            s0 = cs = i;
        }
        if (i == s0)
            dl = dl ? dl : salutation_end(&c, s0);
        if (separator(&c, i) || (dl && i == dl) || (te && te + 1 < n)) {
            if (te)
                i = te;
            /* A separator line, dateline, greeting or time stamp is a sentence of its own. */
            if ((rc = add(&c, s0, i)) != SL_OK)
                return rc;
            s0 = ++i;
            dl = s0 < n ? dateline(&c, s0) : 0;
            cs = s0 < n ? content_start(&c, s0) : 0;
            continue;
        }
        enum term tm = terminal(&c, i);
        if (tm == T_NONE) {
            i++;
            continue;
        }
        size_t run;
        size_t j = terminal_group(&c, i, tm, &run); /* last token of the terminal group */
        size_t cut;                                 /* where to end the sentence when not j */
        int ends = group_ends(&c, i, j, tm, run, s0, cs, &cut);
        if (ends) {
            size_t last = cut < n ? cut : j;
            if ((rc = add(&c, s0, last)) != SL_OK)
                return rc;
            s0 = last + 1;
            i = last + 1;
            dl = s0 < n ? dateline(&c, s0) : 0;
            cs = s0 < n ? content_start(&c, s0) : 0;
        } else {
            i = j + 1;
        }
    }
    if (s0 < n)
        rc = add(&c, s0, n - 1);
    return rc;
}
