/*
 * The shared tokenizer: Penn Treebank / CoNLL-2003-like tokens for English news.
 *
 * One left-to-right pass over the bytes. ASCII goes through a 256-entry class table. The fast
 * path, word_fast(), takes nearly all of news text: plain ASCII words and the marks after them,
 * with the word ends found from bit masks of 64 bytes at a time (SSE2) or 8 (a 64-bit word);
 * whatever it does not handle goes to scan_word() and scan_token(), which hold all the rules.
 * Other code points are classified by their Unicode general category through utf8proc.
 * Every token gets exact byte offsets; only white space and invisible format characters are
 * left between tokens. No mutable globals: the abbreviation list is a sorted static table.
 */
#include "tokenizer.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* How word_fast() scans a run of ASCII letters and digits: SSE2 (every x86-64), else eight
 * bytes in a 64-bit word on little-endian machines, else byte by byte. SLUICE_NO_SIMD and
 * SLUICE_NO_SWAR force the slower paths, to test them. */
#if defined(__SSE2__) && !defined(SLUICE_NO_SIMD)
#include <emmintrin.h>
#define SCAN_SSE2 1
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ &&                      \
    !defined(SLUICE_NO_SWAR)
#define SCAN_SWAR 1
#endif

/* Byte classes: 256 entries so that a lookup needs no `c < 0x80` test first; bytes of multi-byte
 * sequences have no bits set. */
enum {
    A_GAP = 1,
    A_NL = 2,
    A_ALPHA = 4,
    A_UPPER = 8,
    A_DIGIT = 16,
    A_PUNCT = 32,
    A_SYM = 64,
    A_LOWER = 128,
    A_CONN = 256, /* may join two runs of a word: . - ' _ & , : / @ + */
    A_END = 512,  /* ends a word with nothing more to check: not CONN, not '$' (for "US$") */
    A_SOLO = 1024 /* a token of its own, one byte, no rule of scan_token() applies: " ( ) , ; % */
};

#define G_ (A_GAP | A_END)
#define N_ (A_GAP | A_NL | A_END)
#define P_ (A_PUNCT | A_END)
#define P1 (A_PUNCT | A_END | A_SOLO)
#define S_ (A_SYM | A_END)
#define S1 (A_SYM | A_END | A_SOLO)
#define SD (A_SYM | A_SOLO) /* '$' */
#define D_ A_DIGIT
#define U_ (A_ALPHA | A_UPPER)
#define L_ (A_ALPHA | A_LOWER)
#define PC (A_PUNCT | A_CONN)
#define P1C (A_PUNCT | A_CONN | A_SOLO)
#define SC (A_SYM | A_CONN)
#define S1C (A_SYM | A_CONN | A_SOLO)
static const unsigned short ascii_class[256] = {
    G_, G_, G_, G_, G_, G_, G_,  G_, G_, G_, N_,  G_, G_,  N_, G_, G_,  /* controls */
    G_, G_, G_, G_, G_, G_, G_,  G_, G_, G_, G_,  G_, G_,  G_, G_, G_,  /* controls */
    G_, P_, P1, S_, SD, S1, S1C, PC, P1, P1, P_,  SC, P1C, PC, PC, P1C, /*  !"#$%&'()*+,-./ */
    D_, D_, D_, D_, D_, D_, D_,  D_, D_, D_, P1C, P1, S1,  S_, S1, P_,  /* 0-9 :;<=>? */
    SC, U_, U_, U_, U_, U_, U_,  U_, U_, U_, U_,  U_, U_,  U_, U_, U_,  /* @A-O */
    U_, U_, U_, U_, U_, U_, U_,  U_, U_, U_, U_,  P1, S1,  P1, S1, PC,  /* P-Z [\]^_ */
    P_, L_, L_, L_, L_, L_, L_,  L_, L_, L_, L_,  L_, L_,  L_, L_, L_,  /* `a-o */
    L_, L_, L_, L_, L_, L_, L_,  L_, L_, L_, L_,  P1, S1,  P1, S1, G_,  /* p-z {|}~ DEL */
    /* 0x80-0xFF: zero */
};
#undef G_
#undef N_
#undef P_
#undef P1
#undef S_
#undef S1
#undef SD
#undef D_
#undef U_
#undef L_
#undef PC
#undef P1C
#undef SC
#undef S1C

/* Classes of any code point, the ASCII ones included. */
enum cclass {
    C_GAP,    /* white space, controls */
    C_NL,     /* a line break */
    C_FORMAT, /* invisible format character (ZWJ, ZWNJ, soft hyphen, BOM...) */
    C_UPPER,  /* letter, upper or title case */
    C_LOWER,  /* letter, lower case */
    C_LETTER, /* letter without case, or a combining mark */
    C_DIGIT,  /* digit or other number */
    C_PUNCT,
    C_SYM,
    C_EMOJI,
    C_RI, /* regional indicator (flags come in pairs) */
    C_OTHER
};

/* Whether a class continues a word. */
#define IS_ALNUM(c) ((c) >= C_UPPER && (c) <= C_DIGIT)

