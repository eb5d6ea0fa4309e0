#include "runner.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "doc_api.h"
#include "document.h"
#include "guard.h"
#include "interrupt.h"

static const char *stage_name(const slc_stage *s) {
    return s->lib && s->lib->desc ? s->lib->desc->name : s->spec->plugin;
}

/* Load (once) the plugin a stage names; NULL after reporting an error. */
static const slc_plugin_lib *load_stage_plugin(slc_pipeline *p, const slc_stage_spec *st, int num,
                                               slc_diag *diag) {
    slc_buf err = {0};
    char *path = slc_plugin_resolve(&p->search, st->plugin, p->spec.dir, &err);
    if (!path) {
        slc_diag_error(diag, p->spec.path, st->plugin_mark, num, st->plugin, "%s", err.p);
        slc_buf_free(&err);
        return NULL;
    }
    for (size_t i = 0; i < p->nlibs; i++)
        if (strcmp(p->libs[i].path, path) == 0) {
            free(path);
            return &p->libs[i];
        }
    slc_plugin_lib lib;
    int rc = slc_plugin_open(path, &lib, &err);
    free(path);
    if (rc != 0) {
        slc_diag_error(diag, p->spec.path, st->plugin_mark, num, st->plugin, "%s", err.p);
        slc_buf_free(&err);
        return NULL;
    }
    if (!slc_plugin_ref_is_path(st->plugin) && strcmp(lib.desc->name, st->plugin) != 0) {
        slc_diag_error(diag, p->spec.path, st->plugin_mark, num, st->plugin,
                       "%s calls itself '%s', not '%s'", lib.path, lib.desc->name, st->plugin);
        slc_plugin_close(&lib);
        return NULL;
    }
    p->libs[p->nlibs++] = lib;
    return &p->libs[p->nlibs - 1];
}

/* Find and load the plugins of the parsed p->spec and check every stage's options; a pipeline
 * that ends without a sink gets the default one when default_sink is set. */
static int load_stages(slc_pipeline *p, char *const *plugin_dirs, size_t ndirs, int default_sink,
                       slc_diag *diag) {
    if (slc_search_path_init(&p->search, plugin_dirs, ndirs) != 0)
        return -1;
    size_t n = p->spec.nstages;
    p->libs = calloc(n + 1, sizeof *p->libs);
    p->stages = calloc(n + 1, sizeof *p->stages);
    if (!p->libs || !p->stages)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const slc_stage_spec *st = &p->spec.stages[i];
        slc_stage *s = &p->stages[p->nstages++];
        s->spec = st;
        s->number = (int)i + 1;
        if (!st->plugin)
            continue; /* already reported by the parser */
        s->lib = load_stage_plugin(p, st, s->number, diag);
        if (!s->lib)
            continue;
        const sl_plugin *d = s->lib->desc;
        if (d->kind == SL_KIND_SOURCE && i != 0)
            slc_diag_error(diag, p->spec.path, st->plugin_mark, s->number, d->name,
                           "a source plugin can only be the first stage");
        slc_config_check(s->lib->options, st, p->spec.path, s->number, d->name, diag);
    }
    const slc_stage *last = p->nstages ? &p->stages[p->nstages - 1] : NULL;
    if (default_sink && !diag->errors && (!last || last->lib->desc->kind != SL_KIND_SINK)) {
        /* A pipeline that ends without a sink writes JSON Lines to standard output. */
        p->default_sink.plugin = "jsonl";
        p->default_sink.mark = (slc_mark){0, 0};
        slc_stage *s = &p->stages[p->nstages++];
        s->spec = &p->default_sink;
        s->number = (int)p->nstages;
        s->lib = load_stage_plugin(p, &p->default_sink, s->number, diag);
    }
    return diag->errors ? -1 : 0;
}

int slc_pipeline_load(slc_pipeline *p, const char *path, char *const *plugin_dirs, size_t ndirs,
                      slc_diag *diag) {
    memset(p, 0, sizeof *p);
    if (slc_pipeline_parse_file(path, &p->spec, diag) != 0)
        return -1;
    return load_stages(p, plugin_dirs, ndirs, 1, diag);
}

