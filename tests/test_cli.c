/* End to end: the real sluice binary on real files, pipes and failing outputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/sluice.h"
#include "test_util.h"

#define STR_(x) #x
#define STR(x) STR_(x)
/* This header's ABI version as the loader and --version print it. */
#define ABI_VERSION STR(SL_ABI_MAJOR) "." STR(SL_ABI_MINOR)

static char sluice[1024];      /* the binary */
static char plugin_path[1024]; /* --plugin-path for the fixtures */

/* Run "sluice COMMAND REST" as "sluice COMMAND --plugin-path FIXTURES REST". */
static tu_result run(const char *args, const char *in_path) {
    char cmd[8192];
    const char *space = strchr(args, ' ');
    int n = space ? (int)(space - args) : (int)strlen(args);
    snprintf(cmd, sizeof cmd, "%s %.*s %s%s", sluice, n, args,
             strncmp(args, "--", 2) == 0 || strncmp(args, "help", 4) == 0 ? "" : plugin_path,
             space ? space : "");
    return tu_run(cmd, in_path);
}

static const char *pipeline(const char *name, const char *yaml) {
    return tu_write(name, yaml, strlen(yaml));
}

static const char sample[] = "{\"id\":\"a1\",\"url\":\"http://example.org/1\",\"text\":\"Kerry met "
                             "Lavrov in Gen\xC3\xA8ve.\","
                             "\"tags\":[\"x\",{\"y\":1}]}\n"
                             "{\"id\":2,\"text\":\"Second \\\"quoted\\\" line\\nwith a break.\"}\n"
                             "{\"text\":\"No id here.\"}\n";

static void passthrough_round_trip(void **state) {
    (void)state;
    const char *in = tu_write("in.jsonl", sample, sizeof sample - 1);
    const char *p = pipeline("pass.yaml", "stages: []\n");
    char args[2048];
    snprintf(args, sizeof args, "run %s %s", p, in);
    tu_result r1 = run(args, NULL);
    assert_int_equal(r1.status, 0);
    assert_int_equal(tu_count_lines(r1.out), 3);
    tu_assert_contains(r1.out, "\"tags\":[\"x\",{\"y\":1}]");
    tu_assert_contains(r1.out, "\"id\":\"");
    tu_assert_contains(r1.err, "3 documents read, 3 written, 0 failed");
    const char *again = tu_write("again.jsonl", r1.out, r1.out_len);
    snprintf(args, sizeof args, "run %s -", p);
    tu_result r2 = run(args, again);
    assert_int_equal(r2.status, 0);
    assert_string_equal(r2.out, r1.out);
    tu_result_free(&r1);
    tu_result_free(&r2);
}

static const char mixed[] = "{\"id\":\"ok1\",\"text\":\"fine\"}\n"
                            "this is not json\n"
                            "{\"id\":\"bad\",\"text\":\"contains BAD word\"}\n"
                            "{\"id\":\"ok2\",\"text\":\"also fine\"}\n"
                            "{\"id\":\"notext\"}\n";

static void skip_policy_counts_everything(void **state) {
    (void)state;
    const char *in = tu_write("mixed.jsonl", mixed, sizeof mixed - 1);
    const char *p = pipeline("fail.yaml", "stages:\n  - plugin: probe\n    fail_on: BAD\n");
    char args[4096], want[1024];
    const char *dead = tu_write("dead.txt", "", 0);
    snprintf(args, sizeof args, "run %s %s --dead-letter %s", p, in, dead);
    tu_result r = run(args, NULL);
    assert_int_equal(r.status, 4);
    assert_int_equal(tu_count_lines(r.out), 2);
    tu_assert_contains(r.err, "5 documents read, 2 written, 3 failed");
    snprintf(want, sizeof want, "%s:2: not a JSON object", in);
    tu_assert_contains(r.err, want);
    snprintf(want, sizeof want, "%s:3: stage 1 (plugin probe): found 'BAD'", in);
    tu_assert_contains(r.err, want);
    snprintf(want, sizeof want, "%s:5: no \"text\" or \"html\" field", in);
    tu_assert_contains(r.err, want);
    char *letters = tu_read(dead, NULL);
    snprintf(want, sizeof want,
             "# %s:3: stage 1 (plugin probe): found 'BAD'\n"
             "{\"id\":\"bad\",\"text\":\"contains BAD word\"}\n",
             in);
    tu_assert_contains(letters, want);
    tu_assert_contains(letters, "\nthis is not json\n");
    assert_int_equal(tu_count_lines(letters), 6);
    free(letters);
    tu_result_free(&r);
}

