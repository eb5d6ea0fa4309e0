/* PETRARCH actor, agent and verb dictionaries (see petrarch.h). */
#define _POSIX_C_SOURCE 200809L
#include "petrarch.h"

#include "sluice/sluice.h"
#include "tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A line without its comment and trailing blanks; NULL for a markup comment line. */
static char *comment_start(char *s, size_t len) {
    int depth = 0; /* "[###]" is a code of the PETRARCH test dictionaries, not a comment */
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '[')
            depth++;
        else if (s[i] == ']' && depth)
            depth--;
        else if (s[i] == '#' && !depth)
            return s + i;
    }
    return NULL;
}

static size_t strip_comment(char *s, size_t len) {
    char *hash = comment_start(s, len);
    if (hash)
        len = (size_t)(hash - s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    s[len] = 0;
    return len;
}

static int is_markup(const char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    return strncmp(s, "<!--", 4) == 0;
}

static int upper_char(int c) {
    return c >= 'a' && c <= 'z' ? c - 32 : c;
}

/* ---- actors and agents ---- */

#define MAX_MACROS 16
#define MAX_ALTS 16

typedef struct macro {
    char name[32];
    char alts[MAX_ALTS][32];
    int nalts;
} macro;

typedef struct actor_reader {
    ev_actors *a;
    ev_tsv r;
    char *err;
    size_t errlen;
    long id; /* the entry being read, -1 before the first */
    macro macros[MAX_MACROS];
    int nmacros;
    size_t skipped;
} actor_reader;

/* Parse one "[CODE dates]" starting at s[0] == '['; returns its length or -1. */
static int read_code(actor_reader *ar, const char *s, size_t len) {
    const char *close = memchr(s, ']', len);
    if (!close) /* "[~ENV}": a typo in Phoenix.agents.txt that PETRARCH reads */
        close = memchr(s, '}', len);
    if (!close)
        return ev_tsv_error(&ar->r, ar->err, ar->errlen, "'[' without ']'"), -1;
    const char *p = s + 1;
    while (p < close && (*p == ' ' || *p == '\t'))
        p++;
    const char *c = p;
    while (p < close && *p != ' ' && *p != '\t')
        p++;
    size_t clen = (size_t)(p - c);
    int agent = 0;
    if (clen && c[0] == '~') {
        agent = 1;
        c++;
        clen--;
    } else if (clen && c[clen - 1] == '~') {
        agent = 1;
        clen--;
    }
    if (clen == 0 || (clen == 3 && memcmp(c, "---", 3) == 0))
        return (int)(close - s + 1); /* no code */
    char code[EV_ACTOR_CODE_MAX];
    if (clen + 1 >= sizeof code)
        return ev_tsv_error(&ar->r, ar->err, ar->errlen, "code '%.*s' is too long", (int)clen, c),
               -1;
    for (size_t i = 0; i < clen; i++) {
        int u = upper_char((unsigned char)c[i]);
        if (!((u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-')) {
            ar->skipped++; /* "[+++]": no actor code, as PETRARCH's test dictionaries use */
            return (int)(close - s + 1);
        }
        code[i] = (char)u;
    }
    if (agent && c[clen] == '~') /* "NGO~": the agent's code goes before the country's */
        code[clen++] = '~';
    int32_t from, to;
    if (ev_parse_dates(p, (size_t)(close - p), &from, &to) != 0) {
        ar->skipped++; /* PETRARCH's own dictionaries hold a few mistyped dates */
        return (int)(close - s + 1);
    }
    if (ar->id < 0)
        return ev_tsv_error(&ar->r, ar->err, ar->errlen, "a code before any actor"), -1;
    int rc = ev_actors_add_code(ar->a, ar->id, code, clen, from, to);
    if (rc)
        return ev_tsv_error(&ar->r, ar->err, ar->errlen, "%s", sl_strerror(rc)), -1;
    return (int)(close - s + 1);
}

/* Add a phrase, expanding one !MACRO! into each of its alternatives. */
static int add_phrase(actor_reader *ar, const char *s, size_t len) {
    const char *bang = memchr(s, '!', len);
    if (bang) {
        const char *end = memchr(bang + 1, '!', len - (size_t)(bang + 1 - s));
        if (!end)
            goto literal; /* "WATCH_INDONESIA!": a name with an exclamation mark */
        size_t nlen = (size_t)(end - bang + 1);
        for (int m = 0; m < ar->nmacros; m++) {
            if (strlen(ar->macros[m].name) != nlen || memcmp(ar->macros[m].name, bang, nlen))
                continue;
            for (int k = 0; k < ar->macros[m].nalts; k++) {
                char buf[512];
                int n =
                    snprintf(buf, sizeof buf, "%.*s%s%.*s", (int)(bang - s), s,
                             ar->macros[m].alts[k], (int)(len - (size_t)(end + 1 - s)), end + 1);
                if (n < 0 || (size_t)n >= sizeof buf)
                    continue;
                int rc = add_phrase(ar, buf, (size_t)n);
                if (rc)
                    return rc;
            }
            return SL_OK;
        }
        return ev_tsv_error(&ar->r, ar->err, ar->errlen, "unknown substitution %.*s", (int)nlen,
                            bang);
    }
literal:;
    int rc = ev_actors_add_phrase(ar->a, ar->id, s, len);
    if (rc == SL_EINVAL)
        return SL_OK; /* nothing a token can match ("_" alone) */
    return rc ? ev_tsv_error(&ar->r, ar->err, ar->errlen, "%s", sl_strerror(rc)) : SL_OK;
}

/* "!PERSON! = MAN, MEN, WOMAN" */
static int read_macro(actor_reader *ar, const char *s) {
    const char *eq = strchr(s, '=');
    if (ar->nmacros == MAX_MACROS)
        return ev_tsv_error(&ar->r, ar->err, ar->errlen, "more than %d substitutions", MAX_MACROS);
    macro *m = &ar->macros[ar->nmacros];
    size_t nlen = (size_t)(eq - s);
    while (nlen && s[nlen - 1] == ' ')
        nlen--;
    if (nlen >= sizeof m->name)
        return ev_tsv_error(&ar->r, ar->err, ar->errlen, "substitution name too long");
    memcpy(m->name, s, nlen);
    m->name[nlen] = 0;
    m->nalts = 0;
    const char *p = eq + 1;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *b = p;
        while (*p && *p != ',')
            p++;
        size_t l = (size_t)(p - b);
        while (l && b[l - 1] == ' ')
            l--;
        if (!l)
            continue;
        if (m->nalts == MAX_ALTS || l >= sizeof m->alts[0])
            return ev_tsv_error(&ar->r, ar->err, ar->errlen, "substitution too long");
        memcpy(m->alts[m->nalts], b, l);
        m->alts[m->nalts][l] = 0;
        m->nalts++;
    }
    ar->nmacros++;
    return SL_OK;
}

/* The regular plural of a phrase's last word ("MINISTER" -> "MINISTERS"). */
static int add_plural(actor_reader *ar, const char *s, size_t len) {
    char buf[512];
    if (len + 3 >= sizeof buf || len == 0)
        return SL_OK;
    memcpy(buf, s, len);
    char last = (char)upper_char((unsigned char)s[len - 1]);
    size_t n = len;
    if (last == 'Y' && len > 1 && !strchr("AEIOU", upper_char((unsigned char)s[len - 2]))) {
        memcpy(buf + len - 1, "IES", 3);
        n = len + 2;
    } else if (last == 'S' || last == 'X' || last == 'H') {
        memcpy(buf + len, "ES", 2);
        n = len + 2;
    } else {
        buf[len] = 'S';
        n = len + 1;
    }
    return add_phrase(ar, buf, n);
}

/* One entry line: "PHRASE {PLURALS} [CODE] [CODE]" (plurals only in agent dictionaries). */
static int read_entry_line(actor_reader *ar, char *s, size_t len, int synonym) {
    size_t i = 0;
    while (i < len && s[i] != '[' && s[i] != '{')
        i++;
    size_t plen = i;
    while (plen && (s[plen - 1] == ' ' || s[plen - 1] == '\t'))
        plen--;
    const char *plurals = NULL;
    size_t nplurals = 0;
    int has_braces = 0;
    if (i < len && s[i] == '{') {
        const char *close = memchr(s + i, '}', len - i);
        if (!close)
            return ev_tsv_error(&ar->r, ar->err, ar->errlen, "'{' without '}'");
        has_braces = 1;
        plurals = s + i + 1;
        nplurals = (size_t)(close - plurals);
        i = (size_t)(close - s) + 1;
    }
    /* the codes first: whether this is an agent decides how the phrase is added */
    int agent = -1;
    size_t codes_at = i;
    if (!synonym) {
        /* peek at the first code for the agent mark */
        const char *b = memchr(s + i, '[', len - i);
        if (b) {
            const char *p = b + 1;
            while (*p == ' ')
                p++;
            const char *close = memchr(b, ']', len - (size_t)(b - s));
            agent = *p == '~' || (close && close > b + 1 && close[-1] == '~');
        }
        long id = ev_actors_begin(ar->a, (uint8_t)(agent == 1));
        if (id < 0)
            return (int)id;
        ar->id = id;
    } else if (ar->id < 0) {
        return ev_tsv_error(&ar->r, ar->err, ar->errlen, "a synonym (+) before any actor");
    }
    if (plen) {
        int rc = add_phrase(ar, s, plen);
        if (rc)
            return rc;
        if (ar->a->v[ar->id].agent) {
            if (has_braces) {
                const char *p = plurals, *end = plurals + nplurals;
                while (p < end) {
                    while (p < end && *p == ' ')
                        p++;
                    const char *b = p;
                    while (p < end && *p != ' ')
                        p++;
                    if (p > b && (rc = add_phrase(ar, b, (size_t)(p - b))) != SL_OK)
                        return rc;
                }
            } else if ((rc = add_plural(ar, s, plen)) != SL_OK) {
                return rc;
            }
        }
    }
    for (i = codes_at; i < len; i++) {
        if (s[i] == '[') {
            int n = read_code(ar, s + i, len - i);
            if (n < 0)
                return SL_ECONFIG;
            i += (size_t)n - 1;
        } else if (s[i] != ' ' && s[i] != '\t') {
            break; /* notes after the codes, as PETRARCH reads them */
        }
    }
    return SL_OK;
}

int ev_petrarch_actors(ev_actors *a, const char *path, char *err, size_t errlen, size_t *skipped) {
    actor_reader ar = {.a = a, .err = err, .errlen = errlen, .id = -1};
    if (ev_tsv_open(&ar.r, path, err, errlen) != 0)
        return SL_ECONFIG;
    int rc = SL_OK, got;
    while ((got = ev_tsv_line(&ar.r)) > 0) {
        char *s = ar.r.line;
        if (is_markup(s))
            continue;
        size_t len = strip_comment(s, ar.r.len);
        size_t lead = 0;
        while (lead < len && (s[lead] == ' ' || s[lead] == '\t'))
            lead++;
        if (lead == len)
            continue;
        if (s[lead] == '!' && strchr(s, '=')) {
            rc = read_macro(&ar, s + lead);
        } else if (s[lead] == '[') {
            for (size_t i = lead; i < len && !rc; i++) {
                if (s[i] == '[') {
                    int n = read_code(&ar, s + i, len - i);
                    if (n < 0)
                        rc = SL_ECONFIG;
                    else
                        i += (size_t)n - 1;
                }
            }
        } else if (s[lead] == '+') {
            rc = read_entry_line(&ar, s + lead + 1, len - lead - 1, 1);
        } else {
            rc = read_entry_line(&ar, s + lead, len - lead, 0);
        }
        if (rc)
            break;
    }
    if (got < 0 && !rc)
        rc = ev_tsv_error(&ar.r, err, errlen, "cannot read: %s", ar.r.ioerr);
    if (skipped)
        *skipped = ar.skipped;
    ev_tsv_close(&ar.r);
    return rc;
}

/* ---- verbs ---- */

#define MAX_SETS 256
#define MAX_MEMBERS 64
#define MAX_VERBS 128
#define MAX_EXPAND 64

typedef struct synset {
    char name[48];
    char *members[MAX_MEMBERS];
    int n;
} synset;

typedef struct verb_reader {
    ev_tsv r;
    char *err;
    size_t errlen;
    ev_verb_fn fn;
    void *ctx;
    synset *sets;
    int nsets;
    synset *cur_set;
    int in_block;
    char block[64];
    char block_code[16];
    char *verbs[MAX_VERBS]; /* "meet|meets|met", lower case */
    char verb_names[MAX_VERBS][48];
    int nverbs;
} verb_reader;

static void lower(char *s) {
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

static const synset *find_set(const verb_reader *vr, const char *name, size_t len) {
    for (int i = 0; i < vr->nsets; i++)
        if (strlen(vr->sets[i].name) == len && strncmp(vr->sets[i].name, name, len) == 0)
            return &vr->sets[i];
    return NULL;
}

/* "[CODE]" at the end of a line: its text into code, the line cut before it. */
static int take_code(verb_reader *vr, char *s, size_t *len, char code[16]) {
    char *open = memchr(s, '[', *len);
    code[0] = 0;
    if (!open)
        return 0;
    char *close = memchr(open, ']', *len - (size_t)(open - s));
    if (!close)
        return ev_tsv_error(&vr->r, vr->err, vr->errlen, "'[' without ']'");
    char *p = open + 1;
    while (*p == ' ')
        p++;
    size_t n = (size_t)(close - p);
    while (n && p[n - 1] == ' ')
        n--;
    if (n >= 16)
        n = 15;
    memcpy(code, p, n);
    code[n] = 0;
    *open = 0;
    *len = (size_t)(open - s);
    while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
        s[--*len] = 0;
    return 0;
}

/* Whether a code is usable: digits (and capital letters) with an optional ":" second code. */
static int usable_code(const char *c) {
    size_t n = strlen(c);
    if (n == 0)
        return 0;
    if (strcmp(c, "---") == 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'A' && c[i] <= 'Z') || c[i] == ':'))
            return 0;
    return c[0] >= '0' && c[0] <= '9';
}

static int emit(verb_reader *vr, const char *phrase, const char *code) {
    const char *c = strcmp(code, "---") == 0 ? "-" : code;
    if (vr->fn(vr->ctx, phrase, c, vr->block) != 0)
        return ev_tsv_error(&vr->r, vr->err, vr->errlen, "cannot add '%s'", phrase);
    return SL_OK;
}

/* A verb line: "VERB {FORMS} [CODE]" or "+VERB ...". */
static int read_verb(verb_reader *vr, char *s, size_t len) {
    char code[16];
    if (take_code(vr, s, &len, code))
        return SL_ECONFIG;
    char *brace = memchr(s, '{', len);
    char forms[256] = "";
    if (brace) {
        char *close = memchr(brace, '}', len - (size_t)(brace - s));
        if (!close)
            return ev_tsv_error(&vr->r, vr->err, vr->errlen, "'{' without '}'");
        size_t k = 0;
        for (char *p = brace + 1; p < close && k + 2 < sizeof forms; p++) {
            if (*p == ' ') {
                if (k && forms[k - 1] != '|')
                    forms[k++] = '|';
            } else {
                forms[k++] = *p;
            }
        }
        while (k && forms[k - 1] == '|')
            k--;
        forms[k] = 0;
        *brace = 0;
        len = (size_t)(brace - s);
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '_'))
        s[--len] = 0;
    if (!len || vr->nverbs == MAX_VERBS || strchr(s, '+') || strchr(s, '*'))
        return SL_OK; /* nothing a text can match */
    char phrase[512];
    int multi = strchr(s, '_') != NULL || strchr(s, ' ') != NULL;
    snprintf(phrase, sizeof phrase, "%s%s%s", s, forms[0] && !multi ? "|" : "", multi ? "" : forms);
    lower(phrase);
    vr->verbs[vr->nverbs] = strdup(phrase);
    if (!vr->verbs[vr->nverbs])
        return SL_ENOMEM;
    snprintf(vr->verb_names[vr->nverbs], sizeof vr->verb_names[0], "%s", s);
    vr->nverbs++;
    const char *c = code[0] ? code : vr->block_code;
    if (usable_code(c) && strcmp(c, "---") != 0)
        return emit(vr, phrase, c);
    return SL_OK;
}

