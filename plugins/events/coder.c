/* The event coder (see coder.h). */
#include "coder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Closed word classes the grammar reads. */
enum {
    W_NEG = 1u << 0,    /* not n't never no */
    W_BE = 1u << 1,     /* forms of "be" (passive voice, "is to") */
    W_WILL = 1u << 2,   /* future and intent auxiliaries */
    W_INTENT = 1u << 3, /* verbs and adjectives of intent before "to" */
    W_TO = 1u << 4,
    W_BY = 1u << 5,
    W_LINK = 1u << 6,    /* of in from for: "the government of Syria" */
    W_CONJ = 1u << 7,    /* and, or: coordination */
    W_DET = 1u << 8,     /* the a an its their both */
    W_POSS = 1u << 9,    /* 's */
    W_ADV = 1u << 10,    /* adverbs that sit between an auxiliary and its verb */
    W_REFUSE = 1u << 11, /* refuse fail decline before "to": no event */
    W_PRON = 1u << 12,   /* subject pronouns: the speaker is the subject */
    W_THAT = 1u << 13,
    W_COMMA = 1u << 14,
    W_CLAUSE = 1u << 15,  /* ; : . ! ? : the end of a clause */
    W_UPPER = 1u << 16,   /* a capital first letter: names of actors start with one */
    W_VERBCTX = 1u << 17, /* a plain verb form after it is a verb */
    W_ABOUT = 1u << 18,   /* "is about to restore": the act itself, imminent */
    W_LOC = 1u << 19      /* in, at: "met in Geneva" names a place more than a participant */
};

static const char *const neg_words[] = {"not", "n't", "never", "no", "nor", "cannot", NULL};
static const char *const be_words[] = {"is", "are", "was", "were", "be",   "been",    "being",
                                       "am", "'re", "get", "got",  "gets", "getting", NULL};
static const char *const will_words[] = {"will", "would", "shall", "'ll", "wo", "going", NULL};
/* lemmas: their inflections are added */
static const char *const intent_verbs[] = {
    "plan",    "intend",   "want",    "hope",    "expect", "seek",      "prepare", "promise",
    "pledge",  "vow",      "offer",   "decide",  "aim",    "threaten",  "agree",   "try",
    "attempt", "wish",     "propose", "resolve", "vote",   "undertake", "commit",  "move",
    "look",    "consider", "push",    "call",    NULL};
static const char *const intent_words[] = {"sought", "ready",      "willing", "due",  "set",
                                           "poised", "determined", "eager",   "keen", "prepared",
                                           "likely", "able",       NULL};
static const char *const refuse_verbs[] = {"refuse", "fail",  "decline", "reject",
                                           "stop",   "cease", NULL};
static const char *const adv_words[] = {
    "also",       "soon",      "still",      "again",      "now",        "then",
    "later",      "already",   "just",       "jointly",    "formally",   "officially",
    "reportedly", "allegedly", "quickly",    "swiftly",    "repeatedly", "fiercely",
    "strongly",   "publicly",  "personally", "recently",   "finally",    "immediately",
    "once",       "even",      "further",    "separately", "directly",   "briefly",
    "partly",     "largely",   "apparently", "actually",   "initially",  "eventually",
    "previously", "first",     "yesterday",  "today",      "tonight",    "overnight",
    "monday",     "tuesday",   "wednesday",  "thursday",   "friday",     "saturday",
    "sunday",     "have",      "has",        "had",        NULL};
static const char *const det_words[] = {"the",  "a",     "an",   "its",   "their",
                                        "both", "his",   "her",  "other", "several",
                                        "two",  "three", "some", "all",   NULL};
static const char *const pron_words[] = {"it", "he", "she", "they", "we", "i", NULL};
/* words after which a plain verb form is a verb, not a noun: "they attack", "did meet" */
static const char *const verb_context[] = {"who",  "which",  "that",  "do",  "does",
                                           "did",  "can",    "could", "may", "might",
                                           "must", "should", "and",   "to",  NULL};

static int add_words(ev_wordset *s, const char *const *w, uint32_t cls) {
    for (; *w; w++)
        if (ev_wordset_add(s, ev_word_hash(*w, strlen(*w)), cls) != SL_OK)
            return SL_ENOMEM;
    return SL_OK;
}

typedef struct inflect_ctx {
    ev_wordset *s;
    uint32_t cls;
} inflect_ctx;

static int add_form(void *ctx, const char *w, size_t n, int form) {
    inflect_ctx *ic = ctx;
    (void)form;
    return ev_wordset_add(ic->s, ev_word_hash(w, n), ic->cls);
}

