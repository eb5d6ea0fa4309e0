/*
 * A pool of worker threads over a fixed window of jobs, for `sluice run -j N`. One thread (the
 * runner's) fills free jobs and submits them in input order; the workers take them in that
 * order and do the work; the runner takes finished jobs back in input order (or as they
 * finish, when unordered) and releases them for reuse. The window bounds the jobs in flight,
 * so memory stays flat however long the input.
 */
#ifndef SLUICE_CORE_WORKERS_H
#define SLUICE_CORE_WORKERS_H

#include <stddef.h>

typedef struct slc_workers slc_workers;

/* What a worker does with one job; worker is its 0-based number. */
typedef void (*slc_work_fn)(void *ctx, size_t worker, void *job);

/* Start nworkers threads over the window of jobs[0..njobs). 0, or SL_ENOMEM / SL_EIO when
 * threads cannot be had (none is left running then). */
int slc_workers_start(slc_workers **out, size_t nworkers, void **jobs, size_t njobs, int ordered,
                      slc_work_fn work, void *ctx);
/* A free job to fill, or NULL when the whole window is in flight. */
void *slc_workers_acquire(slc_workers *w);
/* Hand a filled job (from acquire) to the workers; jobs are taken in submission order. */
void slc_workers_submit(slc_workers *w, void *job);
/* Put a job from acquire back unused. */
void slc_workers_unacquire(slc_workers *w, void *job);
/* The next finished job: in submission order, or any finished one when unordered. With
 * wait, blocks until there is one; NULL when nothing is in flight (or, without wait, none
 * has finished yet). */
void *slc_workers_retire(slc_workers *w, int wait);
/* Make a retired job free again. */
void slc_workers_release(slc_workers *w, void *job);
/* Drop the submitted jobs no worker has started (they come back as free); returns how many. */
size_t slc_workers_cancel_pending(slc_workers *w);
/* Wait for the workers to finish what they hold, end the threads, free the pool. */
void slc_workers_stop(slc_workers *w);

#endif