int slc_pipeline_load_string(slc_pipeline *p, const char *name, const char *yaml,
                             char *const *plugin_dirs, size_t ndirs, slc_diag *diag) {
    memset(p, 0, sizeof *p);
    if (slc_pipeline_parse_string(name, ".", yaml, strlen(yaml), &p->spec, diag) != 0)
        return -1;
    return load_stages(p, plugin_dirs, ndirs, 0, diag);
}

/* Make stage s's configuration (once) and run the plugin's own option check, if it has one. */
static int check_stage(slc_pipeline *p, slc_stage *s, slc_diag *diag) {
    const sl_plugin *d = s->lib->desc;
    if (!s->cfg) {
        s->cfg = slc_config_new(s->lib->options, s->spec, p->spec.path, s->number, d->name,
                                s->lib->dir, diag);
        if (!s->cfg) {
            slc_diag_error(diag, p->spec.path, s->spec->mark, s->number, d->name, "out of memory");
            return -1;
        }
    }
    if (!SL_PLUGIN_HAS(d, check))
        return 0;
    int before = diag->errors;
    slc_guard_enter(s->number, d->name, "check");
    int rc = d->check(slc_host(), s->cfg);
    slc_guard_leave();
    if (rc < 0 && diag->errors == before)
        slc_diag_error(diag, p->spec.path, s->spec->mark, s->number, d->name, "options refused: %s",
                       sl_strerror(rc));
    return rc < 0 || diag->errors != before ? -1 : 0;
}

int slc_pipeline_check(slc_pipeline *p, slc_diag *diag) {
    int rc = 0;
    for (size_t i = 0; i < p->nstages; i++)
        rc |= check_stage(p, &p->stages[i], diag); /* every stage: all problems at once */
    return rc;
}

/* Call fn for each layer named in a reads/writes list, "$opt" resolved through the stage's
 * options; stops early when fn returns non-zero, and returns that. */
