/* The coder's grammar, one rule at a time, on sentences of our own with a small lexicon and
 * actor table written by the test (and the CAMEO table of the plugin). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "coder.h"
#include "load.h"
#include "test_util.h"
#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char lexicon[] = "# a lexicon for the tests\n"
                              "say|said\tsay\n"
                              "meet|met\t040\n"
                              "meet|met with\t040\n"
                              "visit\t042\n"
                              "attack\t190\n"
                              "shell\t194\n"
                              "condemn\t111\n"
                              "accuse ... of\t112\n"
                              "threaten\t130\n"
                              "discuss\t040\n"
                              "agree to ... ceasefire\t0871\n"
                              "release\t0841\n"
                              "=air strike\t-\n";

static const char actors[] = "russia\tRUS\n"
                             "russian\tRUS\n"
                             "ukraine\tUKR\n"
                             "syria\tSYR\n"
                             "syrian\tSYR\n"
                             "damascus\tSYR\n"
                             "turkey\tTUR\n"
                             "brazil\tBRA\n"
                             "argentina\tARG\n"
                             "chile\tCHL\n"
                             "france\tFRA\n"
                             "john kerry\tUSAGOVLEG\t19850103-20130201\n"
                             "john kerry\tUSAGOV\t>20130201\n"
                             "rebels\t~REB\n"
                             "government\t~GOV\n"
                             "relief group\tNGO~\n";

static ev_model model;

static int setup(void **state) {
    (void)state;
    const char *lex = tu_write("lexicon.tsv", lexicon, sizeof lexicon - 1);
    char lexpath[4096];
    snprintf(lexpath, sizeof lexpath, "%s", lex);
    const char *act = tu_write("actors.tsv", actors, sizeof actors - 1);
    const char *lexs[] = {lexpath}, *acts[] = {act};
    ev_sources src = {.cameo = tu_src("plugins/events/data/cameo.tsv"),
                      .lexicons = lexs,
                      .nlexicons = 1,
                      .actor_tables = acts,
                      .nactor_tables = 1};
    char err[1024];
    if (ev_model_load(&model, &src, err, sizeof err) != SL_OK)
        fail_msg("%s", err);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ev_model_free(&model);
    tu_cleanup();
    return 0;
}

/* The events of one sentence as "SRC>TGT:CODE" joined by spaces. */
static const char *code(const char *text, int32_t date) {
    static char out[1024];
    slc_tokens tk = {0};
    assert_int_equal(slc_tokenize(text, strlen(text), &tk), SL_OK);
    ev_coder c;
    ev_coder_init(&c, &model);
    ev_range sent = {0, tk.n};
    ev_options opt = {.partial = 0, .intent = 1, .date = date};
    assert_int_equal(ev_code_document(&c, text, tk.v, tk.n, &sent, 1, NULL, 0, &opt), SL_OK);
    size_t k = 0;
    out[0] = 0;
    for (size_t i = 0; i < c.nevents; i++)
        k += (size_t)snprintf(out + k, sizeof out - k, "%s%s>%s:%s", i ? " " : "",
                              c.events[i].source_code, c.events[i].target_code, c.events[i].code);
    ev_coder_free(&c);
    slc_tokens_free(&tk);
    return out;
}

static void expect(const char *text, const char *want) {
    const char *got = code(text, 0);
    if (strcmp(got, want) != 0)
        fail_msg("%s\n  want [%s]\n  got  [%s]", text, want, got);
}

static void test_subject_object(void **state) {
    (void)state;
    expect("Russia attacked Ukraine on Monday.", "RUS>UKR:190");
    expect("Russia condemned Turkey.", "RUS>TUR:111");
    expect("On Monday, France visited Brazil.", "FRA>BRA:042");
}

static void test_inflections(void **state) {
    (void)state;
    expect("Russia meets Ukraine.", "RUS>UKR:040");
    expect("Russia met with Ukraine.", "RUS>UKR:040");
    expect("Russia is meeting Ukraine.", "RUS>UKR:040");
    expect("Russia shelled Ukraine.", "RUS>UKR:194");
    expect("Syria and Turkey agreed to a ceasefire.", "SYR>TUR:0871 TUR>SYR:0871");
}

static void test_gap_and_target(void **state) {
    (void)state;
    expect("France accused Russia of meddling.", "FRA>RUS:112");
}

static void test_passive(void **state) {
    (void)state;
    expect("Ukraine was attacked by Russia.", "RUS>UKR:190");
    expect("Ukraine has been shelled by Russia.", "RUS>UKR:194");
}