/* Expand a pattern tail into phrases: slots of alternatives, gaps between groups. */
typedef struct tail {
    char text[MAX_EXPAND][512];
    int n;
} tail;

static void tail_append(tail *t, const char *const *alts, int nalts) {
    int n = t->n;
    int out = 0;
    static const char *const none[] = {""};
    if (nalts == 0) {
        alts = none;
        nalts = 1;
    }
    /* product, capped */
    char(*tmp)[512] = malloc(sizeof(char[512]) * MAX_EXPAND);
    if (!tmp)
        return;
    for (int i = 0; i < n && out < MAX_EXPAND; i++)
        for (int j = 0; j < nalts && out < MAX_EXPAND; j++)
            snprintf(tmp[out++], 512, "%s%s%s", t->text[i], t->text[i][0] && alts[j][0] ? " " : "",
                     alts[j]);
    memcpy(t->text, tmp, sizeof(char[512]) * (size_t)out);
    t->n = out;
    free(tmp);
}

static int expand_set(const verb_reader *vr, const char *name, size_t len, const char **out,
                      int max, int depth) {
    const synset *ss = find_set(vr, name, len);
    if (!ss || depth > 3)
        return -1;
    int n = 0;
    for (int i = 0; i < ss->n && n < max; i++) {
        if (ss->members[i][0] == '&') {
            int k = expand_set(vr, ss->members[i] + 1, strlen(ss->members[i] + 1), out + n, max - n,
                               depth + 1);
            if (k > 0)
                n += k;
        } else {
            out[n++] = ss->members[i];
        }
    }
    return n;
}

