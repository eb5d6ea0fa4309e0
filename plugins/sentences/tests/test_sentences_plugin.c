/* The sentences plugin in process, through the plugin test harness (include/sluice/harness.h):
 * options, sentence spans, bad options and odd documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "harness_util.h"
#include "test_util.h"

/* The output of the sentences stage with these options on one document; NULL when it failed.
 * The harness goes with it (*h, to free). */
static const char *run(sl_harness **h, const char *options, const char *doc) {
    *h = tu_harness_started("sentences", options);
    return sl_harness_process(*h, doc, NULL);
}

static const char *doc =
    "{\"id\":\"a\",\"text\":\"Share\\n\\nKerry, Lavrov hold talks\\n\\nMr. Kerry said it. "
    "\\u201cI agree,\\u201d Lavrov said.\\nIt is done.\"}\n";

static void test_default(void **state) {
    (void)state;
    sl_harness *h;
    tu_assert_contains(run(&h, NULL, doc),
                       "\"sentences\":[{\"start\":0,\"end\":5},{\"start\":7,\"end\":"
                       "31},{\"start\":33,\"end\":51},{\"start\":52,\"end\":75},"
                       "{\"start\":76,\"end\":87}]");
    sl_harness_free(h);
}

static void test_options(void **state) {
    (void)state;
    sl_harness *h;
    tu_assert_contains(run(&h, "line_breaks: never\nlayer: sent\n",
                           "{\"id\":\"b\",\"text\":\"HEADLINE\\nBody text here. More.\"}"),
                       "\"sent\":[{\"start\":0,\"end\":24},{\"start\":25,\"end\":30}]");
    sl_harness_free(h);
    tu_assert_contains(run(&h, "abbreviations: [bldg]\n",
                           "{\"id\":\"c\",\"text\":\"Meet at Bldg. Seven today.\"}"),
                       "\"sentences\":[{\"start\":0,\"end\":26}]");
    sl_harness_free(h);
}

static void test_bad_option(void **state) {
    (void)state;
    sl_harness *h = tu_harness("sentences", "line_breaks: sometimes\n");
    assert_int_equal(sl_harness_start(h), SL_ECONFIG);
    tu_assert_contains(sl_harness_error(h), "stage 1 (plugin sentences): option 'line_breaks'");
    sl_harness_free(h);
    /* A bad abbreviation is the plugin's own check: `sluice check` finds it, with its place. */
    h = tu_harness("sentences", "abbreviations: [ok, '...']\n");
    assert_int_equal(sl_harness_check(h), SL_ECONFIG);
    tu_assert_contains(sl_harness_error(h), "harness:3:20: stage 1 (plugin sentences): option "
                                            "'abbreviations': '...' is not an abbreviation");
    sl_harness_free(h);
}

static void test_empty_and_odd_docs(void **state) {
    (void)state;
    sl_harness *h = tu_harness_started("sentences", NULL);
    static const char *const docs[] = {
        "{\"id\":\"e\",\"text\":\"\"}",
        "{\"id\":\"w\",\"text\":\"  \\n \"}",
        "{\"id\":\"p\",\"text\":\"?!.,;\"}",
        "{\"id\":\"z\",\"text\":\"\\u200b \\u2028\\ufeff\"}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        const char *out = sl_harness_process(h, docs[i], NULL);
        if (!out)
            fail_msg("%s failed: %s", docs[i], sl_harness_error(h));
        tu_assert_contains(out, "\"sentences\":[");
    }
    tu_assert_contains(sl_harness_process(h, docs[0], NULL), "\"sentences\":[]");
    sl_harness_free(h);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_bad_option),
        cmocka_unit_test(test_empty_and_odd_docs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
