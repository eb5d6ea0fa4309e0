#define _POSIX_C_SOURCE 200809L /* sigaction */

#include "interrupt.h"

#include <signal.h>
#include <string.h>

#include "guard.h"

static volatile sig_atomic_t requested;

const char *slc_interrupt_name(int sig) {
    return sig == SIGINT    ? "SIGINT"
           : sig == SIGTERM ? "SIGTERM"
           : sig == SIGHUP  ? "SIGHUP"
                            : "a signal";
}

static void on_interrupt(int sig) {
    if (!requested) {
        requested = sig; /* the runner stops after the current document */
        return;
    }
    /* Asked twice: something does not return. Say what, then go. */
    slc_signal_say("sluice: ");
    slc_signal_say(slc_interrupt_name(sig));
    slc_signal_say(" again: stopping at once");
    slc_guard_say_running();
    slc_signal_say("; output still buffered is lost\n");
    signal(sig, SIG_DFL);
    raise(sig);
}

int slc_interrupt_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sa.sa_flags = 0; /* no SA_RESTART: a read() blocked on a quiet pipe returns, so we notice */
    sigemptyset(&sa.sa_mask);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) != 0)
            return -1;
        if (old.sa_handler == SIG_IGN)
            continue; /* ignored when we started (nohup, a background job): keep it so */
        if (sigaction(sigs[i], &sa, NULL) != 0)
            return -1;
    }
    return 0;
}

int slc_interrupted(void) {
    return requested;
}