static int find_verb_name(const verb_reader *vr, const char *name) {
    for (int v = 0; v < vr->nverbs; v++)
        if (strcmp(vr->verb_names[v], name) == 0)
            return 1;
    return 0;
}

static int read_pattern(verb_reader *vr, char *s, size_t len, const char *comment) {
    char code[16];
    if (take_code(vr, s, &len, code))
        return SL_ECONFIG;
    if (!code[0])
        return ev_tsv_error(&vr->r, vr->err, vr->errlen, "a pattern without a [code]");
    if (!usable_code(code) || !vr->in_block)
        return SL_OK;
    /* the words: everything before "*" must be a position mark */
    char *save = NULL;
    tail *t = calloc(1, sizeof *t);
    if (!t)
        return SL_ENOMEM;
    t->n = 1;
    int seen_star = 0, ok = 1, words = 0, gap_pending = 1, depth = 0;
    for (char *tok = strtok_r(s, " \t", &save); tok && ok; tok = strtok_r(NULL, " \t", &save)) {
        if (!seen_star) {
            if (strcmp(tok, "*") == 0)
                seen_star = 1;
            else if (!(strcmp(tok, "$") == 0 || strcmp(tok, "+") == 0 || strcmp(tok, "%") == 0))
                ok = 0;
            continue;
        }
        if (strchr(tok, '*')) {
            ok = 0;
            break;
        }
        size_t tl = strlen(tok);
        int open = 0, close = 0;
        while (tl && (*tok == '(' || *tok == '{')) {
            tok++;
            tl--;
            open = 1;
        }
        while (tl && (tok[tl - 1] == ')' || tok[tl - 1] == '}')) {
            tok[--tl] = 0;
            close++;
        }
        /* words of a group ("{RIGHTS ABUSES}", "(OF TORTURE)") are consecutive; groups and
         * loose words may have modifiers between them, as in a noun phrase */
        if (open || depth == 0)
            gap_pending = 1;
        depth += open;
        depth -= close < depth ? close : depth;
        if (tl == 0)
            continue;
        if (strcmp(tok, "+") == 0 || strcmp(tok, "$") == 0 || strcmp(tok, "^") == 0 ||
            strcmp(tok, "%") == 0) {
            gap_pending = 1;
            continue;
        }
        if (gap_pending && words) {
            static const char *const gap[] = {"..."};
            tail_append(t, gap, 1);
        }
        gap_pending = 0;
        if (tok[0] == '&') {
            const char *alts[MAX_EXPAND];
            size_t nl = tl - 1;
            while (nl && tok[nl] == '_')
                nl--;
            int n = expand_set(vr, tok + 1, tl - 1, alts, MAX_EXPAND, 0);
            if (n <= 0)
                n = expand_set(vr, tok + 1, nl, alts, MAX_EXPAND, 0);
            if (n <= 0) {
                ok = 0;
                break;
            }
            tail_append(t, alts, n);
        } else {
            const char *one[] = {tok};
            tail_append(t, one, 1);
        }
        words++;
    }
    int rc = SL_OK;
    if (ok && seen_star && words) {
        for (int v = 0; v < vr->nverbs && !rc; v++) {
            /* a pattern noted with its verb belongs to that verb alone */
            if (comment[0] && find_verb_name(vr, comment) && strcmp(vr->verb_names[v], comment))
                continue;
            for (int k = 0; k < t->n && !rc; k++) {
                char phrase[1024];
                snprintf(phrase, sizeof phrase, "%s ... %s", vr->verbs[v], t->text[k]);
                lower(phrase);
                rc = emit(vr, phrase, code);
            }
        }
    }
    free(t);
    return rc;
}

