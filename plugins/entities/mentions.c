/* Mentions from tags, person consistency and canonical names. */
#include "mentions.h"

#include "tagger.h"

#include <stdlib.h>
#include <string.h>

void ent_mentions_init(ent_mentions *ms, int ntypes, const char (*types)[16]) {
    static const struct {
        const char *name;
        unsigned label;
    } labels[] = {{"PER", ENT_CANON_PER},
                  {"ORG", ENT_CANON_ORG},
                  {"LOC", ENT_CANON_LOC},
                  {"MISC", ENT_CANON_MISC}};
    memset(ms, 0, sizeof *ms);
    ms->per_type = -1;
    for (int t = 0; t < ntypes && t < ENT_MAX_TYPES; t++)
        for (size_t k = 0; k < sizeof labels / sizeof *labels; k++)
            if (!strcmp(types[t], labels[k].name)) {
                ms->label_of[t] = labels[k].label;
                if (labels[k].label == ENT_CANON_PER)
                    ms->per_type = t;
            }
}

void ent_mentions_free(ent_mentions *ms) {
    free(ms->m);
    free(ms->first_tok);
    free(ms->type);
    free(ms->canon);
    free(ms->person);
    memset(ms, 0, sizeof *ms);
}

static int reserve(ent_mentions *ms, size_t n) {
    if (n <= ms->cap)
        return SL_OK;
    size_t cap = n + n / 2 + 16;
    void *p;
    if (!(p = realloc(ms->m, cap * sizeof *ms->m)))
        return SL_ENOMEM;
    ms->m = p;
    if (!(p = realloc(ms->first_tok, cap * sizeof *ms->first_tok)))
        return SL_ENOMEM;
    ms->first_tok = p;
    if (!(p = realloc(ms->type, cap)))
        return SL_ENOMEM;
    ms->type = p;
    if (!(p = realloc(ms->canon, cap * sizeof *ms->canon)))
        return SL_ENOMEM;
    ms->canon = p;
    if (!(p = realloc(ms->person, cap * sizeof *ms->person)))
        return SL_ENOMEM;
    ms->person = p;
    ms->cap = cap;
    return SL_OK;
}

int ent_mentions_collect(ent_mentions *ms, ent_canon *canon, const char *text, size_t len,
                         const sl_token *tok, size_t n, uint8_t *tags) {
    ms->n = 0;
    for (size_t i = 0; i < n; i++) {
        int part = ent_tag_part(tags[i]);
        if (part != ENT_B && part != ENT_U)
            continue;
        size_t j = i;
        while (part == ENT_B && j + 1 < n && ent_tag_part(tags[j]) != ENT_L)
            j++;
        if (reserve(ms, ms->n + 1) != SL_OK)
            return SL_ENOMEM;
        int type = ent_tag_type(tags[i]);
        ms->first_tok[ms->n] = i;
        ms->type[ms->n] = (uint8_t)type;
        ms->m[ms->n++] = (ent_canon_mention){
            .start = tok[i].start, .end = tok[j].end, .label = ms->label_of[type]};
        i = j;
    }
    if (!canon || !ms->n)
        return SL_OK;
    if (ent_canon_resolve(canon, text, len, ms->m, ms->n, ms->canon) != 0)
        return SL_ENOMEM;
    if (ms->per_type >= 0 && ent_canon_person_of(canon, text, len, ms->m, ms->n, ms->person) > 0) {
        for (size_t k = 0; k < ms->n; k++) {
            if (ms->person[k] == SIZE_MAX)
                continue;
            ms->type[k] = (uint8_t)ms->per_type;
            ms->m[k].label = ENT_CANON_PER;
            for (size_t i = ms->first_tok[k]; i < n && tok[i].start < ms->m[k].end; i++)
                tags[i] = (uint8_t)ent_tag(ms->per_type, ent_tag_part(tags[i]));
        }
        /* The new person mentions get their full names too. */
        if (ent_canon_resolve(canon, text, len, ms->m, ms->n, ms->canon) != 0)
            return SL_ENOMEM;
    }
    return SL_OK;
}
