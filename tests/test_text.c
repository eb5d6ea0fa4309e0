/* UTF-8 repair and the JSON scanner/writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

static void utf8_valid_and_invalid(void **state) {
    (void)state;
    const char ok[] = "caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x98\x80";
    assert_int_equal(slc_utf8_valid_prefix(ok, strlen(ok)), strlen(ok));
    assert_int_equal(slc_utf8_valid_prefix("ab\xFF"
                                           "cd",
                                           5),
                     2);
    assert_int_equal(slc_utf8_valid_prefix("\xC0\xAF", 2), 0);         /* overlong */
    assert_int_equal(slc_utf8_valid_prefix("\xED\xA0\x80", 3), 0);     /* surrogate */
    assert_int_equal(slc_utf8_valid_prefix("\xF4\x90\x80\x80", 4), 0); /* > U+10FFFF */
    assert_int_equal(slc_utf8_valid_prefix("x\xE2\x80", 3), 1);        /* truncated */
}

static void utf8_repair_counts(void **state) {
    (void)state;
    slc_buf out = {0};
    size_t n = slc_utf8_repair("a\xFF"
                               "b\xC3",
                               4, &out);
    assert_int_equal(n, 2);
    assert_string_equal(out.p, "a\xEF\xBF\xBD"
                               "b\xEF\xBF\xBD");
    slc_buf_free(&out);
    assert_int_equal(slc_utf8_count("\xC3\xA9t\xC3\xA9", 5), 3);
    assert_true(slc_utf8_is_ascii("plain text here", 15));
    assert_false(slc_utf8_is_ascii("plain t\xC3\xA9xt here", 17));
}

typedef struct members {
    char keys[8][32];
    char types[8];
    int n;
} members;

static int collect(void *ctx, const slc_json_member *m) {
    (void)m;
    members *ms = ctx;
    ms->types[ms->n++] = (char)m->type;
    return 0;
}

static void json_scan_object(void **state) {
    (void)state;
    const char *s =
        " {\"id\": 7, \"t\\u00e9xt\": \"a\\\"b\", \"o\": {\"x\": [1, 2.5e3, true, null]}} ";
    members ms = {0};
    const char *err = NULL;
    assert_int_equal(slc_json_scan_object(s, strlen(s), collect, &ms, &err, NULL), 0);
    assert_int_equal(ms.n, 3);
    assert_memory_equal(ms.types, "nso", 3);
}