static void end_block(verb_reader *vr) {
    for (int i = 0; i < vr->nverbs; i++)
        free(vr->verbs[i]);
    vr->nverbs = 0;
    vr->in_block = 0;
}

/* "--- NAME [CODE] ---" */
static int read_block(verb_reader *vr, char *s, size_t len) {
    end_block(vr);
    char code[16];
    if (take_code(vr, s, &len, code))
        return SL_ECONFIG;
    char *p = s;
    while (*p == '-' || *p == ' ')
        p++;
    size_t n = 0;
    while (p[n] && p[n] != ' ' && p[n] != '-' && n + 1 < sizeof vr->block)
        n++;
    memcpy(vr->block, p, n);
    vr->block[n] = 0;
    snprintf(vr->block_code, sizeof vr->block_code, "%s", code[0] ? code : "---");
    vr->in_block = 1;
    vr->cur_set = NULL;
    return SL_OK;
}

static int read_set(verb_reader *vr, const char *s) {
    if (vr->nsets == MAX_SETS)
        return ev_tsv_error(&vr->r, vr->err, vr->errlen, "more than %d synonym sets", MAX_SETS);
    synset *ss = &vr->sets[vr->nsets++];
    size_t n = 0;
    s++;
    while (s[n] && s[n] != ' ' && s[n] != '\t' && n + 1 < sizeof ss->name)
        n++;
    while (n && s[n - 1] == '_')
        n--;
    memcpy(ss->name, s, n);
    ss->name[n] = 0;
    ss->n = 0;
    vr->cur_set = ss;
    end_block(vr);
    return SL_OK;
}