static void fail_policy_stops(void **state) {
    (void)state;
    const char *in = tu_write("mixed.jsonl", mixed, sizeof mixed - 1);
    const char *p = pipeline("fail.yaml", "stages:\n  - plugin: probe\n    fail_on: BAD\n");
    char args[4096];
    snprintf(args, sizeof args, "run %s %s --on-error fail", p, in);
    tu_result r = run(args, NULL);
    assert_int_equal(r.status, 4);
    assert_int_equal(tu_count_lines(r.out), 1);
    tu_assert_contains(r.err, "2 documents read, 1 written, 1 failed");
    tu_result_free(&r);
}

/* A corpus larger than the pipe and the sink's buffers; returns its path. */
static const char *many_documents(void) {
    static char path[600];
    snprintf(path, sizeof path, "%s/many.jsonl", tu_tmpdir());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 50000; i++)
        fprintf(f, "{\"id\":\"d%d\",\"text\":\"Document number %d of many, padded out a bit.\"}\n",
                i, i);
    fclose(f);
    return path;
}

static void broken_pipe_is_quiet(void **state) {
    (void)state;
    const char *path = many_documents();
    const char *p = pipeline("pass.yaml", "stages: []\n");
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "bash -c 'set -o pipefail; %s run %s %s %s | head -n 1 > /dev/null; echo "
             "status=${PIPESTATUS[0]}'",
             sluice, plugin_path, p, path);
    tu_result r = tu_run(cmd, NULL);
    tu_assert_contains(r.out, "status=0");
    assert_string_equal(r.err, "");
    tu_result_free(&r);
}

static void full_disk_fails_clearly(void **state) {
    (void)state;
    const char *in = tu_write("in.jsonl", sample, sizeof sample - 1);
    const char *p = pipeline("pass.yaml", "stages: []\n");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s run %s %s %s > /dev/full", sluice, plugin_path, p, in);
    tu_result r = tu_run(cmd, NULL);
    assert_int_equal(r.status, 5);
    tu_assert_contains(r.err, "cannot write standard output: No space left on device");
    tu_result_free(&r);
    /* failing while documents stream, not only at the final flush */
    snprintf(cmd, sizeof cmd, "%s run %s %s %s > /dev/full", sluice, plugin_path, p,
             many_documents());
    r = tu_run(cmd, NULL);
    assert_int_equal(r.status, 5);
    tu_assert_contains(r.err,
                       "stage 1 (plugin jsonl): cannot write standard output: No space left");
    tu_assert_contains(r.err, "output is incomplete");
    tu_result_free(&r);
}

