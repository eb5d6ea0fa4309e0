#include "runner.h"

#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "doc_api.h"
#include "document.h"
#include "guard.h"
#include "interrupt.h"
#include "report.h"
#include "workers.h"

static const char *stage_name(const slc_stage *s) {
    return s->lib && s->lib->desc ? s->lib->desc->name : s->spec->plugin;
}

/* Load (once) the plugin a stage names; NULL after reporting an error. */
static const slc_plugin_lib *load_stage_plugin(slc_pipeline *p, const slc_stage_spec *st, int num,
                                               slc_diag *diag) {
    slc_buf err = {0};
    char *path = slc_plugin_resolve(&p->search, st->plugin, p->spec.dir, &err);
    if (!path) {
        slc_diag_error(diag, p->spec.path, st->plugin_mark, num, st->plugin, "%s",
                       err.p ? err.p : "out of memory");
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
        slc_diag_error(diag, p->spec.path, st->plugin_mark, num, st->plugin, "%s",
                       err.p ? err.p : sl_strerror(rc));
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
    size_t n = p->spec.nstages;
    if (slc_search_path_init(&p->search, plugin_dirs, ndirs) != 0 ||
        !(p->libs = calloc(n + 1, sizeof *p->libs)) ||
        !(p->stages = calloc(n + 1, sizeof *p->stages))) {
        slc_diag_error(diag, p->spec.path, (slc_mark){0, 0}, 0, NULL, "out of memory");
        return -1;
    }
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

int slc_pipeline_load_spec(slc_pipeline *p, slc_pipeline_spec *spec, char *const *plugin_dirs,
                           size_t ndirs, slc_diag *diag) {
    memset(p, 0, sizeof *p);
    p->spec = *spec;
    memset(spec, 0, sizeof *spec);
    return load_stages(p, plugin_dirs, ndirs, 1, diag);
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

/* Make one instance of a checked stage; errors go to diag. */
static int create_instance(slc_pipeline *p, slc_stage *s, slc_diag *diag) {
    const sl_plugin *d = s->lib->desc;
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
    return 0;
}

/* Free one instance, unless it crashed: a crashed instance's state cannot be trusted. */
static void destroy_instance(slc_stage *s) {
    if (s->created && !s->crashed) {
        slc_guard_enter(s->number, stage_name(s), "destroy");
        s->lib->desc->destroy(s->state);
        slc_guard_leave();
    }
    s->created = 0;
}

int slc_pipeline_create(slc_pipeline *p, slc_diag *diag) {
    for (size_t i = 0; i < p->nstages; i++) {
        slc_stage *s = &p->stages[i];
        if (check_stage(p, s, diag) != 0 || create_instance(p, s, diag) != 0)
            return -1;
    }
    return 0;
}

void slc_pipeline_free(slc_pipeline *p) {
    for (size_t i = 0; i < p->nstages; i++) {
        slc_stage *s = &p->stages[i];
        destroy_instance(s);
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
    int stop;         /* stop at once: what is in flight is dropped, as if never read */
    int input_done;   /* no more documents: the inputs are read, or a stop was asked for */
    int watch_stalls; /* a stage can sync: notice when the input pauses */
    int wait_next;    /* the input paused and the stages synced: now wait for it */
    int stalled;      /* the last read found the input paused */
    int sync_each;    /* sync the stages after every document (--unbuffered, a terminal) */
    size_t split;     /* stages [first, split) run in the workers, [split, n) in this thread */
    size_t first;     /* 1 when stage 0 is a source, else 0 */
    /* the input being read */
    char *const *inputs;
    size_t ninputs, next_input;
    slc_reader reader;
    int reader_open;
    uint64_t bytes_done; /* input bytes of the readers closed so far */
    slc_progress progress;
} run;

static void record_failure(run *r, const sl_doc *doc, const slc_stage *s, const char *msg,
                           const char *raw, size_t raw_len) {
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
        fprintf(r->dead, "# %s\n", reason);
        if (raw) {
            fwrite(raw, 1, raw_len, r->dead);
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

enum plugin_call { CALL_PROCESS, CALL_READ, CALL_FLUSH, CALL_SYNC };

/* Call one plugin function under the crash guard: its status, or CRASHED after a fatal
 * signal (the stage is then marked crashed and slc_guard_recovered() describes it). */
static int call_plugin(slc_stage *s, enum plugin_call call, sl_doc *doc) {
    static const char *const names[] = {"process", "read", "flush", "sync"};
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
             : call == CALL_FLUSH ? d->flush(s->state)
                                  : d->sync(s->state);
    slc_guard_leave();
    return rc;
}

/* Stages [from, to) of `stages` on doc: SL_OK, or the status of the stage that stopped it
 * (*failed), CRASHED when it crashed. */
static int run_stages(slc_stage *stages, size_t from, size_t to, sl_doc *doc, slc_stage **failed,
                      int timed) {
    for (size_t i = from; i < to; i++) {
        slc_stage *s = &stages[i];
        double t0 = timed ? slc_now() : 0;
        int rc = call_plugin(s, CALL_PROCESS, doc);
        if (timed) {
            s->seconds += slc_now() - t0;
            s->docs++;
        }
        if (rc == SL_OK && !slc_doc_error(doc))
            continue;
        s->failed += timed;
        *failed = s;
        /* SL_EDOC also when the core failed it (out of memory) while the stage went on */
        return rc == SL_OK ? SL_EDOC : rc;
    }
    return SL_OK;
}

int slc_pipeline_process(slc_pipeline *p, sl_doc *doc, size_t first, slc_stage **failed) {
    return run_stages(p->stages, first, p->nstages, doc, failed, 0);
}

/* A stage's flush or sync that did not return SL_OK: a broken pipe, a crash, or output
 * that could not be written. */
static void output_failed(run *r, slc_stage *s, const char *call, int rc) {
    slc_run_stats *st = r->stats;
    if (rc == SL_EPIPE) {
        st->broken_pipe = 1;
        return;
    }
    st->output_failed = 1;
    if (rc == CRASHED) {
        fprintf(stderr, "sluice: stage %d (plugin %s): crashed in %s: %s\n", s->number,
                stage_name(s), call, slc_guard_recovered());
        st->crashed = 1;
        r->status = SLC_EXIT_CRASH;
        return;
    }
    fprintf(stderr, "sluice: stage %d (plugin %s): %s failed: %s\n", s->number, stage_name(s), call,
            sl_strerror(rc));
    if (r->status == SLC_EXIT_OK || r->status == SLC_EXIT_DOCS)
        r->status = SLC_EXIT_IO;
}

/* Let the stages write out what they hold, for a reader downstream that waits (sync); a
 * stage that cannot write stops the run. */
static void sync_stages(run *r) {
    for (size_t i = 0; i < r->p->nstages && !r->stop; i++) {
        slc_stage *s = &r->p->stages[i];
        if (!SL_PLUGIN_HAS(s->lib->desc, sync) || s->crashed)
            continue;
        int rc = call_plugin(s, CALL_SYNC, NULL);
        if (rc != SL_OK) {
            output_failed(r, s, "sync", rc);
            r->stop = 1;
        }
    }
}

/* Input bytes read so far. */
static uint64_t bytes_in(const run *r) {
    return r->bytes_done + (r->reader_open ? r->reader.consumed : 0);
}

/* Account for one document that went through the stages (or failed in them) with status rc;
 * crash_what describes a crash (rc CRASHED). raw is the input record, for the dead-letter
 * file. */
static void finish_doc(run *r, sl_doc *doc, int rc, slc_stage *s, const char *crash_what,
                       const char *raw, size_t raw_len) {
    slc_run_stats *st = r->stats;
    st->read++;
    slc_progress_update(&r->progress, st->read, bytes_in(r), st->failed, 0);
    if (rc == SL_OK) {
        st->repaired += slc_doc_repairs(doc);
        st->written++;
        if (r->sync_each)
            sync_stages(r);
        return;
    }
    if (rc == CRASHED) { /* fail the document and stop; the other stages still flush */
        char msg[256];
        snprintf(msg, sizeof msg, "crashed in process: %s; the run stops here", crash_what);
        record_failure(r, doc, s, msg, raw, raw_len);
        st->crashed = 1;
        r->status = SLC_EXIT_CRASH;
        r->stop = 1;
        return;
    }
    const char *msg = slc_doc_error(doc) ? slc_doc_error(doc) : sl_strerror(rc);
    if (rc == SL_EPIPE) {
        st->broken_pipe = 1;
        st->read--; /* never finished: the reader of our output is gone */
        r->stop = 1;
        return;
    }
    if (rc == SL_EIO && s) {
        fprintf(stderr, "sluice: stage %d (plugin %s): %s\n", s->number, stage_name(s), msg);
        r->status = SLC_EXIT_IO;
        r->stop = 1;
        st->failed++;
        st->output_failed = 1;
        return;
    }
    record_failure(r, doc, s, msg, raw, raw_len);
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

/* Done with the input being read: its bytes count in the progress and the stats. */
static void close_reader(run *r) {
    if (r->reader_open) {
        r->bytes_done += r->reader.consumed;
        slc_reader_close(&r->reader);
        r->reader_open = 0;
    }
}

/* The next document from the inputs, one file after another: 1, or 0 at the end. A file
 * that cannot be opened or read is reported and the next one is read (the exit status
 * tells). */
static int next_from_inputs(run *r, sl_doc *doc) {
    while (!r->stop) {
        slc_buf err = {0};
        if (!r->reader_open) {
            if (r->next_input == r->ninputs)
                return 0;
            const char *path = r->inputs[r->next_input++];
            if (slc_reader_open(&r->reader, path, (slc_input_format)format_for(r, path),
                                r->o->max_doc, &err) != 0) {
                fprintf(stderr, "sluice: %s\n", err.p);
                slc_buf_free(&err);
                r->status = SLC_EXIT_IO;
                continue;
            }
            r->reader_open = 1;
        }
        r->reader.stall_check = r->watch_stalls && !r->wait_next;
        r->wait_next = 0;
        int rc = slc_reader_next(&r->reader, doc, &err);
        if (rc == 1 || rc == SLC_READ_STALLED)
            return rc;
        if (rc < 0 && !slc_interrupted()) {
            fprintf(stderr, "sluice: %s\n", err.p ? err.p : sl_strerror(rc));
            r->status = rc == SL_ENOMEM ? SLC_EXIT_INTERNAL : SLC_EXIT_IO;
            r->stop = rc == SL_ENOMEM;
        }
        slc_buf_free(&err);
        close_reader(r);
        if (slc_interrupted())
            return 0;
    }
    return 0;
}

/* The next document from the source plugin: 1, or 0 at its end or on its error. */
static int next_from_source(run *r, sl_doc *doc) {
    slc_stage *src = &r->p->stages[0];
    slc_doc_reset(doc);
    slc_doc_set_origin(doc, src->lib->desc->name, 0);
    int rc = call_plugin(src, CALL_READ, doc);
    if (rc == CRASHED) {
        fprintf(stderr, "sluice: stage 1 (plugin %s): crashed in read: %s; the run stops here\n",
                stage_name(src), slc_guard_recovered());
        r->stats->crashed = 1;
        r->status = SLC_EXIT_CRASH;
        r->stop = 1;
        return 0;
    }
    if (rc < 0 && !slc_doc_error(doc)) {
        fprintf(stderr, "sluice: stage 1 (plugin %s): %s\n", stage_name(src), sl_strerror(rc));
        r->status = SLC_EXIT_IO;
        return 0;
    }
    return rc != 0;
}

/* The next document to run, from the source plugin or the inputs: 1, or 0 when there is no
 * more (the inputs are read, a stop was asked for, or the run must stop), or, when the input
 * paused with nothing whole to read, SLC_READ_STALLED (r->stalled set). */
static int next_doc(run *r, sl_doc *doc) {
    if (r->stop || r->input_done || slc_interrupted()) {
        r->input_done = 1;
        return 0;
    }
    int got = r->first ? next_from_source(r, doc) : next_from_inputs(r, doc);
    r->stalled = got == SLC_READ_STALLED;
    if (!got)
        r->input_done = 1;
    return got;
}

/* The input paused: what was read is written out before waiting for more. */
static void on_stall(run *r) {
    sync_stages(r);
    r->stalled = 0;
    r->wait_next = 1;
}

/* The raw input record of the document just read, for the dead-letter file. */
static const char *last_raw(const run *r, size_t *len) {
    *len = 0;
    return r->reader_open ? slc_reader_raw(&r->reader, len) : NULL;
}

/* No workers: every stage runs in this thread, one document at a time. */
static void run_sequential(run *r, sl_doc *doc) {
    int got;
    while ((got = next_doc(r, doc)) != 0) {
        if (got == SLC_READ_STALLED) {
            on_stall(r);
            continue;
        }
        size_t raw_len;
        const char *raw = last_raw(r, &raw_len);
        slc_stage *s = NULL;
        int rc = SL_EDOC;
        if (!slc_doc_error(doc))
            rc = run_stages(r->p->stages, r->first, r->p->nstages, doc, &s, r->o->stats);
        const char *what = rc == CRASHED ? slc_guard_recovered() : NULL;
        finish_doc(r, doc, rc, s, what, raw, raw_len);
    }
}

/* ---- several workers ---- */

/* Documents go to the workers in batches, so that the hand-over between threads costs little
 * next to the work: at most this many documents, or about this many bytes of input. */
#define BATCH_DOCS 64
#define BATCH_BYTES (256u << 10)

/* One document of a batch and what the workers' stages made of it. */
typedef struct job_doc {
    sl_doc *doc;
    slc_buf raw; /* the input record, kept for the dead-letter file */
    int has_raw;
    int rc;            /* SL_OK, a failure, CRASHED, or NOT_RUN */
    slc_stage *failed; /* the stage that failed it */
    const char *crash_what;
} job_doc;

/* Left by a worker whose stage crashed earlier in the batch: the run stops before it. */
#define NOT_RUN (INT_MIN + 1)

/* A batch of documents in flight between the reader, a worker and the sinks. */
typedef struct job {
    job_doc docs[BATCH_DOCS];
    size_t n;
} job;

typedef struct parallel {
    run *r;
    slc_stage **stages; /* per worker: its own instances of stages [0, split) */
    size_t nworkers;
} parallel;

static void work(void *ctx, size_t worker, void *vjob) {
    parallel *par = ctx;
    job *j = vjob;
    int crashed = 0;
    for (size_t k = 0; k < j->n; k++) {
        job_doc *d = &j->docs[k];
        d->failed = NULL;
        d->crash_what = NULL;
        d->rc = crashed ? NOT_RUN : SL_EDOC;
        if (crashed || slc_doc_error(d->doc))
            continue; /* failed when it was read: the runner reports it in its turn */
        d->rc = run_stages(par->stages[worker], par->r->first, par->r->split, d->doc, &d->failed,
                           par->r->o->stats);
        if (d->rc == CRASHED) {
            d->crash_what = slc_guard_recovered(); /* here, where the signal is blocked */
            crashed = 1;
        }
    }
}

/* A finished batch: the stages after the split, in input order, then the counts. */
static void retire(run *r, job *j) {
    for (size_t k = 0; k < j->n && !r->stop; k++) {
        job_doc *d = &j->docs[k];
        int rc = d->rc;
        slc_stage *s = d->failed;
        if (rc == NOT_RUN)
            break;
        if (rc == SL_OK)
            rc = run_stages(r->p->stages, r->split, r->p->nstages, d->doc, &s, r->o->stats);
        const char *what = d->crash_what;
        if (rc == CRASHED && !what)
            what = slc_guard_recovered();
        finish_doc(r, d->doc, rc, s, what, d->has_raw ? d->raw.p : NULL, d->raw.len);
    }
}

/* Make each worker's instances of the stages before the split; worker 0 uses the
 * pipeline's own. Errors are reported on stderr. */
static int create_worker_stages(run *r, parallel *par) {
    slc_pipeline *p = r->p;
    for (size_t w = 0; w < par->nworkers; w++) {
        if (w == 0) {
            par->stages[0] = p->stages;
            continue;
        }
        slc_stage *copy = calloc(r->split, sizeof *copy);
        if (!copy) {
            fputs("sluice: out of memory\n", stderr);
            return SLC_EXIT_INTERNAL;
        }
        par->stages[w] = copy;
        for (size_t i = r->first; i < r->split; i++) {
            copy[i] = p->stages[i];
            copy[i].state = NULL;
            copy[i].created = 0;
            slc_diag diag = {0};
            int rc = create_instance(p, &copy[i], &diag);
            slc_diag_print(&diag, stderr);
            slc_diag_free(&diag);
            if (rc != 0)
                return SLC_EXIT_PIPELINE;
        }
    }
    return SLC_EXIT_OK;
}

static void destroy_worker_stages(run *r, parallel *par) {
    for (size_t w = 1; w < par->nworkers; w++) {
        if (!par->stages[w])
            continue;
        for (size_t i = r->first; i < r->split; i++) {
            slc_stage *mine = &par->stages[w][i], *main_stage = &r->p->stages[i];
            main_stage->docs += mine->docs; /* --stats counts every worker's instance */
            main_stage->failed += mine->failed;
            main_stage->seconds += mine->seconds;
            destroy_instance(mine);
        }
        free(par->stages[w]);
    }
}

static void free_jobs(job *jobs, size_t n) {
    for (size_t i = 0; jobs && i < n; i++)
        for (size_t k = 0; k < BATCH_DOCS; k++) {
            slc_doc_free(jobs[i].docs[k].doc);
            slc_buf_free(&jobs[i].docs[k].raw);
        }
    free(jobs);
}

static job *new_jobs(size_t n) {
    job *jobs = calloc(n, sizeof *jobs);
    for (size_t i = 0; jobs && i < n; i++)
        for (size_t k = 0; k < BATCH_DOCS; k++)
            if (!(jobs[i].docs[k].doc = slc_doc_new())) {
                free_jobs(jobs, n);
                return NULL;
            }
    return jobs;
}

/* Fill a batch from the input: 1 when it holds at least one document. */
static int fill_batch(run *r, job *j) {
    size_t bytes = 0;
    j->n = 0;
    while (j->n < BATCH_DOCS && bytes < BATCH_BYTES && next_doc(r, j->docs[j->n].doc) == 1) {
        job_doc *d = &j->docs[j->n++];
        size_t raw_len = 0;
        const char *raw = last_raw(r, &raw_len);
        bytes += raw ? raw_len : BATCH_BYTES / 8; /* whole files: a few per batch */
        d->has_raw = 0;
        slc_buf_clear(&d->raw);
        if (r->dead && raw && !(d->has_raw = slc_buf_append(&d->raw, raw, raw_len) == 0))
            slc_doc_fail(d->doc, "out of memory"); /* it could not reach the dead letters */
    }
    return j->n > 0;
}

/* Read batches into free jobs and hand them to the workers; take finished ones back in order
 * and run the rest of the pipeline on them here. */
static void feed_workers(run *r, slc_workers *w) {
    for (;;) {
        job *j;
        while (!r->input_done && !r->stalled && (j = slc_workers_acquire(w)) != NULL) {
            if (!fill_batch(r, j)) {
                slc_workers_unacquire(w, j);
                break;
            }
            slc_workers_submit(w, j);
            if ((j = slc_workers_retire(w, 0)) != NULL) { /* keep the output moving */
                retire(r, j);
                slc_workers_release(w, j);
            }
        }
        if (r->stop) {
            /* What the workers have not started is dropped; what they hold finishes, and is
             * dropped too, as a single worker would never have read it. */
            slc_workers_cancel_pending(w);
            while ((j = slc_workers_retire(w, 1)) != NULL)
                slc_workers_release(w, j);
            return;
        }
        if ((j = slc_workers_retire(w, 1)) == NULL) {
            if (r->input_done)
                return;
            if (r->stalled) /* all that was read is out of the workers: write it out */
                on_stall(r);
            continue;
        }
        retire(r, j);
        slc_workers_release(w, j);
    }
}

static void run_parallel(run *r, size_t nworkers) {
    size_t njobs = nworkers * 3;
    parallel par = {r, calloc(nworkers, sizeof(slc_stage *)), nworkers};
    job *jobs = new_jobs(njobs);
    void **ptrs = calloc(njobs, sizeof *ptrs);
    slc_workers *w = NULL;
    int rc = par.stages && jobs && ptrs ? create_worker_stages(r, &par) : SLC_EXIT_INTERNAL;
    if (!par.stages || !jobs || !ptrs)
        fputs("sluice: out of memory\n", stderr);
    for (size_t i = 0; ptrs && i < njobs; i++)
        ptrs[i] = &jobs[i];
    int started = rc == SLC_EXIT_OK
                      ? slc_workers_start(&w, nworkers, ptrs, njobs, !r->o->unordered, work, &par)
                      : SL_OK;
    if (started != SL_OK) {
        fprintf(stderr, "sluice: cannot start %zu worker threads: %s\n", nworkers,
                sl_strerror(started));
        rc = SLC_EXIT_INTERNAL;
    }
    if (rc == SLC_EXIT_OK) {
        r->stats->workers = nworkers;
        feed_workers(r, w);
        slc_workers_stop(w);
    } else {
        r->status = rc;
    }
    if (par.stages)
        destroy_worker_stages(r, &par);
    free(par.stages);
    free(ptrs);
    free_jobs(jobs, njobs);
}

/* 1 when stage 0 is a source plugin (it reads; the stages to run start after it), else 0. */
static size_t first_stage(const slc_pipeline *p) {
    return p->nstages && p->stages[0].lib->desc->kind == SL_KIND_SOURCE;
}

/* Where the pipeline stops being parallel: the first sink, or the first stage that does not
 * allow several instances. */
static size_t parallel_split(const slc_pipeline *p, size_t first) {
    size_t i = first;
    while (i < p->nstages && p->stages[i].lib->desc->kind == SL_KIND_STAGE &&
           (p->stages[i].lib->flags & SL_PLUGIN_PARALLEL))
        i++;
    return i;
}

size_t slc_pipeline_workers(const slc_pipeline *p, size_t requested) {
    size_t first = first_stage(p);
    if (parallel_split(p, first) == first)
        return 1; /* nothing before the first sink may run in several instances */
    if (requested == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        requested = n > 0 ? (size_t)n : 1;
    }
    return requested > 256 ? 256 : requested;
}

/* The --stats table: the stages' own figures (every worker's instance added in). */
static void print_stats(run *r) {
    slc_stage_stats rows[256];
    size_t n = 0;
    for (size_t i = r->first; i < r->p->nstages && n < 256; i++) {
        const slc_stage *s = &r->p->stages[i];
        rows[n++] = (slc_stage_stats){s->number, stage_name(s), s->docs, s->failed, s->seconds};
    }
    slc_stats_print(rows, n, bytes_in(r), slc_now() - r->progress.start, r->stats->workers);
}

/* Let every stage finish its output; a crashed stage is skipped. */
static void flush_stages(run *r) {
    for (size_t i = 0; i < r->p->nstages && !r->stats->broken_pipe; i++) {
        slc_stage *s = &r->p->stages[i];
        if (!s->lib->desc->flush || s->crashed)
            continue;
        int rc = call_plugin(s, CALL_FLUSH, NULL);
        if (rc != SL_OK)
            output_failed(r, s, "flush", rc);
    }
}

int slc_pipeline_run(slc_pipeline *p, const slc_run_options *o, slc_run_stats *stats) {
    static char *const stdin_only[] = {"-"};
    memset(stats, 0, sizeof *stats);
    run r;
    memset(&r, 0, sizeof r);
    r.p = p;
    r.o = o;
    r.stats = stats;
    r.status = SLC_EXIT_OK;
    r.first = first_stage(p);
    r.inputs = o->ninputs ? o->inputs : stdin_only;
    r.ninputs = o->ninputs ? o->ninputs : 1;
    if (o->dead_letter && !(r.dead = fopen(o->dead_letter, "w"))) {
        fprintf(stderr, "sluice: %s: cannot open dead-letter file: %s\n", o->dead_letter,
                strerror(errno));
        return SLC_EXIT_IO;
    }
    r.progress.on = o->progress;
    r.progress.start = slc_now();
    r.progress.last = r.progress.start - 1; /* the first document draws the line */
    for (size_t i = 0; i < r.ninputs && !r.first; i++) {
        struct stat sb; /* the percentage needs every input's size */
        if (strcmp(r.inputs[i], "-") == 0 || stat(r.inputs[i], &sb) != 0 || !S_ISREG(sb.st_mode)) {
            r.progress.total = 0;
            break;
        }
        r.progress.total += (uint64_t)sb.st_size;
    }
    for (size_t i = 0; i < p->nstages; i++)
        r.watch_stalls |= SL_PLUGIN_HAS(p->stages[i].lib->desc, sync);
    r.sync_each = r.watch_stalls && (o->unbuffered || isatty(STDOUT_FILENO));
    size_t nworkers = slc_pipeline_workers(p, o->jobs);
    r.split = parallel_split(p, r.first);
    if (nworkers > 1) {
        run_parallel(&r, nworkers);
    } else {
        sl_doc *doc = slc_doc_new();
        if (!doc) {
            fputs("sluice: out of memory\n", stderr);
            if (r.dead)
                fclose(r.dead);
            return SLC_EXIT_INTERNAL;
        }
        run_sequential(&r, doc);
        slc_doc_free(doc);
    }
    slc_progress_clear(&r.progress);
    close_reader(&r);
    flush_stages(&r);
    if (o->stats)
        print_stats(&r);
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
