/* Pipeline files: YAML structure and option checks, every error with its line and column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "config.h"
#include "pipeline.h"

static const sl_option schema[] = {
    {.name = "model", .type = SL_OPT_STRING, .required = 1, .help = "which model"},
    {.name = "count", .type = SL_OPT_INT, .default_value = "3", .help = "an integer"},
    {.name = "ratio", .type = SL_OPT_DOUBLE, .default_value = "0.5", .help = "a number"},
    {.name = "strict", .type = SL_OPT_BOOL, .default_value = "false", .help = "a flag"},
    {.name = "line_breaks",
     .type = SL_OPT_ENUM,
     .default_value = "auto",
     .choices = "auto|always|never",
     .help = "a choice"},
    {.name = "words", .type = SL_OPT_STRING_LIST, .default_value = "a,b", .help = "a list"},
    {.name = "min_words",
     .type = SL_OPT_INT,
     .default_value = "1",
     .help = "bounded",
     SL_OPT_RANGE(1, 100)},
    {.name = "share",
     .type = SL_OPT_DOUBLE,
     .default_value = "0.5",
     .help = "at most one",
     .flags = SL_OPTF_MAX,
     .max = 1},
    {.name = "layer",
     .type = SL_OPT_STRING,
     .default_value = "out",
     .help = "a layer name",
     .flags = SL_OPTF_LAYER},
    {.name = NULL},
};

/* Parse yaml and check every stage against the schema; returns the diagnostics text. */
static char *diagnose(const char *yaml, slc_pipeline_spec *spec, slc_diag *d) {
    memset(d, 0, sizeof *d);
    if (slc_pipeline_parse_string("p.yaml", ".", yaml, strlen(yaml), spec, d) == 0)
        for (size_t i = 0; i < spec->nstages; i++)
            slc_config_check(schema, &spec->stages[i], "p.yaml", (int)i + 1, "x", d);
    return d->text.p ? d->text.p : "";
}

static void expect(const char *yaml, const char *message) {
    slc_pipeline_spec spec;
    slc_diag d;
    const char *got = diagnose(yaml, &spec, &d);
    if (!*message)
        assert_string_equal(got, "");
    else if (!strstr(got, message))
        fail_msg("expected \"%s\" in:\n%s", message, got);
    slc_pipeline_spec_free(&spec);
    slc_diag_free(&d);
}

static void good_pipeline(void **state) {
    (void)state;
    const char *yaml = "# comment\ninput: lines\nstages:\n  - plugin: x\n    model: default\n"
                       "    count: 10\n    ratio: 2\n    strict: true\n    line_breaks: never\n"
                       "    words: [u, v, w]\n  - plugin: x\n    model: m\n    words: one\n";
    slc_pipeline_spec spec;
    slc_diag d;
    const char *got = diagnose(yaml, &spec, &d);
    assert_string_equal(got, "");
    assert_string_equal(spec.input, "lines");
    assert_int_equal(spec.nstages, 2);
    sl_config *c = slc_config_new(schema, &spec.stages[0], "p.yaml", 1, "x", ".", &d);
    assert_string_equal(slc_cfg_string(c, "model"), "default");
    assert_int_equal(slc_cfg_int(c, "count"), 10);
    assert_true(slc_cfg_double(c, "ratio") == 2.0);
    assert_int_equal(slc_cfg_bool(c, "strict"), 1);
    assert_string_equal(slc_cfg_string(c, "line_breaks"), "never");
    assert_int_equal(slc_cfg_enum(c, "line_breaks"), 2);
    assert_int_equal(slc_cfg_list_count(c, "words"), 3);
    assert_string_equal(slc_cfg_list_item(c, "words", 2), "w");
    assert_int_equal(slc_cfg_is_set(c, "count"), 1);
    slc_config_free(c);
    c = slc_config_new(schema, &spec.stages[1], "p.yaml", 2, "x", ".", &d);
    assert_int_equal(slc_cfg_int(c, "count"), 3); /* default */
    assert_int_equal(slc_cfg_is_set(c, "count"), 0);
    assert_int_equal(slc_cfg_list_count(c, "words"), 1);
    assert_string_equal(slc_cfg_list_item(c, "words", 0), "one");
    assert_string_equal(slc_cfg_string(c, "line_breaks"), "auto");
    assert_int_equal(slc_cfg_enum(c, "line_breaks"), 0); /* the default's index */
    slc_config_free(c);
    slc_pipeline_spec_free(&spec);
    slc_diag_free(&d);
}

static void default_list_is_split(void **state) {
    (void)state;
    slc_pipeline_spec spec;
    slc_diag d;
    diagnose("stages:\n  - plugin: x\n    model: m\n", &spec, &d);
    sl_config *c = slc_config_new(schema, &spec.stages[0], "p.yaml", 1, "x", ".", &d);
    assert_int_equal(slc_cfg_list_count(c, "words"), 2);
    assert_string_equal(slc_cfg_list_item(c, "words", 1), "b");
    assert_null(slc_cfg_list_item(c, "words", 2));
    slc_config_free(c);
    slc_pipeline_spec_free(&spec);
    slc_diag_free(&d);
}

static void empty_stages_is_pass_through(void **state) {
    (void)state;
    expect("stages: []\n", "");
    expect("stages:\n", "");
}

