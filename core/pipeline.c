#include "pipeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

const char *const slc_input_formats[] = {"jsonl", "text", "lines", "html"};
const size_t slc_input_format_count = sizeof slc_input_formats / sizeof slc_input_formats[0];

static const char *const top_keys[] = {"input", "stages", "description"};

typedef struct parse_ctx {
    yaml_document_t *doc;
    const char *file;
    slc_diag *diag;
} parse_ctx;

static slc_mark mark_of(const yaml_node_t *n) {
    return (slc_mark){n->start_mark.line + 1, n->start_mark.column + 1};
}

static char *dup_str(const char *s) {
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

static const char *scalar_of(const yaml_node_t *n) {
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static const char *node_kind(const yaml_node_t *n) {
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return "a scalar";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_MAPPING_NODE:
        return "a mapping";
    default:
        return "nothing";
    }
}

static int parse_value(parse_ctx *c, slc_value *v, const yaml_node_t *key, const yaml_node_t *val) {
    v->key = dup_str(scalar_of(key));
    v->key_mark = mark_of(key);
    v->mark = mark_of(val);
    if (!v->key)
        return -1;
    if (val->type == YAML_SCALAR_NODE) {
        v->kind = SLC_VALUE_SCALAR;
        v->scalar = dup_str((const char *)val->data.scalar.value);
        v->quoted = val->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                    val->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        return v->scalar ? 0 : -1;
    }
    if (val->type == YAML_SEQUENCE_NODE) {
        v->kind = SLC_VALUE_LIST;
        size_t n = (size_t)(val->data.sequence.items.top - val->data.sequence.items.start);
        v->items = calloc(n ? n : 1, sizeof *v->items);
        if (!v->items)
            return -1;
        v->nitems = n;
        for (size_t i = 0; i < n; i++) {
            const yaml_node_t *item =
                yaml_document_get_node(c->doc, val->data.sequence.items.start[i]);
            const char *s = scalar_of(item);
            if (s && !(v->items[i] = dup_str(s)))
                return -1;
        }
        return 0;
    }
    v->kind = SLC_VALUE_MAP;
    return 0;
}

static int parse_stage(parse_ctx *c, slc_stage_spec *st, int index, const yaml_node_t *node) {
    st->mark = mark_of(node);
    if (node->type != YAML_MAPPING_NODE) {
        slc_diag_error(c->diag, c->file, st->mark, index, NULL,
                       "a stage must be a mapping with a 'plugin' key, not %s", node_kind(node));
        return 0;
    }
    yaml_node_pair_t *p = node->data.mapping.pairs.start;
    size_t n = (size_t)(node->data.mapping.pairs.top - p);
    st->opts = calloc(n ? n : 1, sizeof *st->opts);
    if (!st->opts)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *k = yaml_document_get_node(c->doc, p[i].key);
        const yaml_node_t *v = yaml_document_get_node(c->doc, p[i].value);
        const char *key = scalar_of(k);
        if (!key) {
            slc_diag_error(c->diag, c->file, mark_of(k), index, st->plugin,
                           "option names must be plain words");
            continue;
        }
        if (strcmp(key, "plugin") == 0) {
            const char *name = scalar_of(v);
            if (!name || !*name) {
                slc_diag_error(c->diag, c->file, mark_of(v), index, NULL,
                               "'plugin' must be a plugin name or a path to a .so file");
                continue;
            }
            free(st->plugin);
            if (!(st->plugin = dup_str(name)))
                return -1;
            st->plugin_mark = mark_of(v);
            continue;
        }
        for (size_t j = 0; j < st->nopts; j++) {
            if (strcmp(st->opts[j].key, key) == 0) {
                slc_diag_error(c->diag, c->file, mark_of(k), index, st->plugin,
                               "option '%s' is given twice (first at line %lu)", key,
                               st->opts[j].key_mark.line);
                break;
            }
        }
        if (parse_value(c, &st->opts[st->nopts++], k, v) != 0)
            return -1;
    }
    if (!st->plugin)
        slc_diag_error(c->diag, c->file, st->mark, index, NULL, "the stage names no 'plugin'");
    return 0;
}

