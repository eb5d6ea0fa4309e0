/* Property test on mangled records: loading never crashes, and whatever loads is written
 * back as valid JSON that loads again to the same output (a fixed seed keeps it repeatable). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "document.h"
#include "json.h"
#include "utf8.h"

static const char *const seeds[] = {
    "{\"id\":\"a1\",\"url\":\"http://x/\",\"text\":\"Kerry met Lavrov in "
    "Gen\xC3\xA8ve.\\n\\n\\\"Yes\\\"\"}",
    "{\"id\": 17, \"text\": \"caf\\u00e9 \\ud83d\\ude00 tab\\t\", \"tags\": [1, {\"a\": null}, "
    "true]}",
    "{\"html\": \"<p>x</p>\", \"title\": \"T\", \"n\": -1.5e3}",
    "{\"text\": \"\", \"nested\": {\"deep\": [[[[]]]], \"s\": \"\\\\\"}}",
    /* Long strings, so that mangling lands inside and across the 16-byte blocks of the SIMD
     * paths (scanning, unescaping, writing). */
    "{\"id\":\"long\",\"text\":\"The quick brown fox jumps over the lazy dog again and again"
    "\\n\\nCaf\xC3\xA9 \\u00e9 \\ud83d\\ude00 \\\"quoted\\\" \\t tab, then a long run of plain "
    "ASCII words to fill several blocks before the next escape\\u2019s end.\",\"title\":\"A "
    "title that is long enough to cross a block boundary\"}",
};

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint32_t next_rand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

static size_t mangle(char *buf, size_t len, size_t cap) {
    static const char noise[] = "{}[]\":,\\u0\x00\xFF\xC3\xED\xA0 \n\tntf-1e";
    int edits = 1 + (int)(next_rand() % 4);
    for (int e = 0; e < edits; e++) {
        size_t at = len ? next_rand() % len : 0;
        switch (next_rand() % 4) {
        case 0: /* overwrite a byte */
            if (len)
                buf[at] = noise[next_rand() % (sizeof noise - 1)];
            break;
        case 1: /* insert a byte */
            if (len + 1 < cap) {
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = noise[next_rand() % (sizeof noise - 1)];
                len++;
            }
            break;
        case 2: /* delete a byte */
            if (len) {
                memmove(buf + at, buf + at + 1, len - at - 1);
                len--;
            }
            break;
        default: /* cut short */
            len = at;
        }
    }
    return len;
}

static void mangled_records_round_trip(void **state) {
    (void)state;
    const sl_host *h = slc_host();
    sl_doc *d = slc_doc_new(), *again = slc_doc_new();
    char buf[512];
    slc_buf fixed = {0}, first = {0};
    size_t loaded = 0;
    for (int iter = 0; iter < 200000; iter++) {
        const char *seed = seeds[next_rand() % (sizeof seeds / sizeof *seeds)];
        size_t len = strlen(seed);
        memcpy(buf, seed, len);
        len = mangle(buf, len, sizeof buf);
        /* as the reader does: repair invalid UTF-8 first */
        slc_buf_clear(&fixed);
        slc_utf8_repair(buf, len, &fixed);
        slc_doc_reset(d);
        if (slc_doc_load_json(d, fixed.p ? fixed.p : "", fixed.len, "fuzz:1") != SL_OK) {
            assert_non_null(slc_doc_error(d));
            continue;
        }
        loaded++;
        size_t tlen, n;
        h->doc_text(d, &tlen);
        h->doc_tokens(d, &n);
        const char *out = h->doc_json(d, 0, &n);
        assert_non_null(out);
        if (slc_json_validate(out, n, NULL, NULL, NULL) != 0)
            fail_msg("invalid output for input %.*s:\n%s", (int)len, buf, out);
        slc_buf_clear(&first);
        slc_buf_append(&first, out, n);
        slc_doc_reset(again);
        assert_int_equal(slc_doc_load_json(again, first.p, first.len, "fuzz:1"), SL_OK);
        const char *out2 = h->doc_json(again, 0, &n);
        assert_string_equal(out2, first.p);
    }
    print_message("%zu of 200000 mangled records loaded\n", loaded);
    assert_true(loaded > 1000); /* the property was exercised, not only the error paths */
    slc_buf_free(&fixed);
    slc_buf_free(&first);
    slc_doc_free(d);
    slc_doc_free(again);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(mangled_records_round_trip)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