static int add_member(verb_reader *vr, const char *s) {
    synset *ss = vr->cur_set;
    if (ss->n == MAX_MEMBERS)
        return SL_OK;
    char *m = strdup(s);
    if (!m)
        return SL_ENOMEM;
    size_t n = strlen(m);
    while (n && (m[n - 1] == '_' || m[n - 1] == ' '))
        m[--n] = 0;
    lower(m);
    if (m[0] == '&') /* nested sets keep their name's case */
        for (char *q = m + 1; *q; q++)
            *q = (char)upper_char((unsigned char)*q);
    ss->members[ss->n++] = m;
    return SL_OK;
}

int ev_petrarch_verbs(const char *path, ev_verb_fn fn, void *ctx, char *err, size_t errlen) {
    verb_reader *vr = calloc(1, sizeof *vr);
    if (!vr)
        return SL_ENOMEM;
    vr->err = err;
    vr->errlen = errlen;
    vr->fn = fn;
    vr->ctx = ctx;
    vr->sets = calloc(MAX_SETS, sizeof *vr->sets);
    int rc = SL_OK, got = 0;
    if (!vr->sets) {
        free(vr);
        return SL_ENOMEM;
    }
    if (ev_tsv_open(&vr->r, path, err, errlen) != 0) {
        rc = SL_ECONFIG;
        goto done;
    }
    while ((got = ev_tsv_line(&vr->r)) > 0) {
        char *s = vr->r.line;
        if (is_markup(s))
            continue;
        if (strncmp(s, "####", 4) == 0 && strstr(s, "TRANSFORMATIONS"))
            break; /* PETRARCH's transformations need a parse tree */
        /* the comment: a pattern's names the verb it was written for */
        char comment[48] = "";
        char *hash = comment_start(s, vr->r.len);
        if (hash) {
            const char *c = hash + 1;
            while (*c == ' ')
                c++;
            size_t n = 0;
            while (c[n] && c[n] != ' ' && c[n] != '\t' && n + 1 < sizeof comment)
                n++;
            memcpy(comment, c, n);
            comment[n] = 0;
        }
        size_t len = strip_comment(s, vr->r.len);
        while (len && (*s == ' ' || *s == '\t')) {
            s++;
            len--;
        }
        if (!len) {
            vr->cur_set = NULL; /* a blank line ends a synonym set */
            continue;
        }
        if (s[0] == '&')
            rc = read_set(vr, s);
        else if (s[0] == '+' && vr->cur_set)
            rc = add_member(vr, s + 1);
        else if (strncmp(s, "---", 3) == 0)
            rc = read_block(vr, s, len);
        else if (s[0] == '-')
            rc = vr->in_block ? read_pattern(vr, s + 1, len - 1, comment)
                              : ev_tsv_error(&vr->r, err, errlen,
                                             "a pattern outside a verb "
                                             "block (--- VERB [code] ---)");
        else if (vr->in_block)
            rc = read_verb(vr, s + (s[0] == '+'), len - (s[0] == '+'));
        else if (s[0] != '+')
            rc = ev_tsv_error(&vr->r, err, errlen,
                              "a verb outside a verb block (--- VERB [code] ---)");
        if (rc)
            break;
    }
    if (got < 0 && !rc)
        rc = ev_tsv_error(&vr->r, err, errlen, "cannot read: %s", vr->r.ioerr);
done:
    end_block(vr);
    for (int i = 0; i < vr->nsets; i++)
        for (int j = 0; j < vr->sets[i].n; j++)
            free(vr->sets[i].members[j]);
    free(vr->sets);
    ev_tsv_close(&vr->r);
    free(vr);
    return rc;
}
