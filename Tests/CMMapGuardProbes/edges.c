// The guard's edges that need C: a handler installed after the guard, a punched hole, and a
// fault the guard must pass on (BUS_ADRALN).
#define _GNU_SOURCE
#include "CMMapGuardProbes.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

static int exit_code;

static void exit_at_once(int signal) {
  (void)signal;
  _exit(exit_code);
}

int probe_install_exiting_handler(int code) {
  exit_code = code;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = exit_at_once;
  sigemptyset(&action.sa_mask);
  return sigaction(SIGBUS, &action, NULL) == 0 ? 0 : errno;
}

int probe_punch_hole(int fd, long long offset, long long count) {
#if defined(__linux__)
  return fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, count) == 0 ? 0
                                                                                     : errno;
#else
  (void)fd, (void)offset, (void)count;
  return EOPNOTSUPP;
#endif
}

int probe_misaligned_load(void) {
#if defined(__x86_64__)
  static _Alignas(16) unsigned char bytes[32];
  volatile uint64_t *misaligned = (volatile uint64_t *)(void *)(bytes + 1);
  __asm__ volatile("pushfq\n\torq $0x40000, (%%rsp)\n\tpopfq" ::: "memory", "cc");
  uint64_t value = *misaligned;  // SIGBUS, BUS_ADRALN, if the kernel allows the check.
  __asm__ volatile("pushfq\n\tandq $~0x40000, (%%rsp)\n\tpopfq" ::: "memory", "cc");
  (void)value;
#endif
  return 1;
}
