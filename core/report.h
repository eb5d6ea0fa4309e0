/* What a run tells its user while it goes and at its end: the progress line on a terminal
 * and the per-stage table of `--stats`. */
#ifndef SLUICE_CORE_REPORT_H
#define SLUICE_CORE_REPORT_H

#include <stddef.h>
#include <stdint.h>

/* Seconds on a monotonic clock. */
double slc_now(void);

/* The progress line's state. */
typedef struct slc_progress {
    int on;             /* show it */
    double start, last; /* when the run started, when the line was last drawn */
    uint64_t total;     /* input bytes when known (regular files), else 0 */
    int drawn;          /* a line is on the screen */
} slc_progress;

/* Redraw "documents, MB, documents/s, MB/s, failed, percent and ETA" on stderr when a quarter
 * of a second has passed (or always, with force). */
void slc_progress_update(slc_progress *p, size_t docs, uint64_t bytes, size_t failed, int force);
/* Take the line off the screen before other output. */
void slc_progress_clear(slc_progress *p);

/* One stage's figures for --stats. */
typedef struct slc_stage_stats {
    int number;
    const char *plugin;
    size_t docs, failed;
    double seconds;
} slc_stage_stats;

/* The --stats table on stderr: per stage documents, time, share of the stages' time, MB/s of
 * the input through it, failures. */
void slc_stats_print(const slc_stage_stats *s, size_t n, uint64_t bytes, double wall,
                     size_t workers);

#endif
