/* The plugin test harness (include/sluice/harness.h): a pipeline written as YAML from the
 * stages added, loaded, checked and created by the runner's own functions, and documents sent
 * through it one at a time in this process. */
#include "sluice/harness.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "doc_api.h"
#include "document.h"
#include "reader.h"
#include "runner.h"

struct sl_harness {
    slc_buf yaml; /* the pipeline: "stages:" and one item per stage added */
    char **dirs;  /* plugin folders searched first */
    size_t ndirs;
    slc_pipeline pipeline;
    int loaded;  /* pipeline holds what slc_pipeline_load_string made, even on failure */
    int checked; /* slc_pipeline_check passed */
    int started; /* every stage created */
    sl_doc *doc;
    unsigned json_flags;
    long count;      /* documents sent, for their ORIGIN:LINE ids */
    slc_buf scratch; /* UTF-8 repair */
    slc_diag diag;   /* kept: the stages' configurations report to it (cfg_error) */
    slc_buf error;
};

static const char harness_name[] = "harness";

static void set_error(sl_harness *h, const char *msg) {
    slc_buf_clear(&h->error);
    slc_buf_puts(&h->error, msg);
}

sl_harness *sl_harness_new(void) {
    sl_harness *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    if (slc_buf_puts(&h->yaml, "stages:\n") != 0 || !(h->doc = slc_doc_new())) {
        sl_harness_free(h);
        return NULL;
    }
    return h;
}

void sl_harness_free(sl_harness *h) {
    if (!h)
        return;
    if (h->loaded)
        slc_pipeline_free(&h->pipeline);
    for (size_t i = 0; i < h->ndirs; i++)
        free(h->dirs[i]);
    free(h->dirs);
    slc_doc_free(h->doc);
    slc_buf_free(&h->yaml);
    slc_buf_free(&h->scratch);
    slc_diag_free(&h->diag);
    slc_buf_free(&h->error);
    free(h);
}

int sl_harness_plugin_dir(sl_harness *h, const char *dir) {
    if (h->loaded || !dir)
        return SL_EINVAL;
    char **dirs = realloc(h->dirs, (h->ndirs + 1) * sizeof *dirs);
    if (!dirs)
        return SL_ENOMEM;
    h->dirs = dirs;
    size_t n = strlen(dir) + 1;
    if (!(dirs[h->ndirs] = malloc(n)))
        return SL_ENOMEM;
    memcpy(dirs[h->ndirs++], dir, n);
    return SL_OK;
}

int sl_harness_add(sl_harness *h, const char *plugin, const char *options) {
    if (h->loaded || !plugin || !*plugin)
        return SL_EINVAL;
    /* The plugin as a single-quoted YAML scalar (a path may hold any character), then each
     * option line indented under it. */
    size_t mark = h->yaml.len;
    int rc = slc_buf_puts(&h->yaml, "  - plugin: '");
    for (const char *p = plugin; *p && rc == 0; p++)
        rc = *p == '\'' ? slc_buf_puts(&h->yaml, "''") : slc_buf_putc(&h->yaml, *p);
    rc = rc ? rc : slc_buf_puts(&h->yaml, "'\n");
    for (const char *line = options; line && *line && rc == 0;) {
        const char *eol = strchr(line, '\n');
        size_t n = eol ? (size_t)(eol - line) : strlen(line);
        rc = slc_buf_puts(&h->yaml, "    ");
        rc = rc ? rc : slc_buf_append(&h->yaml, line, n);
        rc = rc ? rc : slc_buf_putc(&h->yaml, '\n');
        line += n + (eol != NULL);
    }
    if (rc != 0) {
        h->yaml.len = mark; /* the stage is not added */
        h->yaml.p[mark] = '\0';
        return SL_ENOMEM;
    }
    return SL_OK;
}

/* The problems the pipeline functions reported, as the last error; then none pending. */
static void take_diag(sl_harness *h, int ok) {
    set_error(h, h->diag.text.p ? h->diag.text.p : ok ? "" : "out of memory");
    slc_buf_clear(&h->diag.text);
    h->diag.errors = 0;
}

/* Load (once) and check the pipeline; the problems go to h->error. */
static int check(sl_harness *h) {
    if (h->checked)
        return SL_OK;
    if (h->loaded) /* a failed check is not run again */
        return SL_ECONFIG;
    h->loaded = 1;
    int none = strcmp(h->yaml.p, "stages:\n") == 0; /* no stage: a pass-through */
    int rc = slc_pipeline_load_string(&h->pipeline, harness_name, none ? "stages: []\n" : h->yaml.p,
                                      h->dirs, h->ndirs, &h->diag);
    if (rc == 0 && !h->diag.errors)
        rc = slc_pipeline_check(&h->pipeline, &h->diag);
    h->checked = rc == 0 && !h->diag.errors;
    take_diag(h, h->checked);
    return h->checked ? SL_OK : SL_ECONFIG;
}

