/* The plugins on the search path, one of each name, and `sluice plugins --json`. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "json.h"

size_t slc_cli_each_plugin(const slc_search_path *sp, void (*fn)(const slc_plugin_lib *, void *),
                           void *ctx) {
    char **seen = NULL;
    size_t nseen = 0;
    slc_buf path = {0}, err = {0};
    for (size_t i = 0; i < sp->n; i++) {
        size_t n;
        char **files = slc_cli_dir_names(sp->dirs[i], ".so", 0, &n);
        for (size_t k = 0; k < n; k++) {
            slc_buf_clear(&path);
            slc_buf_clear(&err);
            slc_buf_printf(&path, "%s/%s", sp->dirs[i], files[k]);
            free(files[k]);
            slc_plugin_lib lib;
            if (slc_plugin_open(path.p, &lib, &err) != 0) {
                fprintf(stderr, "sluice: skipped %s\n", err.p);
                continue;
            }
            size_t s = 0;
            while (s < nseen && strcmp(seen[s], lib.desc->name) != 0)
                s++;
            /* The first of each name wins, as it does in pipelines. */
            char **grown = s == nseen ? realloc(seen, (nseen + 1) * sizeof *seen) : NULL;
            if (grown && (grown[nseen] = strdup(lib.desc->name))) {
                seen = grown;
                nseen++;
                fn(&lib, ctx);
            } else if (grown) {
                seen = grown;
            }
            slc_plugin_close(&lib);
        }
        free(files);
    }
    for (size_t s = 0; s < nseen; s++)
        free(seen[s]);
    free(seen);
    slc_buf_free(&path);
    slc_buf_free(&err);
    return nseen;
}

/* "key": after a comma unless it is the object's first member. */
static void put_key(slc_buf *b, const char *key) {
    if (b->len && b->p[b->len - 1] != '{')
        slc_buf_putc(b, ',');
    slc_json_put_string(b, key, strlen(key));
    slc_buf_putc(b, ':');
}

/* "key":"value", or "key":null when value is NULL. */
static void put_string(slc_buf *b, const char *key, const char *value) {
    put_key(b, key);
    if (value)
        slc_json_put_string(b, value, strlen(value));
    else
        slc_buf_puts(b, "null");
}

static void put_literal(slc_buf *b, const char *key, const char *json) {
    put_key(b, key);
    slc_buf_puts(b, json);
}

/* "key":number, or "key":null when there is none. */
static void put_number(slc_buf *b, const char *key, int has, double value) {
    put_key(b, key);
    if (has)
        slc_json_put_number(b, value);
    else
        slc_buf_puts(b, "null");
}

/* "key":[...] from a list of words split at sep (blanks around them dropped). */
static void put_words(slc_buf *b, const char *key, const char *list, char sep) {
    put_key(b, key);
    slc_buf_putc(b, '[');
    int first = 1;
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, sep);
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *w = p;
        size_t wn = n;
        while (wn && (*w == ' ' || *w == '\t'))
            w++, wn--;
        while (wn && (w[wn - 1] == ' ' || w[wn - 1] == '\t'))
            wn--;
        if (wn) {
            slc_buf_puts(b, first ? "" : ",");
            slc_json_put_string(b, w, wn);
            first = 0;
        }
        p = end ? end + 1 : p + n;
    }
    slc_buf_putc(b, ']');
}

static void put_option(slc_buf *b, const sl_option *o) {
    slc_buf_putc(b, '{');
    put_string(b, "name", o->name);
    put_string(b, "type", slc_option_type_name(o->type));
    put_string(b, "default", o->default_value);
    put_literal(b, "required", o->required ? "true" : "false");
    if (o->type == SL_OPT_ENUM && o->choices)
        put_words(b, "choices", o->choices, '|');
    else
        put_literal(b, "choices", "null");
    put_number(b, "min", o->flags & SL_OPTF_MIN, o->min);
    put_number(b, "max", o->flags & SL_OPTF_MAX, o->max);
    put_literal(b, "layer", o->flags & SL_OPTF_LAYER ? "true" : "false");
    put_string(b, "help", o->help);
    slc_buf_putc(b, '}');
}

static void put_plugin(const slc_plugin_lib *lib, void *ctx) {
    slc_buf *b = ctx;
    const sl_plugin *d = lib->desc;
    slc_buf_puts(b, b->len > 1 ? ",\n{" : "\n{");
    put_string(b, "name", d->name);
    put_string(b, "version", d->version);
    put_string(b, "kind", slc_kind_name(d->kind));
    put_string(b, "summary", d->summary);
    put_string(b, "path", lib->path);
    put_key(b, "flags");
    slc_buf_putc(b, '[');
    if (lib->flags & SL_PLUGIN_PARALLEL)
        slc_buf_puts(b, "\"parallel\"");
    if (lib->flags & SL_PLUGIN_ORDERED)
        slc_buf_puts(b, lib->flags & SL_PLUGIN_PARALLEL ? ",\"ordered\"" : "\"ordered\"");
    slc_buf_putc(b, ']');
    put_words(b, "reads", lib->reads, ',');
    put_words(b, "writes", lib->writes, ',');
    put_key(b, "options");
    slc_buf_putc(b, '[');
    for (const sl_option *o = lib->options; o && o->name; o++) {
        if (o != lib->options)
            slc_buf_putc(b, ',');
        put_option(b, o);
    }
    slc_buf_puts(b, "]}");
}

int slc_cli_plugins_json(const slc_search_path *sp, const slc_plugin_lib *lib) {
    slc_buf b = {0};
    slc_buf_putc(&b, '[');
    if (lib)
        put_plugin(lib, &b);
    else
        slc_cli_each_plugin(sp, put_plugin, &b);
    slc_buf_puts(&b, "\n]\n");
    int ok = b.p && fwrite(b.p, 1, b.len, stdout) == b.len;
    slc_buf_free(&b);
    return ok ? SLC_EXIT_OK : SLC_EXIT_INTERNAL;
}