static void yaml_syntax_error(void **state) {
    (void)state;
    expect("stages:\n  - plugin: x\n    model: [unclosed\n", "p.yaml:4:1: YAML syntax error");
    expect("stages:\n  - plugin: x\n   bad indent: 1\n", "p.yaml:3:");
}

static void structure_errors(void **state) {
    (void)state;
    expect("- plugin: x\n", "p.yaml:1:1: a pipeline must be a mapping");
    expect("input: jsonl\n", "p.yaml:1:1: no 'stages' list");
    expect("stages: x\n", "p.yaml:1:9: 'stages' must be a list");
    expect("stage:\n  - plugin: x\n", "p.yaml:1:1: unknown key 'stage' (did you mean 'stages'?)");
    expect("input: xml\nstages: []\n", "p.yaml:1:8: unknown input format 'xml'");
    expect("stages:\n  - model: m\n",
           "p.yaml:2:5: stage 1 (plugin ?): the stage names no 'plugin'");
    expect("stages:\n  - just a string\n",
           "p.yaml:2:5: stage 1 (plugin ?): a stage must be a mapping");
    expect("", "p.yaml:1:1: the pipeline file is empty");
}

static void unknown_option(void **state) {
    (void)state;
    expect("stages:\n  - plugin: x\n    model: m\n    modle: n\n",
           "p.yaml:4:5: stage 1 (plugin x): unknown option 'modle' (did you mean 'model'?); "
           "allowed: model, count, ratio, strict, line_breaks, words, min_words, share, layer");
    expect("stages:\n  - plugin: x\n    model: m\n    model: n\n",
           "p.yaml:4:5: stage 1 (plugin x): option 'model' is given twice");
}

static void missing_required(void **state) {
    (void)state;
    expect("stages:\n  - plugin: x\n  - plugin: x\n    count: 1\n",
           "p.yaml:2:5: stage 1 (plugin x): missing required option 'model' (string): which model");
    expect("stages:\n  - plugin: x\n  - plugin: x\n    count: 1\n",
           "p.yaml:3:5: stage 2 (plugin x): missing required option 'model'");
}

static void wrong_types(void **state) {
    (void)state;
    expect("stages:\n  - plugin: x\n    model: m\n    count: many\n",
           "p.yaml:4:12: stage 1 (plugin x): option 'count' must be an integer, not 'many'");
    expect("stages:\n  - plugin: x\n    model: m\n    count: \"10\"\n",
           "p.yaml:4:12: stage 1 (plugin x): option 'count' must be an integer, not '10'");
    expect("stages:\n  - plugin: x\n    model: m\n    ratio: 1.5x\n",
           "p.yaml:4:12: stage 1 (plugin x): option 'ratio' must be a number");
    expect("stages:\n  - plugin: x\n    model: m\n    strict: maybe\n",
           "p.yaml:4:13: stage 1 (plugin x): option 'strict' must be true or false, not 'maybe'");
    expect(
        "stages:\n  - plugin: x\n    model: m\n    line_breaks: alway\n",
        "p.yaml:4:18: stage 1 (plugin x): option 'line_breaks' must be one of auto|always|never, "
        "not 'alway' (did you mean 'always'?)");
    expect("stages:\n  - plugin: x\n    model: [a, b]\n",
           "p.yaml:3:12: stage 1 (plugin x): option 'model' must be a string, not a list");
    expect("stages:\n  - plugin: x\n    model: m\n    words: {a: 1}\n",
           "p.yaml:4:12: stage 1 (plugin x): option 'words' must be a list of strings");
    expect("stages:\n  - plugin: x\n    model:\n",
           "p.yaml:3:11: stage 1 (plugin x): option 'model' has no value");
}

static void schema_bounds(void **state) {
    (void)state;
    expect("stages:\n  - plugin: x\n    model: m\n    min_words: 0\n",
           "p.yaml:4:16: stage 1 (plugin x): option 'min_words' must be from 1 to 100, not 0");
    expect("stages:\n  - plugin: x\n    model: m\n    min_words: 101\n",
           "option 'min_words' must be from 1 to 100, not 101");
    expect("stages:\n  - plugin: x\n    model: m\n    min_words: 100\n", "");
    expect("stages:\n  - plugin: x\n    model: m\n    share: 1.5\n",
           "p.yaml:4:12: stage 1 (plugin x): option 'share' must be at most 1, not 1.5");
    expect("stages:\n  - plugin: x\n    model: m\n    share: -3\n", "");
}

static void reserved_layer_names(void **state) {
    (void)state;
    expect("stages:\n  - plugin: x\n    model: m\n    layer: tokens\n",
           "p.yaml:4:12: stage 1 (plugin x): option 'layer': 'tokens' cannot name a layer");
    expect("stages:\n  - plugin: x\n    model: m\n    layer: text\n", "cannot name a layer");
    expect("stages:\n  - plugin: x\n    model: m\n    layer: \"\"\n", "cannot name a layer");
    expect("stages:\n  - plugin: x\n    model: m\n    layer: entities\n", "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_pipeline),
        cmocka_unit_test(default_list_is_split),
        cmocka_unit_test(empty_stages_is_pass_through),
        cmocka_unit_test(yaml_syntax_error),
        cmocka_unit_test(structure_errors),
        cmocka_unit_test(unknown_option),
        cmocka_unit_test(missing_required),
        cmocka_unit_test(wrong_types),
        cmocka_unit_test(schema_bounds),
        cmocka_unit_test(reserved_layer_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
