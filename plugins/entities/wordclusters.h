/*
 * Word clusters (Brown-style bit strings: a prefix of a word's path is a coarser cluster) in
 * an open-addressing table that can live inside a memory-mapped model file.
 */
#ifndef ENT_WORDCLUSTERS_H
#define ENT_WORDCLUSTERS_H

#include <stddef.h>
#include <stdint.h>

/* One slot: the word's hash (0: empty) and its path packed as (bits << 8) | length. */
typedef struct ent_cluster_slot {
    uint64_t key;
    uint64_t path;
} ent_cluster_slot;

typedef struct ent_clusters {
    const ent_cluster_slot *slots; /* nslots entries, nslots a power of two (or 0) */
    uint64_t nslots;
    ent_cluster_slot *owned; /* set when the table was built here rather than mapped */
} ent_clusters;

/* The longest path kept, in bits (longer paths are cut: their prefixes are what counts). */
#define ENT_CLUSTER_MAX_BITS 48

/* Seed of the word hash used as the key. */
#define ENT_CLUSTER_SEED 0x636c7573746572ULL

/* Build the table from a `word<TAB>bits<TAB>count` file. On failure 0 is not returned and a
 * message naming the file and line goes to err. Words without a valid bit string are skipped
 * with an error, not silently. */
int ent_clusters_load_tsv(ent_clusters *c, const char *path, char *err, size_t errlen);

/* The packed path of the word (exact bytes), 0 when absent. */
uint64_t ent_clusters_find(const ent_clusters *c, const char *word, size_t len);

/* The packed path for a key already hashed with ENT_CLUSTER_SEED. */
uint64_t ent_clusters_find_key(const ent_clusters *c, uint64_t key);

/* Number of words in the table. */
size_t ent_clusters_count(const ent_clusters *c);

void ent_clusters_free(ent_clusters *c);

#endif
