/*
 * The crash guard: a fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) raised while a
 * plugin runs becomes a clear error that names the stage, the plugin and the call, instead of
 * a bare "Segmentation fault". Where the runner has armed a recovery point, the signal jumps
 * back to it, so the run can record the document as failed, flush the other stages' output
 * and stop cleanly. Signal handlers are process-wide, so only the sluice command installs it;
 * a program that embeds the library keeps its own handlers.
 */
#ifndef SLUICE_CORE_GUARD_H
#define SLUICE_CORE_GUARD_H

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>

/* What is running now; written before every plugin call, read by the signal handler. */
typedef struct slc_guard {
    sigjmp_buf env;              /* valid while armed */
    volatile sig_atomic_t armed; /* 1: a fatal signal jumps to env */
    volatile sig_atomic_t signo; /* the signal that jumped */
    volatile sig_atomic_t stage; /* 1-based stage number; 0: the core itself */
    const char *volatile plugin;
    const char *volatile call; /* "create", "process", "read", "flush", "destroy" */
} slc_guard;

/* One per thread: a fatal signal is handled in the thread that raised it. */
extern _Thread_local slc_guard slc_guard_now;

/* A worker thread that calls plugins: give it its own signal stack and let a second SIGINT
 * name what it runs. Returns 0, or -1 (the thread then runs unguarded against overflows). */
int slc_guard_thread_start(void);
/* The thread's end: its signal stack and its entry in the list go. */
void slc_guard_thread_end(void);
/* Say, from a signal handler, which plugin calls are running in any thread (", in CALL of
 * plugin NAME" for each). */
void slc_guard_say_running(void);

/* Install the handlers (and an alternate stack, so that a stack overflow is caught too).
 * Returns 0, or -1 when the system refuses. */
int slc_guard_install(void);

/* Whether slc_guard_install() succeeded in this process. */
int slc_guard_installed(void);

/* Note the plugin call that starts now (stage 0 and NULL plugin: back in the core). */
static inline void slc_guard_enter(int stage, const char *plugin, const char *call) {
    slc_guard_now.stage = stage;
    slc_guard_now.plugin = plugin;
    slc_guard_now.call = call;
}

/* write(2) a NUL-terminated string to standard error: the only output a signal handler may
 * do. */
void slc_signal_say(const char *s);

/* Back in the core after a plugin call: no recovery point, no plugin to name. */
static inline void slc_guard_leave(void) {
    slc_guard_now.armed = 0;
    slc_guard_enter(0, NULL, NULL);
}

/* After a jump to the recovery point: unblock the signal and describe it ("segmentation fault
 * (SIGSEGV)"). */
const char *slc_guard_recovered(void);

#endif