/* Decode one code point at t[i] (i < n); returns its length. Bad bytes decode as U+FFFD, 1 byte. */
static size_t decode(const unsigned char *t, size_t n, size_t i, int32_t *cp) {
    unsigned char c = t[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    int32_t v;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (i + len > n) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t k = 1; k < len; k++) {
        unsigned char d = t[i + k];
        if ((d & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (d & 0x3F);
    }
    *cp = v;
    return len;
}

/* Emoji proper, not the text-style symbols (© ™ arrows) Unicode also calls pictographic. */
static int is_emoji(int32_t cp, const unsigned char *t, size_t n, size_t next) {
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    int pict = p->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
               p->boundclass == UTF8PROC_BOUNDCLASS_E_BASE ||
               p->boundclass == UTF8PROC_BOUNDCLASS_E_BASE_GAZ ||
               p->boundclass == UTF8PROC_BOUNDCLASS_GLUE_AFTER_ZWJ ||
               p->boundclass == UTF8PROC_BOUNDCLASS_E_ZWG;
    if (!pict)
        return 0;
    if (cp >= 0x1F000 || (cp >= 0x2600 && cp <= 0x27BF) || (cp >= 0x2B00 && cp <= 0x2BFF) ||
        (cp >= 0x231A && cp <= 0x23FF))
        return 1;
    /* A text-style symbol followed by VS16 asks for emoji presentation. */
    return next + 3 <= n && t[next] == 0xEF && t[next + 1] == 0xB8 && t[next + 2] == 0x8F;
}

static enum cclass classify_cp(int32_t cp, const unsigned char *t, size_t n, size_t next) {
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
        return C_UPPER;
    case UTF8PROC_CATEGORY_LL:
        return C_LOWER;
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_NL:
        return C_LETTER;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NO:
        return C_DIGIT;
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        return C_PUNCT;
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO:
        if (cp == 0xFFFD)
            return C_OTHER;
        if (cp >= 0x1F1E6 && cp <= 0x1F1FF)
            return C_RI;
        return is_emoji(cp, t, n, next) ? C_EMOJI : C_SYM;
    case UTF8PROC_CATEGORY_ZS:
        return C_GAP;
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return C_NL;
    case UTF8PROC_CATEGORY_CC:
        return cp == 0x85 ? C_NL : C_GAP;
    case UTF8PROC_CATEGORY_CF:
        return C_FORMAT;
    default:
        return C_OTHER;
    }
}

/* Class and length of the code point at t[i]; i < n. */
static enum cclass class_at(const unsigned char *t, size_t n, size_t i, size_t *len) {
    unsigned char c = t[i];
    if (c < 0x80) {
        unsigned a = ascii_class[c];
        *len = 1;
        if (a & A_ALPHA)
            return (a & A_UPPER) ? C_UPPER : C_LOWER;
        if (a & A_DIGIT)
            return C_DIGIT;
        if (a & A_NL)
            return C_NL;
        if (a & A_GAP)
            return C_GAP;
        return (a & A_PUNCT) ? C_PUNCT : C_SYM;
    }
    int32_t cp;
    *len = decode(t, n, i, &cp);
    return classify_cp(cp, t, n, i + *len);
}

/* Whether a letter, digit or mark starts at t[i] (i may be n). */
static int alnum_at(const unsigned char *t, size_t n, size_t i) {
    if (i >= n)
        return 0;
    if (t[i] < 0x80)
        return (ascii_class[t[i]] & (A_ALPHA | A_DIGIT)) != 0;
    size_t l;
    enum cclass c = class_at(t, n, i, &l);
    return IS_ALNUM(c);
}

static int digit_at(const unsigned char *t, size_t n, size_t i) {
    return i < n && t[i] >= '0' && t[i] <= '9';
}

static int ascii_lower(int c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/*
 * Words whose following period belongs to them ("Mr.", "Inc.", "Aug."), from
 * abbreviations.def: lower case, sorted for a binary search, each with the token flags it gives
 * (SL_TOKF_ABBREV and a class bit). `cap` entries count only when capitalized ("Gen." but "next
 * gen."). Other single letters (initials) and short dotted forms (U.S, a.m, Ph.D) keep their
 * period without an entry.
 */
typedef struct abbrev {
    char s[8]; /* NUL-padded: compared as one 64-bit number, see key8() */
    unsigned short flags;
    unsigned char cap;
} abbrev;

static const abbrev abbrevs[] = {
#define SL_ABBREV(word, cls, capital) {word, SLC_AB_##cls, SLC_AB_##capital},
#include "abbreviations.def"
#undef SL_ABBREV
};

/* Eight bytes as a number that orders as memcmp() orders them (big-endian). */
static inline uint64_t key8(const char *k) {
    uint64_t x;
    memcpy(&x, k, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
    x = __builtin_bswap64(x);
#elif !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
    const unsigned char *b = (const unsigned char *)k;
    x = 0;
    for (int i = 0; i < 8; i++)
        x = x << 8 | b[i];
#endif
    return x;
}

/* The token flags of a word whose key (see key8()) is kx when it keeps a following period, else
 * 0; t[s] is its first letter. A branch-free binary search: the compares are unpredictable, the
 * loads are not. */
static inline unsigned abbrev_flags(uint64_t kx, const unsigned char *t, size_t s) {
    const abbrev *base = abbrevs;
    size_t len = sizeof abbrevs / sizeof abbrevs[0];
    while (len > 1) {
        size_t half = len / 2;
        base += key8(base[half].s) <= kx ? half : 0;
        len -= half;
    }
    return key8(base->s) == kx && (!base->cap || (t[s] >= 'A' && t[s] <= 'Z')) ? base->flags : 0;
}

/* abbrev_flags() of t[s, e): ASCII letters, with inner periods for "e.g". */
static unsigned known_abbrev(const unsigned char *t, size_t s, size_t e) {
    char key[8] = {0};
    size_t n = e - s;
    if (n == 0 || n >= sizeof key)
        return 0;
    for (size_t k = 0; k < n; k++) {
        if (!(ascii_class[t[s + k]] & A_ALPHA) && !(t[s + k] == '.' && k > 0))
            return 0;
        key[k] = (char)ascii_lower(t[s + k]);
    }
    /* NUL-padded keys order as strcmp orders the strings. */
    return abbrev_flags(key8(key), t, s);
}

/* known_abbrev() of t[s, e), 1 to 7 ASCII letters with eight bytes readable at s: the key
 * straight from one load, no loop. */
static inline unsigned known_abbrev_letters(const unsigned char *t, size_t s, size_t e) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
    uint64_t x;
    memcpy(&x, t + s, 8);
    x = (x | 0x2020202020202020ull) & ((1ull << (8 * (e - s))) - 1); /* lower case, NUL-padded */
    return abbrev_flags(__builtin_bswap64(x), t, s);
#else
    return known_abbrev(t, s, e);
#endif
}

/* --- output --- */

/* SWAR helpers: a byte repeated over a word; the high bit of each byte of x (< 0x80) that lies
 * strictly between m and n (bit-twiddling "hasbetween", exact per byte). */
#define BYTES(b) ((uint64_t)(b)*0x0101010101010101ull)
#define BETWEEN(x, m, n)                                                                           \
    ((BYTES(127 + (n)) - ((x)&BYTES(127))) & ~(x) & (((x)&BYTES(127)) + BYTES(127 - (m))) &        \
     BYTES(128))

/* Index of the lowest set bit of x (x != 0). */
static inline unsigned ctz64(uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned k = 0;
    while (!(x & 1)) {
        x >>= 1;
        k++;
    }
    return k;
#endif
}

static inline int push(slc_tokens *o, size_t s, size_t e, unsigned kind, unsigned flags) {
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        sl_token *v = realloc(o->v, cap * sizeof *v);
        if (!v)
            return SL_ENOMEM;
        o->v = v;
        o->cap = cap;
    }
    sl_token *k = &o->v[o->n++];
    k->start = s;
    k->end = e;
    k->kind = kind;
    k->flags = flags;
    return SL_OK;
}

/* Case and digit flags of t[s, e). */
static unsigned shape_flags(const unsigned char *t, size_t n, size_t s, size_t e) {
    int seen_letter = 0, upper = 0, lower = 0, digit = 0;
    unsigned f = 0;
    size_t i = s;
    while (i < e) {
        enum cclass c;
        size_t l;
        if (t[i] < 0x80) {
            unsigned a = ascii_class[t[i]];
            l = 1;
            c = (a & A_ALPHA) ? ((a & A_UPPER) ? C_UPPER : C_LOWER)
                              : ((a & A_DIGIT) ? C_DIGIT : C_PUNCT);
        } else {
            c = class_at(t, n, i, &l);
        }
        if (c == C_UPPER || c == C_LOWER || c == C_LETTER) {
            if (!seen_letter && c == C_UPPER)
                f |= SL_TOKF_UPPER_INITIAL;
            seen_letter = 1;
            upper |= c == C_UPPER;
            lower |= c == C_LOWER;
        } else if (c == C_DIGIT) {
            digit = 1;
        }
        i += l;
    }
    if (upper && !lower)
        f |= SL_TOKF_ALL_UPPER;
    if (digit)
        f |= SL_TOKF_HAS_DIGIT;
    return f;
}

static int emit(slc_tokens *o, const unsigned char *t, size_t n, size_t s, size_t e, unsigned kind,
                unsigned flags) {
    if (kind != SL_TOK_PUNCT)
        flags |= shape_flags(t, n, s, e);
    return push(o, s, e, kind, flags);
}

/* --- token scanners: each returns the end of what it consumed --- */

static int starts_ci(const unsigned char *t, size_t n, size_t i, const char *lit) {
    for (; *lit; lit++, i++)
        if (i >= n || ascii_lower(t[i]) != *lit)
            return 0;
    return 1;
}

/* A URL from s: up to white space, without trailing punctuation or an unbalanced ')'. */
static size_t scan_url(const unsigned char *t, size_t n, size_t s) {
    size_t i = s;
    int parens = 0;
    while (i < n) {
        unsigned char c = t[i];
        if (c < 0x80) {
            if ((ascii_class[c] & A_GAP) || c == '"' || c == '<' || c == '>' || c == '`')
                break;
            if (c == '(')
                parens++;
            else if (c == ')') {
                if (parens == 0)
                    break;
                parens--;
            }
            i++;
        } else {
            size_t l;
            enum cclass k = class_at(t, n, i, &l);
            if (!IS_ALNUM(k))
                break;
            i += l;
        }
    }
    while (i > s && strchr(".,;:!?'", t[i - 1]) != NULL)
        i--;
    return i;
}

/* An e-mail domain after '@' at `at`: labels of [alnum-] with at least one dot; 0 if none. */
static size_t scan_email_domain(const unsigned char *t, size_t n, size_t at) {
    size_t i = at + 1, last_ok = 0;
    int dots = 0;
    while (i < n) {
        unsigned char c = t[i];
        if (c < 0x80 && (ascii_class[c] & (A_ALPHA | A_DIGIT))) {
            i++;
            if (dots)
                last_ok = i;
        } else if ((c == '-' || c == '_') && alnum_at(t, n, i + 1)) {
            i++;
        } else if (c == '.' && alnum_at(t, n, i + 1) && i > at + 1) {
            dots++;
            i++;
        } else {
            break;
        }
    }
    return dots ? last_ok : 0;
}

/* Clitics split from the end of a word: n't, 's, 're, 've, 'll, 'd, 'm (' or ’). */
static size_t clitic_start(const unsigned char *t, size_t s, size_t e) {
    /* Find the last apostrophe and its byte length. */
    size_t a = 0, alen = 0;
    for (size_t k = e; k > s;) {
        k--;
        if (t[k] == '\'') {
            a = k;
            alen = 1;
            break;
        }
        if (t[k] == 0x99 && k >= s + 2 && t[k - 1] == 0x80 && t[k - 2] == 0xE2) {
            a = k - 2;
            alen = 3;
            break;
        }
        if (e - k > 3)
            return e;
    }
    if (!alen || a == s)
        return e;
    size_t rest = e - (a + alen);
    const unsigned char *r = t + a + alen;
    int lc0 = rest > 0 ? ascii_lower(r[0]) : 0, lc1 = rest > 1 ? ascii_lower(r[1]) : 0;
    if (rest == 1 && lc0 == 't' && a >= s + 2 && ascii_lower(t[a - 1]) == 'n')
        return a - 1; /* don't -> do n't */
    if (rest == 1 && (lc0 == 's' || lc0 == 'd' || lc0 == 'm'))
        return a;
    if (rest == 2 &&
        ((lc0 == 'r' && lc1 == 'e') || (lc0 == 'v' && lc1 == 'e') || (lc0 == 'l' && lc1 == 'l')))
        return a;
    return e;
}

/* Whether an '@' follows in the same run of e-mail local-part characters (Jane.Doe@...). */
static int email_ahead(const unsigned char *t, size_t n, size_t p) {
    for (size_t k = p; k < n && k < p + 64; k++) {
        unsigned char c = t[k];
        if (c == '@')
            return 1;
        if (!(c < 0x80 && ((ascii_class[c] & (A_ALPHA | A_DIGIT)) || c == '.' || c == '_' ||
                           c == '-' || c == '+')))
            return 0;
    }
    return 0;
}

typedef struct tz {
    const unsigned char *t;
    size_t n;
    slc_tokens *out;
} tz;

/* Whether a URL starts at s: "http://", "https://", "ftp://", or "www." before a letter. */
static inline int url_starts(const unsigned char *t, size_t n, size_t s) {
    unsigned char c0 = (unsigned char)ascii_lower(t[s]);
    unsigned char c1 = s + 1 < n ? (unsigned char)ascii_lower(t[s + 1]) : 0;
    return (((c0 == 'h' || c0 == 'f') && c1 == 't') || (c0 == 'w' && c1 == 'w')) &&
           (starts_ci(t, n, s, "http://") || starts_ci(t, n, s, "https://") ||
            starts_ci(t, n, s, "ftp://") || (starts_ci(t, n, s, "www.") && alnum_at(t, n, s + 4)));
}

/* What scan_word() learns of a word while it scans it. */
typedef struct word_scan {
    size_t seg;    /* start of the current period-separated segment */
    unsigned acc;  /* ASCII classes seen, for the shape flags without a second pass */
    int dotted;    /* an inner period: U.S, a.m */
    int seg_long;  /* a segment of more than three characters */
    int seg_digit; /* a digit in the current segment */
    int alpha;     /* a letter */
    int ascii;     /* ASCII only */
    int apos;      /* an inner apostrophe */
} word_scan;

/* The run of letters, digits and marks from *pp: moves *pp to its end and adds what it saw
 * to *w. */
static inline void alnum_run(const unsigned char *t, size_t n, size_t *pp, word_scan *w) {
    size_t p = *pp;
    unsigned run = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Eight bytes at a time while the run is ASCII letters and digits: one predictable
     * branch per short word instead of one per byte. */
    while (p + 8 <= n) {
        uint64_t x;
        memcpy(&x, t + p, 8);
        uint64_t low = x | BYTES(0x20);
        uint64_t letter = BETWEEN(low, 0x60, 0x7B), digit = BETWEEN(x, 0x2F, 0x3A);
        uint64_t stop = ~(letter | digit) & BYTES(0x80);
        uint64_t in = stop ? (stop & (0 - stop)) - 1 : ~(uint64_t)0;
        uint64_t upper = BETWEEN(x, 0x40, 0x5B);
        run |= ((letter & in) ? A_ALPHA : 0u) | ((upper & in) ? A_UPPER : 0u) |
               ((letter & ~upper & in) ? A_LOWER : 0u) | ((digit & in) ? A_DIGIT : 0u);
        if (stop) {
            p += (size_t)ctz64(stop) / 8;
            if (t[p] < 0x80)
                goto run_done; /* the run ends at an ASCII byte: no per-byte loop */
            break;
        }
        p += 8;
    }
#endif
    while (p < n) {
        unsigned char c = t[p];
        if (c < 0x80) {
            unsigned a = ascii_class[c];
            if (!(a & (A_ALPHA | A_DIGIT)))
                break;
            run |= a;
            p++;
        } else {
            size_t l;
            w->ascii = 0;
            enum cclass k = class_at(t, n, p, &l);
            if (IS_ALNUM(k)) {
                w->alpha |= k != C_DIGIT;
                p += l;
            } else if (k == C_FORMAT && alnum_at(t, n, p + l)) {
                p += l; /* ZWJ, ZWNJ, soft hyphen inside a word */
            } else {
                break;
            }
        }
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
run_done:
#endif
    w->acc |= run;
    w->alpha |= (run & A_ALPHA) != 0;
    w->seg_digit |= (run & A_DIGIT) != 0;
    *pp = p;
}

/* What the mark after a run of the word at s does (join_at()). */
enum join { JOIN_STOP, JOIN_GOES_ON, JOIN_URL, JOIN_EMAIL };

/*
 * Whether the mark at p (p < n, right after a run of the word that starts at s) joins the run to
 * the next one: "U.S", "e-mail", "AT&T", "1,000", "10:30", "and/or". JOIN_GOES_ON moves *pp past
 * it; JOIN_URL and JOIN_EMAIL say that the word is the start of a URL or an e-mail address,
 * which ends at *endp.
 */
static inline enum join join_at(const unsigned char *t, size_t n, size_t s, size_t *pp,
                                word_scan *w, size_t *endp) {
    size_t p = *pp;
    unsigned char c = t[p];
    if (c < 0x80 && !(ascii_class[c] & A_CONN))
        return JOIN_STOP; /* space, most punctuation: the common end of a word */
    unsigned char prev = t[p - 1];
    if (c == '.') {
        if (!alnum_at(t, n, p + 1))
            return JOIN_STOP;
        /* "end.Next": a missing space between sentences, not an inner period. */
        if (p - w->seg >= 2 && !w->seg_digit && t[p + 1] >= 'A' && t[p + 1] <= 'Z' && p + 2 < n &&
            t[p + 2] >= 'a' && t[p + 2] <= 'z' && !email_ahead(t, n, p))
            return JOIN_STOP;
        w->dotted = 1;
        if (p - w->seg > 3)
            w->seg_long = 1;
        w->seg = *pp = p + 1;
        w->seg_digit = 0;
        return JOIN_GOES_ON;
    }
    if (c == '-' || c == '\'' || c == '_') {
        if (!alnum_at(t, n, p + 1))
            return JOIN_STOP;
        w->apos |= c == '\'';
        *pp = p + 1;
        return JOIN_GOES_ON;
    }
    if (c == '&' && prev >= 'A' && prev <= 'Z' && p + 1 < n && t[p + 1] >= 'A' && t[p + 1] <= 'Z') {
        *pp = p + 1; /* AT&T, S&P */
        return JOIN_GOES_ON;
    }
    if (c == 0xE2 && p + 2 < n && t[p + 1] == 0x80 &&
        (t[p + 2] == 0x99 || t[p + 2] == 0x90 || t[p + 2] == 0x91) && alnum_at(t, n, p + 3)) {
        w->apos |= t[p + 2] == 0x99;
        *pp = p + 3; /* ’ and Unicode hyphens inside a word */
        return JOIN_GOES_ON;
    }
    if (c == ',' && prev >= '0' && prev <= '9' && digit_at(t, n, p + 1) && digit_at(t, n, p + 2) &&
        digit_at(t, n, p + 3) && !digit_at(t, n, p + 4)) {
        *pp = p + 1; /* 1,000 */
        return JOIN_GOES_ON;
    }
    if (c == ':') {
        if (prev >= '0' && prev <= '9' && digit_at(t, n, p + 1)) {
            *pp = p + 1; /* 10:30 */
            return JOIN_GOES_ON;
        }
        if (p + 2 < n && t[p + 1] == '/' && t[p + 2] == '/' && !w->seg_digit && p - s <= 10 &&
            !w->dotted) {
            *endp = scan_url(t, n, s);
            return JOIN_URL;
        }
        return JOIN_STOP;
    }
    if (c == '/' && alnum_at(t, n, p + 1)) {
        *pp = p + 1; /* 02/13/2001, and/or */
        return JOIN_GOES_ON;
    }
    if (c == '@' || (c == '+' && p + 1 < n && (t[p + 1] == '@' || alnum_at(t, n, p + 1)))) {
        /* Possibly an e-mail address: find the '@' after an optional +tag. */
        size_t at = p;
        if (c == '+') {
            at = p + 1;
            while (at < n && t[at] < 0x80 && (ascii_class[t[at]] & (A_ALPHA | A_DIGIT)))
                at++;
        }
        if (at < n && t[at] == '@' && (*endp = scan_email_domain(t, n, at)) != 0)
            return JOIN_EMAIL;
    }
    return JOIN_STOP;
}

/* The end of the token when the word t[s, p) keeps the period at p (initials, U.S., a.m., known
 * abbreviations ab != 0), with a hyphenated compound after it ("U.S.-led", "Mo.-based"); 0 when
 * the period is not the word's. */
static inline size_t own_period_end(const unsigned char *t, size_t n, size_t s, size_t p,
                                    const word_scan *w, unsigned ab) {
    int keep;
    if (w->dotted)
        keep = !w->seg_long && !w->seg_digit;
    else if (t[s] < 0x80)
        keep = p - s == 1 || ab;
    else {
        /* One non-ASCII letter: an initial such as "Ö." */
        size_t l;
        class_at(t, n, s, &l);
        keep = s + l == p;
    }
    if (!keep)
        return 0;
    size_t e = p + 1;
    while (e + 1 < n && t[e] == '-' && alnum_at(t, n, e + 1)) {
        e++;
        while (alnum_at(t, n, e)) {
            size_t l;
            class_at(t, n, e, &l);
            e += l;
        }
    }
    return e;
}

/* Emit the word t[s, p) of the given kind with its flags (gap and abbreviation flags in f),
 * splitting a clitic off its end. */
static inline int emit_word(tz *z, size_t s, size_t p, unsigned kind, unsigned f,
                            const word_scan *w) {
    const unsigned char *t = z->t;
    size_t n = z->n;
    if (w->ascii && !w->apos) {
        /* The fast path: shape flags from the classes gathered while scanning. */
        unsigned a0 = ascii_class[t[s]];
        if (a0 & A_UPPER)
            f |= SL_TOKF_UPPER_INITIAL;
        else if (!(a0 & A_ALPHA) && (w->acc & A_ALPHA))
            f |= shape_flags(t, n, s, p) & SL_TOKF_UPPER_INITIAL; /* "5th", "3M" */
        if ((w->acc & A_UPPER) && !(w->acc & A_LOWER))
            f |= SL_TOKF_ALL_UPPER;
        if (w->acc & A_DIGIT)
            f |= SL_TOKF_HAS_DIGIT;
        return push(z->out, s, p, kind, f);
    }
    if (kind == SL_TOK_WORD && w->apos) {
        if ((t[s] | 32) == 'n' && (t[p - 1] | 32) == 't' &&
            ((p - s == 3 && t[s + 1] == '\'') ||
             (p - s == 5 && t[s + 1] == 0xE2 && t[s + 2] == 0x80 && t[s + 3] == 0x99)))
            return emit(z->out, t, n, s, p, SL_TOK_CLITIC, f); /* "do n't" pre-tokenized */
        size_t c = clitic_start(t, s, p);
        if (c < p) {
            int rc = emit(z->out, t, n, s, c, SL_TOK_WORD, f);
            if (rc == SL_OK)
                rc = emit(z->out, t, n, c, p, SL_TOK_CLITIC, 0);
            return rc;
        }
    }
    return emit(z->out, t, n, s, p, kind, f);
}

/* A word or number starting at s (an alphanumeric character). Emits one to three tokens. */
static int scan_word(tz *z, size_t s, unsigned gap, size_t *endp) {
    const unsigned char *t = z->t;
    size_t n = z->n;
    if (url_starts(t, n, s)) {
        size_t e = scan_url(t, n, s);
        *endp = e;
        return emit(z->out, t, n, s, e, SL_TOK_URL, gap);
    }
    size_t p = s;
    word_scan w = {s, 0, 0, 0, 0, 0, 1, 0};
    for (;;) {
        alnum_run(t, n, &p, &w);
        if (p >= n)
            break;
        size_t e;
        enum join j = join_at(t, n, s, &p, &w, &e);
        if (j == JOIN_GOES_ON)
            continue;
        if (j != JOIN_STOP) {
            *endp = e;
            return emit(z->out, t, n, s, e, j == JOIN_URL ? SL_TOK_URL : SL_TOK_EMAIL, gap);
        }
        break;
    }
    if (p - w.seg > 3)
        w.seg_long = 1;

    unsigned kind = (t[s] < 0x80 && (ascii_class[t[s]] & A_DIGIT)) ? SL_TOK_NUMBER : SL_TOK_WORD;
    if (kind == SL_TOK_WORD && !w.alpha)
        kind = SL_TOK_NUMBER; /* non-ASCII digits */

    /* A following period that belongs to the word: initials, U.S., a.m., Mr., Inc. A known
     * abbreviation is marked (ab) also when more periods follow and it cannot keep its own. */
    unsigned ab =
        p < n && t[p] == '.' && kind == SL_TOK_WORD && t[s] < 0x80 ? known_abbrev(t, s, p) : 0;
    if (p < n && t[p] == '.' && kind == SL_TOK_WORD && !(p + 1 < n && t[p + 1] == '.')) {
        size_t e = own_period_end(t, n, s, p, &w, ab);
        if (e) {
            *endp = e;
            return emit(z->out, t, n, s, e, SL_TOK_WORD, gap | (e == p + 1 ? ab : 0));
        }
        ab = 0;
    }

    /* Currencies written with a country prefix stay whole: "C$", "US$", "HK$". */
    if (kind == SL_TOK_WORD && p < n && t[p] == '$' && p - s <= 3 && w.ascii &&
        (w.acc & (A_ALPHA | A_DIGIT | A_LOWER)) == A_ALPHA && (w.acc & A_UPPER) && !w.dotted) {
        *endp = p + 1;
        return push(z->out, s, p + 1, SL_TOK_SYMBOL,
                    gap | SL_TOKF_UPPER_INITIAL | SL_TOKF_ALL_UPPER);
    }
    /* "1." opening a line: a list number or rank, one token as in CoNLL-2003. */
    if (kind == SL_TOK_NUMBER && p < n && t[p] == '.' && p - s <= 2 && !w.dotted &&
        (s == 0 || (gap & SL_TOKF_NEWLINE_BEFORE)) &&
        (p + 1 == n || t[p + 1] == ' ' || t[p + 1] == '\t') &&
        (w.acc & (A_ALPHA | A_DIGIT)) == A_DIGIT)
        p++;
    *endp = p;
    return emit_word(z, s, p, kind, gap | ab, &w);
}

#if defined(SCAN_SSE2)
/* Bit masks of the ASCII letters, digits and upper-case letters among 16 bytes at t. Signed
 * compares: bytes >= 0x80 are negative, neither letters nor digits. */
static inline void classes16(const unsigned char *t, unsigned *letter, unsigned *digit,
                             unsigned *upper) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)t);
    __m128i low = _mm_or_si128(x, _mm_set1_epi8(0x20));
    __m128i l = _mm_and_si128(_mm_cmpgt_epi8(low, _mm_set1_epi8(0x60)),
                              _mm_cmplt_epi8(low, _mm_set1_epi8(0x7B)));
    __m128i d = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0x2F)),
                              _mm_cmplt_epi8(x, _mm_set1_epi8(0x3A)));
    /* a letter without bit 5 (0x20) is upper case */
    __m128i u = _mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8(0x20)), _mm_setzero_si128());
    *letter = (unsigned)_mm_movemask_epi8(l);
    *digit = (unsigned)_mm_movemask_epi8(d);
    *upper = (unsigned)_mm_movemask_epi8(u) & *letter;
}