static int add_lemmas(ev_wordset *s, const char *const *w, uint32_t cls) {
    inflect_ctx ic = {s, cls};
    for (; *w; w++)
        if (ev_inflect(*w, strlen(*w), add_form, &ic) != SL_OK)
            return SL_ENOMEM;
    return SL_OK;
}

int ev_model_init(ev_model *m) {
    ev_wordset *s = &m->classes;
    static const char *const to[] = {"to", NULL}, *const by[] = {"by", NULL},
                             *const link[] = {"of", "in", "from", "for", NULL},
                             *const conj[] = {"and", "or", "&", NULL},
                             *const poss[] = {"'s", "'", NULL}, *const that[] = {"that", NULL},
                             *const about[] = {"about", NULL}, *const loc[] = {"in",     "at",
                                                                               "near",   "outside",
                                                                               "inside", NULL};
    if (add_words(s, neg_words, W_NEG) || add_words(s, be_words, W_BE) ||
        add_words(s, will_words, W_WILL | W_VERBCTX) || add_lemmas(s, intent_verbs, W_INTENT) ||
        add_words(s, intent_words, W_INTENT) || add_lemmas(s, refuse_verbs, W_REFUSE) ||
        add_words(s, adv_words, W_ADV) || add_words(s, det_words, W_DET) ||
        add_words(s, pron_words, W_PRON | W_VERBCTX) || add_words(s, to, W_TO) ||
        add_words(s, by, W_BY) || add_words(s, link, W_LINK) || add_words(s, conj, W_CONJ) ||
        add_words(s, poss, W_POSS) || add_words(s, that, W_THAT) || add_words(s, about, W_ABOUT) ||
        add_words(s, loc, W_LOC) || add_words(s, verb_context, W_VERBCTX))
        return SL_ENOMEM;
    return SL_OK;
}

void ev_model_free(ev_model *m) {
    ev_cameo_free(&m->cameo);
    ev_lexicon_free(&m->lexicon);
    ev_actors_free(&m->actors);
    ev_wordset_free(&m->classes);
}

struct ev_mention {
    size_t s, e;
    char code[EV_ACTOR_CODE_MAX + 8];
    uint8_t agent;
    uint8_t dead;
    uint8_t join; /* joined to the mention before: 1 by a comma, 2 by "and" or "or" */
    uint32_t group;
};

/* A trigger found in a sentence. */
struct ev_found {
    size_t s, e;
    size_t lit_end; /* end of the trigger's words before any gap ("met" of "met ... for talks") */
    const ev_trigger *t;
    uint8_t suppressed;
};

void ev_coder_init(ev_coder *c, const ev_model *m) {
    memset(c, 0, sizeof *c);
    c->m = m;
}

void ev_coder_free(ev_coder *c) {
    free(c->hash);
    free(c->stop);
    free(c->zone);
    free(c->say);
    free(c->cls);
    free(c->in_mention);
    free(c->ent_at);
    free(c->mentions);
    free(c->found);
    free(c->events);
    memset(c, 0, sizeof *c);
}

#define GROW(ptr, n, cap, init)                                                                    \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            size_t ncap_ = (cap) ? (cap)*2 : (init);                                               \
            void *p_ = realloc((ptr), ncap_ * sizeof *(ptr));                                      \
            if (!p_)                                                                               \
                return SL_ENOMEM;                                                                  \
            (ptr) = p_;                                                                            \
            (cap) = ncap_;                                                                         \
        }                                                                                          \
    } while (0)

static int reserve_tokens(ev_coder *c, size_t n) {
    if (n <= c->tokcap)
        return SL_OK;
    size_t cap = c->tokcap ? c->tokcap : 1024;
    while (cap < n)
        cap *= 2;
    uint64_t *h = realloc(c->hash, cap * sizeof *h);
    if (h)
        c->hash = h;
    unsigned char *st = realloc(c->stop, cap);
    if (st)
        c->stop = st;
    unsigned char *z = realloc(c->zone, cap);
    if (z)
        c->zone = z;
    unsigned char *sy = realloc(c->say, cap);
    if (sy)
        c->say = sy;
    uint32_t *cl = realloc(c->cls, cap * sizeof *cl);
    if (cl)
        c->cls = cl;
    uint32_t *im = realloc(c->in_mention, cap * sizeof *im);
    if (im)
        c->in_mention = im;
    uint32_t *ea = realloc(c->ent_at, cap * sizeof *ea);
    if (ea)
        c->ent_at = ea;
    if (!h || !st || !z || !sy || !cl || !im || !ea)
        return SL_ENOMEM;
    c->tokcap = cap;
    return SL_OK;
}

