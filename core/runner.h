/* A loaded pipeline and the loop that streams documents through it. */
#ifndef SLUICE_CORE_RUNNER_H
#define SLUICE_CORE_RUNNER_H

#include <stddef.h>

#include "diag.h"
#include "loader.h"
#include "pipeline.h"
#include "reader.h"

/* Exit statuses of the sluice command. */
enum slc_exit {
    SLC_EXIT_OK = 0,
    SLC_EXIT_INTERNAL = 1, /* out of memory, or a bug */
    SLC_EXIT_USAGE = 2,    /* bad command line */
    SLC_EXIT_PIPELINE = 3, /* bad pipeline file, plugin that will not load or create */
    SLC_EXIT_DOCS = 4,     /* one or more documents failed */
    SLC_EXIT_IO = 5,       /* cannot read input or write output */
    SLC_EXIT_CRASH = 6     /* a plugin crashed: the run stopped at that document */
    /* 128 + N: stopped by signal N (SIGINT, SIGTERM, SIGHUP) after a clean flush */
};

typedef struct slc_stage {
    const slc_plugin_lib *lib;
    const slc_stage_spec *spec;
    sl_config *cfg;
    void *state;
    int created;
    int crashed; /* its state cannot be trusted: no more calls, not even destroy */
    int number;  /* 1-based, as in messages */
    size_t docs, failed; /* --stats: documents this instance saw, and failed */
    double seconds;      /* --stats: time in its process() calls */
} slc_stage;

typedef struct slc_pipeline {
    slc_pipeline_spec spec;
    slc_search_path search;
    slc_plugin_lib *libs;
    size_t nlibs;
    slc_stage *stages;
    size_t nstages;
    slc_stage_spec default_sink; /* used when the last stage is not a sink */
} slc_pipeline;

/* Parse a pipeline file, find and load its plugins, check every stage's options.
 * Errors go to diag; returns 0 when the pipeline is good. */
int slc_pipeline_load(slc_pipeline *p, const char *path, char *const *plugin_dirs, size_t ndirs,
                      slc_diag *diag);
/* The same from pipeline YAML in memory (name is used in messages, plugin paths are relative
 * to the current folder), for in-process use: no default sink is added. */
int slc_pipeline_load_string(slc_pipeline *p, const char *name, const char *yaml,
                             char *const *plugin_dirs, size_t ndirs, slc_diag *diag);
/* The same from a pipeline already parsed (and perhaps edited: options given on the command
 * line); takes over spec's contents and leaves it empty. */
int slc_pipeline_load_spec(slc_pipeline *p, slc_pipeline_spec *spec, char *const *plugin_dirs,
                           size_t ndirs, slc_diag *diag);
/* Run every plugin's own option check (what `sluice check` adds to the schema); errors go
 * to diag. Returns 0 when all pass. */
int slc_pipeline_check(slc_pipeline *p, slc_diag *diag);
/* Warnings about the layers stages declare they read (sl_plugin.reads) that no earlier stage
 * declares it writes; run after slc_pipeline_check() or _create(). Returns how many. */
int slc_pipeline_layer_warnings(const slc_pipeline *p, slc_diag *warnings);
/* Check, then create every stage's instance; errors go to diag. */
int slc_pipeline_create(slc_pipeline *p, slc_diag *diag);
/* Destroy instances, unload plugins, free everything. */
void slc_pipeline_free(slc_pipeline *p);

typedef struct slc_run_options {
    int format; /* an slc_input_format, or -1 for the pipeline's or the file's own */
    int fail_fast;
    const char *dead_letter;
    size_t max_doc;
    char *const *inputs;
    size_t ninputs;
    size_t jobs;   /* worker threads for the stages that allow it (-j); 0: one per processor */
    int unordered; /* with workers: sinks see documents as they finish, not in input order */
    int unbuffered; /* sync the sinks after every document (also when stdout is a terminal) */
    int stats;      /* time each stage and print the table at the end */
    int progress;   /* the progress line on stderr: 1 on, 0 off */
} slc_run_options;

typedef struct slc_run_stats {
    size_t read, written, failed, repaired;
    int broken_pipe;
    int output_failed; /* a sink could not write: "written" documents may be lost */
    int crashed;       /* a plugin crashed and the run stopped there */
    int interrupted;   /* the signal that stopped the run early, or 0 */
    size_t workers;    /* worker threads used: 0 when the stages ran in the runner's thread */
} slc_run_stats;

/* How many worker threads a run may use: `requested` (0: one per online processor), or 1
 * when no stage before the first sink may run in several instances (SL_PLUGIN_PARALLEL). */
size_t slc_pipeline_workers(const slc_pipeline *p, size_t requested);

/* Send one document through the created stages from index `first` on: SL_OK, or the status
 * of the stage that failed it (*failed; the message is slc_doc_error(doc) when it gave one),
 * INT_MIN when that stage crashed under the crash guard. */
int slc_pipeline_process(slc_pipeline *p, sl_doc *doc, size_t first, slc_stage **failed);

/* Stream the inputs through the pipeline; returns an slc_exit status. */
int slc_pipeline_run(slc_pipeline *p, const slc_run_options *o, slc_run_stats *stats);

#endif
