/* Loading the coder's model (see load.h). */
#include "load.h"

#include "petrarch.h"

#include <stdio.h>
#include <string.h>

typedef struct verb_ctx {
    ev_lexicon *lx;
    const ev_cameo *cameo;
} verb_ctx;

/* A phrase from a verb dictionary: codes outside the CAMEO table are the user's own. */
static int add_verb(void *ctx, const char *phrase, const char *code, const char *block) {
    verb_ctx *v = ctx;
    (void)block;
    if (ev_lexicon_phrase_error(phrase, strlen(phrase)))
        return 0; /* nothing a token can match */
    ev_trigger t;
    if (ev_trigger_parse(&t, v->cameo, code, strlen(code), 0))
        return 0;
    int rc = ev_lexicon_add(v->lx, phrase, strlen(phrase), &t, 1);
    return rc == SL_EINVAL ? 0 : rc;
}

int ev_model_load(ev_model *m, const ev_sources *src, char *err, size_t errlen) {
    memset(m, 0, sizeof *m);
    ev_lexicon_init(&m->lexicon);
    ev_actors_init(&m->actors);
    int rc = ev_model_init(m);
    if (!rc)
        rc = ev_cameo_load(&m->cameo, src->cameo, err, errlen);
    /* reporting verbs are grammar: whatever lexicon or verb dictionary comes after */
    static const char *const say[] = {"say|said", "tell|told", "report",       "state",
                                      "add",      "announce",  "=according to"};
    ev_trigger t = {.kind = EV_TRIG_SAY, .cameo = -1, .rev_cameo = -1};
    for (size_t i = 0; !rc && i < sizeof say / sizeof *say; i++)
        rc = ev_lexicon_add(&m->lexicon, say[i] + (say[i][0] == '='),
                            strlen(say[i]) - (say[i][0] == '='), &t, say[i][0] != '=');
    for (size_t i = 0; !rc && i < src->nlexicons; i++)
        rc = ev_lexicon_load_tsv(&m->lexicon, &m->cameo, src->lexicons[i], err, errlen);
    verb_ctx vc = {&m->lexicon, &m->cameo};
    for (size_t i = 0; !rc && i < src->nverbs; i++)
        rc = ev_petrarch_verbs(src->verbs[i], add_verb, &vc, err, errlen);
    for (size_t i = 0; !rc && i < src->nactor_tables; i++)
        rc = ev_actors_load_tsv(&m->actors, src->actor_tables[i], err, errlen);
    for (size_t i = 0; !rc && i < src->nactors; i++)
        rc = ev_petrarch_actors(&m->actors, src->actors[i], err, errlen, NULL);
    if (rc == SL_ENOMEM)
        snprintf(err, errlen, "out of memory");
    if (rc)
        ev_model_free(m);
    return rc;
}