/* The class masks of the 64 bytes at t (all readable): bit j for t[j]. */
static inline void window(const unsigned char *t, uint64_t *alnum, uint64_t *upper, uint64_t *lower,
                          uint64_t *digit) {
    uint64_t a = 0, u = 0, l = 0, d = 0;
    for (int k = 0; k < 4; k++) {
        unsigned lm, dm, um;
        classes16(t + 16 * k, &lm, &dm, &um);
        a |= (uint64_t)(lm | dm) << (16 * k);
        u |= (uint64_t)um << (16 * k);
        l |= (uint64_t)(lm & ~um) << (16 * k);
        d |= (uint64_t)dm << (16 * k);
    }
    *alnum = a;
    *upper = u;
    *lower = l;
    *digit = d;
}

/* The run of ASCII letters and digits from *pp, sixteen bytes at a time while they last: moves
 * *pp to its end (or to the last 15 bytes of the text) and returns the classes seen. */
static inline unsigned run_sse2(const unsigned char *t, size_t n, size_t *pp) {
    size_t p = *pp;
    unsigned upper = 0, lower = 0, digit = 0;
    while (p + 16 <= n) {
        unsigned lm, dm, um;
        classes16(t + p, &lm, &dm, &um);
        unsigned stop = ~(lm | dm) & 0xFFFFu;
        unsigned in = (stop & (0u - stop)) - 1; /* the bytes before the first stop */
        upper |= um & in;
        lower |= lm & ~um & in;
        digit |= dm & in;
        if (stop) {
            p += ctz64(stop);
            break;
        }
        p += 16;
    }
    *pp = p;
    return (upper | lower ? A_ALPHA : 0u) | (upper ? A_UPPER : 0u) | (lower ? A_LOWER : 0u) |
           (digit ? A_DIGIT : 0u);
}
#endif

