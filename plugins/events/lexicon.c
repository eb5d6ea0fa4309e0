/* The trigger lexicon (see lexicon.h). */
#include "lexicon.h"

#include "sluice/sluice.h"
#include "tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ev_lexicon_init(ev_lexicon *lx) {
    memset(lx, 0, sizeof *lx);
    ev_dict_init(&lx->dict);
}

void ev_lexicon_free(ev_lexicon *lx) {
    ev_dict_free(&lx->dict);
    free(lx->v);
    memset(lx, 0, sizeof *lx);
}

static int is_vowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}
static int is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int ev_inflect(const char *w, size_t n, int (*fn)(void *, const char *, size_t, int), void *ctx) {
    char b[80];
    if (n == 0 || n > sizeof b - 8)
        return fn(ctx, w, n, EV_FORM_BASE);
    char last = w[n - 1], prev = n > 1 ? w[n - 2] : 0;
    int cons_y = last == 'y' && n > 1 && !is_vowel(prev);
    /* consonant-vowel-consonant: "ban" -> "banned"; also generated for "visit" */
    int cvc = n >= 3 && is_alpha(last) && !is_vowel(last) && last != 'w' && last != 'x' &&
              last != 'y' && is_vowel(prev) && !is_vowel(w[n - 3]);
    int rc = fn(ctx, w, n, EV_FORM_BASE);
    /* third person */
    memcpy(b, w, n);
    size_t k = n;
    if (cons_y) {
        memcpy(b + n - 1, "ies", 3);
        k = n + 2;
    } else if (last == 's' || last == 'x' || last == 'z' || last == 'o' ||
               (n > 1 && (last == 'h') && (prev == 'c' || prev == 's'))) {
        memcpy(b + n, "es", 2);
        k = n + 2;
    } else {
        b[n] = 's';
        k = n + 1;
    }
    rc = rc ? rc : fn(ctx, b, k, EV_FORM_S);
    /* past and participle */
    memcpy(b, w, n);
    if (last == 'e') {
        b[n] = 'd';
        k = n + 1;
    } else if (cons_y) {
        memcpy(b + n - 1, "ied", 3);
        k = n + 2;
    } else {
        memcpy(b + n, "ed", 2);
        k = n + 2;
    }
    rc = rc ? rc : fn(ctx, b, k, EV_FORM_ED);
    if (cvc) {
        memcpy(b, w, n);
        b[n] = last;
        memcpy(b + n + 1, "ed", 2);
        rc = rc ? rc : fn(ctx, b, n + 3, EV_FORM_ED);
        memcpy(b + n + 1, "ing", 3);
        rc = rc ? rc : fn(ctx, b, n + 4, EV_FORM_ING);
    }
    /* gerund */
    memcpy(b, w, n);
    if (n > 2 && last == 'e' && prev == 'i') {
        memcpy(b + n - 2, "ying", 4);
        k = n + 2;
    } else if (n > 2 && last == 'e' && prev != 'e' && prev != 'y' && prev != 'o') {
        memcpy(b + n - 1, "ing", 3);
        k = n + 2;
    } else {
        memcpy(b + n, "ing", 3);
        k = n + 3;
    }
    rc = rc ? rc : fn(ctx, b, k, EV_FORM_ING);
    return rc;
}

/* Elements of a phrase being added. */
typedef struct phrase_parts {
    const char *w[EV_PHRASE_MAX + 1];
    size_t len[EV_PHRASE_MAX + 1];
    size_t n;
} phrase_parts;

static int collect(void *ctx, const char *w, size_t len) {
    phrase_parts *p = ctx;
    if (p->n >= EV_PHRASE_MAX)
        return -1;
    p->w[p->n] = w;
    p->len[p->n] = len;
    p->n++;
    return 0;
}