static void json_scan_errors(void **state) {
    (void)state;
    static const char *const bad[] = {
        "",
        "[1,2]",
        "\"text\"",
        "{\"a\":}",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{\"a\":1} x",
        "{\"a\":\"x\ty\"}",
        "{\"a\":\"\\q\"}",
        "{\"a\":01}",
        "{\"a\":tru}",
        "{\"a\":\"open",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *err = NULL;
        int rc = slc_json_scan_object(bad[i], strlen(bad[i]), NULL, NULL, &err, NULL);
        assert_int_not_equal(rc, 0);
        assert_non_null(err);
    }
    /* Deep nesting is refused, not a stack overflow. */
    size_t depth = 100000;
    char *deep = malloc(depth * 2 + 16);
    strcpy(deep, "{\"a\":");
    memset(deep + 5, '[', depth);
    memset(deep + 5 + depth, ']', depth);
    strcpy(deep + 5 + 2 * depth, "}");
    assert_int_not_equal(slc_json_scan_object(deep, strlen(deep), NULL, NULL, NULL, NULL), 0);
    free(deep);
}

static void json_string_round_trip(void **state) {
    (void)state;
    const char text[] = "line\none \"two\" \\ tab\t ctrl\x01 caf\xC3\xA9 \xF0\x9F\x98\x80";
    slc_buf out = {0}, back = {0};
    assert_int_equal(slc_json_put_string(&out, text, sizeof text - 1), 0);
    assert_string_equal(out.p, "\"line\\none \\\"two\\\" \\\\ tab\\t ctrl\\u0001 caf\xC3\xA9 "
                               "\xF0\x9F\x98\x80\"");
    assert_int_equal(slc_json_unescape(out.p + 1, out.len - 2, &back, NULL), 0);
    assert_int_equal(back.len, sizeof text - 1);
    assert_memory_equal(back.p, text, sizeof text - 1);
    slc_buf_free(&out);
    slc_buf_free(&back);
}

static void json_unicode_escapes(void **state) {
    (void)state;
    slc_buf out = {0};
    size_t repaired = 0;
    const char *s = "\\u00e9\\ud83d\\ude00\\ud800x\\u0000";
    assert_int_equal(slc_json_unescape(s, strlen(s), &out, &repaired), 0);
    assert_int_equal(repaired, 1); /* the lone surrogate */
    assert_int_equal(out.len, 2 + 4 + 3 + 1 + 1);
    assert_memory_equal(out.p, "\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBDx\0", 11);
    slc_buf_free(&out);
}

/* Decode s into a fresh buffer that already holds a prefix, so that writing starts mid-buffer. */
static void check_unescape(const char *s, size_t len, const char *want, size_t want_len,
                           size_t want_repaired) {
    slc_buf out = {0};
    size_t repaired = 0;
    assert_int_equal(slc_buf_append(&out, "pre", 3), 0);
    assert_int_equal(slc_json_unescape(s, len, &out, &repaired), 0);
    assert_int_equal(out.len, 3 + want_len);
    assert_memory_equal(out.p, "pre", 3);
    assert_memory_equal(out.p + 3, want, want_len);
    assert_int_equal(out.p[out.len], '\0');
    assert_int_equal(repaired, want_repaired);
    slc_buf_free(&out);
}

/* Every escape kind at every offset around the 8- and 16-byte blocks of the fast paths. */
static void json_unescape_block_boundaries(void **state) {
    (void)state;
    static const struct {
        const char *esc, *dec;
    } kinds[] = {{"\\n", "\n"},
                 {"\\\"", "\""},
                 {"\\\\", "\\"},
                 {"\\/", "/"},
                 {"\\b\\f\\r\\t", "\b\f\r\t"},
                 {"\\u00e9", "\xC3\xA9"},
                 {"\\u20AC", "\xE2\x82\xAC"},
                 {"\\ud83d\\ude00", "\xF0\x9F\x98\x80"}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        for (size_t before = 0; before <= 40; before++) {
            char in[128], want[128];
            size_t n = 0, m = 0, el = strlen(kinds[k].esc), dl = strlen(kinds[k].dec);
            for (size_t j = 0; j < before; j++)
                in[n++] = want[m++] = (char)('a' + j % 26);
            memcpy(in + n, kinds[k].esc, el);
            memcpy(want + m, kinds[k].dec, dl);
            n += el;
            m += dl;
            for (size_t j = 0; j < 40 - before; j++)
                in[n++] = want[m++] = (char)('A' + j % 26);
            check_unescape(in, n, want, m, 0);
        }
    }
}

static void json_unescape_lone_surrogates(void **state) {
    (void)state;
    const char *fffd = "\xEF\xBF\xBD";
    check_unescape("\\ud800", 6, fffd, 3, 1);             /* high, at the very end */
    check_unescape("\\udc00x", 7, "\xEF\xBF\xBDx", 4, 1); /* low, alone */
    check_unescape("\\ud800\\u0041", 12,
                   "\xEF\xBF\xBD"
                   "A",
                   4, 1); /* high, then no low */
    check_unescape("\\ud800\\ud800\\udc00", 18, "\xEF\xBF\xBD\xF0\x90\x80\x80", 7,
                   1);                                              /* high, then a pair */
    check_unescape("\\udbff\\udfff", 12, "\xF4\x8F\xBF\xBF", 4, 0); /* U+10FFFF */
    check_unescape("\\ud800\\n", 8, "\xEF\xBF\xBD\n", 4, 1);
}

static void json_unescape_long_runs(void **state) {
    (void)state;
    enum { N = 1000 };
    char *in = malloc(N + 2);
    assert_non_null(in);
    for (size_t i = 0; i < N; i++) /* ASCII and two-byte characters, no backslash */
        in[i] = i % 7 == 5 ? '\xC3' : i % 7 == 6 ? '\xA9' : (char)('a' + i % 26);
    check_unescape(in, N, in, N, 0);
    for (size_t len = 0; len < 40; len++) /* every tail length */
        check_unescape(in, len, in, len, 0);
    in[N] = '\\';
    in[N + 1] = 't';
    char *want = malloc(N + 1);
    assert_non_null(want);
    memcpy(want, in, N);
    want[N] = '\t';
    check_unescape(in, N + 2, want, N + 1, 0); /* the only escape, at the very end */
    free(want);
    free(in);
}

static void json_unescape_edges(void **state) {
    (void)state;
    check_unescape("", 0, "", 0, 0);
    check_unescape("\\n", 2, "\n", 1, 0);
    check_unescape("\\nabc\\t", 7, "\nabc\t", 5, 0);
    check_unescape("\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n", 20, "\n\n\n\n\n\n\n\n\n\n", 10, 0);
    check_unescape("\\u0000", 6, "\0", 1, 0);
    slc_buf out = {0}; /* nothing appended: still terminated */
    assert_int_equal(slc_json_unescape("", 0, &out, NULL), 0);
    assert_non_null(out.p);
    assert_int_equal(out.p[0], '\0');
    slc_buf_free(&out);
}

/* The counting runs in blocks summed every 255 steps: check lengths around both. */
static void utf8_count_matches_bytewise(void **state) {
    (void)state;
    enum { N = 255 * 16 * 2 + 100 };
    char *s = malloc(N);
    assert_non_null(s);
    for (size_t i = 0; i < N; i++) /* 'x', then a 3-byte and a 2-byte sequence */
        s[i] = "x\xE2\x82\xAC\xC3\xA9"[i % 6];
    static const size_t lens[] = {
        0, 1, 7, 8, 15, 16, 17, 31, 33, 255 * 8, 255 * 8 + 9, 255 * 16, 255 * 16 + 17, N - 1, N};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        size_t want = 0;
        for (size_t i = 0; i < lens[k]; i++)
            want += ((unsigned char)s[i] & 0xC0) != 0x80;
        assert_int_equal(slc_utf8_count(s, lens[k]), want);
        assert_int_equal(slc_utf8_count(s + 1, lens[k] - (lens[k] > 0)),
                         want - (lens[k] > 0)); /* unaligned: drop the leading 'x' */
    }
    free(s);
}

