/* UTF-8 repair and the JSON scanner/writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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
        cmocka_unit_test(utf8_valid_and_invalid), cmocka_unit_test(utf8_repair_counts),
        cmocka_unit_test(json_scan_object),       cmocka_unit_test(json_scan_errors),
        cmocka_unit_test(json_string_round_trip), cmocka_unit_test(json_unicode_escapes),
        cmocka_unit_test(json_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