/* Punctuation that ends a clause for the grammar and a gap for phrases. */
static int is_stop(const char *text, const sl_token *t) {
    if (t->kind != SL_TOK_PUNCT)
        return 0;
    char ch = text[t->start];
    return ch == ',' || ch == ';' || ch == ':' || ch == '.' || ch == '!' || ch == '?' ||
           ch == '(' || ch == ')' || ch == '[' || ch == ']' ||
           (ch == '-' && t->end - t->start >= 2) || (unsigned char)ch == 0xE2;
}

/* Join a country's code and an agent's: SYR + REB -> SYRREB; an agent written "NGO~" goes
 * first (NGO + ARN -> NGOARN); no agent twice. */
static void join_codes(char *out, size_t cap, const char *actor, const char *agent) {
    size_t g = strlen(agent);
    int prefix = g && agent[g - 1] == '~';
    if (prefix)
        g--;
    if (g >= 3 && strlen(actor) >= 3 && strstr(actor + (prefix ? 0 : 3), agent) &&
        strncmp(actor + (prefix ? 0 : 3), agent, g) == 0) {
        snprintf(out, cap, "%s", actor);
        return;
    }
    if (prefix)
        snprintf(out, cap, "%.*s%s", (int)g, agent, actor);
    else
        snprintf(out, cap, "%s%.*s", actor, (int)g, agent);
}

/* Agents that are actors without a country: "rebels shelled", "police arrested". */
static int lone_agent(const char *code) {
    static const char *const ok[] = {"GOV", "MIL", "REB", "COP", "OPP", "JUD",
                                     "LEG", "SPY", "INS", "UAF", NULL};
    for (const char *const *k = ok; *k; k++)
        if (strncmp(code, *k, 3) == 0)
            return 1;
    return 0;
}

/* The actor of a person's canonical name ("John Kerry"), or -1. */
static long canonical_actor(const ev_model *m, const char *name) {
    uint64_t h[EV_PHRASE_MAX];
    int n = ev_phrase_hashes(name, strlen(name), h, EV_PHRASE_MAX);
    ev_match mt;
    if (n > 0 && ev_dict_match(&m->actors.dict, h, NULL, (size_t)n, 0, &mt) && mt.end == (size_t)n)
        return (long)mt.value;
    return -1;
}

static int add_mention(ev_coder *c, size_t s, size_t e, const char *code, int agent) {
    GROW(c->mentions, c->nmentions, c->capmentions, 64);
    ev_mention *m = &c->mentions[c->nmentions++];
    m->s = s;
    m->e = e;
    snprintf(m->code, sizeof m->code, "%s", code);
    m->agent = (uint8_t)agent;
    m->dead = 0;
    m->group = 0;
    return SL_OK;
}

/* The next mention after k that no join has consumed, or n. */
static size_t next_alive(const ev_mention *mv, size_t n, size_t k) {
    size_t j = k + 1;
    while (j < n && mv[j].dead)
        j++;
    return j;
}

/* Actors of a sentence: table phrases, then entities the table does not know; agents joined
 * to their country ("Syrian rebels", "the government of Syria", "Russia's army"). */
