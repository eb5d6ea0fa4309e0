/* What needs ../shared/data/events (skipped, 77, without it): our CAMEO table against the
 * reference table, and the plugin's scores on PETRARCH's records, which must not fall below
 * floors under the figures of plugins/events/README.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cameo.h"
#include "eval.h"
#include "test_util.h"
#include "tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char dir[4096]; /* ../shared/data/events */
static ev_cameo cameo;

/* Every code and name of the reference table is in ours, and ours has no other code. */
static void test_cameo_against_reference(void **state) {
    (void)state;
    char path[4200];
    snprintf(path, sizeof path, "%s/dictionaries/cameo_eventcodes.tsv", dir);
    ev_tsv r;
    char err[1024];
    assert_int_equal(ev_tsv_open(&r, path, err, sizeof err), 0);
    ev_field f[2];
    size_t n = 0;
    while (ev_tsv_next(&r, f, 2) == 2) {
        if (ev_field_is(&f[0], "code"))
            continue;
        int i = ev_cameo_find(&cameo, f[0].s, f[0].len);
        if (i < 0)
            fail_msg("code %.*s is missing", (int)f[0].len, f[0].s);
        if (strlen(cameo.v[i].name) != f[1].len || memcmp(cameo.v[i].name, f[1].s, f[1].len))
            fail_msg("code %s: '%s', the reference says '%.*s'", cameo.v[i].code, cameo.v[i].name,
                     (int)f[1].len, f[1].s);
        n++;
    }
    ev_tsv_close(&r);
    assert_int_equal(n, cameo.n);
}

/* Run a pipeline on a file into out; 0 when it ran. */
static int run(const char *pipeline, const char *in, const char *out) {
    const char *yaml = tu_write("p.yaml", pipeline, strlen(pipeline));
    char line[16384];
    snprintf(line, sizeof line, "'%s' run -q '%s' --plugin-path '%s' '%s' > '%s'",
             tu_env("SLUICE_BIN", "sluice"), yaml, tu_env("SLUICE_PLUGIN_BUILD_DIR", "."), in, out);
    tu_result r = tu_run(line, NULL);
    int status = r.status;
    tu_result_free(&r);
    return status;
}

static void test_shared_scores(void **state) {
    (void)state;
    char gsr[4200], unit[4200], v[4200], pipeline[16384], out[4200];
    snprintf(gsr, sizeof gsr, "%s/PETR2_GSR_validation.dev.jsonl", dir);
    snprintf(unit, sizeof unit, "%s/PETR2.UnitTest.records.jsonl", dir);
    snprintf(v, sizeof v, "%s/validation/petrarch2-unittest", dir);
    snprintf(out, sizeof out, "%s/out.jsonl", tu_tmpdir());
    assert_int_equal(run("stages:\n  - plugin: sentences\n  - plugin: events\n", gsr, out), 0);
    evs_gsr r;
    assert_int_equal(evs_score_gsr(gsr, out, &r, NULL), 0);
    printf("# GSR dev: root accuracy %.3f, triple F1 %.3f, false events %.3f\n", r.root_accuracy,
           r.f1, r.false_rate);
    assert_true(r.root_accuracy >= 0.75);
    assert_true(r.f1 >= 0.5);
    assert_true(r.false_rate <= 0.5);
    snprintf(pipeline, sizeof pipeline,
             "stages:\n  - plugin: sentences\n  - plugin: events\n"
             "    actors: ['%s/PETR.Validate.actors.txt', '%s/PETR.Validate.agents.txt']\n"
             "    verbs: '%s/PETR.Validate.verbs.txt'\n    intent: false\n",
             v, v, v);
    assert_int_equal(run(pipeline, unit, out), 0);
    evs_unit u;
    assert_int_equal(evs_score_unit(unit, out, &u, NULL), 0);
    printf("# PETRARCH unit tests: %.3f exact\n", u.share);
    assert_true(u.share >= 0.5);
}

int main(void) {
    snprintf(dir, sizeof dir, "%s/events", tu_env("SLUICE_SHARED_DATA", "../shared/data"));
    static const char *const need[] = {
        "dictionaries/cameo_eventcodes.tsv", "PETR2_GSR_validation.dev.jsonl",
        "PETR2.UnitTest.records.jsonl", "validation/petrarch2-unittest/PETR.Validate.verbs.txt"};
    for (size_t i = 0; i < sizeof need / sizeof *need; i++) {
        char probe[4400];
        struct stat st;
        snprintf(probe, sizeof probe, "%s/%s", dir, need[i]);
        if (stat(probe, &st) != 0) {
            printf("%s absent: skipped\n", probe);
            return 77;
        }
    }
    char err[1024];
    if (ev_cameo_load(&cameo, tu_src("plugins/events/data/cameo.tsv"), err, sizeof err)) {
        printf("%s\n", err);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cameo_against_reference),
        cmocka_unit_test(test_shared_scores),
    };
    int rc = cmocka_run_group_tests(tests, NULL, tu_teardown);
    ev_cameo_free(&cameo);
    return rc;
}
