/* The document model through the host API: fields kept, text replaced, layers, offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "document.h"

static const sl_host *H;

static void tu_contains(const char *hay, const char *needle) {
    if (!strstr(hay, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, hay);
}

static const char *json_of(sl_doc *d, unsigned flags) {
    size_t n;
    const char *s = H->doc_json(d, flags, &n);
    assert_non_null(s);
    assert_int_equal(strlen(s), n);
    return s;
}

static void fields_are_preserved(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    const char *in = "{\"id\": \"a1\", \"url\": \"http://x/\", \"n\": [1, {\"b\": null}], "
                     "\"text\": \"Kerry met Lavrov.\", \"z\": false}";
    assert_int_equal(slc_doc_load_json(d, in, strlen(in), "f:1"), SL_OK);
    assert_string_equal(H->doc_id(d), "a1");
    size_t len;
    assert_string_equal(H->doc_text(d, &len), "Kerry met Lavrov.");
    assert_string_equal(H->doc_meta_string(d, "url", NULL), "http://x/");
    assert_null(H->doc_meta_string(d, "n", NULL)); /* not a string */
    assert_string_equal(json_of(d, 0),
                        "{\"id\":\"a1\",\"url\":\"http://x/\",\"n\":[1, {\"b\": null}],"
                        "\"text\":\"Kerry met Lavrov.\",\"z\":false}");
    slc_doc_free(d);
}

static void empty_text_is_terminated(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    const char *in = "{\"id\":\"e\",\"text\":\"\"}";
    assert_int_equal(slc_doc_load_json(d, in, strlen(in), "f:1"), SL_OK);
    size_t len = 99;
    const char *t = H->doc_text(d, &len);
    assert_int_equal(len, 0);
    assert_int_equal(strlen(t), 0);
    size_t n = 99;
    assert_null(H->doc_tokens(d, &n));
    assert_int_equal(n, 0);
    slc_doc_free(d);
}

static void escaped_keys(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    const char *in = "{\"ti\\u0074le\":\"T\",\"text\":\"x\",\"title\":\"again\"}";
    assert_int_equal(slc_doc_load_json(d, in, strlen(in), "f:1"), SL_OK);
    assert_string_equal(H->doc_meta_string(d, "title", NULL), "again"); /* the last one wins */
    assert_int_equal(H->doc_meta_set_string(d, "say \"hi\"", "yes", 3), SL_OK);
    assert_string_equal(H->doc_meta_string(d, "say \"hi\"", NULL), "yes");
    assert_string_equal(json_of(d, 0), "{\"id\":\"f:1\",\"ti\\u0074le\":\"again\",\"text\":\"x\","
                                       "\"say \\\"hi\\\"\":\"yes\"}");
    slc_doc_free(d);
}

static void missing_id_is_made(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    const char *in = "{\"text\": \"x\"}";
    assert_int_equal(slc_doc_load_json(d, in, strlen(in), "in.jsonl:7"), SL_OK);
    assert_string_equal(H->doc_id(d), "in.jsonl:7");
    assert_string_equal(json_of(d, 0), "{\"id\":\"in.jsonl:7\",\"text\":\"x\"}");
    slc_doc_reset(d);
    const char *num = "{\"id\": 17, \"text\": \"y\"}";
    assert_int_equal(slc_doc_load_json(d, num, strlen(num), "f:1"), SL_OK);
    assert_string_equal(H->doc_id(d), "17");
    slc_doc_free(d);
}

static void malformed_records_fail(void **state) {
    (void)state;
    static const char *const bad[] = {"{\"id\": 1}", "{\"text\": 5}", "[1]", "{\"text\": \"x\"",
                                      "{\"id\": {}, \"text\": \"x\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        sl_doc *d = slc_doc_new();
        assert_int_equal(slc_doc_load_json(d, bad[i], strlen(bad[i]), "f:1"), SL_EDOC);
        assert_non_null(slc_doc_error(d));
        slc_doc_free(d);
    }
}

static void set_text_drops_layers(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    const char *in = "{\"id\":\"a\",\"text\":\"one two\"}";
    slc_doc_load_json(d, in, strlen(in), "f:1");
    sl_layer *l = H->layer_new(d, "things", 0);
    assert_int_equal(H->span_add(l, 0, 3, "X"), 0);
    assert_non_null(H->layer_get(d, "things"));
    assert_int_equal(H->doc_set_text(d, "fresh \xFF text", 12), SL_OK);
    assert_null(H->layer_get(d, "things"));
    assert_int_equal(slc_doc_repairs(d), 1);
    assert_string_equal(json_of(d, 0), "{\"id\":\"a\",\"text\":\"fresh \xEF\xBF\xBD text\"}");
    slc_doc_free(d);
}