const char *ev_lexicon_phrase_error(const char *s, size_t len) {
    phrase_parts p = {.n = 0};
    if (ev_phrase_words(s, len, collect, &p) < 0)
        return "too many words (at most 16, gaps included)";
    if (p.n == 0)
        return "empty phrase";
    if (p.len[0] == 0)
        return "a phrase cannot start with a gap (...)";
    if (p.len[p.n - 1] == 0)
        return "a phrase cannot end with a gap (...)";
    for (size_t i = 0; i < p.n; i++) {
        if (i && p.len[i] == 0 && p.len[i - 1] == 0)
            return "two gaps (...) in a row";
        const char *bar = memchr(p.w[i], '|', p.len[i]);
        if (bar && i)
            return "only the first word may list irregular forms (meet|met)";
        for (size_t j = 0; j < p.len[i]; j++) {
            unsigned char c = (unsigned char)p.w[i][j];
            if (c < 0x20 || c == '"' || c == '\\' || c == '[' || c == ']' || c == '{' || c == '}')
                return "a word holds a character that no token has ([ ] { } \" \\ or a control "
                       "character)";
            if (c == '|' && (j == 0 || j + 1 == p.len[i] || p.w[i][j + 1] == '|'))
                return "an empty form between '|'";
        }
    }
    return NULL;
}

typedef struct add_ctx {
    ev_lexicon *lx;
    const ev_trigger *t;
    uint64_t *elems;
    size_t n;
} add_ctx;

static int add_form(void *ctx, const char *w, size_t len, int form) {
    add_ctx *a = ctx;
    ev_lexicon *lx = a->lx;
    if (lx->n == lx->cap) {
        size_t cap = lx->cap ? lx->cap * 2 : 512;
        ev_trigger *v = realloc(lx->v, cap * sizeof *v);
        if (!v)
            return SL_ENOMEM;
        lx->v = v;
        lx->cap = cap;
    }
    a->elems[0] = ev_word_hash(w, len);
    if (a->n > 1) {
        /* a word an earlier line calls a reporting verb or no trigger keeps that reading in
         * longer phrases too ("said ... support" is not 051) */
        ev_match m;
        if (ev_dict_match(&lx->dict, a->elems, NULL, 1, 0, &m) && m.end == 1 &&
            lx->v[m.value].kind != EV_TRIG_EVENT)
            return SL_OK;
    }
    int rc = ev_dict_add(&lx->dict, a->elems, a->n, (uint32_t)lx->n, 1);
    if (rc < 0)
        return rc;
    if (rc == 0) {
        lx->v[lx->n] = *a->t;
        lx->v[lx->n].form = (uint8_t)form;
        lx->n++;
    }
    return SL_OK;
}

/* The form an irregular word stands for, by its ending. */
static int irregular_form(const char *w, size_t n) {
    if (n > 4 && memcmp(w + n - 3, "ing", 3) == 0)
        return EV_FORM_ING;
    if (n > 2 && w[n - 1] == 's' && w[n - 2] != 's')
        return EV_FORM_S;
    return EV_FORM_ED;
}

