/* The scorer of bench/eval-events on records of our own: its arithmetic. */
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gsr_arithmetic),
    };
    return cmocka_run_group_tests(tests, NULL, tu_teardown);
}