static int find_mentions(ev_coder *c, size_t a, size_t b, const ev_entity *ents,
                         const ev_options *opt) {
    const ev_model *m = c->m;
    c->nmentions = 0;
    for (size_t i = a; i < b;) {
        ev_match mt;
        if (ev_dict_match(&m->actors.dict, c->hash, NULL, b, i, &mt)) {
            const ev_actor *ac = &m->actors.v[mt.value];
            const char *code = ev_actor_code_at(&m->actors, mt.value, opt->date);
            /* "Turkey" the country, not "turkey"; agents are common nouns */
            if (*code && (ac->agent || (c->cls[i] & W_UPPER))) {
                if (add_mention(c, i, mt.end, code, ac->agent))
                    return SL_ENOMEM;
                i = mt.end;
                continue;
            }
        }
        if (c->ent_at[i]) {
            const ev_entity *en = &ents[c->ent_at[i] - 1];
            size_t e = en->end <= b ? en->end : b;
            long id = en->canonical ? canonical_actor(m, en->canonical) : -1;
            const char *code =
                id >= 0 ? ev_actor_code_at(&m->actors, (uint32_t)id, opt->date) : en->code;
            if (code && *code && e > i) {
                if (add_mention(c, i, e, code, id >= 0 && m->actors.v[id].agent))
                    return SL_ENOMEM;
                i = e;
                continue;
            }
        }
        i++;
    }
    ev_mention *mv = c->mentions;
    size_t n = c->nmentions;
    /* country (or actor) then agent, a few words apart: "Syrian rebels", "US Deputy Secretary",
     * "Russia's UN ambassador" */
    for (size_t k = 0; k + 1 < n; k++) {
        if (mv[k].dead || mv[k].agent || !mv[k + 1].agent)
            continue;
        size_t gap = mv[k + 1].s - mv[k].e;
        int ok = gap <= 3;
        for (size_t j = mv[k].e; ok && j < mv[k + 1].s; j++)
            if (c->stop[j] || (c->cls[j] & (W_CONJ | W_LINK | W_BY | W_TO)) || c->ent_at[j])
                ok = 0;
        if (!ok)
            continue;
        char code[sizeof mv[k].code];
        join_codes(code, sizeof code, mv[k].code, mv[k + 1].code);
        memcpy(mv[k].code, code, sizeof code);
        mv[k].e = mv[k + 1].e;
        mv[k + 1].dead = 1;
        k++;
    }
    /* agent "of|in|from" [the] country: "a court in Syria", "the government of Syria" */
    for (size_t k = 0; k + 1 < n; k++) {
        if (mv[k].dead || !mv[k].agent)
            continue;
        size_t nx = k + 1;
        while (nx < n && mv[nx].dead)
            nx++;
        if (nx == n || mv[nx].agent)
            continue;
        size_t j = mv[k].e;
        if (j >= mv[nx].s || !(c->cls[j] & W_LINK))
            continue;
        j++;
        if (j < mv[nx].s && (c->cls[j] & W_DET))
            j++;
        if (j != mv[nx].s)
            continue;
        char code[sizeof mv[k].code];
        /* "lawmakers in Fornost and Gondor": the role goes with each country */
        for (size_t m2 = nx, prev = nx; (m2 = next_alive(mv, n, m2)) < n; prev = m2) {
            size_t j2 = mv[prev].e;
            while (j2 < mv[m2].s && (c->cls[j2] & (W_CONJ | W_COMMA | W_DET)))
                j2++;
            if (j2 != mv[m2].s || mv[m2].agent || mv[m2].s == mv[prev].e)
                break;
            join_codes(code, sizeof code, mv[m2].code, mv[k].code);
            memcpy(mv[m2].code, code, sizeof code);
        }
        join_codes(code, sizeof code, mv[nx].code, mv[k].code);
        memcpy(mv[k].code, code, sizeof code);
        mv[k].e = mv[nx].e;
        mv[k].agent = 0;
        mv[nx].dead = 1;
    }
    /* an agent right before a named actor: "President Vladimir Putin", "Russian President Putin" */
    for (size_t k = 0; k + 1 < n; k++) {
        size_t nx = next_alive(mv, n, k);
        if (mv[k].dead || !mv[k].agent || nx == n || mv[nx].agent || mv[nx].s != mv[k].e)
            continue;
        char code[sizeof mv[k].code];
        join_codes(code, sizeof code, mv[nx].code, mv[k].code);
        memcpy(mv[nx].code, code, sizeof code);
        mv[nx].s = mv[k].s;
        mv[k].dead = 1;
    }
    /* a country-and-role right before the person it names: keep the longer code */
    for (size_t k = 0; k + 1 < n; k++) {
        size_t nx = next_alive(mv, n, k);
        if (mv[k].dead || mv[k].agent || nx == n || mv[nx].agent || mv[nx].s != mv[k].e ||
            strncmp(mv[k].code, mv[nx].code, 3) != 0)
            continue;
        if (strlen(mv[k].code) > strlen(mv[nx].code))
            memcpy(mv[nx].code, mv[k].code, sizeof mv[k].code);
        mv[nx].s = mv[k].s;
        mv[k].dead = 1;
    }
    /* agents left alone: "---REB" for the roles that act on their own, else nothing */
    size_t out = 0;
    for (size_t k = 0; k < n; k++) {
        if (mv[k].dead)
            continue;
        if (mv[k].agent) {
            if (!lone_agent(mv[k].code))
                continue;
            char code[sizeof mv[k].code];
            size_t g = strlen(mv[k].code);
            snprintf(code, sizeof code, "---%.*s", (int)(g - (mv[k].code[g - 1] == '~')),
                     mv[k].code);
            memcpy(mv[k].code, code, sizeof code);
            mv[k].agent = 0;
        }
        mv[out++] = mv[k];
    }
    c->nmentions = n = out;
    /* coordination: "Brazil and the United States", "Chile, Peru and Bolivia"; a
     * comma alone joins only in a list that ends with "and" or "or" */
    for (size_t k = 0; k < n; k++) {
        mv[k].group = (uint32_t)k;
        mv[k].join = 0;
        if (!k)
            continue;
        size_t gap = mv[k].s - mv[k - 1].e;
        int conj = 0, comma = 0, ok = gap >= 1 && gap <= 5;
        for (size_t j = mv[k - 1].e; ok && j < mv[k].s; j++) {
            if (c->cls[j] & W_CONJ)
                conj = 1;
            else if (c->cls[j] & W_COMMA)
                comma = 1;
            else if (!(c->cls[j] & W_DET) && (!(conj || comma) || c->stop[j] ||
                                              (c->cls[j] & (W_UPPER | W_VERBCTX | W_BE | W_WILL)) ||
                                              ev_dict_has_first(&c->m->lexicon.dict, c->hash[j])))
                ok = 0; /* after "and", only determiners and modifiers: "and the awful Y" */
        }
        mv[k].join = (uint8_t)(!ok ? 0 : conj ? 2 : comma ? 1 : 0);
    }
    for (size_t k = 1; k < n; k++) {
        int ok = mv[k].join == 2;
        for (size_t j = k; !ok && j < n && mv[j].join == 1; j++)
            ok = j + 1 < n && mv[j + 1].join == 2;
        if (ok)
            mv[k].group = mv[k - 1].group;
    }
    for (size_t i = a; i < b; i++)
        c->in_mention[i] = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = mv[k].s; i < mv[k].e; i++)
            c->in_mention[i] = (uint32_t)k + 1;
    return SL_OK;
}