static void test_coordination(void **state) {
    (void)state;
    expect("Brazil and Argentina condemned Chile.", "BRA>CHL:111 ARG>CHL:111");
    expect("Chile condemned Brazil and the Argentina government.", "CHL>BRA:111 CHL>ARGGOV:111");
    /* no object: the members act on each other */
    expect("Brazil and Argentina met on Monday.", "BRA>ARG:040 ARG>BRA:040");
}

static void test_reported_speech(void **state) {
    (void)state;
    expect("Russia said that Syria attacked Turkey.", "SYR>TUR:190");
    expect("Syria attacked Turkey, Russia said.", "SYR>TUR:190");
    expect("Syria attacked Turkey on Monday, the Russian government said.", "SYR>TUR:190");
    /* a pronoun after the reporting verb is the speaker */
    expect("Russia said it would meet Turkey.", "RUS>TUR:036");
}

static void test_negation(void **state) {
    (void)state;
    expect("Russia did not meet Ukraine.", "");
    expect("Russia didn't attack Ukraine.", "");
    expect("Russia never attacked Ukraine.", "");
    expect("Russia refused to meet Ukraine.", "");
}

static void test_intent(void **state) {
    (void)state;
    expect("Russia will meet Ukraine.", "RUS>UKR:036");
    expect("Russia plans to visit Ukraine.", "RUS>UKR:036");
    expect("Russia is about to visit Ukraine.", "RUS>UKR:042");
    expect("Syria agreed to release Turkey's prisoners.", "SYR>TUR:0353");
    /* a threat to do harm is the threat */
    expect("Russia threatened to attack Ukraine.", "RUS>UKR:130");
}

static void test_no_event(void **state) {
    (void)state;
    expect("The weather in Damascus was mild on Monday.", "");
    expect("Russia and Ukraine.", "");
    expect("The attack on Syria shocked the world.", "");          /* a noun, not a verb */
    expect("They ate turkey with Russia.", "");                    /* not the country */
    expect("Russia met Ukraine to discuss Syria.", "RUS>UKR:040"); /* a purpose */
}

static void test_agents(void **state) {
    (void)state;
    expect("Syrian rebels shelled Damascus.", "SYRREB>SYR:194");
    expect("The government of Syria condemned Turkey.", "SYRGOV>TUR:111");
    expect("Rebels attacked Syria.", "---REB>SYR:190");
    expect("A Russian relief group condemned Syria.", "NGORUS>SYR:111");
}

static void test_dated_actors(void **state) {
    (void)state;
    assert_string_equal(code("John Kerry met Russia.", 20160101), "USAGOV>RUS:040");
    assert_string_equal(code("John Kerry met Russia.", 20050101), "USAGOVLEG>RUS:040");
    assert_string_equal(code("John Kerry met Russia.", 0), "USAGOV>RUS:040");
}

/* The entities layer: a country code for a place the table does not know, and a person's
 * canonical name looked up in the table. */
static void test_entities(void **state) {
    (void)state;
    const char *text = "Kerry met Wakanda.";
    slc_tokens tk = {0};
    assert_int_equal(slc_tokenize(text, strlen(text), &tk), SL_OK);
    ev_entity ents[] = {{.start = 0, .end = 1, .code = NULL, .canonical = "John Kerry"},
                        {.start = 2, .end = 3, .code = "WAK", .canonical = NULL}};
    ev_coder c;
    ev_coder_init(&c, &model);
    ev_range sent = {0, tk.n};
    ev_options opt = {.partial = 0, .intent = 1, .date = 20160101};
    assert_int_equal(ev_code_document(&c, text, tk.v, tk.n, &sent, 1, ents, 2, &opt), SL_OK);
    assert_int_equal(c.nevents, 1);
    assert_string_equal(c.events[0].source_code, "USAGOV");
    assert_string_equal(c.events[0].target_code, "WAK");
    assert_string_equal(c.events[0].code, "040");
    ev_coder_free(&c);
    slc_tokens_free(&tk);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subject_object), cmocka_unit_test(test_inflections),
        cmocka_unit_test(test_gap_and_target), cmocka_unit_test(test_passive),
        cmocka_unit_test(test_coordination),   cmocka_unit_test(test_reported_speech),
        cmocka_unit_test(test_negation),       cmocka_unit_test(test_intent),
        cmocka_unit_test(test_no_event),       cmocka_unit_test(test_agents),
        cmocka_unit_test(test_dated_actors),   cmocka_unit_test(test_entities),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
