/*
 * Allocation failures, the way SQLite tests them: a small pipeline (the probe fixture, the
 * sentences stage when it is built, the jsonl sink writing a file) is loaded, checked, created
 * and run on a few JSON Lines records with layers and metadata, malformed and invalid UTF-8
 * ones among them, plus an HTML page, with a dead-letter file, once to count the core's
 * allocations (N) and then N more times, the n-th allocation failing in run n.
 *
 * Every run must end cleanly: either exactly as the run without failures (same status, same
 * output, same messages: the failure was absorbed), or with "out of memory" among the
 * messages. Leaks are left to AddressSanitizer (the test fails at exit when a run leaked), and
 * a crash fails the test.
 *
 * The failures are injected by linking with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,
 * --wrap=strdup,--wrap=strndup: every call from libsluice (and this file) goes through the
 * __wrap_ functions below. Allocations inside shared libraries (libyaml, utf8proc, libc's own
 * fopen/dlopen) and inside the plugins are not reached: this covers the core's code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "runner.h"
#include "test_util.h"

/* --- the allocation hook ---------------------------------------------------------------- */

static int armed;             /* count (and fail) only inside a run */
static unsigned long count;   /* allocations made in this run */
static unsigned long fail_at; /* the allocation that fails (1-based); 0: none */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

/* Called at each injected failure: a place for a debugger's breakpoint. */
__attribute__((noinline)) static void injected(void) {
    errno = ENOMEM;
}

/* Whether this allocation fails. */
static int fails(void) {
    if (!armed || ++count != fail_at)
        return 0;
    injected();
    return 1;
}

void *__wrap_malloc(size_t n) {
    return fails() ? NULL : __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t size) {
    return fails() ? NULL : __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t n) {
    return fails() ? NULL : __real_realloc(p, n);
}
char *__wrap_strdup(const char *s) {
    return fails() ? NULL : __real_strdup(s);
}
char *__wrap_strndup(const char *s, size_t n) {
    return fails() ? NULL : __real_strndup(s, n);
}

/* --- one run, as `sluice run` makes it ----------------------------------------------------- */

typedef struct outcome {
    int status;
    char *out;  /* what the jsonl sink wrote */
    char *dead; /* the dead-letter file */
    char *err;  /* standard error and the pipeline's diagnostics */
} outcome;

static char pipeline_path[1024], out_path[1024], dead_path[1024], err_path[1024];
static char *inputs[2];

/* Load, check, create, run and free the pipeline, as main.c's `run` command does, with
 * standard error going to a file; the allocation hook armed throughout. */
static outcome run_once(unsigned long fail) {
    outcome o = {0};
    fflush(stderr);
    int saved = dup(2);
    int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);

    char *dirs[] = {(char *)tu_env("SLUICE_TEST_PLUGIN_DIR", "test-plugins"),
                    (char *)tu_env("SLUICE_PLUGIN_BUILD_DIR", "plugins")};
    slc_run_options opts = {
        .format = -1, .dead_letter = dead_path, .max_doc = 1 << 20, .inputs = inputs, .ninputs = 2};
    slc_diag diag = {0};
    slc_pipeline p;
    count = 0;
    fail_at = fail;
    armed = 1;
    if (slc_pipeline_load(&p, pipeline_path, dirs, 2, &diag) != 0 ||
        slc_pipeline_check(&p, &diag) != 0 || slc_pipeline_create(&p, &diag) != 0) {
        o.status = SLC_EXIT_PIPELINE;
    } else {
        slc_run_stats st;
        o.status = slc_pipeline_run(&p, &opts, &st);
        fprintf(stderr, "%zu read, %zu written, %zu failed, %zu repaired\n", st.read, st.written,
                st.failed, st.repaired);
    }
    slc_pipeline_free(&p);
    armed = 0;
    if (diag.text.p)
        fputs(diag.text.p, stderr);
    slc_diag_free(&diag);

    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    o.err = tu_read(err_path, NULL);
    o.out = tu_read(out_path, NULL);
    o.dead = tu_read(dead_path, NULL);
    if (!o.out)
        o.out = strdup("(no output file)");
    if (!o.dead)
        o.dead = strdup("(no dead-letter file)");
    assert_non_null(o.err);
    return o;
}

static void outcome_free(outcome *o) {
    free(o->out);
    free(o->dead);
    free(o->err);
}

static int same(const outcome *a, const outcome *b) {
    return a->status == b->status && strcmp(a->out, b->out) == 0 && strcmp(a->dead, b->dead) == 0 &&
           strcmp(a->err, b->err) == 0;
}