static void decimal_numbers(void **state) {
    (void)state;
    slc_buf out = {0};
    static const size_t v[] = {0, 9, 10, 99, 100, 101, 999, 1000, 65535, 1234567890};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        slc_buf_put_size(&out, v[i]);
        slc_buf_putc(&out, ' ');
    }
    slc_buf_put_size(&out, (size_t)-1);
    char want[128];
    snprintf(want, sizeof want, "0 9 10 99 100 101 999 1000 65535 1234567890 %zu", (size_t)-1);
    assert_string_equal(out.p, want);
    slc_buf_free(&out);
}

static void json_numbers(void **state) {
    (void)state;
    slc_buf out = {0};
    slc_json_put_number(&out, 42);
    slc_buf_putc(&out, ' ');
    slc_json_put_number(&out, -2.8);
    slc_buf_putc(&out, ' ');
    slc_json_put_number(&out, 0.1);
    assert_string_equal(out.p, "42 -2.8 0.1");
    slc_buf_free(&out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_valid_and_invalid),
        cmocka_unit_test(utf8_repair_counts),
        cmocka_unit_test(json_scan_object),
        cmocka_unit_test(json_scan_errors),
        cmocka_unit_test(json_string_round_trip),
        cmocka_unit_test(json_unicode_escapes),
        cmocka_unit_test(json_numbers),
        cmocka_unit_test(json_unescape_block_boundaries),
        cmocka_unit_test(json_unescape_lone_surrogates),
        cmocka_unit_test(json_unescape_long_runs),
        cmocka_unit_test(json_unescape_edges),
        cmocka_unit_test(utf8_count_matches_bytewise),
        cmocka_unit_test(decimal_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
