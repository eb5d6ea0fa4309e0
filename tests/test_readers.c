/* Readers on well-formed and malformed input: every record comes out, or fails with a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_api.h"
#include "document.h"
#include "reader.h"
#include "test_util.h"

typedef struct got {
    int n;
    char ids[16][64];
    char errors[16][160];
    size_t text_len[16];
    size_t repairs[16];
    long lines[16];
} got;

static got read_all(const char *path, slc_input_format fmt, size_t max_doc) {
    got g;
    memset(&g, 0, sizeof g);
    slc_reader r;
    slc_buf err = {0};
    assert_int_equal(slc_reader_open(&r, path, fmt, max_doc, &err), 0);
    sl_doc *d = slc_doc_new();
    int rc;
    while ((rc = slc_reader_next(&r, d, &err)) == 1) {
        assert_true(g.n < 16);
        snprintf(g.ids[g.n], 64, "%s", slc_doc_id(d));
        const char *e = slc_doc_error(d);
        snprintf(g.errors[g.n], 160, "%s", e ? e : "");
        if (!e)
            slc_doc_text(d, &g.text_len[g.n]);
        g.repairs[g.n] = slc_doc_repairs(d);
        slc_doc_origin(d, &g.lines[g.n]);
        g.n++;
    }
    assert_int_equal(rc, 0);
    slc_doc_free(d);
    slc_reader_close(&r);
    slc_buf_free(&err);
    return g;
}

static void malformed_lines(void **state) {
    (void)state;
    const char in[] = "{\"id\":\"ok\",\"text\":\"fine\"}\n"
                      "hello world\n"
                      "[1,2]\n"
                      "{\"id\":1}\n"
                      "{\"id\":\"nul\",\"text\":\"a\0b\"}\n"
                      "{\"id\":\"esc\",\"text\":\"a\\u0000b\"}\n"
                      "{\"id\":\"last\",\"text\":\"no newline\"}";
    const char *path = tu_write("bad.jsonl", in, sizeof in - 1);
    got g = read_all(path, SLC_INPUT_JSONL, 1 << 20);
    assert_int_equal(g.n, 7);
    assert_string_equal(g.errors[0], "");
    assert_non_null(strstr(g.errors[1], "not a JSON object"));
    assert_non_null(strstr(g.errors[2], "not a JSON object"));
    assert_string_equal(g.errors[3], "no \"text\" or \"html\" field");
    assert_non_null(strstr(g.errors[4], "control character"));
    assert_string_equal(g.errors[5], "");
    assert_int_equal(g.text_len[5], 3); /* the escaped NUL is kept */
    assert_string_equal(g.ids[6], "last");
    assert_int_equal(g.lines[1], 2);
    assert_int_equal(g.lines[6], 7);
    tu_cleanup();
}

static void crlf_blank_lines_and_empty_input(void **state) {
    (void)state;
    const char in[] = "{\"text\":\"a\"}\r\n\r\n   \n{\"text\":\"b\"}\r\n";
    const char *path = tu_write("crlf.jsonl", in, sizeof in - 1);
    got g = read_all(path, SLC_INPUT_JSONL, 1 << 20);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.errors[0], "");
    assert_string_equal(g.errors[1], "");
    assert_int_equal(g.lines[1], 4);
    char want[600];
    snprintf(want, sizeof want, "%s:4", path);
    assert_string_equal(g.ids[1], want);
    g = read_all(tu_write("empty.jsonl", "", 0), SLC_INPUT_JSONL, 1 << 20);
    assert_int_equal(g.n, 0);
    tu_cleanup();
}

static void invalid_utf8_is_repaired(void **state) {
    (void)state;
    const char in[] = "{\"id\":\"u\",\"text\":\"caf\xE9 \xFF\xFE ok\"}\n";
    got g = read_all(tu_write("latin1.jsonl", in, sizeof in - 1), SLC_INPUT_JSONL, 1 << 20);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.errors[0], "");
    assert_int_equal(g.repairs[0], 3);
    tu_cleanup();
}

static void huge_line(void **state) {
    (void)state;
    size_t big = 50u << 20;
    char *line = malloc(big + 64);
    strcpy(line, "{\"id\":\"big\",\"text\":\"");
    size_t off = strlen(line);
    memset(line + off, 'a', big);
    strcpy(line + off + big, "\"}\n{\"id\":\"after\",\"text\":\"x\"}\n");
    const char *path = tu_write("huge.jsonl", line, strlen(line));
    free(line);
    got g = read_all(path, SLC_INPUT_JSONL, 64u << 20);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.errors[0], "");
    assert_int_equal(g.text_len[0], big);
    g = read_all(path, SLC_INPUT_JSONL, 1u << 20);
    assert_int_equal(g.n, 2);
    assert_non_null(strstr(g.errors[0], "over the limit of 1048576"));
    assert_string_equal(g.errors[1], "");
    assert_string_equal(g.ids[1], "after");
    tu_cleanup();
}

static void other_formats(void **state) {
    (void)state;
    const char text[] = "First line.\n\nSecond \xFF line.\n";
    const char *path = tu_write("doc.txt", text, sizeof text - 1);
    got g = read_all(path, SLC_INPUT_TEXT, 1 << 20);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.ids[0], path);
    assert_int_equal(g.text_len[0], sizeof text - 1 + 2);
    assert_int_equal(g.repairs[0], 1);
    g = read_all(path, SLC_INPUT_LINES, 1 << 20);
    assert_int_equal(g.n, 2); /* the blank line is not a document */
    assert_int_equal(g.lines[1], 3);
    g = read_all(path, SLC_INPUT_TEXT, 8);
    assert_int_equal(g.n, 1);
    assert_non_null(strstr(g.errors[0], "over the limit"));
    const char html[] = "<html><body><p>Hi</p></body></html>";
    g = read_all(tu_write("page.html", html, sizeof html - 1), SLC_INPUT_HTML, 1 << 20);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.text_len[0], 0);
    tu_cleanup();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(malformed_lines),
        cmocka_unit_test(crlf_blank_lines_and_empty_input),
        cmocka_unit_test(invalid_utf8_is_repaired),
        cmocka_unit_test(huge_line),
        cmocka_unit_test(other_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
