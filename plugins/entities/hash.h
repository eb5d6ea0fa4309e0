/* Hashing for the feature space: byte strings to 64 bits, and mixing of 64-bit values. */
#ifndef ENT_HASH_H
#define ENT_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A finalizer with full avalanche (from MurmurHash3's fmix64). */
static inline uint64_t ent_mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Combine a running hash with one more value; order matters. */
static inline uint64_t ent_combine(uint64_t h, uint64_t v) {
    return (h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2))) * 0x100000001b3ULL;
}

/* Hash of a byte string, eight bytes at a time (tokens are short: one or two rounds). */
static inline uint64_t ent_hash_bytes(const void *data, size_t len, uint64_t seed) {
    const unsigned char *p = data;
    uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL);
    while (len >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        h = (h ^ ent_mix(v)) * 0x87c37b91114253d5ULL;
        p += 8;
        len -= 8;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++)
        v |= (uint64_t)p[i] << (8 * i);
    h = (h ^ ent_mix(v ^ 0x4cf5ad432745937fULL)) * 0x87c37b91114253d5ULL;
    return ent_mix(h);
}

#endif