/* The token before i, stepping back over adverbs (at most two), or SIZE_MAX. */
static size_t before(const ev_coder *c, size_t a, size_t i) {
    for (int k = 0; k < 3 && i > a; k++) {
        i--;
        if (!(c->cls[i] & W_ADV) || c->in_mention[i])
            return i;
    }
    return SIZE_MAX;
}

/* Triggers of a sentence: the lexicon's longest matches. Returns whether any is an event. */
static int find_triggers(ev_coder *c, size_t a, size_t b, int *any_event) {
    c->nfound = 0;
    *any_event = 0;
    for (size_t i = a; i < b;) {
        c->say[i] = 0;
        ev_match mt;
        if (!ev_dict_match(&c->m->lexicon.dict, c->hash, c->stop, b, i, &mt)) {
            i++;
            continue;
        }
        GROW(c->found, c->nfound, c->capfound, 32);
        ev_found *f = &c->found[c->nfound++];
        f->s = mt.start;
        f->e = mt.end;
        f->lit_end = mt.words == mt.end - mt.start ? mt.end : mt.start + 1;
        f->t = &c->m->lexicon.v[mt.value];
        f->suppressed = f->t->kind == EV_TRIG_NONE;
        *any_event |= f->t->kind == EV_TRIG_EVENT;
        /* a gap may hold the target ("accused Russia of"): go on after the first word */
        size_t next = mt.words == mt.end - mt.start ? mt.end : i + 1;
        for (size_t j = i + 1; j < next; j++)
            c->say[j] = 0;
        i = next;
    }
    return SL_OK;
}

/* Triggers inside actor names ("the Free Syrian Army") are none; reporting verbs are marked
 * per token. */
static void settle_triggers(ev_coder *c) {
    size_t out = 0;
    for (size_t k = 0; k < c->nfound; k++) {
        ev_found *f = &c->found[k];
        if (c->in_mention[f->s])
            continue;
        if (f->t->kind == EV_TRIG_SAY)
            for (size_t j = f->s; j < f->e; j++)
                c->say[j] = 1;
        c->found[out++] = *f;
    }
    c->nfound = out;
}

/* Whether token j says something: a reporting verb found in this sentence. */
static int is_say(const ev_coder *c, size_t j) {
    return c->say[j];
}

/* Attribution: ", X said", ", according to X" and what follows them up to the clause's end
 * belong to the speaker, not to the events of the sentence. */
static void mark_zones(ev_coder *c, size_t a, size_t b) {
    for (size_t i = a; i < b; i++)
        c->zone[i] = 0;
    for (size_t k = 0; k < c->nfound; k++) {
        const ev_found *f = &c->found[k];
        if (f->t->kind != EV_TRIG_SAY)
            continue;
        size_t j = f->s;
        while (j > a && f->s - j < 10 && !c->stop[j - 1])
            j--;
        if (j == a || !(c->cls[j - 1] & W_COMMA))
            continue; /* "X said that ...": the speaker opens the sentence */
        size_t end = f->e;
        while (end < b && !(c->cls[end] & W_CLAUSE) && !(end > f->e && c->stop[end]))
            end++;
        /* "..., X said, adding ..." keeps the comma's clause its own */
        for (size_t i = j - 1; i < end; i++)
            c->zone[i] = 1;
    }
}

/* Whether mention k is a place of the clause ("in Geneva", "at the UN"), not a participant:
 * a locative preposition before it that is not part of the trigger ("invest in"). */
static int is_place(const ev_coder *c, long k, size_t a, size_t trig_end) {
    const ev_mention *m = &c->mentions[k];
    size_t p = m->s;
    if (p > a && (c->cls[p - 1] & W_DET))
        p--;
    return p > a && p - 1 >= trig_end && (c->cls[p - 1] & W_LOC);
}

