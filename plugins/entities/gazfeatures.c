/* Gazetteer features from the longest matches. */
#include "gazfeatures.h"

#include "model.h"
#include "tagger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ent_gaz_annotate(void *ctx, const char *text, const sl_token *tok, size_t n, ent_fx *fx) {
    const ent_gaz *g = ctx;
    for (size_t i = 0; i < n;) {
        unsigned classes = 0;
        int exact = 0;
        size_t m = ent_gaz_match(g, text, tok, n, i, &classes, &exact);
        if (!m || !classes) {
            i++;
            continue;
        }
        uint32_t bits = classes | (exact ? ENT_GAZ_EXACT_CASE : 0);
        for (size_t k = 0; k < m; k++) {
            ent_tok *t = &fx->tok[i + k];
            t->gaz = bits;
            t->gaz_pos = m == 1 ? 4 : k == 0 ? 1 : k + 1 == m ? 3 : 2;
        }
        i += m;
    }
}

void ent_gaz_trim_titles(const ent_fx *fx, int type, uint8_t *tags) {
    for (size_t i = 0; i + 1 < fx->ntok; i++) {
        const ent_tok *t = &fx->tok[i];
        if (ent_tag_part(tags[i]) != ENT_B || ent_tag_type(tags[i]) != type ||
            !(t->gaz & ENT_GAZ_TITLE) || t->gaz_pos != 4 || t->len <= 2)
            continue; /* "M." before a surname is an initial more often than "Monsieur" */
        tags[i] = 0;
        /* The next token opens the entity: a unit when it also closed it. */
        tags[i + 1] = (uint8_t)ent_tag(type, ent_tag_part(tags[i + 1]) == ENT_L ? ENT_U : ENT_B);
    }
}

int ent_file_checksum(const char *path, uint64_t *sum) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    int rc = buf && !ferror(f) ? 0 : -1;
    fclose(f);
    if (!rc)
        *sum = ent_checksum(buf, n);
    free(buf);
    return rc;
}

int ent_model_gazetteer(const ent_model *m, const char *model_path, const char *path, ent_gaz **g,
                        int *differs, char *err, size_t errlen) {
    *g = NULL;
    *differs = 0;
    if (!(m->hdr.flags & ENT_MODEL_GAZETTEER))
        return 0;
    char buf[4096];
    if (!path || !*path) {
        const char *slash = strrchr(model_path, '/');
        int n = slash ? snprintf(buf, sizeof buf, "%.*s/gazetteer.tsv", (int)(slash - model_path),
                                 model_path)
                      : snprintf(buf, sizeof buf, "gazetteer.tsv");
        if (n < 0 || (size_t)n >= sizeof buf) {
            snprintf(err, errlen, "%s: path too long", model_path);
            return -1;
        }
        path = buf;
    }
    char gerr[1024];
    *g = ent_gaz_load(path, gerr, sizeof gerr);
    if (!*g) {
        snprintf(err, errlen, "gazetteer of model %s: %s", model_path, gerr);
        return -1;
    }
    uint64_t sum;
    *differs = ent_file_checksum(path, &sum) != 0 || sum != m->hdr.gazetteer_sum;
    return 0;
}
