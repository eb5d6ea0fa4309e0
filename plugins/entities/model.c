/* The model file: checked loading by mmap, and quantized writing. */
#include "model.h"

#include "hash.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(sizeof(ent_file_header) == 256, "the header is 256 bytes");

uint64_t ent_checksum(const void *data, size_t len) {
    /* Fletcher-style sums over 8-byte words in four lanes: additions only, so the loop runs at
     * memory speed; the second sums make it depend on the order of the words. */
    const unsigned char *p = data;
    uint64_t a[4] = {1, 2, 3, 4}, b[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 32 <= len; i += 32)
        for (int k = 0; k < 4; k++) {
            uint64_t v;
            memcpy(&v, p + i + 8 * k, 8);
            a[k] += v;
            b[k] += a[k];
        }
    uint64_t h = len;
    for (int k = 0; k < 4; k++)
        h = ent_mix(h ^ a[k]) ^ ent_mix(b[k] + (uint64_t)k);
    return ent_mix(h ^ ent_hash_bytes(p + i, len - i, 0x7461696cULL));
}

static size_t trans_bytes(uint32_t ntags) {
    size_t b = (size_t)(ntags + 1) * ntags * sizeof(float);
    return (b + 7) & ~(size_t)7;
}

static uint32_t header_sum(const ent_file_header *h) {
    ent_file_header c = *h;
    c.header_sum = 0;
    return (uint32_t)ent_checksum(&c, sizeof c);
}

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        snprintf(err, errlen, __VA_ARGS__);                                                        \
        goto fail;                                                                                 \
    } while (0)