/* The mention nearest before token i in its clause (the subject), or -1. A reporting verb
 * between ends the search, except that a pronoun right after it ("X said it would") stands
 * for the speaker. A place ("In Kabul, ...") is taken only when nothing else is there. */
static long subject_before(const ev_coder *c, size_t a, size_t i) {
    long place = -1;
    for (size_t j = i; j > a; j--) {
        size_t t = j - 1;
        if (c->zone[t] || (c->cls[t] & W_CLAUSE) || i - t > 25)
            return place;
        if (c->in_mention[t]) {
            long k = (long)c->in_mention[t] - 1;
            if (!is_place(c, k, a, 0))
                return k;
            if (place < 0)
                place = k;
            j = c->mentions[k].s + 1;
            continue;
        }
        if (is_say(c, t)) {
            size_t p = t + 1;
            while (p < i && (c->cls[p] & W_THAT || is_say(c, p)))
                p++;
            if (p < i && (c->cls[p] & W_PRON)) {
                for (size_t q = t; q > a; q--) {
                    if (c->stop[q - 1] || c->zone[q - 1])
                        break;
                    if (c->in_mention[q - 1])
                        return (long)c->in_mention[q - 1] - 1;
                }
            }
            return place;
        }
    }
    return place;
}

/* The mention nearest after token i in its clause (the object), or -1; a place ("met in
 * Geneva") only when no other mention follows, with *is_place_out set. */
static long object_after(const ev_coder *c, size_t a, size_t i, size_t trig_end, size_t b,
                         int *is_place_out) {
    long place = -1;
    *is_place_out = 0;
    for (size_t t = i; t < b && t - i <= 15; t++) {
        if (c->zone[t] || (c->cls[t] & W_CLAUSE) || is_say(c, t))
            break;
        if (c->in_mention[t]) {
            long k = (long)c->in_mention[t] - 1;
            if (!is_place(c, k, a, trig_end))
                return k;
            if (place < 0)
                place = k;
            t = c->mentions[k].e - 1;
        }
    }
    *is_place_out = place >= 0;
    return place;
}

/* The mention after "by" shortly after token i (the agent of a passive), or -1. */
static long agent_after(const ev_coder *c, size_t i, size_t b) {
    for (size_t t = i; t < b && t - i <= 6; t++) {
        if (c->zone[t] || (c->cls[t] & W_CLAUSE))
            return -1;
        if (c->cls[t] & W_BY) {
            size_t u = t + 1;
            if (u < b && (c->cls[u] & W_DET))
                u++;
            return u < b && c->in_mention[u] ? (long)c->in_mention[u] - 1 : -1;
        }
    }
    return -1;
}

static int push_event(ev_coder *c, size_t sent, const ev_found *f, const char *code, int cameo,
                      int intent, const ev_mention *src, const ev_mention *tgt) {
    if (src && tgt && strcmp(src->code, tgt->code) == 0)
        return SL_OK;
    for (size_t k = c->nevents; k > 0; k--) { /* once per sentence, code and actors */
        const ev_event *e = &c->events[k - 1];
        if (e->sentence != sent)
            break;
        if (strcmp(e->code, code) == 0 && e->has_source == !!src && e->has_target == !!tgt &&
            (!src || strcmp(e->source_code, src->code) == 0) &&
            (!tgt || strcmp(e->target_code, tgt->code) == 0))
            return SL_OK;
    }
    GROW(c->events, c->nevents, c->capevents, 64);
    ev_event *e = &c->events[c->nevents++];
    memset(e, 0, sizeof *e);
    e->sentence = sent;
    e->trigger = (ev_range){f->s, f->lit_end}; /* the words before a gap */
    snprintf(e->code, sizeof e->code, "%s", code);
    e->cameo = cameo;
    e->intent = intent;
    if (src) {
        e->has_source = 1;
        e->source = (ev_range){src->s, src->e};
        memcpy(e->source_code, src->code, sizeof e->source_code);
    }
    if (tgt) {
        e->has_target = 1;
        e->target = (ev_range){tgt->s, tgt->e};
        memcpy(e->target_code, tgt->code, sizeof e->target_code);
    }
    return SL_OK;
}

/* Whether two coordinated actors with no object act on each other: cooperation does
 * ("Brazil and Argentina met"); conflict has another target ("Chilean and Peruvian fans
 * rioted in Madrid"). */
static int reciprocal(const ev_coder *c, const ev_found *f) {
    int ci = f->t->cameo;
    return ci >= 0 && c->m->cameo.v[ci].quad <= 2;
}

/* Events between the members of two groups of coordinated mentions (either may be absent),
 * and the reverse events of a two-way code ("032:033"). */