static int parse_root(parse_ctx *c, slc_pipeline_spec *out, const yaml_node_t *root) {
    if (!root) {
        slc_diag_error(c->diag, c->file, (slc_mark){1, 1}, 0, NULL,
                       "the pipeline file is empty: it needs a 'stages' list");
        return 0;
    }
    if (root->type != YAML_MAPPING_NODE) {
        slc_diag_error(c->diag, c->file, mark_of(root), 0, NULL,
                       "a pipeline must be a mapping with a 'stages' list, not %s",
                       node_kind(root));
        return 0;
    }
    const yaml_node_t *stages = NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        const char *key = scalar_of(k);
        if (key && strcmp(key, "stages") == 0) {
            stages = v;
        } else if (key && strcmp(key, "input") == 0) {
            const char *fmt = scalar_of(v);
            size_t i = 0;
            while (fmt && i < slc_input_format_count && strcmp(fmt, slc_input_formats[i]) != 0)
                i++;
            if (!fmt || i == slc_input_format_count) {
                slc_diag_error(c->diag, c->file, mark_of(v), 0, NULL,
                               "unknown input format '%s'; expected jsonl, text, lines or html",
                               fmt ? fmt : "");
                continue;
            }
            free(out->input);
            out->input = dup_str(fmt);
            out->input_mark = mark_of(v);
        } else if (key && strcmp(key, "description") == 0) {
            continue;
        } else {
            const char *near = key ? slc_nearest(key, top_keys, 3) : NULL;
            slc_diag_error(c->diag, c->file, mark_of(k), 0, NULL,
                           "unknown key '%s'%s%s%s; allowed: input, stages, description",
                           key ? key : "?", near ? " (did you mean '" : "", near ? near : "",
                           near ? "'?)" : "");
        }
    }
    if (!stages) {
        slc_diag_error(c->diag, c->file, mark_of(root), 0, NULL, "no 'stages' list");
        return 0;
    }
    if (stages->type == YAML_SCALAR_NODE && !*scalar_of(stages))
        return 0; /* "stages:" with nothing: a pass-through pipeline */
    if (stages->type != YAML_SEQUENCE_NODE) {
        slc_diag_error(c->diag, c->file, mark_of(stages), 0, NULL,
                       "'stages' must be a list, not %s", node_kind(stages));
        return 0;
    }
    size_t n = (size_t)(stages->data.sequence.items.top - stages->data.sequence.items.start);
    out->stages = calloc(n ? n : 1, sizeof *out->stages);
    if (!out->stages)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *st =
            yaml_document_get_node(c->doc, stages->data.sequence.items.start[i]);
        out->nstages++;
        if (parse_stage(c, &out->stages[i], (int)i + 1, st) != 0)
            return -1;
    }
    return 0;
}

static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        return dup_str(".");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

static int parse_yaml(const char *name, const char *dir, const char *yaml, size_t len,
                      slc_pipeline_spec *out, slc_diag *diag) {
    out->path = dup_str(name);
    out->dir = dup_str(dir ? dir : ".");
    if (!out->path || !out->dir)
        return -1;
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return -1;
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
    int before = diag->errors, rc = 0;
    if (!yaml_parser_load(&parser, &doc)) {
        yaml_mark_t m = parser.problem_mark;
        slc_diag_error(diag, name, (slc_mark){m.line + 1, m.column + 1}, 0, NULL,
                       "YAML syntax error: %s%s%s", parser.problem ? parser.problem : "invalid",
                       parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        return -1;
    }
    parse_ctx c = {&doc, name, diag};
    rc = parse_root(&c, out, yaml_document_get_root_node(&doc));
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc != 0 || diag->errors > before ? -1 : 0;
}

int slc_pipeline_parse_string(const char *name, const char *dir, const char *yaml, size_t len,
                              slc_pipeline_spec *out, slc_diag *diag) {
    memset(out, 0, sizeof *out);
    int before = diag->errors;
    int rc = parse_yaml(name, dir, yaml, len, out, diag);
    if (rc != 0 && diag->errors == before) /* the parts that fail without a message */
        slc_diag_error(diag, name, (slc_mark){0, 0}, 0, NULL, "out of memory");
    return rc;
}

int slc_pipeline_parse_file(const char *path, slc_pipeline_spec *out, slc_diag *diag) {
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        slc_diag_error(diag, path, (slc_mark){0, 0}, 0, NULL, "cannot open: %s", strerror(errno));
        return -1;
    }
    slc_buf text = {0};
    char chunk[8192];
    size_t n;
    int nomem = 0;
    while (!nomem && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        nomem = slc_buf_append(&text, chunk, n) != 0;
    int bad = ferror(f);
    fclose(f);
    if (bad || nomem) {
        slc_diag_error(diag, path, (slc_mark){0, 0}, 0, NULL,
                       nomem ? "out of memory" : "read error");
        slc_buf_free(&text);
        return -1;
    }
    char *dir = dir_of(path);
    int rc = slc_pipeline_parse_string(path, dir, text.p ? text.p : "", text.len, out, diag);
    free(dir);
    slc_buf_free(&text);
    return rc;
}

void slc_pipeline_spec_free(slc_pipeline_spec *s) {
    for (size_t i = 0; i < s->nstages; i++) {
        slc_stage_spec *st = &s->stages[i];
        for (size_t j = 0; j < st->nopts; j++) {
            slc_value *v = &st->opts[j];
            free(v->key);
            free(v->scalar);
            for (size_t k = 0; k < v->nitems; k++)
                free(v->items[k]);
            free(v->items);
        }
        free(st->opts);
        free(st->plugin);
    }
    free(s->stages);
    free(s->input);
    free(s->path);
    free(s->dir);
    memset(s, 0, sizeof *s);
}
