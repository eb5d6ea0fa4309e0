/* Word clusters: the TSV loader and the table lookups. */
#include "wordclusters.h"

#include "hash.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t slot_key(uint64_t h) {
    return h ? h : 1; /* 0 marks an empty slot */
}

uint64_t ent_clusters_find_key(const ent_clusters *c, uint64_t key) {
    if (!c || !c->nslots)
        return 0;
    key = slot_key(key);
    uint64_t mask = c->nslots - 1;
    /* At most nslots probes: a damaged table without an empty slot must not hang a lookup. */
    for (uint64_t i = key & mask, probes = 0; probes < c->nslots; i = (i + 1) & mask, probes++) {
        if (c->slots[i].key == key)
            return c->slots[i].path;
        if (!c->slots[i].key)
            return 0;
    }
    return 0;
}

uint64_t ent_clusters_find(const ent_clusters *c, const char *word, size_t len) {
    return ent_clusters_find_key(c, ent_hash_bytes(word, len, ENT_CLUSTER_SEED));
}

size_t ent_clusters_count(const ent_clusters *c) {
    size_t n = 0;
    for (uint64_t i = 0; c && i < c->nslots; i++)
        n += c->slots[i].key != 0;
    return n;
}

static int insert(ent_cluster_slot *s, uint64_t nslots, uint64_t key, uint64_t path) {
    key = slot_key(key);
    for (uint64_t i = key & (nslots - 1);; i = (i + 1) & (nslots - 1)) {
        if (s[i].key == key)
            return 0; /* a duplicate word keeps its first path */
        if (!s[i].key) {
            s[i].key = key;
            s[i].path = path;
            return 1;
        }
    }
}

int ent_clusters_load_tsv(ent_clusters *c, const char *path, char *err, size_t errlen) {
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t lines = 0;
    for (int ch; (ch = getc(f)) != EOF;)
        lines += ch == '\n';
    rewind(f);
    uint64_t nslots = 16;
    while (nslots < 2 * (lines + 1))
        nslots <<= 1;
    ent_cluster_slot *s = calloc(nslots, sizeof *s);
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    ssize_t got;
    int rc = 0;
    if (!s) {
        snprintf(err, errlen, "%s: out of memory", path);
        rc = -1;
    }
    while (!rc && (got = getline(&line, &cap, f)) > 0) {
        lineno++;
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = 0;
        if (!got || line[0] == '#')
            continue;
        char *tab = memchr(line, '\t', (size_t)got);
        if (!tab || tab == line) {
            snprintf(err, errlen, "%s:%ld: expected word<TAB>bits<TAB>count", path, lineno);
            rc = -1;
            break;
        }
        const char *bits = tab + 1;
        size_t nb = strcspn(bits, "\t");
        if (!nb || strspn(bits, "01") != nb) {
            snprintf(err, errlen, "%s:%ld: the cluster path must be a string of 0 and 1", path,
                     lineno);
            rc = -1;
            break;
        }
        uint64_t p = 0;
        size_t keep = nb < ENT_CLUSTER_MAX_BITS ? nb : ENT_CLUSTER_MAX_BITS;
        for (size_t i = 0; i < keep; i++)
            p = (p << 1) | (uint64_t)(bits[i] == '1');
        insert(s, nslots, ent_hash_bytes(line, (size_t)(tab - line), ENT_CLUSTER_SEED),
               (p << 8) | keep);
    }
    free(line);
    fclose(f);
    if (rc) {
        free(s);
        return rc;
    }
    c->owned = s;
    c->slots = s;
    c->nslots = nslots;
    return 0;
}

void ent_clusters_free(ent_clusters *c) {
    if (!c)
        return;
    free(c->owned);
    memset(c, 0, sizeof *c);
}
