// SIGBUS dispositions for the guard's forwarding tests, and a handler that records how it ran.

#define _GNU_SOURCE
#include "CMMapGuardProbes.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

static int recorded_calls;
static int recorded_sigbus_blocked;
static int recorded_masked_signal_blocked;
static int probe_masked_signal;

static void recording_handler(int signal) {
  (void)signal;
  sigset_t current;
  pthread_sigmask(SIG_SETMASK, NULL, &current);
  recorded_sigbus_blocked = sigismember(&current, SIGBUS) == 1;
  recorded_masked_signal_blocked =
      probe_masked_signal > 0 && sigismember(&current, probe_masked_signal) == 1;
  __atomic_add_fetch(&recorded_calls, 1, __ATOMIC_SEQ_CST);
}

static void recording_siginfo_handler(int signal, siginfo_t *info, void *context) {
  (void)info;
  (void)context;
  recording_handler(signal);
}

int probe_set_previous_disposition(enum probe_disposition disposition, int flags,
                                   int masked_signal) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  sigemptyset(&action.sa_mask);
  probe_masked_signal = masked_signal;
  if (masked_signal > 0) sigaddset(&action.sa_mask, masked_signal);
  action.sa_flags = flags;
  switch (disposition) {
  case probe_default:
    action.sa_handler = SIG_DFL;
    break;
  case probe_ignore:
    action.sa_handler = SIG_IGN;
    break;
  case probe_recording_handler:
    if (flags & SA_SIGINFO) {
      action.sa_sigaction = recording_siginfo_handler;
    } else {
      action.sa_handler = recording_handler;
    }
    break;
  }
  return sigaction(SIGBUS, &action, NULL) == 0 ? 0 : errno;
}

int probe_recorded_calls(void) { return __atomic_load_n(&recorded_calls, __ATOMIC_SEQ_CST); }
int probe_recorded_sigbus_blocked(void) { return recorded_sigbus_blocked; }
int probe_recorded_masked_signal_blocked(void) { return recorded_masked_signal_blocked; }
