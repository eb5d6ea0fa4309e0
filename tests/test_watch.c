/* Watching a run: --stats prints a table per stage at the end, and --progress draws the
 * progress line even when stderr is not a terminal, then clears it before the summary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static tu_result sluice(const char *args) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s --plugin-path %s", tu_env("SLUICE_BIN", "./sluice"), args,
             tu_env("SLUICE_TEST_PLUGIN_DIR", "test-plugins"));
    return tu_run(cmd, NULL);
}

static const char *input(void) {
    static char path[1024];
    char *buf = malloc(200 * 64);
    assert_non_null(buf);
    size_t len = 0;
    for (int i = 0; i < 200; i++)
        len += (size_t)sprintf(buf + len, "{\"id\":\"d%d\",\"text\":\"One %s. Two.\"}\n", i,
                               i % 10 == 3 ? "BAD" : "ok");
    snprintf(path, sizeof path, "%s", tu_write("in.jsonl", buf, len));
    free(buf);
    return path;
}

static void stats_table(void **state) {
    (void)state;
    const char *p = tu_write("s.yaml",
                             "stages:\n  - plugin: probe\n    fail_on: BAD\n"
                             "  - plugin: sentences\n",
                             65);
    char args[2048];
    for (int j = 1; j <= 3; j += 2) {
        snprintf(args, sizeof args, "run -j %d --stats %s %s", j, p, input());
        tu_result r = sluice(args);
        assert_int_equal(r.status, 4);
        tu_assert_contains(r.err, "sluice: stats: stage  plugin          documents    seconds");
        /* every worker's instance counted: 200 documents in, 20 failed in probe */
        tu_assert_contains(r.err, "sluice: stats:     1  probe                 200");
        tu_assert_contains(r.err, "sluice: stats:     2  sentences             180");
        const char *row = strstr(r.err, "sluice: stats:     1  probe");
        assert_non_null(row);
        const char *eol = strchr(row, '\n');
        assert_non_null(eol);
        assert_true(eol - row > 10 && memcmp(eol - 2, "20", 2) == 0);
        tu_result_free(&r);
    }
}

static void progress_line(void **state) {
    (void)state;
    const char *p = tu_write("p.yaml", "stages:\n  - plugin: sentences\n", 30);
    char args[2048];
    snprintf(args, sizeof args, "run --progress %s %s", p, input());
    tu_result r = sluice(args);
    assert_int_equal(r.status, 0);
    /* the first document draws it, the end takes it off before the summary */
    tu_assert_contains(r.err, "\rsluice: 1 document, ");
    tu_assert_contains(r.err, "\r\033[Ksluice: 200 documents read, 200 written, 0 failed\n");
    tu_result_free(&r);
    snprintf(args, sizeof args, "run %s %s", p, input()); /* not a terminal: no line */
    r = sluice(args);
    assert_null(strchr(r.err, '\r'));
    tu_result_free(&r);
}

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stats_table),
        cmocka_unit_test(progress_line),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