/* The rest of a run of ASCII letters and digits, byte by byte: moves *pp to its end and returns
 * the classes seen. */
static inline unsigned run_tail(const unsigned char *t, size_t n, size_t *pp) {
    size_t p = *pp;
    unsigned acc = 0;
    while (p < n && (ascii_class[t[p]] & (A_ALPHA | A_DIGIT)))
        acc |= ascii_class[t[p++]];
    *pp = p;
    return acc & (A_ALPHA | A_UPPER | A_LOWER | A_DIGIT);
}

/* Append a token to the array held in locals by word_fast(). */
static inline int put(slc_tokens *o, sl_token **v, size_t *cnt, size_t *cap, size_t s, size_t e,
                      unsigned kind, unsigned flags) {
    if (*cnt == *cap) {
        o->n = *cnt;
        int rc = push(o, s, e, kind, flags); /* grows the array */
        *v = o->v;
        *cnt = o->n;
        *cap = o->cap;
        return rc;
    }
    sl_token *k = &(*v)[(*cnt)++];
    k->start = s;
    k->end = e;
    k->kind = kind;
    k->flags = flags;
    return SL_OK;
}

/* word_fast() found a word it does not handle: scan_word() takes it from the start. */
enum { WORD_SLOW = 1 };

/* Class masks of a 64-byte window of the text, bit j for byte base + j (SSE2 only). With them
 * a word's end is a shift and a ctz away: the next word need not wait for a load and compare of
 * this one's bytes. */