static void check_reports_places(void **state) {
    (void)state;
    const char *good = pipeline("good.yaml", "stages:\n  - plugin: probe\n    fail_on: x\n");
    char args[2048];
    snprintf(args, sizeof args, "check %s", good);
    tu_result r = run(args, NULL);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "ok (2 stages: probe jsonl)");
    tu_result_free(&r);

    const char *bad = pipeline("bad.yaml", "input: jsonl\nstages:\n  - plugin: prob\n"
                                           "  - plugin: probe\n    fail_onn: x\n    count: lots\n");
    snprintf(args, sizeof args, "check %s", bad);
    r = run(args, NULL);
    assert_int_equal(r.status, 3);
    char want[1024];
    snprintf(want, sizeof want,
             "%s:3:13: stage 1 (plugin prob): unknown plugin 'prob' (did you mean 'probe'?)", bad);
    tu_assert_contains(r.err, want);
    snprintf(want, sizeof want,
             "%s:5:5: stage 2 (plugin probe): unknown option 'fail_onn' (did you mean 'fail_on'?)",
             bad);
    tu_assert_contains(r.err, want);
    snprintf(want, sizeof want,
             "%s:6:12: stage 2 (plugin probe): option 'count' must be an integer", bad);
    tu_assert_contains(r.err, want);
    snprintf(want, sizeof want, "%s:4:5: stage 2 (plugin probe): missing required option 'fail_on'",
             bad);
    tu_assert_contains(r.err, want);
    tu_result_free(&r);

    const char *syntax = pipeline("syntax.yaml", "stages:\n  - plugin: probe\n    fail_on: [x\n");
    snprintf(args, sizeof args, "check %s", syntax);
    r = run(args, NULL);
    assert_int_equal(r.status, 3);
    snprintf(want, sizeof want, "%s:4:1: YAML syntax error", syntax);
    tu_assert_contains(r.err, want);
    tu_result_free(&r);

    r = run("check /nonexistent/p.yaml", NULL);
    assert_int_equal(r.status, 3);
    tu_assert_contains(r.err, "/nonexistent/p.yaml: cannot open");
    tu_result_free(&r);

    /* Values that only the plugin can judge: its check() runs, on every stage, nothing made. */
    const char *values = pipeline("values.yaml", "stages:\n  - plugin: probe\n    fail_on: x\n"
                                                 "    count: -1\n  - plugin: probe\n"
                                                 "    fail_on: y\n    count: -2\n");
    snprintf(args, sizeof args, "check %s", values);
    r = run(args, NULL);
    assert_int_equal(r.status, 3);
    snprintf(want, sizeof want,
             "%s:4:12: stage 1 (plugin probe): option 'count': must not be negative", values);
    tu_assert_contains(r.err, want);
    snprintf(want, sizeof want,
             "%s:7:12: stage 2 (plugin probe): option 'count': must not be negative", values);
    tu_assert_contains(r.err, want);
    tu_result_free(&r);

    /* The jsonl sink checks its output path without creating the file. */
    char out_path[1024];
    snprintf(out_path, sizeof out_path, "%s/not-created.jsonl", tu_tmpdir());
    char sink_yaml[2048];
    snprintf(sink_yaml, sizeof sink_yaml,
             "stages:\n  - plugin: jsonl\n    path: %s\n  - plugin: jsonl\n"
             "    path: /nonexistent/out.jsonl\n",
             out_path);
    const char *sinks = pipeline("sinks.yaml", sink_yaml);
    snprintf(args, sizeof args, "check %s", sinks);
    r = run(args, NULL);
    assert_int_equal(r.status, 3);
    snprintf(want, sizeof want,
             "%s:5:11: stage 2 (plugin jsonl): option 'path': cannot create "
             "'/nonexistent/out.jsonl': folder '/nonexistent': No such file or directory",
             sinks);
    tu_assert_contains(r.err, want);
    assert_null(strstr(r.err, "stage 1"));
    assert_null(tu_read(out_path, NULL));
    tu_result_free(&r);

    /* A plugin built against ABI 1.0 has no check(): the host must not look past its size. */
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "stages:\n  - plugin: %s/abi_1_0.so\n",
             tu_env("SLUICE_TEST_PLUGIN_DIR", "."));
    const char *old = pipeline("old.yaml", yaml);
    snprintf(args, sizeof args, "check %s", old);
    r = run(args, NULL);
    assert_int_equal(r.status, 0);
    tu_result_free(&r);
    snprintf(args, sizeof args, "run %s -", old);
    r = run(args, tu_write("one.jsonl", "{\"text\":\"x\"}\n", 13));
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "{\"id\":\"<stdin>:1\",\"text\":\"x\"}\n");
    tu_result_free(&r);
}