static void layers_with_code_point_offsets(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    const char *text = "Caf\xC3\xA9 in Gen\xC3\xA8ve.";
    assert_int_equal(slc_doc_load_text(d, "t", text, strlen(text)), SL_OK);
    sl_layer *l = H->layer_new(d, "entities", SL_LAYER_WITH_TEXT);
    long i = H->span_add(l, 9, 16, "LOC"); /* "Genève" */
    assert_int_equal(i, 0);
    assert_int_equal(H->span_set_string(l, 0, "code", "CHE"), SL_OK);
    assert_int_equal(H->span_set_range(l, 0, "head", 9, 12), SL_OK);
    assert_int_equal(H->span_set_json(l, 0, "extra", "{\"a\": [1]}"), SL_OK);
    assert_int_equal(H->span_set_json(l, 0, "bad", "{oops"), SL_EINVAL);
    assert_int_equal(H->span_add(l, 4, 5, NULL), -1);  /* inside a character */
    assert_int_equal(H->span_add(l, 3, 99, NULL), -1); /* past the end */
    assert_string_equal(H->span_get_string(l, 0, "code"), "CHE");
    assert_string_equal(
        json_of(d, 0),
        "{\"id\":\"t\",\"text\":\"Caf\xC3\xA9 in Gen\xC3\xA8ve.\",\"entities\":[{\"start\":8,"
        "\"end\":14,\"label\":\"LOC\",\"text\":\"Gen\xC3\xA8ve\",\"code\":\"CHE\","
        "\"head\":{\"start\":8,\"end\":11,\"text\":\"Gen\"},\"extra\":{\"a\": [1]}}]}");
    const char *bytes = json_of(d, SL_JSON_BYTE_OFFSETS);
    assert_non_null(strstr(bytes, "\"start\":9,\"end\":16"));
    slc_doc_free(d);
}

static void layer_replaces_input_field(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    const char *in = "{\"id\":\"a\",\"sentences\":[\"old\"],\"text\":\"A. B.\"}";
    slc_doc_load_json(d, in, strlen(in), "f:1");
    sl_layer *l = H->layer_new(d, "sentences", 0);
    H->span_add(l, 0, 2, NULL);
    H->span_add(l, 3, 5, NULL);
    /* in the field's place, as when the field was written by the run that made the layer */
    assert_string_equal(json_of(d, 0),
                        "{\"id\":\"a\",\"sentences\":[{\"start\":0,\"end\":2},{\"start\":3,"
                        "\"end\":5}],\"text\":\"A. B.\"}");
    slc_doc_free(d);
}

/* Layers that an earlier run wrote are read back when a stage asks for them. */
static void layers_read_back(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    const char *in = "{\"id\":\"a\",\"text\":\"Zo\u00eb met Al. Then\",\"topics\":[\"x\"],"
                     "\"ents\":[{\"start\":0,\"end\":3,\"label\":\"PER\",\"text\":\"Zo\u00eb\","
                     "\"code\":\"X\",\"head\":{\"start\":1,\"end\":3,\"text\":\"o\u00eb\"}},"
                     "{\"start\":8,\"end\":10}],\"empty\":[]}";
    assert_int_equal(slc_doc_load_json(d, in, strlen(in), "f:1"), SL_OK);
    assert_null(H->layer_get(d, "topics")); /* an array, but not of spans */
    assert_null(slc_doc_error(d));
    sl_layer *l = H->layer_get(d, "ents");
    assert_non_null(l);
    assert_int_equal(H->layer_count(l), 2);
    const sl_span *sp = H->layer_span(l, 0);
    assert_true(sp->start == 0 && sp->end == 4); /* code points 0-3 are bytes 0-4: the ë */
    assert_string_equal(sp->label, "PER");
    assert_int_equal(H->layer_flags(l) & SL_LAYER_WITH_TEXT, SL_LAYER_WITH_TEXT);
    assert_string_equal(H->span_get_string(l, 0, "code"), "X");
    size_t a, b;
    assert_int_equal(H->span_get_range(l, 0, "head", &a, &b), SL_OK);
    assert_true(a == 1 && b == 4);
    assert_true(H->layer_span(l, 1)->start == 9 && H->layer_span(l, 1)->end == 11);
    assert_non_null(H->layer_get(d, "empty"));
    assert_int_equal(H->doc_layer_count(d), 2);
    /* untouched, it goes out byte for byte */
    assert_string_equal(json_of(d, 0), "{\"id\":\"a\",\"text\":\"Zo\u00eb met Al. Then\","
                                       "\"topics\":[\"x\"],\"ents\":[{\"start\":0,\"end\":3,"
                                       "\"label\":\"PER\",\"text\":\"Zo\u00eb\",\"code\":\"X\","
                                       "\"head\":{\"start\":1,\"end\":3,\"text\":\"o\u00eb\"}},"
                                       "{\"start\":8,\"end\":10}],\"empty\":[]}");
    /* in bytes, converted and marked */
    tu_contains(json_of(d, SL_JSON_BYTE_OFFSETS),
                "\"text\":\"Zo\u00eb met Al. Then\",\"offsets\":\"bytes\",\"topics\":[\"x\"],"
                "\"ents\":[{\"start\":0,\"end\":4,\"label\":\"PER\"");
    /* a stage that adds to it makes it written from its spans */
    assert_int_equal(H->span_append(l, 13, 17, "O", NULL), SL_OK);
    tu_contains(json_of(d, 0),
                "{\"start\":8,\"end\":10,\"text\":\"Al\"},{\"start\":12,\"end\":16,\"label\":"
                "\"O\",\"text\":\"Then\"}],\"empty\":[]}");
    /* new text: the layers read back go, as layers do */
    assert_int_equal(H->doc_set_text(d, "x", 1), SL_OK);
    assert_null(strstr(json_of(d, 0), "ents"));
    slc_doc_free(d);
}