typedef struct run_window {
    size_t base;
    int have;
    uint64_t alnum, upper, lower, digit;
} run_window;

/* The run of ASCII letters and digits at s: returns its end, with *up, *lo and *dg non-zero when
 * it has upper-case letters, lower-case letters, digits. */
static inline size_t fast_run(const unsigned char *t, size_t n, size_t s, run_window *w,
                              uint64_t *up, uint64_t *lo, uint64_t *dg) {
    size_t p = s;
#if defined(SCAN_SSE2)
    uint64_t rest = 0; /* ~alnum from s on, in the window */
    if (w->have && s - w->base < 64)
        rest = ~w->alnum >> (s - w->base);
    if (rest == 0 && s + 64 <= n) {
        w->base = s; /* no window yet, or the word runs past its end */
        w->have = 1;
        window(t + s, &w->alnum, &w->upper, &w->lower, &w->digit);
        rest = ~w->alnum;
    }
    if (rest != 0) {
        size_t off = s - w->base, len = ctz64(rest);
        uint64_t m = ((uint64_t)1 << len) - 1; /* the run: len < 64 */
        *up = (w->upper >> off) & m;
        *lo = (w->lower >> off) & m;
        *dg = (w->digit >> off) & m;
        p = s + len;
    } else {
        unsigned acc = run_sse2(t, n, &p);
        acc |= run_tail(t, n, &p);
        *up = acc & A_UPPER;
        *lo = acc & A_LOWER;
        *dg = acc & A_DIGIT;
    }
#elif defined(SCAN_SWAR)
    /* Eight bytes at a time, the per-byte classes as the high bit of each byte; no branch per
     * byte, so no mispredicted loop exit at the end of every word. */
    uint64_t u = 0, l = 0, d = 0;
    (void)w;
    while (p + 8 <= n) {
        uint64_t x;
        memcpy(&x, t + p, 8);
        uint64_t lt = BETWEEN(x | BYTES(0x20), 0x60, 0x7B), dt = BETWEEN(x, 0x2F, 0x3A);
        uint64_t stop = ~(lt | dt) & BYTES(0x80);
        uint64_t in = (stop & (0 - stop)) - 1; /* the bytes before the first stop */
        lt &= in;
        d |= dt & in;
        u |= lt & ~(x << 2); /* bit 5 (0x20) of a letter, moved to bit 7: lower case */
        l |= lt & (x << 2);
        if (stop) {
            p += (size_t)ctz64(stop) / 8;
            break;
        }
        p += 8;
    }
    unsigned acc = run_tail(t, n, &p);
    *up = u | (acc & A_UPPER);
    *lo = l | (acc & A_LOWER);
    *dg = d | (acc & A_DIGIT);
#else
    (void)w;
    unsigned acc = run_tail(t, n, &p);
    *up = acc & A_UPPER;
    *lo = acc & A_LOWER;
    *dg = acc & A_DIGIT;
#endif
    return p;
}