/* --- the test ------------------------------------------------------------------------------- */

static const char records[] =
    "{\"id\":\"a1\",\"url\":\"http://example.org/1\",\"text\":\"Kerry met Lavrov in "
    "Gen\xc3\xa8ve. They talked for two hours.\",\"tags\":[\"x\",{\"y\":1}],\"n\":3.5,"
    "\"probe\":[{\"start\":0,\"end\":1}]}\n"
    "{\"id\":2,\"text\":\"Second \\\"quoted\\\" line\\nwith a break. Mr. Smith left at 10:30 "
    "a.m. on Jan. 5.\",\"meta\":{\"deep\":[1,[2,[3]]],\"b\":true,\"z\":null}}\n"
    "\n"
    "{\"text\":\"No id here, and caf\xe9 bytes that are not UTF-8.\"}\n"
    "this is not json\n"
    "{\"id\":\"bad\",\"text\":\"contains BAD word\"}\n"
    "{\"id\":\"h\",\"html\":\"<p>Hello <b>there</b></p>\",\"text\":\"also a text \\u00e9\"}\n"
    "{\"id\":\"e\",\"text\":\"\"}\n";

static void every_allocation_fails_once(void **state) {
    (void)state;
    char yaml[2048];
    char so[1024];
    snprintf(so, sizeof so, "%s/sentences.so", tu_env("SLUICE_PLUGIN_BUILD_DIR", "plugins"));
    int sentences = access(so, R_OK) == 0;
    snprintf(out_path, sizeof out_path, "%s/out.jsonl", tu_tmpdir());
    snprintf(yaml, sizeof yaml,
             "input: jsonl\nstages:\n  - plugin: probe\n    fail_on: BAD\n    words: [a, b, c]\n"
             "%s  - plugin: jsonl\n    path: %s\n    tokens: true\n",
             sentences ? "  - plugin: sentences\n    abbreviations: [approx]\n" : "", out_path);
    snprintf(pipeline_path, sizeof pipeline_path, "%s", tu_write("p.yaml", yaml, strlen(yaml)));
    snprintf(dead_path, sizeof dead_path, "%s/dead.txt", tu_tmpdir());
    snprintf(err_path, sizeof err_path, "%s/err.txt", tu_tmpdir());
    static char in_jsonl[1024], in_html[1024];
    snprintf(in_jsonl, sizeof in_jsonl, "%s", tu_write("in.jsonl", records, sizeof records - 1));
    static const char page[] = "<html><head><title>T</title></head><body><p>A page, "
                               "caf\xe9 in Latin-1.</p></body></html>";
    snprintf(in_html, sizeof in_html, "%s", tu_write("page.html", page, sizeof page - 1));
    inputs[0] = in_jsonl;
    inputs[1] = in_html;

    outcome ref = run_once(0);
    unsigned long total = count;
    printf("the run without failures: status %d, %lu allocations\n", ref.status, total);
    assert_int_equal(ref.status, SLC_EXIT_DOCS); /* the malformed and the BAD records */
    tu_assert_contains(ref.out, "\"probe\":[{\"start\":0,\"end\":5,\"label\":\"FIRST\"");
    tu_assert_contains(ref.err, "found 'BAD'");
    assert_null(strstr(ref.err, "out of memory"));
    assert_true(total > 50);

    /* SLUICE_ALLOC_FAIL_AT=n runs only the n-th (under gdb: break injected) */
    unsigned long first = strtoul(tu_env("SLUICE_ALLOC_FAIL_AT", "1"), NULL, 10);
    unsigned long last = getenv("SLUICE_ALLOC_FAIL_AT") ? first : total;
    unsigned long absorbed = 0, failed_cleanly = 0, bad = 0;
    for (unsigned long n = first; n <= last; n++) {
        outcome o = run_once(n);
        if (same(&o, &ref)) {
            absorbed++;
        } else if (strstr(o.err, "out of memory") && o.status != SLC_EXIT_OK) {
            failed_cleanly++;
        } else {
            bad++;
            if (bad <= 40)
                print_message("allocation %lu of %lu failed: status %d, messages:\n%s\n", n, total,
                              o.status, o.err);
        }
        outcome_free(&o);
    }
    printf("%lu runs: %lu ended with \"out of memory\", %lu absorbed the failure, %lu did "
           "neither\n",
           total, failed_cleanly, absorbed, bad);
    outcome_free(&ref);
    assert_int_equal(bad, 0);
}

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_allocation_fails_once),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