/* Spans that do not fit the text fail the document with the layer and span named. */
static void malformed_layers_fail(void **state) {
    (void)state;
    static const char *const bad[][2] = {
        {"[{\"start\":3,\"end\":1}]", "input layer 'l': span 1 (3 to 1) ends before it starts"},
        {"[{\"start\":0,\"end\":99}]", "input layer 'l': span 1 (0 to 99) goes past the text"},
        {"[{\"start\":0,\"end\":1},{\"end\":2}]", "input layer 'l': span 2 is not"},
        {"[{\"start\":-1,\"end\":2}]", "input layer 'l': span 1 is not"},
        {"[{\"start\":0,\"end\":1},7]", "input layer 'l': span 2 is not"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        sl_doc *d = slc_doc_new();
        char in[256];
        snprintf(in, sizeof in, "{\"text\":\"abc\",\"l\":%s}", bad[k][0]);
        assert_int_equal(slc_doc_load_json(d, in, strlen(in), "f:1"), SL_OK);
        assert_null(H->layer_get(d, "l"));
        assert_non_null(slc_doc_error(d));
        if (!strstr(slc_doc_error(d), bad[k][1]))
            fail_msg("expected \"%s\" in \"%s\"", bad[k][1], slc_doc_error(d));
        slc_doc_free(d);
    }
}

/* A record in bytes reads back in bytes. */
static void byte_offsets_read_back(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    const char *in =
        "{\"text\":\"\u00e9t\u00e9\",\"offsets\":\"bytes\",\"l\":[{\"start\":2,\"end\":5}]}";
    assert_int_equal(slc_doc_load_json(d, in, strlen(in), "f:1"), SL_OK);
    sl_layer *l = H->layer_get(d, "l");
    assert_non_null(l);
    assert_true(H->layer_span(l, 0)->start == 2 && H->layer_span(l, 0)->end == 5);
    assert_string_equal(json_of(d, SL_JSON_BYTE_OFFSETS),
                        "{\"id\":\"f:1\",\"text\":\"\u00e9t\u00e9\","
                        "\"offsets\":\"bytes\",\"l\":[{\"start\":2,"
                        "\"end\":5}]}");
    tu_contains(json_of(d, 0), "\"text\":\"\u00e9t\u00e9\",\"l\":[{\"start\":1,\"end\":3}]}");
    assert_int_equal(H->doc_meta_count(d), 1); /* the id only: not the mark, not the layer */
    slc_doc_free(d);
}

static void meta_setters(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    const char *html = "<p>x</p>";
    assert_int_equal(slc_doc_load_html(d, "page.html", html, strlen(html)), SL_OK);
    size_t n;
    assert_string_equal(H->doc_meta_string(d, "html", &n), html);
    assert_int_equal(H->doc_meta_set_string(d, "title", "T\"1", 3), SL_OK);
    assert_int_equal(H->doc_meta_set_number(d, "score", 2.5), SL_OK);
    assert_int_equal(H->doc_meta_set_json(d, "tags", "[\"a\",\"b\"]"), SL_OK);
    assert_int_equal(H->doc_meta_set_json(d, "bad", "[1,"), SL_EINVAL);
    assert_int_equal(H->doc_meta_remove(d, "html"), SL_OK);
    assert_int_equal(H->doc_meta_remove(d, "nothing"), SL_ENOTFOUND);
    assert_int_equal(H->doc_set_id(d, "new"), SL_OK);
    assert_string_equal(json_of(d, 0), "{\"id\":\"new\",\"title\":\"T\\\"1\",\"score\":2.5,"
                                       "\"tags\":[\"a\",\"b\"],\"text\":\"\"}");
    slc_doc_free(d);
}

static void legacy_html_kept_byte_for_byte(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    assert_int_equal(slc_doc_load_html(d, "old.html", "<p>caf\xE9</p>", 11), SL_OK);
    assert_string_equal(H->doc_meta_string(d, "html", NULL), "<p>caf\xC3\xA9</p>");
    assert_string_equal(H->doc_meta_string(d, "html_encoding", NULL), "latin1");
    assert_int_equal(slc_doc_repairs(d), 0);
    slc_doc_free(d);
}

static void fail_records_message(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    slc_doc_load_text(d, "t", "x", 1);
    assert_null(slc_doc_error(d));
    assert_int_equal(H->doc_fail(d, "bad %d", 7), SL_EDOC);
    assert_string_equal(slc_doc_error(d), "bad 7");
    slc_doc_reset(d);
    assert_null(slc_doc_error(d));
    slc_doc_free(d);
}

/* Calls that can fail for more than one reason say which. */
static void status_codes_say_why(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    assert_int_equal(slc_doc_load_text(d, "t", "Caf\xC3\xA9 ok", 8), SL_OK);
    sl_layer *l = (sl_layer *)1;
    assert_int_equal(H->layer_create(d, "tokens", 0, &l), SL_EINVAL);
    assert_null(l);
    assert_int_equal(H->layer_create(d, "", 0, &l), SL_EINVAL);
    assert_int_equal(H->layer_create(d, "text", 0, &l), SL_EINVAL);
    assert_int_equal(H->layer_create(d, "marks", 0, &l), SL_OK);
    assert_non_null(l);
    size_t i = 99;
    assert_int_equal(H->span_append(l, 3, 2, NULL, &i), SL_EINVAL); /* reversed */
    assert_int_equal(H->span_append(l, 0, 9, NULL, &i), SL_EINVAL); /* past the text */
    assert_int_equal(H->span_append(l, 0, 4, NULL, &i), SL_EINVAL); /* inside the é */
    assert_int_equal(i, 99);
    assert_int_equal(H->span_append(l, 0, 5, "W", &i), SL_OK);
    assert_int_equal(i, 0);
    assert_int_equal(H->span_append(l, 6, 8, NULL, NULL), SL_OK);
    assert_int_equal(H->layer_count(l), 2);
    assert_string_equal(sl_strerror(SL_EINVAL), "invalid argument");
    assert_string_equal(sl_strerror(12345), "unknown error");
    slc_doc_free(d);
}

/* The read side: layers, attributes and metadata by index, with types and JSON values. */
static void read_side_walks_everything(void **state) {
    (void)state;
    sl_doc *d = slc_doc_new();
    const char *in = "{\"id\":7,\"topics\":[\"acq\"],\"n\":-2.5e1,\"gone\":1,\"text\":\"Kerry met "
                     "Lavrov.\",\"people\":\"old\"}";
    assert_int_equal(slc_doc_load_json(d, in, strlen(in), "f:1"), SL_OK);
    assert_int_equal(H->doc_meta_remove(d, "gone"), SL_OK);
    sl_layer *people, *other;
    assert_int_equal(H->layer_create(d, "people", SL_LAYER_WITH_TEXT, &people), SL_OK);
    assert_int_equal(H->layer_create(d, "other", 0, &other), SL_OK);
    /* id, topics, n: not the removed field, not the text, not the field a layer replaces */
    assert_int_equal(H->doc_meta_count(d), 3);
    sl_value_type t;
    assert_string_equal(H->doc_meta_key(d, 0, &t), "id");
    assert_int_equal(t, SL_VALUE_NUMBER);
    assert_string_equal(H->doc_meta_key(d, 1, &t), "topics");
    assert_int_equal(t, SL_VALUE_ARRAY);
    assert_null(H->doc_meta_key(d, 3, &t));
    assert_int_equal(t, SL_VALUE_NONE);
    size_t len;
    assert_string_equal(H->doc_meta_json(d, "topics", &len), "[\"acq\"]");
    assert_int_equal(len, 7);
    double x;
    assert_int_equal(H->doc_meta_number(d, "n", &x), SL_OK);
    assert_true(x == -25.0);
    assert_int_equal(H->doc_meta_number(d, "topics", &x), SL_EINVAL);
    assert_int_equal(H->doc_meta_number(d, "gone", &x), SL_ENOTFOUND);
    assert_null(H->doc_meta_json(d, "text", NULL));
    assert_null(H->doc_meta_json(d, "people", NULL));
    assert_int_equal(H->doc_meta_set_json(d, "topics", "{\"a\":1}"), SL_OK);
    assert_string_equal(H->doc_meta_json(d, "topics", NULL), "{\"a\":1}"); /* cache renewed */

    assert_int_equal(H->doc_layer_count(d), 2);
    assert_true(H->doc_layer_at(d, 0) == people);
    assert_null(H->doc_layer_at(d, 2));
    assert_string_equal(H->layer_name(other), "other");
    assert_int_equal(H->layer_flags(people), SL_LAYER_WITH_TEXT);

    size_t i;
    assert_int_equal(H->span_append(people, 0, 5, "PER", &i), SL_OK);
    assert_int_equal(H->span_attr_count(people, i), 0);
    assert_int_equal(H->span_set_string(people, i, "canonical", "John \"Kerry\""), SL_OK);
    assert_int_equal(H->span_set_number(people, i, "score", 0.75), SL_OK);
    assert_int_equal(H->span_set_range(people, i, "head", 0, 5), SL_OK);
    assert_int_equal(H->span_set_json(people, i, "ok", "false"), SL_OK);
    assert_int_equal(H->span_attr_count(people, i), 4);
    assert_string_equal(H->span_attr_name(people, i, 0, &t), "canonical");
    assert_int_equal(t, SL_VALUE_STRING);
    assert_string_equal(H->span_attr_name(people, i, 2, &t), "head");
    assert_int_equal(t, SL_VALUE_RANGE);
    assert_string_equal(H->span_attr_name(people, i, 3, &t), "ok");
    assert_int_equal(t, SL_VALUE_BOOL);
    assert_null(H->span_attr_name(people, i, 4, &t));
    assert_int_equal(H->span_get_number(people, i, "score", &x), SL_OK);
    assert_true(x == 0.75);
    assert_int_equal(H->span_get_number(people, i, "canonical", &x), SL_EINVAL);
    assert_int_equal(H->span_get_number(people, i, "nope", &x), SL_ENOTFOUND);
    assert_string_equal(H->span_get_json(people, i, "canonical"), "\"John \\\"Kerry\\\"\"");
    assert_string_equal(H->span_get_json(people, i, "head"),
                        "{\"start\":0,\"end\":5,\"text\":\"Kerry\"}");
    size_t a, b;
    assert_int_equal(H->span_get_range(people, i, "head", &a, &b), SL_OK);
    assert_true(a == 0 && b == 5);
    assert_int_equal(H->span_get_range(people, i, "score", &a, &b), SL_EINVAL);
    assert_null(H->span_get_json(people, 7, "head"));
    slc_doc_free(d);
}

static void host_table_is_complete(void **state) {
    (void)state;
    assert_int_equal(H->abi_major, SL_ABI_MAJOR);
    assert_int_equal(H->struct_size, sizeof(sl_host));
    assert_true(SL_HOST_HAS(H, doc_origin));
    const void *const *fn = (const void *const *)&H->log;
    size_t count = (sizeof(sl_host) - offsetof(sl_host, log)) / sizeof(void *);
    for (size_t i = 0; i < count; i++)
        assert_non_null(fn[i]);
}

int main(void) {
    H = slc_host();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_are_preserved),
        cmocka_unit_test(empty_text_is_terminated),
        cmocka_unit_test(escaped_keys),
        cmocka_unit_test(missing_id_is_made),
        cmocka_unit_test(malformed_records_fail),
        cmocka_unit_test(set_text_drops_layers),
        cmocka_unit_test(layers_with_code_point_offsets),
        cmocka_unit_test(layer_replaces_input_field),
        cmocka_unit_test(layers_read_back),
        cmocka_unit_test(malformed_layers_fail),
        cmocka_unit_test(byte_offsets_read_back),
        cmocka_unit_test(meta_setters),
        cmocka_unit_test(legacy_html_kept_byte_for_byte),
        cmocka_unit_test(fail_records_message),
        cmocka_unit_test(status_codes_say_why),
        cmocka_unit_test(read_side_walks_everything),
        cmocka_unit_test(host_table_is_complete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