/*
 * The end of the token of the plain word t[s, p) (ASCII letters and digits: its first and last
 * bytes, whether it has letters and digits) when a mark c that may join words follows it (see
 * A_END), with d after c (0 past the end): p, or p + 1 for a list number "1." opening a line; 0
 * when the word is not plain ("1,000", "U.S.", an abbreviation) and scan_word() must take it.
 */
static inline size_t end_before_mark(const unsigned char *t, size_t n, size_t s, size_t p,
                                     unsigned gap, unsigned char first, unsigned char last,
                                     unsigned char c, unsigned char d, uint64_t letters,
                                     uint64_t dg) {
    if (c == ',')
        return last >= '0' && last <= '9' ? 0 : p; /* perhaps 1,000 */
    if (c != '.' || d >= 0x80 || (ascii_class[d] & (A_ALPHA | A_DIGIT)))
        return 0; /* U.S., 3.5, e-mail, "end.Next", and other marks */
    if (ascii_class[first] & A_DIGIT) {
        /* "1." opening a line: a list number or rank, one token (as scan_word). */
        if (p - s <= 2 && (s == 0 || (gap & SL_TOKF_NEWLINE_BEFORE)) &&
            (p + 1 == n || d == ' ' || d == '\t') && !letters)
            return p + 1;
        return p;
    }
    if ((p - s == 1 && d != '.') ||
        (p - s < 8 && !dg && (s + 8 <= n ? known_abbrev_letters(t, s, p) : known_abbrev(t, s, p))))
        return 0; /* an initial or abbreviation keeps its period (or is marked) */
    return p;
}

