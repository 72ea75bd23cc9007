// The SIGBUS handler: a fault inside a registered mapping becomes zero pages and a flag; any
// other SIGBUS goes on to the disposition SIGBUS had before, as if this handler weren't there.
//
// Everything here is async-signal-safe: atomic loads and stores, mmap(2), sigaction(2),
// sigprocmask(2) and raise(3), no allocation and no lock.

#define _GNU_SOURCE
#include "registry.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__APPLE__)
#include <sys/ucontext.h>  // <ucontext.h> requires _XOPEN_SOURCE there.
#else
#include <ucontext.h>
#endif

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

/// What SIGBUS did before `mmap_guard_install`: the disposition every foreign signal gets.
static struct sigaction previous_action;
/// 0: not installed, 1: installing, 2: installed.
static int install_state;
/// The page size, read at install: sysconf isn't async-signal-safe.
static uintptr_t page_size;
/// Set once a previous handler installed with SA_RESETHAND has had its one delivery.
static int one_shot_used;

/// Whether the kernel reports an unreadable page with `code`: a fault the handler can turn
/// into zero pages. The rest (`BUS_ADRALN`, the advisory `BUS_MCEERR_AO`, a sent signal) are
/// never the guard's.
static int is_unreadable_page(int code) {
  if (code == BUS_ADRERR || code == BUS_OBJERR) return 1;
#ifdef BUS_MCEERR_AR
  if (code == BUS_MCEERR_AR) return 1;
#endif
  return 0;
}

/// Whether the kernel delivers `code` at an instruction that runs again once the handler
/// returns: a fault, which then faults again.
static int reruns_the_instruction(int code) {
  if (is_unreadable_page(code)) return 1;
  return code == BUS_ADRALN;
}

/// Gives SIGBUS its default action again, and says the guard is no longer installed, so
/// that a later mapping installs it anew over that default.
static void restore_default_action(void) {
  struct sigaction default_action;
  memset(&default_action, 0, sizeof default_action);
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  sigaction(SIGBUS, &default_action, NULL);
  __atomic_store_n(&install_state, 0, __ATOMIC_RELEASE);
}

static void handle_sigbus(int signal, siginfo_t *info, void *context);

/// Hands a signal that isn't ours to the previous disposition, exactly as the kernel would
/// have: ignored stays ignored (unless a fault, which the kernel never lets a process ignore),
/// default kills, and a handler runs with the signal mask and flags it was installed with.
static void forward(int signal, siginfo_t *info, void *context) {
  struct sigaction previous = previous_action;
  // One delivery to a SA_RESETHAND handler, then the default action, as the kernel would.
  int one_shot_spent = (previous.sa_flags & SA_RESETHAND) &&
                       __atomic_exchange_n(&one_shot_used, 1, __ATOMIC_ACQ_REL);
  // SIG_DFL and SIG_IGN first: with SA_SIGINFO set they still aren't functions to call.
  // This handler itself as the previous one can't happen, but would recurse: the default.
  int is_default = previous.sa_handler == SIG_DFL || one_shot_spent ||
                   ((previous.sa_flags & SA_SIGINFO) && previous.sa_sigaction == handle_sigbus);
  if (previous.sa_handler == SIG_IGN || is_default) {
    int reruns = reruns_the_instruction(info->si_code);
    if (!is_default && !reruns) return;  // Ignored, as before.
    // The default action: a fault happens again when the instruction reruns, and kills the
    // process as it would have; a sent signal is raised again, delivered once this returns.
    restore_default_action();
    if (!reruns) raise(signal);
    return;
  }
  // The mask the kernel would have set: the interrupted thread's, the handler's own
  // `sa_mask`, and the signal itself unless SA_NODEFER.
  sigset_t mask = ((ucontext_t *)context)->uc_sigmask;
  for (int other = 1; other < NSIG; other++) {
    if (sigismember(&previous.sa_mask, other) == 1) sigaddset(&mask, other);
  }
  if (previous.sa_flags & SA_NODEFER) {
    sigdelset(&mask, signal);
  } else {
    sigaddset(&mask, signal);
  }
  sigset_t saved;
  pthread_sigmask(SIG_SETMASK, &mask, &saved);
  if (previous.sa_flags & SA_SIGINFO) {
    previous.sa_sigaction(signal, info, context);
  } else {
    previous.sa_handler(signal);
  }
  pthread_sigmask(SIG_SETMASK, &saved, NULL);
}