static void refused_plugins_stop_the_run(void **state) {
    (void)state;
    char yaml[2048], args[2048];
    snprintf(yaml, sizeof yaml, "stages:\n  - plugin: %s/bad_major.so\n",
             tu_env("SLUICE_TEST_PLUGIN_DIR", "."));
    const char *p = pipeline("major.yaml", yaml);
    snprintf(args, sizeof args, "run %s", p);
    tu_result r = run(args, NULL);
    assert_int_equal(r.status, 3);
    tu_assert_contains(
        r.err, "bad_major.so: plugin ABI 2.0 does not match this sluice's ABI " ABI_VERSION);
    tu_result_free(&r);

    p = pipeline("create.yaml", "stages:\n  - plugin: create_fails.so\n");
    snprintf(yaml, sizeof yaml, "stages:\n  - plugin: %s/create_fails.so\n",
             tu_env("SLUICE_TEST_PLUGIN_DIR", "."));
    p = pipeline("create.yaml", yaml);
    snprintf(args, sizeof args, "run %s", p);
    r = run(args, NULL);
    assert_int_equal(r.status, 3);
    tu_assert_contains(r.err,
                       "create.yaml:2:5: stage 1 (plugin variant): this fixture never starts");
    tu_result_free(&r);

    p = pipeline("neg.yaml", "stages:\n  - plugin: probe\n    fail_on: x\n    count: -1\n");
    snprintf(args, sizeof args, "run %s", p);
    r = run(args, NULL);
    assert_int_equal(r.status, 3);
    tu_assert_contains(
        r.err, "neg.yaml:4:12: stage 1 (plugin probe): option 'count': must not be negative");
    tu_result_free(&r);
}

static void source_plugin_and_formats(void **state) {
    (void)state;
    const char *p = pipeline("src.yaml", "stages:\n  - plugin: counter\n    count: 4\n");
    char args[2048];
    snprintf(args, sizeof args, "run %s", p);
    tu_result r = run(args, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(tu_count_lines(r.out), 4);
    tu_assert_contains(r.out, "{\"id\":\"n3\",\"text\":\"Document number 3.\"}");
    tu_result_free(&r);

    const char *txt = tu_write("notes.txt", "one\n\ntwo\n", 9);
    const char *pass = pipeline("pass.yaml", "stages: []\n");
    snprintf(args, sizeof args, "run %s --input-format lines %s", pass, txt);
    r = run(args, NULL);
    assert_int_equal(tu_count_lines(r.out), 2);
    tu_assert_contains(r.out, "\"text\":\"two\"");
    tu_result_free(&r);
    snprintf(args, sizeof args, "run %s --input-format text -", pass);
    r = run(args, txt);
    assert_string_equal(r.out, "{\"id\":\"<stdin>\",\"text\":\"one\\n\\ntwo\\n\"}\n");
    tu_result_free(&r);
    /* an .html file is read as a page even when the pipeline's default is jsonl */
    const char *page = tu_write("page.html", "<p>Hi</p>\n<p>there</p>\n", 23);
    const char *jsonl = pipeline("jsonl.yaml", "input: jsonl\nstages: []\n");
    snprintf(args, sizeof args, "run %s %s", jsonl, page);
    r = run(args, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(tu_count_lines(r.out), 1);
    tu_assert_contains(r.out, "\"html\":\"<p>Hi</p>\\n<p>there</p>\\n\",\"text\":\"\"");
    tu_result_free(&r);
    const char *lines = pipeline("lines.yaml", "input: lines\nstages: []\n");
    snprintf(args, sizeof args, "run %s %s", lines, txt);
    r = run(args, NULL);
    assert_int_equal(tu_count_lines(r.out), 2);
    tu_result_free(&r);
}

static void help_version_and_usage(void **state) {
    (void)state;
    tu_result r = run("--help", NULL);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "Usage: sluice COMMAND");
    tu_result_free(&r);
    r = run("help run", NULL);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "--dead-letter");
    tu_result_free(&r);
    r = run("run --help", NULL);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "--on-error");
    tu_result_free(&r);
    r = run("--version", NULL);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "plugin ABI " ABI_VERSION);
    tu_result_free(&r);
    r = run("frobnicate", NULL);
    assert_int_equal(r.status, 2);
    tu_result_free(&r);
    r = run("run", NULL);
    assert_int_equal(r.status, 2);
    tu_result_free(&r);
    r = run("run p.yaml --on-error maybe", NULL);
    assert_int_equal(r.status, 2);
    tu_result_free(&r);
    r = run("run /nonexistent.yaml", NULL);
    assert_int_equal(r.status, 3);
    tu_result_free(&r);
    const char *p = pipeline("pass.yaml", "stages: []\n");
    char args[2048];
    snprintf(args, sizeof args, "run %s /nonexistent/input.jsonl", p);
    r = run(args, NULL);
    assert_int_equal(r.status, 5);
    tu_assert_contains(r.err, "/nonexistent/input.jsonl: cannot open");
    tu_result_free(&r);
}