int sl_harness_check(sl_harness *h) {
    return check(h);
}

int sl_harness_start(sl_harness *h) {
    if (h->started)
        return SL_OK;
    int rc = check(h);
    if (rc != SL_OK)
        return rc;
    h->started = slc_pipeline_create(&h->pipeline, &h->diag) == 0 && !h->diag.errors;
    take_diag(h, h->started);
    if (!h->started)
        h->checked = 0; /* what was created is destroyed by sl_harness_free */
    return h->started ? SL_OK : SL_ECONFIG;
}

void sl_harness_json_flags(sl_harness *h, unsigned flags) {
    h->json_flags = flags;
}

/* Whether the first stage is a source: documents then start at the second. */
static int has_source(const sl_harness *h) {
    return h->pipeline.nstages && h->pipeline.stages[0].lib->desc->kind == SL_KIND_SOURCE;
}

/* The document loaded (with rc, the loader's status) through the stages, then as JSON. */
static const char *run_doc(sl_harness *h, int rc, size_t *len) {
    slc_buf_clear(&h->error);
    if (rc == SL_ENOMEM || !slc_doc_error(h->doc)) {
        slc_stage *failed = NULL;
        if (rc != SL_ENOMEM)
            rc = slc_pipeline_process(&h->pipeline, h->doc, (size_t)has_source(h), &failed);
        if (rc != SL_OK) {
            const char *msg = slc_doc_error(h->doc) ? slc_doc_error(h->doc) : sl_strerror(rc);
            if (failed)
                slc_buf_printf(&h->error, "stage %d (plugin %s): %s", failed->number,
                               failed->lib->desc->name, msg);
            else
                set_error(h, msg);
            return NULL;
        }
        size_t n = 0;
        const char *json = slc_doc_json(h->doc, h->json_flags, &n);
        if (len)
            *len = n;
        if (!json)
            set_error(h, "out of memory while writing JSON");
        return json;
    }
    set_error(h, slc_doc_error(h->doc)); /* a malformed record */
    return NULL;
}

/* Ready for the next document: started, the document emptied and given its origin. */
static int next_doc(sl_harness *h) {
    if (!h->started) {
        set_error(h, h->loaded ? "the harness did not start" : "sl_harness_start() was not called");
        return -1;
    }
    slc_doc_reset(h->doc);
    slc_doc_set_origin(h->doc, harness_name, ++h->count);
    return 0;
}

const char *sl_harness_process(sl_harness *h, const char *json_line, size_t *len) {
    if (next_doc(h) != 0)
        return NULL;
    return run_doc(h, slc_doc_load_record(h->doc, json_line, strlen(json_line), &h->scratch), len);
}

const char *sl_harness_process_text(sl_harness *h, const char *id, const char *text, size_t len,
                                    size_t *out_len) {
    if (next_doc(h) != 0)
        return NULL;
    return run_doc(h, slc_doc_load_text(h->doc, id, text, len), out_len);
}

const char *sl_harness_process_html(sl_harness *h, const char *id, const char *html, size_t len,
                                    size_t *out_len) {
    if (next_doc(h) != 0)
        return NULL;
    return run_doc(h, slc_doc_load_html(h->doc, id, html, len), out_len);
}

const char *sl_harness_read(sl_harness *h, size_t *len) {
    if (next_doc(h) != 0)
        return NULL;
    if (!has_source(h)) {
        set_error(h, "the first stage is not a source");
        return NULL;
    }
    slc_stage *src = &h->pipeline.stages[0];
    int rc = src->lib->desc->read(src->state, h->doc);
    if (rc == 0) { /* the end */
        slc_buf_clear(&h->error);
        return NULL;
    }
    if (rc < 0) {
        const char *msg = slc_doc_error(h->doc) ? slc_doc_error(h->doc) : sl_strerror(rc);
        slc_buf_clear(&h->error);
        slc_buf_printf(&h->error, "stage 1 (plugin %s): %s", src->lib->desc->name, msg);
        return NULL;
    }
    return run_doc(h, SL_OK, len);
}

int sl_harness_flush(sl_harness *h) {
    slc_buf_clear(&h->error);
    for (size_t i = 0; h->started && i < h->pipeline.nstages; i++) {
        const slc_stage *s = &h->pipeline.stages[i];
        int rc = s->lib->desc->flush ? s->lib->desc->flush(s->state) : SL_OK;
        if (rc != SL_OK) {
            slc_buf_printf(&h->error, "stage %d (plugin %s): flush failed: %s", s->number,
                           s->lib->desc->name, sl_strerror(rc));
            return rc;
        }
    }
    return SL_OK;
}

const char *sl_harness_error(const sl_harness *h) {
    return h->error.p ? h->error.p : "";
}
