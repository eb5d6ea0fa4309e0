/* The model file: a written model loads with the same decisions; a truncated, corrupt,
 * wrong-version or foreign file is refused with a message naming it, never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static char path[128];

#define BITS 8
#define TYPES 4
#define TAGS (1 + 4 * TYPES)

static float weights[(1 << BITS) * TAGS];
static float trans[(TAGS + 1) * TAGS];

static int setup(void **state) {
    (void)state;
    strcpy(dir, "/tmp/ent-model-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/model.bin", dir);
    uint64_t x = 42;
    for (size_t i = 0; i < sizeof weights / sizeof *weights; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        weights[i] = (float)((int)(x % 2001) - 1000) / 100.0f;
    }
    for (size_t i = 0; i < sizeof trans / sizeof *trans; i++)
        trans[i] = (float)(i % 7) - 3.0f;
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_model(void) {
    static const char types[TYPES][16] = {"PER", "ORG", "LOC", "MISC"};
    ent_model_spec spec = {
        .hash_bits = BITS, .ntypes = TYPES, .types = types, .weights = weights, .trans = trans};
    char err[512];
    assert_int_equal(ent_model_save(&spec, path, err, sizeof err), 0);
}

static unsigned char *read_all(size_t *len) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    unsigned char *b = malloc(*len);
    assert_int_equal(fread(b, 1, *len, f), *len);
    fclose(f);
    return b;
}

static void write_all(const unsigned char *b, size_t len) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    fclose(f);
}

/* Load must fail with a message naming the file and containing `what`. */
static void refused(const char *what) {
    ent_model m;
    char err[1024];
    assert_int_not_equal(ent_model_load(&m, path, ENT_VERIFY_ALL, err, sizeof err), 0);
    if (!strstr(err, path) || !strstr(err, what))
        fail_msg("message '%s' should name %s and say '%s'", err, path, what);
}

static void test_round_trip(void **state) {
    (void)state;
    write_model();
    ent_model m;
    char err[512];
    assert_int_equal(ent_model_load(&m, path, ENT_VERIFY_ALL, err, sizeof err), 0);
    assert_int_equal(m.weights.ntags, TAGS);
    assert_string_equal(m.hdr.types[3], "MISC");
    /* Stored relative to O and quantized: differences between tags survive to 1/scale. */
    const int16_t *q = m.weights.wq;
    for (size_t r = 0; r < (1u << BITS); r++)
        for (int t = 1; t < TAGS; t++) {
            float want = weights[r * TAGS + t] - weights[r * TAGS];
            float got = q[r * (TAGS - 1) + t - 1] * m.weights.inv_scale;
            assert_true(want - got < 0.01f && got - want < 0.01f);
        }
    assert_memory_equal(m.weights.trans, trans, sizeof trans);
    ent_model_close(&m);
}

static void test_missing(void **state) {
    (void)state;
    unlink(path);
    refused("cannot open model");
}

static void test_truncated(void **state) {
    (void)state;
    write_model();
    size_t len;
    unsigned char *b = read_all(&len);
    write_all(b, len - 100);
    refused("truncated");
    write_all(b, 100); /* shorter than the header */
    refused("truncated");
    write_all(b, 0);
    refused("truncated");
    free(b);
}

static void test_corrupt_payload(void **state) {
    (void)state;
    write_model();
    size_t len;
    unsigned char *b = read_all(&len);
    b[len / 2] ^= 0x10;
    write_all(b, len);
    refused("payload checksum");
    free(b);
}

/* Write the model with its header changed by edit(); resum: with a matching header checksum. */
static void with_header(void (*edit)(ent_file_header *), int resum) {
    write_model();
    size_t len;
    unsigned char *b = read_all(&len);
    ent_file_header h;
    memcpy(&h, b, sizeof h);
    edit(&h);
    if (resum) {
        h.header_sum = 0;
        h.header_sum = (uint32_t)ent_checksum(&h, sizeof h);
    }
    memcpy(b, &h, sizeof h);
    write_all(b, len);
    free(b);
}

static void huge_hash(ent_file_header *h) {
    h->hash_bits = 30;
}
static void next_version(ent_file_header *h) {
    h->version = ENT_MODEL_VERSION + 1;
}
static void other_templates(ent_file_header *h) {
    h->templates_id = ENT_TEMPLATES_ID + 1;
}
static void too_many_types(ent_file_header *h) {
    h->ntypes = 9;
}

static void test_corrupt_header(void **state) {
    (void)state;
    with_header(huge_hash, 0);
    refused("header checksum");
    /* Impossible values behind a valid checksum: refused before any use. */
    with_header(huge_hash, 1);
    refused("impossible header values");
    with_header(too_many_types, 1);
    refused("impossible header values");
}

static void test_wrong_version(void **state) {
    (void)state;
    with_header(next_version, 0); /* the version is checked first */
    refused("format version 2");
    with_header(other_templates, 1);
    refused("feature templates");
}

static void test_not_a_model(void **state) {
    (void)state;
    static const char text[] = "PER\tJohn\nLOC\tParis\n";
    unsigned char big[512];
    memset(big, 'x', sizeof big);
    memcpy(big, text, sizeof text - 1);
    write_all(big, sizeof big);
    refused("not an entities model");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_missing),
        cmocka_unit_test(test_truncated),      cmocka_unit_test(test_corrupt_payload),
        cmocka_unit_test(test_corrupt_header), cmocka_unit_test(test_wrong_version),
        cmocka_unit_test(test_not_a_model),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
