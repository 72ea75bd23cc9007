// The SIGBUS handler: a fault inside a registered mapping becomes zero pages and a flag; any
// other SIGBUS goes on to the handler installed before this one, as if this one weren't there.
//
// Everything here is async-signal-safe: atomic loads and stores, mmap(2) and sigaction(2), no
// allocation and no lock.

#define _GNU_SOURCE
#include "registry.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

/// What SIGBUS did before `mmap_guard_install`: the handler every foreign fault goes to.
static struct sigaction previous_action;
/// 0: not installed, 1: installing, 2: installed.
static int install_state;
/// The page size, read at install: sysconf isn't async-signal-safe.
static uintptr_t page_size;

/// Hands a signal that isn't ours to the previous disposition.
static void forward(int signal, siginfo_t *info, void *context) {
  if (previous_action.sa_flags & SA_SIGINFO) {
    previous_action.sa_sigaction(signal, info, context);
    return;
  }
  if (previous_action.sa_handler == SIG_DFL || previous_action.sa_handler == SIG_IGN) {
    // Restore the default action. A fault then happens again when the faulting instruction
    // reruns, and kills the process exactly as it would have; a SIGBUS sent by another
    // process is raised again, to be delivered once this handler returns.
    struct sigaction default_action;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(SIGBUS, &default_action, NULL);
    if (info->si_code <= 0) raise(signal);
    return;
  }
  previous_action.sa_handler(signal);
}

static void handle_sigbus(int signal, siginfo_t *info, void *context) {
  uintptr_t address = (uintptr_t)info->si_addr;
  const struct guard_slot *slot = info->si_code > 0 ? guard_find(address) : NULL;
  if (slot == NULL) {
    forward(signal, info, context);
    return;
  }
  uintptr_t first_page = address & ~(page_size - 1);
  // Every field is read atomically: the registry may reuse a slot while nothing of its
  // previous occupant can fault any more, and the sanitizers must see that as no race.
  uintptr_t start = __atomic_load_n(&slot->start, __ATOMIC_ACQUIRE);
  uintptr_t end = __atomic_load_n(&slot->end, __ATOMIC_RELAXED);
  intptr_t *state_word = __atomic_load_n(&slot->state_word, __ATOMIC_RELAXED);
  intptr_t flag = __atomic_load_n(&slot->flag, __ATOMIC_RELAXED);
  intptr_t *fault_offset = __atomic_load_n(&slot->fault_offset, __ATOMIC_RELAXED);
  int protection =
      __atomic_load_n(&slot->writable, __ATOMIC_RELAXED) ? PROT_READ | PROT_WRITE : PROT_READ;
  intptr_t offset = __atomic_load_n(&slot->fault_base, __ATOMIC_RELAXED) +
                    (intptr_t)(first_page - start);
  intptr_t seen = __atomic_load_n(fault_offset, __ATOMIC_RELAXED);
  while (offset < seen &&
         !__atomic_compare_exchange_n(fault_offset, &seen, offset, 1, __ATOMIC_RELAXED,
                                      __ATOMIC_RELAXED)) {
  }
  // The flags go up before the zero pages go in: a thread that reads a zero page without
  // faulting then finds a flag set when it checks after its copy.
  __atomic_fetch_or(state_word, flag, __ATOMIC_SEQ_CST);
  char *also_words = (char *)__atomic_load_n(&slot->also_words, __ATOMIC_RELAXED);
  size_t also_count = __atomic_load_n(&slot->also_count, __ATOMIC_RELAXED);
  size_t also_stride = __atomic_load_n(&slot->also_stride, __ATOMIC_RELAXED);
  intptr_t also_flag = __atomic_load_n(&slot->also_flag, __ATOMIC_RELAXED);
  for (size_t i = 0; i < also_count; i++) {
    __atomic_fetch_or((intptr_t *)(also_words + i * also_stride), also_flag, __ATOMIC_SEQ_CST);
  }
  int saved_errno = errno;
  void *replaced = mmap((void *)first_page, end - first_page, protection,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  errno = saved_errno;
  // If the kernel refused (out of mappings), the fault can't be survived: let it kill.
  if (replaced != (void *)first_page) forward(signal, info, context);
}

int mmap_guard_install(void) {
  int expected = 0;
  if (!__atomic_compare_exchange_n(&install_state, &expected, 1, 0, __ATOMIC_ACQ_REL,
                                   __ATOMIC_ACQUIRE)) {
    while (__atomic_load_n(&install_state, __ATOMIC_ACQUIRE) == 1) {
    }
    return 0;
  }
  page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = handle_sigbus;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGBUS, &action, &previous_action) != 0) {
    int code = errno;
    __atomic_store_n(&install_state, 0, __ATOMIC_RELEASE);
    return code;
  }
  __atomic_store_n(&install_state, 2, __ATOMIC_RELEASE);
  return 0;
}

int mmap_guard_is_installed(void) { return __atomic_load_n(&install_state, __ATOMIC_ACQUIRE) == 2; }
