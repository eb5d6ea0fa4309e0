/*
 * The jsonl sink in pipelines run by the sluice command: where it writes, its options, its
 * blocks of whole lines, and its errors. Skips (77) without SLUICE_BIN.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static const char *bin;

/* `sluice ARGS` in the test's folder, with stdin from in_path (NULL: none). */
static tu_result sluice(const char *args, const char *in_path) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s", tu_tmpdir(), bin, args);
    return tu_run(cmd, in_path);
}

static const char *write_text(const char *name, const char *text) {
    return tu_write(name, text, strlen(text));
}

static const char multibyte[] = "{\"id\":\"z\",\"text\":\"Zo\xc3\xab ran. \xc3\x89l vino.\","
                                "\"meta\":{\"a\":[1,2]}}\n";

static void standard_output_and_path(void **state) {
    (void)state;
    const char *in = write_text("in.jsonl", multibyte);
    write_text("out.yaml", "stages:\n  - plugin: jsonl\n    path: out.jsonl\n");
    write_text("out.jsonl", "old content, longer than the new one, to be truncated away\n"
                            "and a second line\n");
    tu_result r = sluice("run -q out.yaml in.jsonl", NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, ""); /* nothing on standard output */
    char path[1024];
    snprintf(path, sizeof path, "%s/out.jsonl", tu_tmpdir());
    char *file = tu_read(path, NULL);
    assert_non_null(file);
    assert_string_equal(file, multibyte); /* metadata byte for byte, the file truncated */
    free(file);
    tu_result_free(&r);

    write_text("std.yaml", "stages:\n  - plugin: jsonl\n");
    r = sluice("run -q std.yaml -", in);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, multibyte);
    tu_result_free(&r);
}

static void offsets_and_tokens(void **state) {
    (void)state;
    const char *in = write_text("in.jsonl", multibyte);
    write_text("cp.yaml", "stages:\n  - plugin: sentences\n  - plugin: jsonl\n");
    tu_result r = sluice("run -q cp.yaml -", in);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out,
                       ",\"sentences\":[{\"start\":0,\"end\":8},{\"start\":9,\"end\":17}]}\n");
    assert_null(strstr(r.out, "\"tokens\""));
    tu_result_free(&r);

    write_text("bytes.yaml", "stages:\n  - plugin: sentences\n  - plugin: jsonl\n"
                             "    byte_offsets: true\n    tokens: true\n");
    r = sluice("run -q bytes.yaml -", in);
    assert_int_equal(r.status, 0);
    /* the record says its offsets are bytes, so that a later run reads its layers back */
    tu_assert_contains(r.out,
                       "\"offsets\":\"bytes\",\"meta\":{\"a\":[1,2]},\"tokens\":[{\"start\":0,"
                       "\"end\":4,\"kind\":\"word\"},{\"start\":5,\"end\":8,\"kind\":\"word\"},"
                       "{\"start\":8,\"end\":9,\"kind\":\"punct\"},{\"start\":10,\"end\":13,");
    tu_assert_contains(r.out, "\"sentences\":[{\"start\":0,\"end\":9},{\"start\":10,\"end\":19}]}");
    tu_result_free(&r);
}

/* n documents, document i of about `size` bytes of text, in order; returns the path. */
static const char *corpus(const char *name, int n, size_t size) {
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", tu_tmpdir(), name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < n; i++) {
        fprintf(f, "{\"id\":\"d%d\",\"text\":\"", i);
        for (size_t k = 0; k < size; k += 10)
            fputs("word word ", f);
        fprintf(f, "end %d.\"}\n", i);
    }
    fclose(f);
    return path;
}

/* Every line of out is one whole document d0..d(n-1) of the corpus, each seen `copies`
 * times, and in order within each copy. */
static void assert_whole_lines(const char *out, int n, int copies) {
    int *seen = calloc((size_t)n, sizeof *seen);
    int last[2] = {-1, -1};
    assert_non_null(seen);
    for (const char *l = out; *l;) {
        const char *eol = strchr(l, '\n');
        assert_non_null(eol);
        int id = -1, end = -1;
        assert_int_equal(sscanf(l, "{\"id\":\"d%d\"", &id), 1);
        assert_true(id >= 0 && id < n);
        char tail[64];
        snprintf(tail, sizeof tail, "end %d.\"}\n", id);
        assert_memory_equal(eol + 1 - strlen(tail), tail, strlen(tail)); /* not cut, not mixed */
        end = seen[id]++;
        assert_true(end < copies);
        assert_true(id > last[end]); /* each copy in order */
        last[end] = id;
        l = eol + 1;
    }
    for (int i = 0; i < n; i++)
        assert_int_equal(seen[i], copies);
    free(seen);
}