static int each_layer(const slc_stage *s, const char *list,
                      int (*fn)(const slc_stage *s, const char *name, void *ctx), void *ctx) {
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char name[128];
        if (len && len < sizeof name) {
            memcpy(name, p, len);
            name[len] = '\0';
            const char *layer = name;
            if (name[0] == '$')
                layer = s->cfg ? slc_config_scalar(s->cfg, name + 1) : NULL;
            int rc = layer && *layer ? fn(s, layer, ctx) : 0;
            if (rc)
                return rc;
        }
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

static int is_named(const slc_stage *s, const char *name, void *wanted) {
    (void)s;
    return strcmp(name, wanted) == 0;
}

typedef struct layer_check {
    const slc_pipeline *p;
    size_t before; /* stages that come earlier */
    slc_diag *warnings;
    int count;
} layer_check;

static int warn_unwritten(const slc_stage *s, const char *name, void *vctx) {
    layer_check *c = vctx;
    if (strcmp(name, "tokens") == 0) /* the core makes it for every document */
        return 0;
    for (size_t i = 0; i < c->before; i++) {
        const slc_stage *w = &c->p->stages[i];
        if (w->lib && each_layer(w, w->lib->writes, is_named, (void *)name))
            return 0;
    }
    slc_diag_error(c->warnings, c->p->spec.path, s->spec->plugin_mark, s->number, stage_name(s),
                   "warning: reads layer '%s', which no earlier stage writes (fine when the "
                   "input records carry it)",
                   name);
    c->count++;
    return 0;
}

int slc_pipeline_layer_warnings(const slc_pipeline *p, slc_diag *warnings) {
    layer_check c = {p, 0, warnings, 0};
    for (size_t i = 0; i < p->nstages; i++) {
        const slc_stage *s = &p->stages[i];
        c.before = i;
        if (s->lib)
            each_layer(s, s->lib->reads, warn_unwritten, &c);
    }
    return c.count;
}

int slc_pipeline_create(slc_pipeline *p, slc_diag *diag) {
    for (size_t i = 0; i < p->nstages; i++) {
        slc_stage *s = &p->stages[i];
        const sl_plugin *d = s->lib->desc;
        if (check_stage(p, s, diag) != 0)
            return -1;
        int before = diag->errors;
        slc_guard_enter(s->number, d->name, "create");
        int rc = d->create(slc_host(), s->cfg, &s->state);
        slc_guard_leave();
        if (rc != 0) {
            if (diag->errors == before)
                slc_diag_error(diag, p->spec.path, s->spec->mark, s->number, d->name,
                               "create failed: %s", sl_strerror(rc));
            return -1;
        }
        s->created = 1;
    }
    return 0;
}

void slc_pipeline_free(slc_pipeline *p) {
    for (size_t i = 0; i < p->nstages; i++) {
        slc_stage *s = &p->stages[i];
        if (s->created && !s->crashed) { /* a crashed instance's state cannot be trusted */
            slc_guard_enter(s->number, stage_name(s), "destroy");
            s->lib->desc->destroy(s->state);
            slc_guard_leave();
        }
        slc_config_free(s->cfg);
    }
    for (size_t i = 0; i < p->nlibs; i++)
        slc_plugin_close(&p->libs[i]);
    free(p->libs);
    free(p->stages);
    slc_search_path_free(&p->search);
    p->default_sink.plugin = NULL; /* not owned */
    slc_pipeline_spec_free(&p->spec);
    memset(p, 0, sizeof *p);
}

/* State of one run. */
typedef struct run {
    slc_pipeline *p;
    const slc_run_options *o;
    slc_run_stats *stats;
    FILE *dead;
    int status;
    int stop;
} run;

static void record_failure(run *r, const sl_doc *doc, const slc_stage *s, const char *msg,
                           const slc_reader *reader) {
    long line;
    const char *origin = slc_doc_origin(doc, &line);
    char reason[2400];
    int n = line > 0 ? snprintf(reason, sizeof reason, "%s:%ld: ", origin, line)
                     : snprintf(reason, sizeof reason, "%s: ", origin);
    if (n < 0 || (size_t)n >= sizeof reason)
        n = 0;
    if (s)
        snprintf(reason + n, sizeof reason - (size_t)n, "stage %d (plugin %s): %s", s->number,
                 stage_name(s), msg);
    else
        snprintf(reason + n, sizeof reason - (size_t)n, "%s", msg);
    fprintf(stderr, "sluice: %s\n", reason);
    r->stats->failed++;
    if (r->dead) {
        /* The reason as a comment line, then the input record untouched. */
        size_t len = 0;
        const char *raw = reader ? slc_reader_raw(reader, &len) : NULL;
        fprintf(r->dead, "# %s\n", reason);
        if (raw) {
            fwrite(raw, 1, len, r->dead);
            fputc('\n', r->dead);
        }
    }
    if (r->o->fail_fast) {
        r->status = SLC_EXIT_DOCS;
        r->stop = 1;
    }
}

/* Returned by call_plugin() when the plugin crashed: the guard jumped back. */
#define CRASHED INT_MIN

enum plugin_call { CALL_PROCESS, CALL_READ, CALL_FLUSH };

/* Call one plugin function under the crash guard: its status, or CRASHED after a fatal
 * signal (the stage is then marked crashed and slc_guard_recovered() describes it). */
static int call_plugin(slc_stage *s, enum plugin_call call, sl_doc *doc) {
    static const char *const names[] = {"process", "read", "flush"};
    const sl_plugin *d = s->lib->desc;
    if (slc_guard_installed()) {
        /* No signal mask saved: sigsetjmp stays a few register stores per call. */
        if (sigsetjmp(slc_guard_now.env, 0) != 0) {
            s->crashed = 1;
            return CRASHED;
        }
        slc_guard_now.armed = 1;
    }
    slc_guard_enter(s->number, stage_name(s), names[call]);
    int rc = call == CALL_PROCESS ? d->process(s->state, doc)
             : call == CALL_READ  ? d->read(s->state, doc)
                                  : d->flush(s->state);
    slc_guard_leave();
    return rc;
}

/* After a plugin crashed: fail the document and stop; the other stages still flush. */
static void crashed(run *r, slc_stage *s, const char *call, sl_doc *doc, const slc_reader *reader) {
    char msg[256];
    snprintf(msg, sizeof msg, "crashed in %s: %s; the run stops here", call, slc_guard_recovered());
    record_failure(r, doc, s, msg, reader);
    r->stats->crashed = 1;
    r->status = SLC_EXIT_CRASH;
    r->stop = 1;
}

int slc_pipeline_process(slc_pipeline *p, sl_doc *doc, size_t first, slc_stage **failed) {
    for (size_t i = first; i < p->nstages; i++) {
        slc_stage *s = &p->stages[i];
        int rc = call_plugin(s, CALL_PROCESS, doc);
        if (rc == SL_OK && !slc_doc_error(doc))
            continue;
        *failed = s;
        /* SL_EDOC also when the core failed it (out of memory) while the stage went on */
        return rc == SL_OK ? SL_EDOC : rc;
    }
    return SL_OK;
}

/* Send one document through the stages from `first` on. */
static void process_doc(run *r, sl_doc *doc, const slc_reader *reader, size_t first) {
    slc_run_stats *st = r->stats;
    slc_stage *s = NULL;
    int rc = slc_pipeline_process(r->p, doc, first, &s);
    if (rc == SL_OK) {
        st->repaired += slc_doc_repairs(doc);
        st->written++;
        return;
    }
    if (rc == CRASHED) {
        crashed(r, s, "process", doc, reader);
        return;
    }
    const char *msg = slc_doc_error(doc) ? slc_doc_error(doc) : sl_strerror(rc);
    if (rc == SL_EPIPE) {
        st->broken_pipe = 1;
        st->read--; /* never finished: the reader of our output is gone */
        r->stop = 1;
        return;
    }
    if (rc == SL_EIO) {
        fprintf(stderr, "sluice: stage %d (plugin %s): %s\n", s->number, stage_name(s), msg);
        r->status = SLC_EXIT_IO;
        r->stop = 1;
        st->failed++;
        st->output_failed = 1;
        return;
    }
    record_failure(r, doc, s, msg, reader);
}

static void handle(run *r, sl_doc *doc, const slc_reader *reader, size_t first) {
    r->stats->read++;
    if (slc_doc_error(doc)) {
        record_failure(r, doc, NULL, slc_doc_error(doc), reader);
        return;
    }
    process_doc(r, doc, reader, first);
}

/* The command line's format wins; then HTML files are read as HTML whatever the pipeline's
 * default; then the pipeline's input; then JSON Lines. */
static int format_for(const run *r, const char *path) {
    if (r->o->format >= 0)
        return r->o->format;
    size_t n = strlen(path);
    if ((n > 5 && strcmp(path + n - 5, ".html") == 0) ||
        (n > 4 && strcmp(path + n - 4, ".htm") == 0))
        return SLC_INPUT_HTML;
    if (r->p->spec.input)
        return slc_input_format_parse(r->p->spec.input);
    return SLC_INPUT_JSONL;
}

static void run_inputs(run *r, sl_doc *doc) {
    static char *const stdin_only[] = {"-"};
    char *const *inputs = r->o->ninputs ? r->o->inputs : stdin_only;
    size_t n = r->o->ninputs ? r->o->ninputs : 1;
    for (size_t i = 0; i < n && !r->stop; i++) {
        slc_reader rd;
        slc_buf err = {0};
        if (slc_reader_open(&rd, inputs[i], (slc_input_format)format_for(r, inputs[i]),
                            r->o->max_doc, &err) != 0) {
            fprintf(stderr, "sluice: %s\n", err.p);
            slc_buf_free(&err);
            r->status = SLC_EXIT_IO;
            continue; /* the other inputs still run; the exit status tells */
        }
        int rc = 0;
        while (!r->stop && (rc = slc_reader_next(&rd, doc, &err)) == 1) {
            handle(r, doc, &rd, 0);
            r->stop |= slc_interrupted() != 0; /* after the document, never inside it */
        }
        r->stop |= slc_interrupted() != 0;
        if (!r->stop && rc < 0) {
            fprintf(stderr, "sluice: %s\n", err.p ? err.p : "read error");
            r->status = rc == SL_ENOMEM ? SLC_EXIT_INTERNAL : SLC_EXIT_IO;
            r->stop = rc == SL_ENOMEM;
        }
        slc_buf_free(&err);
        slc_reader_close(&rd);
    }
}

static void run_source(run *r, sl_doc *doc) {
    slc_stage *src = &r->p->stages[0];
    while (!r->stop) {
        slc_doc_reset(doc);
        slc_doc_set_origin(doc, src->lib->desc->name, 0);
        int rc = call_plugin(src, CALL_READ, doc);
        if (rc == CRASHED) {
            fprintf(stderr,
                    "sluice: stage 1 (plugin %s): crashed in read: %s; the run stops here\n",
                    stage_name(src), slc_guard_recovered());
            r->stats->crashed = 1;
            r->status = SLC_EXIT_CRASH;
            break;
        }
        if (rc == 0)
            break;
        if (rc < 0 && !slc_doc_error(doc)) {
            fprintf(stderr, "sluice: stage 1 (plugin %s): %s\n", stage_name(src), sl_strerror(rc));
            r->status = SLC_EXIT_IO;
            break;
        }
        handle(r, doc, NULL, 1);
        r->stop |= slc_interrupted() != 0;
    }
}

/* Let every stage finish its output; a crashed stage is skipped. */
static void flush_stages(run *r) {
    slc_run_stats *stats = r->stats;
    for (size_t i = 0; i < r->p->nstages && !stats->broken_pipe; i++) {
        slc_stage *s = &r->p->stages[i];
        if (!s->lib->desc->flush || s->crashed)
            continue;
        int rc = call_plugin(s, CALL_FLUSH, NULL);
        if (rc == CRASHED) {
            fprintf(stderr, "sluice: stage %d (plugin %s): crashed in flush: %s\n", s->number,
                    stage_name(s), slc_guard_recovered());
            stats->crashed = 1;
            stats->output_failed = 1;
            r->status = SLC_EXIT_CRASH;
        } else if (rc == SL_EPIPE) {
            stats->broken_pipe = 1;
        } else if (rc != 0) {
            fprintf(stderr, "sluice: stage %d (plugin %s): flush failed: %s\n", s->number,
                    stage_name(s), sl_strerror(rc));
            if (r->status == SLC_EXIT_OK || r->status == SLC_EXIT_DOCS)
                r->status = SLC_EXIT_IO;
            stats->output_failed = 1;
        }
    }
}

int slc_pipeline_run(slc_pipeline *p, const slc_run_options *o, slc_run_stats *stats) {
    memset(stats, 0, sizeof *stats);
    run r = {p, o, stats, NULL, SLC_EXIT_OK, 0};
    if (o->dead_letter && !(r.dead = fopen(o->dead_letter, "w"))) {
        fprintf(stderr, "sluice: %s: cannot open dead-letter file: %s\n", o->dead_letter,
                strerror(errno));
        return SLC_EXIT_IO;
    }
    sl_doc *doc = slc_doc_new();
    if (!doc)
        return SLC_EXIT_INTERNAL;
    int has_source = p->nstages && p->stages[0].lib->desc->kind == SL_KIND_SOURCE;
    if (has_source)
        run_source(&r, doc);
    else
        run_inputs(&r, doc);
    slc_doc_free(doc);
    flush_stages(&r);
    if (r.dead && fclose(r.dead) != 0) {
        fprintf(stderr, "sluice: %s: cannot write dead-letter file: %s\n", o->dead_letter,
                strerror(errno));
        r.status = SLC_EXIT_IO;
    }
    if (r.status == SLC_EXIT_OK && stats->failed)
        r.status = SLC_EXIT_DOCS;
    if ((stats->interrupted = slc_interrupted()) != 0 &&
        (r.status == SLC_EXIT_OK || r.status == SLC_EXIT_DOCS))
        r.status = 128 + stats->interrupted; /* as a shell reports a death by that signal */
    return r.status;
}
