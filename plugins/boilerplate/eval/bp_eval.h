/* The evaluation as a function, for the eval program and the F1-floor test. */
#ifndef BP_EVAL_H
#define BP_EVAL_H

#include <stddef.h>

void bp_eval_default_dir(char *buf, size_t cap);
int bp_eval_run(const char *dir, int verbose, const char *show, const char *dump, double *f1_out,
                double *mbps_out);

#endif
