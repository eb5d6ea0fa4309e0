/*
 * The model file: a versioned binary format, memory-mapped read-only.
 *
 *   header (ent_file_header, 256 bytes, little-endian)
 *   payload: transitions  float[(ntags + 1) * ntags], padded to 8 bytes
 *            clusters     ent_cluster_slot[cluster_slots]
 *            weights      int16[2^hash_bits * (ntags - 1)]: the tags but O, relative to O
 *
 * The header holds a magic number, the format version, the feature-template set, the hash
 * size, the tag set (entity type names), the weight scale, the payload size and two
 * checksums (of the payload and of the header itself). Loading checks every one of them and
 * names the file in any error.
 */
#ifndef ENT_MODEL_H
#define ENT_MODEL_H

#include "tagger.h"
#include "wordclusters.h"

#include <stddef.h>
#include <stdint.h>

#define ENT_MODEL_MAGIC "SLENTMDL"
#define ENT_MODEL_VERSION 1

/* Header flags. */
enum {
    ENT_MODEL_GAZETTEER = 1u << 0, /* trained with gazetteer features */
    ENT_MODEL_TWO_PASS = 1u << 1   /* decoded twice, the second pass with document labels */
};

typedef struct ent_file_header {
    char magic[8];
    uint32_t version;
    uint32_t header_size;
    uint32_t templates_id;
    uint32_t hash_bits;
    uint32_t ntypes;
    uint32_t ntags;
    char types[ENT_MAX_TYPES][16];
    float scale; /* weights are stored as round(weight * scale) */
    uint32_t flags;
    uint64_t cluster_slots;
    uint64_t payload_size;
    uint64_t payload_sum;   /* ent_checksum of the payload */
    uint64_t gazetteer_sum; /* ent_checksum of the gazetteer file used in training, or 0 */
    uint32_t header_sum;    /* low 32 bits of ent_checksum of the header with this field 0 */
    uint32_t reserved;
    char pad[256 - 8 - 6 * 4 - ENT_MAX_TYPES * 16 - 8 - 4 * 8 - 8];
} ent_file_header;

/* A loaded model: the header's facts and views into the mapped file. */
typedef struct ent_model {
    ent_file_header hdr;
    ent_weights weights;
    ent_clusters clusters;
    void *map;
    size_t map_len;
} ent_model;

/* How much ent_model_load checks. */
typedef enum ent_verify {
    ENT_VERIFY_ALL = 0,   /* the header and the payload checksum (reads the whole file) */
    ENT_VERIFY_HEADER = 1 /* the header and the size only: for a file just verified */
} ent_verify;

/* Map and check a model file. On failure returns < 0 with a message naming the file in err. */
int ent_model_load(ent_model *m, const char *path, ent_verify verify, char *err, size_t errlen);

void ent_model_close(ent_model *m);

/* Index of the entity type of that name, -1 when the model has none. */
int ent_model_type(const ent_model *m, const char *name);

/* What a trainer gives to write a model. */
typedef struct ent_model_spec {
    unsigned hash_bits;
    int ntypes;
    const char (*types)[16];
    const float *weights;         /* 2^hash_bits * ntags */
    const float *trans;           /* (ntags + 1) * ntags */
    const ent_clusters *clusters; /* may be NULL */
    uint32_t flags;
    uint64_t gazetteer_sum;
} ent_model_spec;

/* Quantize and write a model file (atomically: a temporary file renamed into place). */
int ent_model_save(const ent_model_spec *spec, const char *path, char *err, size_t errlen);

/* The checksum used by the format: Fletcher-style sums of 8-byte words in four lanes, mixed. */
uint64_t ent_checksum(const void *data, size_t len);

#endif
