#define _POSIX_C_SOURCE 200809L /* sigaction, sigaltstack, siglongjmp */
#define _DEFAULT_SOURCE         /* SA_ONSTACK on older C libraries */

#include "guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

_Thread_local slc_guard slc_guard_now;

/* The guards of the threads that call plugins, for a handler that runs in another thread. */
#define MAX_THREADS 256
static slc_guard *volatile threads[MAX_THREADS];
static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;

#define N_FATAL 5
static const int fatal_signals[N_FATAL] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
static struct sigaction previous[N_FATAL]; /* what was there before: the default, or a
                                              sanitizer's handler with its stack traces */
static int installed;

static const char *signal_text(int sig) {
    switch (sig) {
    case SIGSEGV:
        return "segmentation fault (SIGSEGV)";
    case SIGBUS:
        return "bus error (SIGBUS)";
    case SIGFPE:
        return "arithmetic error (SIGFPE)";
    case SIGILL:
        return "illegal instruction (SIGILL)";
    case SIGABRT:
        return "aborted (SIGABRT)";
    }
    return "fatal signal";
}

void slc_signal_say(const char *s) {
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void say_number(long v) {
    char buf[24];
    size_t i = sizeof buf;
    buf[--i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && i > 0);
    slc_signal_say(buf + i);
}

static void on_fatal(int sig, siginfo_t *info, void *context) {
    (void)context;
    if (slc_guard_now.armed && slc_guard_now.stage > 0) {
        slc_guard_now.armed = 0;
        slc_guard_now.signo = sig;
        siglongjmp(slc_guard_now.env, 1);
    }
    /* No way back: say what crashed, then die of the same signal so the exit status tells. */
    slc_signal_say("sluice: ");
    if (slc_guard_now.stage > 0 && slc_guard_now.plugin) {
        slc_signal_say("stage ");
        say_number(slc_guard_now.stage);
        slc_signal_say(" (plugin ");
        slc_signal_say(slc_guard_now.plugin);
        slc_signal_say(") crashed in ");
        slc_signal_say(slc_guard_now.call ? slc_guard_now.call : "a call");
        slc_signal_say(": ");
        slc_signal_say(signal_text(sig));
        slc_signal_say("\n");
    } else {
        slc_signal_say("internal error: ");
        slc_signal_say(signal_text(sig));
        slc_signal_say(" in the core; please report it with the pipeline and input\n");
    }
    /* Hand over to what was there before. A fault (si_code > 0, sent by the kernel) happens
     * again when the handler returns, now under the previous handler, which then sees the
     * real place of the crash; a signal sent by kill() or abort() is sent again. */
    for (size_t i = 0; i < N_FATAL; i++)
        if (fatal_signals[i] == sig)
            sigaction(sig, &previous[i], NULL);
    if (info && info->si_code > 0 && sig != SIGABRT)
        return;
    raise(sig);
}

/* A plugin that calls exit() ends the run without a word from the core: say who did it. */
static void on_exit_in_plugin(void) {
    if (slc_guard_now.stage > 0 && slc_guard_now.plugin)
        fprintf(stderr,
                "sluice: stage %d (plugin %s) ended the process (exit) in %s; the documents "
                "after it were not read and output still buffered is lost\n",
                (int)slc_guard_now.stage, slc_guard_now.plugin,
                slc_guard_now.call ? slc_guard_now.call : "a call");
}

int slc_guard_install(void) {
    /* A stack of its own, so that the handler still runs after a plugin overflowed its stack. */
    static char *alt;
    size_t size = 64 * 1024;
    if (!alt && !(alt = malloc(size)))
        return -1;
    stack_t ss = {0};
    ss.ss_sp = alt;
    ss.ss_size = size;
    if (sigaltstack(&ss, NULL) != 0)
        return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal;
    sa.sa_flags = SA_ONSTACK | SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_FATAL; i++)
        if (sigaction(fatal_signals[i], &sa, &previous[i]) != 0)
            return -1;
    if (!installed && atexit(on_exit_in_plugin) != 0)
        return -1;
    installed = 1;
    return 0;
}

/* Put a guard in the list (or take it out): slot by slot, so a handler reads whole pointers. */
static void list_guard(slc_guard *g, int add) {
    pthread_mutex_lock(&threads_lock);
    for (size_t i = 0; i < MAX_THREADS; i++)
        if (threads[i] == (add ? NULL : g)) {
            threads[i] = add ? g : NULL;
            break;
        }
    pthread_mutex_unlock(&threads_lock);
}

/* Each thread's alternate signal stack, freed when it ends. */
static _Thread_local char *thread_alt;

int slc_guard_thread_start(void) {
    list_guard(&slc_guard_now, 1);
    if (!installed)
        return 0;
    size_t size = 64 * 1024;
    if (!(thread_alt = malloc(size)))
        return -1;
    stack_t ss = {0};
    ss.ss_sp = thread_alt;
    ss.ss_size = size;
    return sigaltstack(&ss, NULL);
}

void slc_guard_thread_end(void) {
    list_guard(&slc_guard_now, 0);
    if (thread_alt) {
        stack_t ss = {0};
        ss.ss_flags = SS_DISABLE;
        sigaltstack(&ss, NULL);
        free(thread_alt);
        thread_alt = NULL;
    }
}

/* ", in CALL of plugin NAME" for one guard that is in a plugin call. */
static void say_call(const slc_guard *g) {
    if (g->stage > 0 && g->plugin) {
        slc_signal_say(", in ");
        slc_signal_say(g->call ? g->call : "a call");
        slc_signal_say(" of plugin ");
        slc_signal_say(g->plugin);
    }
}

void slc_guard_say_running(void) {
    say_call(&slc_guard_now);
    for (size_t i = 0; i < MAX_THREADS; i++) {
        slc_guard *g = threads[i];
        if (g && g != &slc_guard_now)
            say_call(g);
    }
}

int slc_guard_installed(void) {
    return installed;
}

const char *slc_guard_recovered(void) {
    int sig = slc_guard_now.signo;
    /* The handler left by a jump, so its signal is still blocked: unblock it, or the next
     * crash would kill the process without a word. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    return signal_text(sig);
}