int ev_lexicon_add(ev_lexicon *lx, const char *s, size_t len, const ev_trigger *t, int inflect) {
    phrase_parts p = {.n = 0};
    if (ev_phrase_words(s, len, collect, &p) < 0 || p.n == 0 || p.len[0] == 0)
        return SL_EINVAL;
    uint64_t elems[EV_PHRASE_MAX];
    for (size_t i = 1; i < p.n; i++)
        elems[i] = p.len[i] ? ev_word_hash(p.w[i], p.len[i]) : EV_GAP;
    add_ctx a = {.lx = lx, .t = t, .elems = elems, .n = p.n};
    /* the first word: lemma|irregular|irregular */
    const char *w = p.w[0], *end = p.w[0] + p.len[0];
    const char *bar = memchr(w, '|', p.len[0]);
    size_t lemma_len = bar ? (size_t)(bar - w) : p.len[0];
    char lower[80];
    int rc;
    if (inflect && lemma_len < sizeof lower) {
        for (size_t i = 0; i < lemma_len; i++)
            lower[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
        rc = ev_inflect(lower, lemma_len, add_form, &a);
    } else {
        rc = add_form(&a, w, lemma_len, EV_FORM_EXACT);
    }
    while (!rc && bar) {
        const char *f = bar + 1;
        bar = memchr(f, '|', (size_t)(end - f));
        size_t flen = bar ? (size_t)(bar - f) : (size_t)(end - f);
        rc = add_form(&a, f, flen, inflect ? irregular_form(f, flen) : EV_FORM_EXACT);
    }
    return rc;
}

static const char *one_code(char out[8], int *idx, const ev_cameo *cameo, const char *s, size_t len,
                            int strict) {
    if (len == 0 || len > 7)
        return "a code has 2 to 4 digits";
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z')))
            return "a code has 2 to 4 digits";
    memcpy(out, s, len);
    out[len] = 0;
    *idx = ev_cameo_find(cameo, s, len);
    if (strict && *idx < 0)
        return "not a code of the CAMEO table (data/cameo.tsv)";
    return NULL;
}

const char *ev_trigger_parse(ev_trigger *t, const ev_cameo *cameo, const char *s, size_t len,
                             int strict) {
    memset(t, 0, sizeof *t);
    t->cameo = t->rev_cameo = -1;
    if (len == 3 && memcmp(s, "say", 3) == 0) {
        t->kind = EV_TRIG_SAY;
        return NULL;
    }
    if ((len == 1 && s[0] == '-') || (len == 3 && memcmp(s, "---", 3) == 0)) {
        t->kind = EV_TRIG_NONE;
        return NULL;
    }
    t->kind = EV_TRIG_EVENT;
    const char *colon = memchr(s, ':', len);
    size_t l1 = colon ? (size_t)(colon - s) : len;
    const char *why = one_code(t->code, &t->cameo, cameo, s, l1, strict);
    if (!why && colon)
        why = one_code(t->rev, &t->rev_cameo, cameo, colon + 1, len - l1 - 1, strict);
    return why;
}

int ev_lexicon_load_tsv(ev_lexicon *lx, const ev_cameo *cameo, const char *path, char *err,
                        size_t errlen) {
    ev_tsv r;
    if (ev_tsv_open(&r, path, err, errlen) != 0)
        return SL_ECONFIG;
    ev_field f[3];
    int nf, rc = SL_OK;
    while ((nf = ev_tsv_next(&r, f, 3)) > 0) {
        if (nf < 2) {
            rc = ev_tsv_error(&r, err, errlen,
                              "expected a phrase, a tab and a code (phrase<TAB>code<TAB>notes)");
            break;
        }
        int exact = f[0].s[0] == '='; /* "=tear gas": the words as written */
        const char *why = ev_lexicon_phrase_error(f[0].s + exact, f[0].len - (size_t)exact);
        if (why) {
            rc = ev_tsv_error(&r, err, errlen, "phrase '%.*s': %s", (int)f[0].len, f[0].s, why);
            break;
        }
        ev_trigger t;
        why = ev_trigger_parse(&t, cameo, f[1].s, f[1].len, 1);
        if (why) {
            rc = ev_tsv_error(&r, err, errlen, "code '%.*s': %s (or 'say', '-')", (int)f[1].len,
                              f[1].s, why);
            break;
        }
        rc = ev_lexicon_add(lx, f[0].s + exact, f[0].len - (size_t)exact, &t, !exact);
        if (rc) {
            rc = ev_tsv_error(&r, err, errlen, "%s", sl_strerror(rc));
            break;
        }
    }
    if (nf < 0 && !rc)
        rc = ev_tsv_error(&r, err, errlen, "cannot read: %s", r.ioerr);
    ev_tsv_close(&r);
    return rc;
}
