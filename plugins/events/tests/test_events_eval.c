/* The scorer of bench/eval-events on records of our own (its arithmetic), then, when
 * ../shared is there, the plugin's scores on PETRARCH's records must not fall below the
 * figures in plugins/events/README.md (skipped, 77, without the data). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "eval.h"
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void test_gsr_arithmetic(void **state) {
    (void)state;
    static const char gold[] =
        "{\"id\":\"1\",\"text\":\"a\",\"events\":[{\"source\":\"SYRREB\",\"target\":\"SYR\","
        "\"code\":\"190\"},{\"source\":\"USA\",\"target\":\"IRQ\",\"code\":\"042\"}]}\n"
        "{\"id\":\"2\",\"text\":\"b\",\"events\":[],\"noevents\":true}\n"
        "{\"id\":\"3\",\"text\":\"c\",\"events\":[],\"noevents\":true}\n"
        "{\"id\":\"4\",\"text\":\"d\",\"events\":[{\"source\":\"A\",\"target\":\"B\",\"code\":"
        "\"010\"}],"
        "\"evaluate\":false}\n";
    static const char pred[] =
        "{\"id\":\"1\",\"events\":[{\"code\":\"194\",\"source_code\":\"SYRMIL\",\"target_code\":"
        "\"SYR\"},{\"code\":\"043\",\"source_code\":\"IRQ\",\"target_code\":\"USA\"}]}\n"
        "{\"id\":\"2\",\"events\":[{\"code\":\"111\",\"source_code\":\"FRA\"}]}\n"
        "{\"id\":\"3\",\"events\":[]}\n";
    char g[4096];
    snprintf(g, sizeof g, "%s", tu_write("gold.jsonl", gold, sizeof gold - 1));
    const char *p = tu_write("pred.jsonl", pred, sizeof pred - 1);
    evs_gsr r;
    assert_int_equal(evs_score_gsr(g, p, &r, NULL), 0);
    assert_int_equal(r.records, 3);
    assert_int_equal(r.gold_events, 2);
    assert_int_equal(r.root_hits, 2); /* 19 and 04 are both predicted */
    assert_int_equal(r.tp, 1);        /* SYR|SYR|19 */
    assert_int_equal(r.fp, 2);        /* IRQ|USA|04 and FRA||11 */
    assert_int_equal(r.fn, 1);        /* USA|IRQ|04 */
    assert_int_equal(r.noevent_records, 2);
    assert_int_equal(r.false_records, 1);
    assert_true(r.f1 > 0.39 && r.f1 < 0.41);
    evs_unit u;
    assert_int_equal(evs_score_unit(g, p, &u, NULL), 0);
    assert_int_equal(u.records, 3);
    assert_int_equal(u.exact, 1); /* record 3: nothing, as gold */
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
    char dir[4096], gsr[4200], unit[4200], v[4200], pipeline[16384], out[4200];
    snprintf(dir, sizeof dir, "%s/events", tu_env("SLUICE_SHARED_DATA", "../shared/data"));
    snprintf(gsr, sizeof gsr, "%s/PETR2_GSR_validation.dev.jsonl", dir);
    snprintf(unit, sizeof unit, "%s/PETR2.UnitTest.records.jsonl", dir);
    snprintf(v, sizeof v, "%s/validation/petrarch2-unittest", dir);
    struct stat st;
    if (stat(gsr, &st) != 0 || stat(unit, &st) != 0 || stat(v, &st) != 0)
        skip();
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
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gsr_arithmetic),
        cmocka_unit_test(test_shared_scores),
    };
    return cmocka_run_group_tests(tests, NULL, tu_teardown);
}
