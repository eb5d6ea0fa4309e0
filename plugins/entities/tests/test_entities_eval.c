/* The bundled model on CoNLL-2003 dev, through the core tokenizer: the target F1 >= 0.91.
 * Skips (77) when the shared data is absent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "eval.h"
#include "gazfeatures.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static char valid[4096], model[4096];

static void test_dev_f1(void **state) {
    (void)state;
    ent_model m;
    char err[4400];
    assert_int_equal(ent_model_load(&m, model, ENT_VERIFY_ALL, err, sizeof err), 0);
    ent_gaz *g;
    int differs;
    assert_int_equal(ent_model_gazetteer(&m, model, NULL, &g, &differs, err, sizeof err), 0);
    assert_false(differs); /* the committed gazetteer is the one the model was trained with */
    ent_score s;
    ent_canon *canon = ent_canon_new(g);
    assert_non_null(canon);
    assert_int_equal(ee_conll(&m, g ? ent_gaz_annotate : NULL, g, canon, valid, ENT_JOIN_SPACES,
                              ENT_CASE_ASIS, &s, NULL, err, sizeof err),
                     0);
    double p, r, f1 = ent_score_f1(&s, -1, &p, &r);
    printf("# CoNLL-2003 dev: P %.4f R %.4f F1 %.4f\n", p, r, f1);
    assert_true(f1 >= 0.91);
    ent_canon_free(canon);
    ent_gaz_free(g);
    ent_model_close(&m);
}

int main(void) {
    const char *data = getenv("SLUICE_SHARED_DATA"), *src = getenv("SLUICE_SOURCE_DIR");
    struct stat st;
    if (!data || !src ||
        snprintf(valid, sizeof valid, "%s/ner/valid.txt", data) >= (int)sizeof valid ||
        stat(valid, &st) != 0) {
        printf("no CoNLL-2003 data (SLUICE_SHARED_DATA): skipped\n");
        return 77;
    }
    snprintf(model, sizeof model, "%s/plugins/entities/data/model.bin", src);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_dev_f1)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
