#include "report.h"

#include <stdio.h>
#include <time.h>

double slc_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void slc_progress_update(slc_progress *p, size_t docs, uint64_t bytes, size_t failed, int force) {
    if (!p->on)
        return;
    double now = slc_now();
    if (!force && now - p->last < 0.25)
        return;
    p->last = now;
    double secs = now - p->start > 1e-6 ? now - p->start : 1e-6;
    double mb = (double)bytes / 1e6;
    char tail[64] = "";
    if (p->total && bytes <= p->total && bytes > 0) {
        double left = secs * (double)(p->total - bytes) / (double)bytes;
        snprintf(tail, sizeof tail, ", %.0f%%, ETA %d:%02d",
                 100.0 * (double)bytes / (double)p->total, (int)(left / 60), (int)left % 60);
    }
    /* \r and erase to the end of the line: the line is drawn over itself */
    fprintf(stderr, "\rsluice: %zu document%s, %.1f MB, %.0f docs/s, %.1f MB/s, %zu failed%s\033[K",
            docs, docs == 1 ? "" : "s", mb, (double)docs / secs, mb / secs, failed, tail);
    fflush(stderr);
    p->drawn = 1;
}

void slc_progress_clear(slc_progress *p) {
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = 0;
    }
}

void slc_stats_print(const slc_stage_stats *s, size_t n, uint64_t bytes, double wall,
                     size_t workers) {
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += s[i].seconds;
    fprintf(stderr, "sluice: stats: %.3f s wall, %.1f MB in, %zu worker%s\n", wall,
            (double)bytes / 1e6, workers ? workers : 1, workers > 1 ? "s" : "");
    fprintf(stderr, "sluice: stats: %5s  %-14s %10s %10s %7s %10s %8s\n", "stage", "plugin",
            "documents", "seconds", "share", "MB/s", "failed");
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "sluice: stats: %5d  %-14s %10zu %10.3f %6.1f%% %10.1f %8zu\n", s[i].number,
                s[i].plugin, s[i].docs, s[i].seconds,
                total > 0 ? 100.0 * s[i].seconds / total : 0.0,
                s[i].seconds > 0 ? (double)bytes / 1e6 / s[i].seconds : 0.0, s[i].failed);
}