/// Replaces the pages of `entry` from `first_page` to the first page replaced before with
/// zero pages. Returns 0 if the kernel refused. Pages replaced before are left alone: a
/// writable mapping's owner may have written to them since.
static int replace_with_zero_pages(const struct guard_entry *entry, uintptr_t first_page) {
  uintptr_t *replaced_from = &entry->slot->replaced_from;
  uintptr_t upper = __atomic_load_n(replaced_from, __ATOMIC_ACQUIRE);
  do {
    // Replaced already, or being replaced by another thread's handler: the instruction
    // reruns and finds zero pages, or faults again until they are in.
    if (first_page >= upper) return 1;
  } while (!__atomic_compare_exchange_n(replaced_from, &upper, first_page, 1, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE));
  int protection = entry->writable ? PROT_READ | PROT_WRITE : PROT_READ;
  void *replaced = mmap((void *)first_page, upper - first_page, protection,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  return replaced == (void *)first_page;
}

static void handle_sigbus(int signal, siginfo_t *info, void *context) {
  int saved_errno = errno;
  uintptr_t address = (uintptr_t)info->si_addr;
  struct guard_entry entry;
  if (!is_unreadable_page(info->si_code) || !guard_find(address, &entry)) {
    forward(signal, info, context);
    errno = saved_errno;
    return;
  }
  guard_call_test_hook(MMAP_GUARD_HOOK_ENTRY_FOUND, address);
  // An entry that changed since it was copied: the instruction reruns, and a fault again
  // finds the entry as it is now. Nothing is written through a stale copy's pointers.
  if (!guard_entry_is_current(&entry)) {
    errno = saved_errno;
    return;
  }
  uintptr_t first_page = address & ~(page_size - 1);
  if (entry.fault_base != MMAP_GUARD_UNKNOWN_OFFSET) {
    intptr_t offset = entry.fault_base + (intptr_t)(first_page - entry.start);
    intptr_t seen = __atomic_load_n(entry.fault_offset, __ATOMIC_RELAXED);
    while (offset < seen &&
           !__atomic_compare_exchange_n(entry.fault_offset, &seen, offset, 1, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED)) {
    }
  }
  // The flags go up before the zero pages go in: a thread that reads a zero page without
  // faulting then finds a flag set when it checks after its copy.
  __atomic_fetch_or(entry.state_word, entry.flag, __ATOMIC_SEQ_CST);
  for (size_t i = 0; i < entry.also_count; i++) {
    intptr_t *word = (intptr_t *)((char *)entry.also_words + i * entry.also_stride);
    __atomic_fetch_or(word, entry.also_flag, __ATOMIC_SEQ_CST);
  }
  // The entry is checked once more before anything is mapped: zero pages go only where the
  // entry still says the mapping is. If it changed (its owner mapped a new window over it,
  // say), the instruction reruns: a fault again finds the entry as it is now.
  if (guard_entry_is_current(&entry) && !replace_with_zero_pages(&entry, first_page)) {
    forward(signal, info, context);  // The kernel refused (out of mappings): let it kill.
  }
  errno = saved_errno;
}

/// After `fork`, in the child: the registry's lock is given back, and an installation
/// another thread of the parent was making is finished or undone, since that thread doesn't
/// exist here.
static void settle_after_fork(void) {
  guard_unlock_changes();
  if (__atomic_load_n(&install_state, __ATOMIC_ACQUIRE) != 1) return;
  struct sigaction current;
  int ours = sigaction(SIGBUS, NULL, &current) == 0 && (current.sa_flags & SA_SIGINFO) &&
             current.sa_sigaction == handle_sigbus;
  // If the handler is in, `previous_action` was read before it went in (see below).
  __atomic_store_n(&install_state, ours ? 2 : 0, __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void register_fork_handler(void) {
  pthread_atfork(guard_lock_changes, guard_unlock_changes, settle_after_fork);
}

int mmap_guard_install(void) {
  int expected = 0;
  if (!__atomic_compare_exchange_n(&install_state, &expected, 1, 0, __ATOMIC_ACQ_REL,
                                   __ATOMIC_ACQUIRE)) {
    while (__atomic_load_n(&install_state, __ATOMIC_ACQUIRE) == 1) {
    }
    return mmap_guard_is_installed() ? 0 : EAGAIN;
  }
  guard_call_test_hook(MMAP_GUARD_HOOK_INSTALLING, 0);
  page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = handle_sigbus;
  sigemptyset(&action.sa_mask);
  // The previous disposition is read first, by a call of its own: a `fork` that copies the
  // new handler into a child then also copies `previous_action` complete.
  struct sigaction current;
  if (sigaction(SIGBUS, NULL, &current) != 0) {
    int code = errno;
    __atomic_store_n(&install_state, 0, __ATOMIC_RELEASE);
    return code;
  }
  // Ours already (two foreign signals restored the default at once, and another thread
  // installed it again): keep the disposition it replaced.
  if ((current.sa_flags & SA_SIGINFO) && current.sa_sigaction == handle_sigbus) {
    __atomic_store_n(&install_state, 2, __ATOMIC_RELEASE);
    return 0;
  }
  previous_action = current;
  // SA_RESTART as before: a sent SIGBUS interrupts system calls as it did.
  action.sa_flags = SA_SIGINFO | SA_ONSTACK | (current.sa_flags & SA_RESTART);
  if (sigaction(SIGBUS, &action, NULL) != 0) {
    int code = errno;
    __atomic_store_n(&install_state, 0, __ATOMIC_RELEASE);
    return code;
  }
  __atomic_store_n(&install_state, 2, __ATOMIC_RELEASE);
  return 0;
}

int mmap_guard_is_installed(void) { return __atomic_load_n(&install_state, __ATOMIC_ACQUIRE) == 2; }
