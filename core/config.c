#include "config.h"
#include "document.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sl_config {
    const sl_option *schema;
    const slc_stage_spec *spec;
    const char *file;
    int stage;
    const char *plugin;
    const char *plugin_dir;
    slc_diag *diag;
    char **split_defaults; /* per schema entry: a list default split at commas */
    size_t *split_counts;
    size_t nschema;
};

const char *slc_option_type_name(sl_option_type t) {
    switch (t) {
    case SL_OPT_STRING:
        return "string";
    case SL_OPT_INT:
        return "int";
    case SL_OPT_DOUBLE:
        return "number";
    case SL_OPT_BOOL:
        return "bool";
    case SL_OPT_ENUM:
        return "enum";
    case SL_OPT_STRING_LIST:
        return "string list";
    }
    return "?";
}

static size_t schema_size(const sl_option *schema) {
    size_t n = 0;
    while (schema && schema[n].name)
        n++;
    return n;
}

static const sl_option *schema_find(const sl_option *schema, const char *name) {
    for (size_t i = 0; schema && schema[i].name; i++)
        if (strcmp(schema[i].name, name) == 0)
            return &schema[i];
    return NULL;
}

static int parse_int(const char *s, int64_t *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_double(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int parse_bool(const char *s, int *out) {
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "on"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "off"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (strcmp(s, yes[i]) == 0)
            return *out = 1, 0;
        if (strcmp(s, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

/* The index of `value` among the '|'-separated choices, or -1. */
static int choice_index(const char *choices, const char *value) {
    size_t n = strlen(value);
    int index = 0;
    for (const char *p = choices; p && *p; index++) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, value, n) == 0)
            return index;
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

static const char *nearest_choice(const char *choices, const char *value, char *buf, size_t cap) {
    const char *cands[32];
    size_t n = 0;
    snprintf(buf, cap, "%s", choices ? choices : "");
    for (char *p = buf; p && *p && n < 32;) {
        cands[n++] = p;
        p = strchr(p, '|');
        if (p)
            *p++ = '\0';
    }
    return slc_nearest(value, cands, n);
}

static int is_null_scalar(const slc_value *v) {
    return v->kind == SLC_VALUE_SCALAR && !v->quoted &&
           (!*v->scalar || strcmp(v->scalar, "~") == 0 || strcmp(v->scalar, "null") == 0);
}

/* The schema's bounds for an int or number option. */
static void check_range(const sl_option *o, double x, const slc_value *v, const char *file,
                        int stage, const char *plugin, slc_diag *diag) {
    file = v->source ? v->source : file;
    int low = (o->flags & SL_OPTF_MIN) && x < o->min;
    int high = (o->flags & SL_OPTF_MAX) && x > o->max;
    if (!low && !high)
        return;
    if ((o->flags & SL_OPTF_MIN) && (o->flags & SL_OPTF_MAX))
        slc_diag_error(diag, file, v->mark, stage, plugin,
                       "option '%s' must be from %g to %g, not %s", o->name, o->min, o->max,
                       v->scalar);
    else
        slc_diag_error(diag, file, v->mark, stage, plugin, "option '%s' must be %s %g, not %s",
                       o->name, low ? "at least" : "at most", low ? o->min : o->max, v->scalar);
}

static void check_value(const sl_option *o, const slc_value *v, const char *file, int stage,
                        const char *plugin, slc_diag *diag) {
    file = v->source ? v->source : file;
    const char *tname = slc_option_type_name(o->type);
    if (is_null_scalar(v)) {
        slc_diag_error(diag, file, v->mark, stage, plugin, "option '%s' has no value (expected %s)",
                       o->name, tname);
        return;
    }
    if (o->type == SL_OPT_STRING_LIST) {
        if (v->kind == SLC_VALUE_MAP) {
            slc_diag_error(diag, file, v->mark, stage, plugin,
                           "option '%s' must be a list of strings, not a mapping", o->name);
        } else if (v->kind == SLC_VALUE_LIST) {
            for (size_t i = 0; i < v->nitems; i++)
                if (!v->items[i]) {
                    slc_diag_error(diag, file, v->mark, stage, plugin,
                                   "option '%s': item %zu is not a string", o->name, i + 1);
                    break;
                }
        }
        return;
    }
    if (v->kind != SLC_VALUE_SCALAR) {
        slc_diag_error(diag, file, v->mark, stage, plugin, "option '%s' must be %s %s, not a %s",
                       o->name, o->type == SL_OPT_INT ? "an" : "a", tname,
                       v->kind == SLC_VALUE_LIST ? "list" : "mapping");
        return;
    }
    int64_t i;
    double d;
    int b;
    char buf[256];
    switch (o->type) {
    case SL_OPT_INT:
        if (v->quoted || parse_int(v->scalar, &i) != 0)
            slc_diag_error(diag, file, v->mark, stage, plugin,
                           "option '%s' must be an integer, not '%s'", o->name, v->scalar);
        else
            check_range(o, (double)i, v, file, stage, plugin, diag);
        break;
    case SL_OPT_DOUBLE:
        if (v->quoted || parse_double(v->scalar, &d) != 0)
            slc_diag_error(diag, file, v->mark, stage, plugin,
                           "option '%s' must be a number, not '%s'", o->name, v->scalar);
        else
            check_range(o, d, v, file, stage, plugin, diag);
        break;
    case SL_OPT_STRING:
        if ((o->flags & SL_OPTF_LAYER) && !slc_layer_name_ok(v->scalar))
            slc_diag_error(diag, file, v->mark, stage, plugin,
                           "option '%s': '%s' cannot name a layer (reserved: text, id, tokens; "
                           "and not empty)",
                           o->name, v->scalar);
        break;
    case SL_OPT_BOOL:
        if (v->quoted || parse_bool(v->scalar, &b) != 0)
            slc_diag_error(diag, file, v->mark, stage, plugin,
                           "option '%s' must be true or false, not '%s'", o->name, v->scalar);
        break;
    case SL_OPT_ENUM:
        if (choice_index(o->choices, v->scalar) < 0) {
            const char *near = nearest_choice(o->choices, v->scalar, buf, sizeof buf);
            slc_diag_error(diag, file, v->mark, stage, plugin,
                           "option '%s' must be one of %s, not '%s'%s%s%s", o->name,
                           o->choices ? o->choices : "?", v->scalar, near ? " (did you mean '" : "",
                           near ? near : "", near ? "'?)" : "");
        }
        break;
    default:
        break;
    }
}

int slc_config_check(const sl_option *schema, const slc_stage_spec *spec, const char *file,
                     int stage, const char *plugin, slc_diag *diag) {
    int before = diag->errors;
    size_t n = schema_size(schema);
    const char *names[128];
    size_t nn = 0;
    for (size_t i = 0; i < n && nn < 128; i++)
        names[nn++] = schema[i].name;
    for (size_t j = 0; j < spec->nopts; j++) {
        const slc_value *v = &spec->opts[j];
        const sl_option *o = schema_find(schema, v->key);
        if (o) {
            check_value(o, v, file, stage, plugin, diag);
            continue;
        }
        const char *where = v->source ? v->source : file;
        if (n == 0) {
            slc_diag_error(diag, where, v->key_mark, stage, plugin,
                           "unknown option '%s': this plugin takes no options", v->key);
            continue;
        }
        slc_buf allowed = {0};
        for (size_t i = 0; i < n; i++) {
            slc_buf_puts(&allowed, i ? ", " : "");
            slc_buf_puts(&allowed, schema[i].name);
        }
        const char *near = slc_nearest(v->key, names, nn);
        slc_diag_error(
            diag, where, v->key_mark, stage, plugin, "unknown option '%s'%s%s%s; allowed: %s",
            v->key, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "", allowed.p);
        slc_buf_free(&allowed);
    }
    for (size_t i = 0; i < n; i++) {
        if (!schema[i].required)
            continue;
        size_t j = 0;
        while (j < spec->nopts && strcmp(spec->opts[j].key, schema[i].name) != 0)
            j++;
        if (j == spec->nopts)
            slc_diag_error(diag, file, spec->mark, stage, plugin,
                           "missing required option '%s' (%s): %s", schema[i].name,
                           slc_option_type_name(schema[i].type),
                           schema[i].help ? schema[i].help : "");
    }
    return diag->errors - before;
}

/* Split a comma-separated default list into owned items. */
static int split_default(const char *s, char **out_block, size_t *count) {
    *count = 0;
    *out_block = NULL;
    if (!s || !*s)
        return 0;
    size_t len = strlen(s);
    char *block = malloc(len + 1);
    if (!block)
        return -1;
    memcpy(block, s, len + 1);
    *count = 1;
    for (char *p = block; *p; p++)
        if (*p == ',') {
            *p = '\0';
            (*count)++;
        }
    *out_block = block;
    return 0;
}

sl_config *slc_config_new(const sl_option *schema, const slc_stage_spec *spec, const char *file,
                          int stage, const char *plugin, const char *plugin_dir, slc_diag *diag) {
    sl_config *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = (sl_config){schema, spec, file, stage, plugin, plugin_dir, diag, NULL, NULL, 0};
    c->nschema = schema_size(schema);
    c->split_defaults = calloc(c->nschema + 1, sizeof *c->split_defaults);
    c->split_counts = calloc(c->nschema + 1, sizeof *c->split_counts);
    if (!c->split_defaults || !c->split_counts) {
        slc_config_free(c);
        return NULL;
    }
    for (size_t i = 0; i < c->nschema; i++)
        if (schema[i].type == SL_OPT_STRING_LIST &&
            split_default(schema[i].default_value, &c->split_defaults[i], &c->split_counts[i])) {
            slc_config_free(c);
            return NULL;
        }
    return c;
}

void slc_config_free(sl_config *c) {
    if (!c)
        return;
    for (size_t i = 0; c->split_defaults && i < c->nschema; i++)
        free(c->split_defaults[i]);
    free(c->split_defaults);
    free(c->split_counts);
    free(c);
}

/* A plugin asked for an option its schema does not declare, or as another type: a bug in the
 * plugin that would otherwise read 0. Debug builds and tests stop at once; release builds say
 * so and go on with the empty value. */
static void misuse(const sl_config *c, const char *name, const char *what) {
    fprintf(stderr, "sluice: stage %d (plugin %s): bug: asked for option '%s' %s\n", c->stage,
            c->plugin ? c->plugin : "?", name ? name : "(null)", what);
#ifndef NDEBUG
    abort();
#endif
}

/* The schema entry a getter reads, checked against the types that getter serves. */
static const sl_option *declared(const sl_config *c, const char *name, unsigned types) {
    const sl_option *o = name ? schema_find(c->schema, name) : NULL;
    if (!o) {
        misuse(c, name, "that its schema does not declare");
        return NULL;
    }
    if (!(types & (1u << o->type))) {
        char what[96];
        snprintf(what, sizeof what, "with the wrong getter (the option is %s %s)",
                 o->type == SL_OPT_INT || o->type == SL_OPT_ENUM ? "an" : "a",
                 slc_option_type_name(o->type));
        misuse(c, name, what);
        return NULL;
    }
    return o;
}

#define T(type) (1u << (type))

static const slc_value *given(const sl_config *c, const char *name) {
    for (size_t j = 0; c->spec && j < c->spec->nopts; j++)
        if (strcmp(c->spec->opts[j].key, name) == 0)
            return &c->spec->opts[j];
    return NULL;
}

/* The scalar text of an option: as given, else its default. */
static const char *scalar_value(const sl_config *c, const char *name) {
    const slc_value *v = given(c, name);
    if (v)
        return v->kind == SLC_VALUE_SCALAR ? v->scalar : NULL;
    const sl_option *o = schema_find(c->schema, name);
    return o ? o->default_value : NULL;
}

const char *slc_config_scalar(const sl_config *c, const char *name) {
    return scalar_value(c, name);
}

const char *slc_cfg_string(const sl_config *c, const char *name) {
    if (!declared(c, name, T(SL_OPT_STRING) | T(SL_OPT_ENUM)))
        return NULL;
    return scalar_value(c, name);
}

int64_t slc_cfg_int(const sl_config *c, const char *name) {
    if (!declared(c, name, T(SL_OPT_INT)))
        return 0;
    const char *s = scalar_value(c, name);
    int64_t v = 0;
    return s && parse_int(s, &v) == 0 ? v : 0;
}

double slc_cfg_double(const sl_config *c, const char *name) {
    if (!declared(c, name, T(SL_OPT_DOUBLE) | T(SL_OPT_INT)))
        return 0;
    const char *s = scalar_value(c, name);
    double v = 0;
    return s && parse_double(s, &v) == 0 ? v : 0;
}

int slc_cfg_bool(const sl_config *c, const char *name) {
    if (!declared(c, name, T(SL_OPT_BOOL)))
        return 0;
    const char *s = scalar_value(c, name);
    int v = 0;
    return s && parse_bool(s, &v) == 0 ? v : 0;
}

int slc_cfg_enum(const sl_config *c, const char *name) {
    const sl_option *o = declared(c, name, T(SL_OPT_ENUM));
    const char *value = o ? scalar_value(c, name) : NULL;
    return value ? choice_index(o->choices, value) : -1;
}

size_t slc_cfg_list_count(const sl_config *c, const char *name) {
    if (!declared(c, name, T(SL_OPT_STRING_LIST)))
        return 0;
    const slc_value *v = given(c, name);
    if (v)
        return v->kind == SLC_VALUE_LIST ? v->nitems : v->kind == SLC_VALUE_SCALAR;
    const sl_option *o = schema_find(c->schema, name);
    return o ? c->split_counts[o - c->schema] : 0;
}

const char *slc_cfg_list_item(const sl_config *c, const char *name, size_t i) {
    if (!declared(c, name, T(SL_OPT_STRING_LIST)))
        return NULL;
    const slc_value *v = given(c, name);
    if (v) {
        if (v->kind == SLC_VALUE_LIST)
            return i < v->nitems ? v->items[i] : NULL;
        return v->kind == SLC_VALUE_SCALAR && i == 0 ? v->scalar : NULL;
    }
    const sl_option *o = schema_find(c->schema, name);
    if (!o || i >= c->split_counts[o - c->schema])
        return NULL;
    const char *p = c->split_defaults[o - c->schema];
    while (i--)
        p += strlen(p) + 1;
    return p;
}

int slc_cfg_is_set(const sl_config *c, const char *name) {
    if (!declared(c, name, ~0u))
        return 0;
    return given(c, name) != NULL;
}

const char *slc_cfg_plugin_dir(const sl_config *c) {
    return c->plugin_dir ? c->plugin_dir : ".";
}

int slc_cfg_error(const sl_config *c, const char *option, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const slc_value *v = option ? given(c, option) : NULL;
    slc_mark at = v ? v->mark : c->spec ? c->spec->mark : (slc_mark){0, 0};
    const char *file = v && v->source ? v->source : c->file;
    if (option)
        slc_diag_error(c->diag, file, at, c->stage, c->plugin, "option '%s': %s", option, msg);
    else
        slc_diag_error(c->diag, c->file, at, c->stage, c->plugin, "%s", msg);
    return SL_ECONFIG;
}