/*
 * The common word, nearly every one in news text: ASCII letters and digits ended by white space,
 * plain punctuation, a comma after a letter, or a period that is not the word's own. Emits the
 * token scan_word() would emit, then goes straight on to the next word after one space (the
 * common case: no trip through the gap loop). Returns SL_OK (or SL_ENOMEM) with *endp after the
 * last token; or WORD_SLOW with *endp and *gapp set to a word it does not handle (inner
 * . , - ' : / @, non-ASCII, initials and abbreviations, "US$"), for scan_word() to scan from
 * its start. No URL can start here: every URL prefix has a ':' or a '.' before a letter.
 */
static inline int word_fast(tz *z, size_t s, unsigned *gapp, size_t *endp) {
    const unsigned char *t = z->t;
    size_t n = z->n;
    unsigned gap = *gapp;
    /* The array in locals: stores of tokens could alias z->out->n and force a reload. */
    slc_tokens *o = z->out;
    sl_token *v = o->v;
    size_t cnt = o->n, cap = o->cap;
    int rc = WORD_SLOW;
    run_window win = {0, 0, 0, 0, 0, 0};
    for (;;) {
        uint64_t up, lo, dg; /* non-zero when the run has upper-case letters, lower, digits */
        size_t p = fast_run(t, n, s, &win, &up, &lo, &dg);
        /* The bytes after the word and its first and last, read once: the token stores below
         * may alias the text (unsigned char) and would force reloads. 0 past the end. */
        unsigned char c = p < n ? t[p] : 0, d = p + 1 < n ? t[p + 1] : 0;
        unsigned char first = t[s], last = t[p - 1];
        size_t e = p;
        if (!(ascii_class[c] & A_END) &&
            (e = end_before_mark(t, n, s, p, gap, first, last, c, d, up | lo, dg)) == 0)
            break;
        unsigned a0 = ascii_class[first];
        unsigned f = gap | ((a0 & A_UPPER) ? SL_TOKF_UPPER_INITIAL : 0u) |
                     (up && !lo ? SL_TOKF_ALL_UPPER : 0u) | (dg ? SL_TOKF_HAS_DIGIT : 0u);
        if ((a0 & A_DIGIT) && (up | lo))
            f |= shape_flags(t, n, s, e) & SL_TOKF_UPPER_INITIAL; /* "5th", "3M" */
        if ((rc = put(o, &v, &cnt, &cap, s, e, (a0 & A_DIGIT) ? SL_TOK_NUMBER : SL_TOK_WORD, f)) !=
            SL_OK)
            break;
        rc = WORD_SLOW;
        /* A mark right after the word (",", a sentence's ".", ")"): its token, flags 0 (no
         * space before it), as scan_token() makes it; "..", ".5" and the like go there. */
        if (e == p && ((ascii_class[c] & A_SOLO) || (c == '.' && d != '.'))) {
            if ((rc = put(o, &v, &cnt, &cap, e, e + 1,
                          (ascii_class[c] & A_SYM) ? SL_TOK_SYMBOL : SL_TOK_PUNCT, 0)) != SL_OK)
                break;
            rc = WORD_SLOW;
            e++;
        }
        unsigned char next = e == p ? c : d; /* t[e] */
        if (!(e + 1 < n && next == ' ' && (ascii_class[t[e + 1]] & (A_ALPHA | A_DIGIT)))) {
            s = e;
            rc = SL_OK;
            break;
        }
        s = e + 1;
        gap = SL_TOKF_SPACE_BEFORE;
    }
    o->n = cnt;
    *endp = s;
    *gapp = gap;
    return rc;
}

/* An emoji sequence: modifiers, variation selectors, keycaps, tags and ZWJ joins. */
static size_t scan_emoji(const unsigned char *t, size_t n, size_t i) {
    for (;;) {
        int32_t cp;
        size_t l = decode(t, n, i, &cp);
        i += l;
        while (i < n) {
            l = decode(t, n, i, &cp);
            if (cp == 0xFE0F || cp == 0xFE0E || cp == 0x20E3 || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
                (cp >= 0xE0020 && cp <= 0xE007F))
                i += l;
            else
                break;
        }
        if (i < n && cp == 0x200D && i + l < n) {
            size_t l2, nx = i + l;
            enum cclass k = class_at(t, n, nx, &l2);
            if (k == C_EMOJI || k == C_SYM) {
                i = nx;
                continue;
            }
        }
        return i;
    }
}

/*
 * Whether the apostrophe at i (its bytes end at q) starts a clitic 's 're 've 'll 'd 'm: right
 * after a token ("Jr.'s"), or after a word across one space as in pre-tokenized text
 * ("Syria 's"). On success *endp is the clitic's end.
 */
static int clitic_here(const tz *z, size_t i, size_t q, unsigned gap, size_t *endp) {
    const unsigned char *t = z->t;
    size_t n = z->n;
    const slc_tokens *o = z->out;
    if (i == 0 || q >= n || o->n == 0 || (gap & SL_TOKF_NEWLINE_BEFORE))
        return 0;
    if (gap && o->v[o->n - 1].kind != SL_TOK_WORD && o->v[o->n - 1].kind != SL_TOK_NUMBER)
        return 0;
    size_t r = q;
    while (r < n && r - q < 3 && t[r] < 0x80 && (ascii_class[t[r]] & A_ALPHA))
        r++;
    if (r == q || alnum_at(t, n, r) || (r < n && (t[r] == '-' || t[r] == '\'')))
        return 0; /* "'d-day'" is quoted */
    int a = ascii_lower(t[q]), b = r - q > 1 ? ascii_lower(t[q + 1]) : 0;
    int ok = r - q == 1 ? (a == 's' || a == 'd' || a == 'm')
                        : r - q == 2 && ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') ||
                                         (a == 'l' && b == 'l'));
    if (ok)
        *endp = r;
    return ok;
}