static int emit_pairs(ev_coder *c, size_t sent, const ev_found *f, int intent, long src, long tgt,
                      const ev_options *opt) {
    const ev_trigger *t = f->t;
    const ev_cameo *cameo = &c->m->cameo;
    const char *code = t->code;
    int ci = t->cameo;
    if (intent && opt->intent && ci >= 0 && cameo->v[ci].intent >= 0) {
        ci = cameo->v[ci].intent;
        code = cameo->v[ci].code;
    }
    const ev_mention *mv = c->mentions;
    size_t n = c->nmentions;
    if (src >= 0 && tgt < 0 && reciprocal(c, f)) {
        /* "Brazil and Argentina met", "... agreed to cooperate": each with each */
        size_t members = 0;
        for (size_t k = 0; k < n; k++)
            members += mv[k].group == mv[src].group;
        if (members == 2) { /* a pair, not a list of places or companies */
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n; j++)
                    if (i != j && mv[i].group == mv[src].group && mv[j].group == mv[src].group &&
                        push_event(c, sent, f, code, ci, intent, &mv[i], &mv[j]))
                        return SL_ENOMEM;
            return SL_OK;
        }
    }
    if ((src < 0 || tgt < 0) && !opt->partial)
        return SL_OK;
    for (size_t i = 0; i < n || (src < 0 && i == 0); i++) {
        const ev_mention *s = src >= 0 ? &mv[i] : NULL;
        if (s && (s->group != mv[src].group || c->zone[s->s]))
            continue;
        for (size_t j = 0; j < n || (tgt < 0 && j == 0); j++) {
            const ev_mention *g = tgt >= 0 ? &mv[j] : NULL;
            if (g && (g->group != mv[tgt].group || c->zone[g->s]))
                continue;
            if (push_event(c, sent, f, code, ci, intent, s, g))
                return SL_ENOMEM;
            if (t->rev[0] && s && g && push_event(c, sent, f, t->rev, t->rev_cameo, intent, g, s))
                return SL_ENOMEM;
            if (tgt < 0)
                break;
        }
        if (src < 0)
            break;
    }
    return SL_OK;
}

/* Whether a trigger reads as a verb of its clause rather than a noun or a modifier, from
 * its form and the word before it: "the conflict", "economic sanctions", "an armed group",
 * "..., offering support" are not events; "Russia attacks", "will meet", "are seeking",
 * "attacked" are. */
static int verb_like(const ev_coder *c, size_t a, const ev_found *f) {
    size_t p = before(c, a, f->s);
    uint32_t prev = p == SIZE_MAX ? 0 : c->cls[p];
    switch (f->t->form) {
    case EV_FORM_ED:
        return !(prev & W_DET);
    case EV_FORM_ING:
        return (prev & W_BE) != 0;
    case EV_FORM_BASE:
    case EV_FORM_S:
        if (p != SIZE_MAX && c->in_mention[p]) {
            /* "a Syria visit": a noun after a name inside a noun phrase */
            size_t ms = c->mentions[c->in_mention[p] - 1].s;
            return !(ms > a && (c->cls[ms - 1] & W_DET));
        }
        return p != SIZE_MAX && (prev & (W_VERBCTX | W_NEG));
    default:
        return !(prev & W_DET);
    }
}