int ent_model_load(ent_model *m, const char *path, ent_verify verify, char *err, size_t errlen) {
    memset(m, 0, sizeof *m);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open model %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    void *map = MAP_FAILED;
    size_t size = 0;
    if (fstat(fd, &st) != 0)
        FAIL("cannot read model %s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        FAIL("model %s is not a regular file", path);
    size = (size_t)st.st_size;
    if (size < sizeof(ent_file_header))
        FAIL("model %s is truncated: %zu bytes, less than its header", path, size);
    int populate = 0;
#ifdef MAP_POPULATE
    populate = verify == ENT_VERIFY_ALL ? MAP_POPULATE : 0; /* read it all now, in one go */
#endif
    map = mmap(NULL, size, PROT_READ, MAP_PRIVATE | populate, fd, 0);
    if (map == MAP_FAILED)
        FAIL("cannot map model %s: %s", path, strerror(errno));
    ent_file_header *h = &m->hdr;
    memcpy(h, map, sizeof *h);
    if (memcmp(h->magic, ENT_MODEL_MAGIC, 8) != 0)
        FAIL("%s is not an entities model (bad magic number)", path);
    if (h->version != ENT_MODEL_VERSION)
        FAIL("model %s has format version %u; this plugin reads version %u (retrain it)", path,
             h->version, ENT_MODEL_VERSION);
    if (h->header_size != sizeof *h || header_sum(h) != h->header_sum)
        FAIL("model %s is corrupt: header checksum mismatch", path);
    if (h->templates_id != ENT_TEMPLATES_ID)
        FAIL("model %s was trained with feature templates %u; this plugin computes %u "
             "(retrain it)",
             path, h->templates_id, ENT_TEMPLATES_ID);
    if (h->hash_bits < 8 || h->hash_bits > 28 || h->ntypes < 1 || h->ntypes > ENT_MAX_TYPES ||
        h->ntags != 1 + 4 * h->ntypes || !(h->scale > 0) || !isfinite(h->scale) ||
        (h->cluster_slots & (h->cluster_slots - 1)) || h->cluster_slots > ((uint64_t)1 << 32))
        FAIL("model %s is corrupt: impossible header values", path);
    for (uint32_t k = 0; k < h->ntypes; k++)
        if (!h->types[k][0] || !memchr(h->types[k], 0, sizeof h->types[k]))
            FAIL("model %s is corrupt: bad entity type name", path);
    size_t tb = trans_bytes(h->ntags);
    size_t cb = (size_t)h->cluster_slots * sizeof(ent_cluster_slot);
    size_t wb = ((size_t)1 << h->hash_bits) * (h->ntags - 1) * sizeof(int16_t);
    if (h->payload_size != tb + cb + wb)
        FAIL("model %s is corrupt: payload size %llu does not fit its header", path,
             (unsigned long long)h->payload_size);
    if (size != sizeof *h + h->payload_size)
        FAIL("model %s is %s: %zu bytes, its header says %llu", path,
             size < sizeof *h + h->payload_size ? "truncated" : "corrupt (trailing bytes)", size,
             (unsigned long long)(sizeof *h + h->payload_size));
    const unsigned char *payload = (const unsigned char *)map + sizeof *h;
    if (verify == ENT_VERIFY_ALL && ent_checksum(payload, h->payload_size) != h->payload_sum)
        FAIL("model %s is corrupt: payload checksum mismatch", path);
    const float *trans = (const float *)(const void *)payload;
    for (size_t i = 0; i < (size_t)(h->ntags + 1) * h->ntags; i++)
        if (!isfinite(trans[i]))
            FAIL("model %s is corrupt: transition weights are not finite", path);
    close(fd);
    m->map = map;
    m->map_len = size;
    m->clusters.slots = (const ent_cluster_slot *)(const void *)(payload + tb);
    m->clusters.nslots = h->cluster_slots;
    m->weights = (ent_weights){
        .wq = (const int16_t *)(const void *)(payload + tb + cb),
        .inv_scale = 1.0f / h->scale,
        .trans = trans,
        .hash_bits = h->hash_bits,
        .ntypes = (int)h->ntypes,
        .ntags = (int)h->ntags,
        .passes = (h->flags & ENT_MODEL_TWO_PASS) ? 2 : 1,
    };
    return 0;
fail:
    if (map != MAP_FAILED)
        munmap(map, size);
    close(fd);
    memset(m, 0, sizeof *m);
    return -1;
}

void ent_model_close(ent_model *m) {
    if (m && m->map)
        munmap(m->map, m->map_len);
    if (m)
        memset(m, 0, sizeof *m);
}

int ent_model_type(const ent_model *m, const char *name) {
    for (uint32_t k = 0; k < m->hdr.ntypes; k++)
        if (!strcmp(m->hdr.types[k], name))
            return (int)k;
    return -1;
}

int ent_model_save(const ent_model_spec *spec, const char *path, char *err, size_t errlen) {
    ent_file_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, ENT_MODEL_MAGIC, 8);
    h.version = ENT_MODEL_VERSION;
    h.header_size = sizeof h;
    h.templates_id = ENT_TEMPLATES_ID;
    h.hash_bits = spec->hash_bits;
    h.ntypes = (uint32_t)spec->ntypes;
    h.ntags = 1 + 4 * h.ntypes;
    for (int k = 0; k < spec->ntypes; k++)
        snprintf(h.types[k], sizeof h.types[k], "%s", spec->types[k]);
    h.flags = spec->flags;
    h.gazetteer_sum = spec->gazetteer_sum;
    /* Each token gets exactly one tag, so adding a constant to all tags of a row changes no
     * decision: rows are stored relative to O, whose column is then 0 and left out. */
    size_t nrows = (size_t)1 << h.hash_bits, T = h.ntags, nw = nrows * (T - 1);
    float maxabs = 0;
    for (size_t r = 0; r < nrows; r++)
        for (size_t t = 1; t < T; t++) {
            float v = fabsf(spec->weights[r * T + t] - spec->weights[r * T]);
            if (v > maxabs)
                maxabs = v;
        }
    h.scale = maxabs > 0 ? 32767.0f / maxabs : 1.0f;
    const ent_clusters *cl = spec->clusters;
    h.cluster_slots = cl ? cl->nslots : 0;
    size_t tb = trans_bytes(h.ntags), cb = (size_t)h.cluster_slots * sizeof(ent_cluster_slot);
    h.payload_size = tb + cb + nw * sizeof(int16_t);
    unsigned char *payload = calloc(1, h.payload_size);
    if (!payload) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    memcpy(payload, spec->trans, (size_t)(h.ntags + 1) * h.ntags * sizeof(float));
    if (cb)
        memcpy(payload + tb, cl->slots, cb);
    int16_t *q = (int16_t *)(void *)(payload + tb + cb);
    for (size_t r = 0; r < nrows; r++)
        for (size_t t = 1; t < T; t++)
            q[r * (T - 1) + t - 1] =
                (int16_t)lrintf((spec->weights[r * T + t] - spec->weights[r * T]) * h.scale);
    h.payload_sum = ent_checksum(payload, h.payload_size);
    h.header_sum = header_sum(&h);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(&h, sizeof h, 1, f) == 1 &&
             fwrite(payload, 1, h.payload_size, f) == h.payload_size;
    if (f && fclose(f) != 0)
        ok = 0;
    free(payload);
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write model %s: %s", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}