/* One token (or a word split into several) starting at i. */
static int scan_token(tz *z, size_t i, enum cclass k, size_t len, unsigned gap, size_t *endp) {
    const unsigned char *t = z->t;
    size_t n = z->n;
    slc_tokens *o = z->out;
    if (IS_ALNUM(k))
        return scan_word(z, i, gap, endp);
    unsigned char c = t[i];
    size_t e = i + len;
    unsigned kind = SL_TOK_PUNCT;
    switch (k) {
    case C_PUNCT:
    case C_SYM:
        if (c >= 0x80) {
            kind = k == C_PUNCT ? SL_TOK_PUNCT : SL_TOK_SYMBOL;
            if (len == 3 && c == 0xE2 && t[i + 1] == 0x80 && t[i + 2] == 0x99 &&
                clitic_here(z, i, e, gap, &e))
                kind = SL_TOK_CLITIC; /* ’s */
            break;
        }
        kind = (ascii_class[c] & A_PUNCT) ? SL_TOK_PUNCT : SL_TOK_SYMBOL;
        if ((c == '+' || c == '-') && digit_at(t, n, e) && (gap || i == 0)) {
            /* A signed number standing alone: "+0.435", "-5". */
            size_t we;
            int rc = scan_word(z, e, gap, &we);
            if (rc == SL_OK)
                o->v[o->n - 1].start = i; /* a digit starts exactly one token */
            *endp = we;
            return rc;
        }
        switch (c) {
        case '.':
            if (digit_at(t, n, e) && !(gap == 0 && i > 0 && alnum_at(t, n, i - 1))) {
                /* ".5" */
                size_t we;
                int rc = scan_word(z, e, gap, &we);
                if (rc == SL_OK)
                    o->v[o->n - 1].start = i; /* a digit starts exactly one token */
                *endp = we;
                return rc;
            }
            /* A run of periods is one ellipsis token. */
            /* fall through */
        case '-':
        case '?':
        case '!':
        case '*':
        case '=':
        case '_':
        case '`':
            while (e < n && (t[e] == c || ((c == '?' || c == '!') && (t[e] == '?' || t[e] == '!'))))
                e++;
            break;
        case '\'':
            /* A clitic after a period or quote ("Jr.'s") or in pre-tokenized text ("Syria 's"),
             * or a decade ("'90s"). */
            if (clitic_here(z, i, e, gap, &e)) {
                kind = SL_TOK_CLITIC;
                break;
            }
            if (digit_at(t, n, e) && digit_at(t, n, e + 1) && !digit_at(t, n, e + 2)) {
                e += 2;
                if (e < n && t[e] == 's')
                    e++;
                if (!alnum_at(t, n, e)) {
                    kind = SL_TOK_NUMBER;
                    break;
                }
                e = i + 1;
            }
            if (e < n && t[e] == '\'')
                e++; /* '' */
            break;
        case '@':
            if (e < n && (t[e] == '_' || alnum_at(t, n, e))) {
                while (e < n &&
                       (t[e] == '_' || (t[e] < 0x80 && (ascii_class[t[e]] & (A_ALPHA | A_DIGIT)))))
                    e++;
                if (e > i + 1)
                    kind = SL_TOK_HANDLE;
                else
                    e = i + 1;
            }
            break;
        case '#': {
            size_t r = e;
            int letter = 0;
            while (r < n) {
                size_t l;
                enum cclass kk = class_at(t, n, r, &l);
                if (!IS_ALNUM(kk) && t[r] != '_')
                    break;
                letter |= kk != C_DIGIT;
                r += l;
            }
            if (letter) {
                kind = SL_TOK_HASHTAG;
                e = r;
            }
            break;
        }
        default:
            break;
        }
        break;
    case C_EMOJI:
        kind = SL_TOK_EMOJI;
        e = scan_emoji(t, n, i);
        break;
    case C_RI: {
        kind = SL_TOK_EMOJI;
        size_t l;
        if (e < n && class_at(t, n, e, &l) == C_RI)
            e += l;
        break;
    }
    default:
        kind = SL_TOK_OTHER;
        break;
    }
    *endp = e;
    return emit(o, t, n, i, e, kind, gap);
}

int slc_tokenize(const char *text, size_t len, slc_tokens *out) {
    out->n = 0;
    if (!text || len == 0)
        return SL_OK;
    if (out->cap < len / 5 + 16) {
        size_t cap = len / 5 + 16;
        sl_token *v = realloc(out->v, cap * sizeof *v);
        if (!v)
            return SL_ENOMEM;
        out->v = v;
        out->cap = cap;
    }
    tz z = {(const unsigned char *)text, len, out};
    const unsigned char *t = z.t;
    size_t i = 0;
    unsigned space = 0, breaks = 0;
    while (i < len) {
        unsigned char c = t[i];
        unsigned a = ascii_class[c]; /* 0 for c >= 0x80 */
        enum cclass k = C_OTHER;
        size_t l = 1;
        if (c >= 0x80) {
            k = class_at(t, len, i, &l);
            if (k == C_GAP || k == C_NL || k == C_FORMAT) {
                /* Invisible characters do not count as space: "a\u200Bb" has no space. */
                space |= k != C_FORMAT;
                breaks += k == C_NL;
                i += l;
                continue;
            }
        } else if (a & A_GAP) {
            space = 1;
            if (c == '\n' || (c == '\r' && !(i + 1 < len && t[i + 1] == '\n')))
                breaks++;
            i++;
            continue;
        }
        unsigned gap = (space ? SL_TOKF_SPACE_BEFORE : 0) | (breaks ? SL_TOKF_NEWLINE_BEFORE : 0) |
                       (breaks >= 2 ? SL_TOKF_PARAGRAPH_BEFORE : 0);
        size_t e;
        int rc;
        if (a & (A_ALPHA | A_DIGIT)) {
            rc = word_fast(&z, i, &gap, &e);
            if (rc == WORD_SLOW)
                rc = scan_word(&z, e, gap, &e);
        } else if (a & A_SOLO) {
            /* A one-byte mark: PUNCT, or SYMBOL (whose shape flags are all 0). */
            e = i + 1;
            rc = push(out, i, e, (a & A_PUNCT) ? SL_TOK_PUNCT : SL_TOK_SYMBOL, gap);
        } else {
            if (c < 0x80)
                k = (a & A_PUNCT) ? C_PUNCT : C_SYM;
            rc = IS_ALNUM(k) ? scan_word(&z, i, gap, &e) : scan_token(&z, i, k, l, gap, &e);
        }
        if (rc != SL_OK)
            return rc;
        i = e;
        space = 0;
        breaks = 0;
    }
    return SL_OK;
}

void slc_tokens_free(slc_tokens *tokens) {
    free(tokens->v);
    tokens->v = NULL;
    tokens->n = 0;
    tokens->cap = 0;
}