static int code_sentence(ev_coder *c, size_t sent, size_t a, size_t b, const ev_entity *ents,
                         const ev_options *opt) {
    int any_event;
    if (find_triggers(c, a, b, &any_event))
        return SL_ENOMEM;
    if (!any_event)
        return SL_OK; /* most sentences */
    if (find_mentions(c, a, b, ents, opt))
        return SL_ENOMEM;
    if (c->nmentions == 0)
        return SL_OK;
    settle_triggers(c);
    mark_zones(c, a, b);
    /* "agreed to meet": the first verb states the intent of the second; "threatened to
     * attack": the threat is the event */
    for (size_t k = 0; k < c->nfound; k++) {
        ev_found *f = &c->found[k];
        size_t p = before(c, a, f->s);
        if (p == SIZE_MAX || !(c->cls[p] & W_TO) || p == a)
            continue;
        size_t q = before(c, a, p);
        for (size_t k2 = 0; q != SIZE_MAX && k2 < k; k2++) {
            ev_found *g = &c->found[k2];
            /* "invited X to attend", "helped to plan": the first verb is the event */
            if (q < g->s || q >= g->e || g->t->kind != EV_TRIG_EVENT || !(c->cls[q] & W_INTENT))
                continue;
            if (strncmp(g->t->code, "13", 2) == 0)
                f->suppressed = 1;
            else
                g->suppressed = 1;
        }
    }
    for (size_t k = 0; k < c->nfound; k++) {
        const ev_found *f = &c->found[k];
        if (f->suppressed || f->t->kind != EV_TRIG_EVENT || c->zone[f->s])
            continue;
        /* negation: "did not meet", "never attacked", "refused to meet" */
        int negated = 0, intent = 0, passive = 0;
        size_t p = f->s;
        for (int back = 0; back < 3 && p > a; back++) {
            p--;
            if (c->stop[p])
                break;
            if (c->cls[p] & W_NEG)
                negated = 1;
            if ((c->cls[p] & W_REFUSE) && back >= 1)
                negated = 1;
        }
        if (negated || !verb_like(c, a, f))
            continue;
        p = before(c, a, f->s);
        if (p != SIZE_MAX) {
            if (c->cls[p] & W_WILL)
                intent = 1;
            else if (c->cls[p] & W_TO) {
                size_t q = before(c, a, p);
                if (q != SIZE_MAX && (c->cls[q] & (W_INTENT | W_BE)))
                    intent = 1;
                for (size_t k2 = 0; q != SIZE_MAX && k2 < k; k2++)
                    if (q >= c->found[k2].s && q < c->found[k2].e && (c->cls[q] & W_INTENT))
                        intent = 1;
                if (!intent && !(q != SIZE_MAX && (c->cls[q] & W_ABOUT)))
                    continue; /* "met Y to discuss": a purpose, not an event of its own */
            } else if ((c->cls[p] & W_BE) && f->t->form == EV_FORM_ED) {
                passive = 1;
            }
        }
        if (!passive && f->t->form == EV_FORM_ED && f->e < b && (c->cls[f->e] & W_BY))
            passive = 1; /* "a deal imposed on Chile by ..." */
        long src, tgt;
        if (passive) {
            tgt = subject_before(c, a, f->s);
            src = agent_after(c, f->e, b);
        } else {
            src = subject_before(c, a, f->s);
            int place;
            tgt = object_after(c, a, f->s + 1, f->lit_end, b, &place);
            /* "Russia and Ukraine met in Geneva": with each other, not with Geneva */
            if (place && src >= 0 && reciprocal(c, f))
                for (size_t k2 = 0; k2 < c->nmentions; k2++)
                    if ((long)k2 != src && c->mentions[k2].group == c->mentions[src].group)
                        tgt = -1;
        }
        if (src >= 0 && tgt >= 0 && c->mentions[src].group == c->mentions[tgt].group)
            tgt = -1;
        if (src < 0 && tgt < 0)
            continue;
        if (emit_pairs(c, sent, f, intent, src, tgt, opt))
            return SL_ENOMEM;
    }
    return SL_OK;
}

int ev_code_document(ev_coder *c, const char *text, const sl_token *tok, size_t ntok,
                     const ev_range *sentences, size_t nsent, const ev_entity *ents, size_t nents,
                     const ev_options *opt) {
    c->nevents = 0;
    if (ntok == 0)
        return SL_OK;
    if (reserve_tokens(c, ntok))
        return SL_ENOMEM;
    for (size_t i = 0; i < ntok; i++) {
        uint64_t h = ev_word_hash(text + tok[i].start, tok[i].end - tok[i].start);
        c->hash[i] = h;
        c->stop[i] = (unsigned char)is_stop(text, &tok[i]);
        uint32_t cls = ev_wordset_get(&c->m->classes, h);
        if (tok[i].kind == SL_TOK_PUNCT) {
            char ch = text[tok[i].start];
            if (ch == ',')
                cls |= W_COMMA;
            else if (ch == ';' || ch == ':' || ch == '.' || ch == '!' || ch == '?')
                cls |= W_CLAUSE;
        }
        if (tok[i].flags & (SL_TOKF_UPPER_INITIAL | SL_TOKF_ALL_UPPER))
            cls |= W_UPPER;
        c->cls[i] = cls;
        c->ent_at[i] = 0;
    }
    for (size_t k = 0; k < nents; k++)
        if (ents[k].start < ntok && ents[k].end > ents[k].start && !c->ent_at[ents[k].start])
            c->ent_at[ents[k].start] = (uint32_t)k + 1;
    for (size_t s = 0; s < nsent; s++) {
        size_t a = sentences[s].start, b = sentences[s].end < ntok ? sentences[s].end : ntok;
        if (a < b && code_sentence(c, s, a, b, ents, opt))
            return SL_ENOMEM;
    }
    return SL_OK;
}

ev_range ev_span_tokens(const sl_token *tok, size_t ntok, size_t start, size_t end) {
    size_t lo = 0, hi = ntok;
    while (lo < hi) { /* the first token that ends after the span's start */
        size_t mid = (lo + hi) / 2;
        if (tok[mid].end <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t e = lo;
    while (e < ntok && tok[e].start < end)
        e++;
    return (ev_range){lo, e};
}
