/* The actor table (see actors.h). */
#include "actors.h"

#include "sluice/sluice.h"
#include "tsv.h"

#include <stdlib.h>
#include <string.h>

void ev_actors_init(ev_actors *a) {
    memset(a, 0, sizeof *a);
    ev_dict_init(&a->dict);
}

void ev_actors_free(ev_actors *a) {
    ev_dict_free(&a->dict);
    free(a->v);
    free(a->codes);
    memset(a, 0, sizeof *a);
}

long ev_actors_begin(ev_actors *a, uint8_t agent) {
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 1024;
        ev_actor *v = realloc(a->v, cap * sizeof *v);
        if (!v)
            return SL_ENOMEM;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n] = (ev_actor){.first = (uint32_t)a->ncodes, .n = 0, .agent = agent};
    return (long)a->n++;
}

int ev_actors_add_phrase(ev_actors *a, long id, const char *phrase, size_t len) {
    uint64_t e[EV_PHRASE_MAX];
    int n = ev_phrase_hashes(phrase, len, e, EV_PHRASE_MAX);
    if (n <= 0)
        return SL_EINVAL;
    for (int i = 0; i < n; i++)
        if (e[i] == EV_GAP)
            return SL_EINVAL;
    int rc = ev_dict_add(&a->dict, e, (size_t)n, (uint32_t)id, 1);
    if (rc == 0 && a->on_phrase)
        rc = a->on_phrase(a->on_phrase_ctx, id, phrase, len);
    return rc < 0 ? rc : SL_OK;
}

int ev_actors_add_code(ev_actors *a, long id, const char *code, size_t len, int32_t from,
                       int32_t to) {
    if (len == 0 || len >= EV_ACTOR_CODE_MAX)
        return SL_EINVAL;
    if (a->ncodes == a->capcodes) {
        size_t cap = a->capcodes ? a->capcodes * 2 : 1024;
        ev_actor_code *c = realloc(a->codes, cap * sizeof *c);
        if (!c)
            return SL_ENOMEM;
        a->codes = c;
        a->capcodes = cap;
    }
    ev_actor *ac = &a->v[id];
    if (ac->first + ac->n != a->ncodes)
        return SL_EINVAL; /* codes go to the last actor begun */
    ev_actor_code *c = &a->codes[a->ncodes++];
    memset(c->code, 0, sizeof c->code);
    for (size_t i = 0; i < len; i++)
        c->code[i] = (char)(code[i] >= 'a' && code[i] <= 'z' ? code[i] - 32 : code[i]);
    c->from = from;
    c->to = to;
    ac->n++;
    return SL_OK;
}

int32_t ev_parse_date(const char *s, size_t len) {
    char d[8];
    size_t k = 0;
    for (size_t i = 0; i < len && k < 8; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            d[k++] = s[i];
        else if (s[i] == '-' && (k == 4 || k == 6))
            continue;
        else
            break;
    }
    int32_t v = 0;
    if (k == 6) { /* YYMMDD, as PETRARCH dictionaries write it */
        for (size_t i = 0; i < 6; i++)
            v = v * 10 + (d[i] - '0');
        v += (v / 10000 <= 30 ? 20000000 : 19000000);
    } else if (k == 8) {
        for (size_t i = 0; i < 8; i++)
            v = v * 10 + (d[i] - '0');
    } else {
        return 0;
    }
    int month = v / 100 % 100, day = v % 100;
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? v : 0;
}

/* A date of exactly 6 or 8 digits. */
static int32_t strict_date(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return len == 6 || len == 8 ? ev_parse_date(s, len) : 0;
}

int ev_parse_dates(const char *s, size_t len, int32_t *from, int32_t *to) {
    *from = 0;
    *to = INT32_MAX;
    while (len && *s == ' ') {
        s++;
        len--;
    }
    while (len && s[len - 1] == ' ')
        len--;
    if (len == 0)
        return 0;
    if (s[0] == '>' || s[0] == '<') {
        size_t k = 1;
        while (k < len && s[k] == ' ')
            k++;
        int32_t d = strict_date(s + k, len - k);
        if (!d)
            return -1;
        if (s[0] == '>')
            *from = d;
        else
            *to = d;
        return 0;
    }
    const char *dash = memchr(s, '-', len);
    if (!dash)
        return -1;
    *from = strict_date(s, (size_t)(dash - s));
    *to = strict_date(dash + 1, len - (size_t)(dash - s) - 1);
    return *from && *to && *from <= *to ? 0 : -1;
}

