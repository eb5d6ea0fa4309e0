#define _POSIX_C_SOURCE 200809L /* sigaction, sigaltstack, siglongjmp */
#define _DEFAULT_SOURCE         /* SA_ONSTACK on older C libraries */

#include "guard.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

slc_guard slc_guard_now;

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
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

/* write(2) of a NUL-terminated string: the only output a signal handler may do. */
static void say(const char *s) {
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
    say(buf + i);
}

static void on_fatal(int sig) {
    if (slc_guard_now.armed && slc_guard_now.stage > 0) {
        slc_guard_now.armed = 0;
        slc_guard_now.signo = sig;
        siglongjmp(slc_guard_now.env, 1);
    }
    /* No way back: say what crashed, then die of the same signal so the exit status tells. */
    say("sluice: ");
    if (slc_guard_now.stage > 0 && slc_guard_now.plugin) {
        say("stage ");
        say_number(slc_guard_now.stage);
        say(" (plugin ");
        say(slc_guard_now.plugin);
        say(") crashed in ");
        say(slc_guard_now.call ? slc_guard_now.call : "a call");
        say(": ");
        say(signal_text(sig));
        say("\n");
    } else {
        say("internal error: ");
        say(signal_text(sig));
        say(" in the core; please report it with the pipeline and input\n");
    }
    signal(sig, SIG_DFL);
    raise(sig);
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
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
        if (sigaction(fatal_signals[i], &sa, NULL) != 0)
            return -1;
    installed = 1;
    return 0;
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