static void blocks_of_whole_lines(void **state) {
    (void)state;
    /* 3000 documents of ~1 KiB fill about a dozen blocks; one of 600 KiB is larger than a block
     * and goes straight out between them. Two sinks share standard output. */
    const char *small = corpus("small.jsonl", 3000, 1000);
    write_text("two.yaml", "stages:\n  - plugin: jsonl\n  - plugin: jsonl\n");
    char args[2048];
    snprintf(args, sizeof args, "run -q two.yaml '%s'", small);
    tu_result r = sluice(args, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(tu_count_lines(r.out), 6000);
    assert_whole_lines(r.out, 3000, 2);
    tu_result_free(&r);

    const char *big = corpus("big.jsonl", 5, 600000);
    snprintf(args, sizeof args, "run -q two.yaml '%s'", big);
    r = sluice(args, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.out_len,
                     2 * (5 * (sizeof "{\"id\":\"d0\",\"text\":\"end 0.\"}\n" - 1) + 5 * 600000));
    assert_whole_lines(r.out, 5, 2);
    tu_result_free(&r);
}

static void check_finds_paths_it_cannot_write(void **state) {
    (void)state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "stages:\n  - plugin: jsonl\n    path: ''\n  - plugin: jsonl\n    path: %s\n"
             "  - plugin: jsonl\n    path: no/such/folder/out.jsonl\n"
             "  - plugin: jsonl\n    path: fresh.jsonl\n",
             tu_tmpdir());
    write_text("bad.yaml", yaml);
    tu_result r = sluice("check bad.yaml", NULL);
    assert_int_equal(r.status, 3);
    tu_assert_contains(r.err, "bad.yaml:3:11: stage 1 (plugin jsonl): option 'path': is empty");
    tu_assert_contains(r.err, "bad.yaml:5:11: stage 2 (plugin jsonl): option 'path': '");
    tu_assert_contains(r.err, "' is a folder");
    tu_assert_contains(r.err, "bad.yaml:7:11: stage 3 (plugin jsonl): option 'path': cannot "
                              "create 'no/such/folder/out.jsonl': folder 'no/such/folder': No "
                              "such file or directory");
    assert_null(strstr(r.err, "stage 4"));
    tu_result_free(&r);
    char path[1024];
    snprintf(path, sizeof path, "%s/fresh.jsonl", tu_tmpdir());
    assert_int_not_equal(access(path, F_OK), 0); /* check creates nothing */
}

static void full_disk(void **state) {
    (void)state;
    write_text("full.yaml", "stages:\n  - plugin: jsonl\n    path: /dev/full\n");
    const char *in = write_text("one.jsonl", "{\"text\":\"x\"}\n");
    tu_result r = sluice("run full.yaml -", in);
    assert_int_equal(r.status, 5);
    tu_assert_contains(r.err, "cannot write /dev/full: No space left on device");
    tu_assert_contains(r.err, "output is incomplete: a sink could not write");
    tu_result_free(&r);

    /* while documents stream: the document being written fails, the run stops */
    char args[2048];
    snprintf(args, sizeof args, "run full.yaml '%s'", corpus("many.jsonl", 1000, 1000));
    r = sluice(args, NULL);
    assert_int_equal(r.status, 5);
    tu_assert_contains(r.err, "stage 1 (plugin jsonl): cannot write /dev/full: No space left");
    tu_assert_contains(r.err, "1 failed; output is incomplete");
    tu_result_free(&r);
}

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void) {
    bin = getenv("SLUICE_BIN");
    if (!bin || access(bin, X_OK) != 0) {
        printf("SLUICE_BIN not set or not executable: skipped\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standard_output_and_path),
        cmocka_unit_test(offsets_and_tokens),
        cmocka_unit_test(blocks_of_whole_lines),
        cmocka_unit_test(check_finds_paths_it_cannot_write),
        cmocka_unit_test(full_disk),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