const char *ev_actor_code_at(const ev_actors *a, uint32_t id, int32_t date) {
    const ev_actor *ac = &a->v[id];
    const ev_actor_code *best = NULL;
    for (uint32_t i = 0; i < ac->n; i++) {
        const ev_actor_code *c = &a->codes[ac->first + i];
        int undated = c->from == 0 && c->to == INT32_MAX;
        if (date && !undated && date >= c->from && date <= c->to)
            return c->code;
        if (undated) {
            if (!best || !(best->from == 0 && best->to == INT32_MAX))
                best = c;
        } else if (!best || (!(best->from == 0 && best->to == INT32_MAX) && c->to > best->to)) {
            best = c;
        }
    }
    return best ? best->code : "";
}

static int valid_actor_code(const char *s, size_t len) {
    if (len == 0 || len >= EV_ACTOR_CODE_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              (s[i] == '-' && i < 3)))
            return 0;
    return 1;
}

int ev_actors_load_tsv(ev_actors *a, const char *path, char *err, size_t errlen) {
    ev_tsv r;
    if (ev_tsv_open(&r, path, err, errlen) != 0)
        return SL_ECONFIG;
    ev_field f[4];
    int nf, rc = SL_OK;
    char *prev = NULL;
    size_t prevcap = 0, prevlen = 0;
    long id = -1;
    while ((nf = ev_tsv_next(&r, f, 4)) > 0) {
        if (nf < 2) {
            rc = ev_tsv_error(&r, err, errlen,
                              "expected a phrase, a tab and a code "
                              "(phrase<TAB>code<TAB>dates<TAB>notes)");
            break;
        }
        /* "~GOV" joins after a country's code, "NGO~" before it */
        int agent = f[1].len && (f[1].s[0] == '~' || f[1].s[f[1].len - 1] == '~');
        int suffix = agent && f[1].s[0] == '~';
        const char *code = f[1].s + suffix;
        size_t clen = f[1].len - (size_t)suffix;
        if (!valid_actor_code(code, clen - (size_t)(agent && !suffix))) {
            rc = ev_tsv_error(&r, err, errlen,
                              "code '%.*s': an actor code is 1 to 23 capital letters or "
                              "digits (USAGOV), with '~' before an agent's (~GOV) or after one "
                              "that comes first (NGO~)",
                              (int)f[1].len, f[1].s);
            break;
        }
        int32_t from = 0, to = INT32_MAX;
        if (nf >= 3 && ev_parse_dates(f[2].s, f[2].len, &from, &to) != 0) {
            rc = ev_tsv_error(&r, err, errlen,
                              "dates '%.*s': expected nothing, >YYYYMMDD, <YYYYMMDD or "
                              "YYYYMMDD-YYYYMMDD",
                              (int)f[2].len, f[2].s);
            break;
        }
        int same = id >= 0 && prevlen == f[0].len && memcmp(prev, f[0].s, prevlen) == 0 &&
                   a->v[id].agent == agent;
        if (!same) {
            id = ev_actors_begin(a, (uint8_t)agent);
            if (id < 0) {
                rc = (int)id;
                break;
            }
            rc = ev_actors_add_phrase(a, id, f[0].s, f[0].len);
            if (rc) {
                rc = ev_tsv_error(&r, err, errlen, "phrase '%.*s': %s", (int)f[0].len, f[0].s,
                                  rc == SL_EINVAL ? "empty, a gap, or more than 16 words"
                                                  : sl_strerror(rc));
                break;
            }
            if (f[0].len + 1 > prevcap) {
                char *p = realloc(prev, f[0].len + 1);
                if (!p) {
                    rc = SL_ENOMEM;
                    break;
                }
                prev = p;
                prevcap = f[0].len + 1;
            }
            memcpy(prev, f[0].s, f[0].len);
            prevlen = f[0].len;
        }
        rc = ev_actors_add_code(a, id, code, clen, from, to);
        if (rc)
            break;
    }
    if (nf < 0 && !rc)
        rc = ev_tsv_error(&r, err, errlen, "cannot read: %s", r.ioerr);
    free(prev);
    ev_tsv_close(&r);
    return rc;
}
