/*
 * Stopping cleanly on SIGINT, SIGTERM and SIGHUP (Ctrl-C, `timeout`, `kill`, a closed
 * terminal). The first signal asks the run to stop after the document in progress: the sinks
 * flush, so the output ends with whole records, and the summary line says what happened. A
 * second one ends the process at once, naming the plugin call that was running, for a plugin
 * that never returns. Only the sluice command installs this.
 */
#ifndef SLUICE_CORE_INTERRUPT_H
#define SLUICE_CORE_INTERRUPT_H

/* Install the handlers. 0, or -1 when the system refuses. */
int slc_interrupt_install(void);

/* The signal that asked the run to stop, or 0. */
int slc_interrupted(void);

/* The signal's name: "SIGINT", "SIGTERM", "SIGHUP". */
const char *slc_interrupt_name(int sig);

#endif