static void plugins_listing(void **state) {
    (void)state;
    tu_result r = run("plugins", NULL);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "probe");
    tu_assert_contains(r.out, "jsonl");
    tu_assert_contains(r.out, "sink");
    tu_assert_contains(r.err, "bad_major.so: plugin ABI 2.0"); /* refused, and said so */
    tu_result_free(&r);
    r = run("plugins probe", NULL);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "fail_on (string, required)");
    tu_assert_contains(r.out, "mode (enum: auto|always|never, default: auto)");
    tu_assert_contains(r.out, "words (string list, default: a,b)");
    tu_result_free(&r);
    r = run("plugins nosuch", NULL);
    assert_int_equal(r.status, 3);
    tu_assert_contains(r.err, "unknown plugin 'nosuch'");
    tu_result_free(&r);
}

/* The README's first command: the news pipeline on the bundled sample, compared with the
 * expected output. After a deliberate change to a plugin, regenerate it with
 *   build/sluice run -q pipelines/news.yaml examples/news-sample.jsonl >
 * tests/golden/news-sample.jsonl and review the diff. */
static void news_pipeline_on_sample(void **state) {
    (void)state;
    char so[1024];
    snprintf(so, sizeof so, "%s/boilerplate.so", tu_env("SLUICE_PLUGIN_BUILD_DIR", "plugins"));
    FILE *f = fopen(so, "rb");
    if (!f)
        skip(); /* built with SLUICE_SKIP_PLUGINS */
    fclose(f);
    char args[4096];
    snprintf(args, sizeof args, "run -q %s %s", tu_src("pipelines/news.yaml"),
             tu_src("examples/news-sample.jsonl"));
    tu_result r = run(args, NULL);
    assert_int_equal(r.status, 0);
    char *want = tu_read(tu_src("tests/golden/news-sample.jsonl"), NULL);
    assert_non_null(want);
    assert_string_equal(r.out, want);
    free(want);
    tu_result_free(&r);
}

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void) {
    snprintf(sluice, sizeof sluice, "'%s'", tu_env("SLUICE_BIN", "./sluice"));
    snprintf(plugin_path, sizeof plugin_path, "--plugin-path '%s'",
             tu_env("SLUICE_TEST_PLUGIN_DIR", "test-plugins"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passthrough_round_trip),
        cmocka_unit_test(skip_policy_counts_everything),
        cmocka_unit_test(fail_policy_stops),
        cmocka_unit_test(broken_pipe_is_quiet),
        cmocka_unit_test(full_disk_fails_clearly),
        cmocka_unit_test(check_reports_places),
        cmocka_unit_test(refused_plugins_stop_the_run),
        cmocka_unit_test(source_plugin_and_formats),
        cmocka_unit_test(help_version_and_usage),
        cmocka_unit_test(plugins_listing),
        cmocka_unit_test(news_pipeline_on_sample),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
