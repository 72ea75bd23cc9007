// Races of the guard widened at its test hook: an entry reused while the handler reads it,
// and a fork while another thread installs the handler.

#define _GNU_SOURCE
#include "CMMapGuardProbes.h"

#include <CMMapGuard.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/// The probing process, so that hooks act only there and not in a forked child.
static pid_t parent;

/// The exit status of `child` if it exits within 5 seconds; `1` if it doesn't (it is then
/// killed and reaped), or `signaled` if a signal ended it.
static int exit_status_within_5_seconds(pid_t child, int signaled) {
  for (int waited = 0; waited < 5000; waited += 10) {
    int status;
    if (waitpid(child, &status, WNOHANG) == child) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : signaled;
    }
    usleep(10000);
  }
  kill(child, SIGKILL);
  waitpid(child, NULL, 0);
  return 1;
}

// MARK: An entry reused under the handler

static struct {
  char *a, *b;
  size_t length;
  intptr_t a_state, a_offset, b_state, b_offset;
  int moved;
} reuse;

static void register_a(void) {
  mmap_guard_register(reuse.a, reuse.length, &reuse.a_state, 1, &reuse.a_offset, 0, 0, NULL, 0,
                      0, 0);
}

/// On the handler's first copy of an entry: A leaves its slot, B takes it, A takes another.
static void move_entries(int point, uintptr_t address) {
  (void)address;
  if (point != MMAP_GUARD_HOOK_ENTRY_COPIED || reuse.moved) return;
  reuse.moved = 1;
  mmap_guard_unregister(reuse.a);
  mmap_guard_register(reuse.b, reuse.length, &reuse.b_state, 1, &reuse.b_offset, 0, 0, NULL, 0,
                      0, 0);
  register_a();
}

int probe_fault_while_entry_is_reused(const char *directory) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  reuse.length = 8 * page;
  char path[4096];
  snprintf(path, sizeof path, "%s/reused-entry-%d", directory, (int)getpid());
  int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
  if (fd < 0) return 10;
  unlink(path);
  if (ftruncate(fd, (off_t)reuse.length) != 0) return 11;
  // A, then X, then B, at addresses this probe chooses inside one reservation.
  char *region = mmap(NULL, 3 * reuse.length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) return 12;
  reuse.a = mmap(region, reuse.length, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
  char *x = mmap(region + reuse.length, reuse.length, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  reuse.b = mmap(region + 2 * reuse.length, reuse.length, PROT_READ,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (reuse.a == MAP_FAILED || x == MAP_FAILED || reuse.b == MAP_FAILED) return 13;
  memset(x, 0xAB, reuse.length);
  reuse.a_offset = reuse.b_offset = INTPTR_MAX;
  if (mmap_guard_install() != 0) return 14;
  register_a();
  if (ftruncate(fd, 0) != 0) return 15;
  mmap_guard_test_hook = move_entries;
  unsigned char seen = probe_touch(reuse.a + 2 * page);  // Faults: A's file is empty now.
  mmap_guard_test_hook = NULL;
  if (!reuse.moved) return 16;
  for (size_t i = 0; i < reuse.length; i++) {
    if ((unsigned char)x[i] != 0xAB) return 1;  // Memory the guard doesn't own was zeroed.
  }
  if (reuse.b_state != 0) return 2;  // The unrelated mapping was flagged.
  if (reuse.a_state != 1) return 3;  // The truncated mapping wasn't.
  if (seen != 0) return 4;
  if (reuse.a_offset != (intptr_t)(2 * page)) return 5;
  return 0;
}

// MARK: A fork while the handler is being installed

static int installer_paused;
static int installer_released;

/// Holds the installing thread at the hook, in the parent only.
static void pause_installer(int point, uintptr_t address) {
  (void)address;
  if (point != MMAP_GUARD_HOOK_INSTALLING || getpid() != parent) return;
  __atomic_store_n(&installer_paused, 1, __ATOMIC_SEQ_CST);
  while (!__atomic_load_n(&installer_released, __ATOMIC_SEQ_CST)) usleep(1000);
}

static void *install(void *unused) {
  (void)unused;
  mmap_guard_install();
  return NULL;
}

int probe_fork_during_install(void) {
  parent = getpid();
  mmap_guard_test_hook = pause_installer;
  pthread_t installer;
  if (pthread_create(&installer, NULL, install, NULL) != 0) return 10;
  while (!__atomic_load_n(&installer_paused, __ATOMIC_SEQ_CST)) usleep(1000);
  pid_t child = fork();
  if (child == 0) {
    int failed = mmap_guard_install() != 0 || !mmap_guard_is_installed();
    _exit(failed ? 3 : 0);
  }
  int result = child < 0 ? 11 : exit_status_within_5_seconds(child, 12);
  __atomic_store_n(&installer_released, 1, __ATOMIC_SEQ_CST);
  pthread_join(installer, NULL);
  mmap_guard_test_hook = NULL;
  return result;
}

// MARK: An entry rebased under the handler

static struct {
  char *a;
  size_t length;
  intptr_t state, offset;
  int rebased;
} rebase;

/// Once the handler found the entry: the owner rebases it, as a window change does.
static void rebase_entry(int point, uintptr_t address) {
  (void)address;
  if (point != MMAP_GUARD_HOOK_ENTRY_FOUND || rebase.rebased) return;
  rebase.rebased = 1;
  mmap_guard_rebase(rebase.a, 0);
}

/// A file of `pages` pages in `directory`, already unlinked, and mapped shared read-only at
/// `*mapping`; returns its descriptor, or -1.
static int mapped_file(const char *directory, const char *name, size_t pages, char **mapping) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  char path[4096];
  snprintf(path, sizeof path, "%s/%s-%d", directory, name, (int)getpid());
  int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
  if (fd < 0) return -1;
  unlink(path);
  if (ftruncate(fd, (off_t)(pages * page)) != 0) return -1;
  *mapping = mmap(NULL, pages * page, PROT_READ, MAP_SHARED, fd, 0);
  return *mapping == MAP_FAILED ? -1 : fd;
}

int probe_fault_while_entry_is_rebased(const char *directory) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  rebase.length = 4 * page;
  int fd = mapped_file(directory, "rebased-entry", 4, &rebase.a);
  if (fd < 0) return 10;
  rebase.offset = INTPTR_MAX;
  if (mmap_guard_install() != 0) return 11;
  mmap_guard_register(rebase.a, rebase.length, &rebase.state, 1, &rebase.offset, 0, 0, NULL, 0,
                      0, 0);
  if (ftruncate(fd, 0) != 0) return 12;
  mmap_guard_test_hook = rebase_entry;
  unsigned char seen = probe_touch(rebase.a + page);  // Faults: the file is empty now.
  mmap_guard_test_hook = NULL;
  if (!rebase.rebased) return 13;
  if (rebase.state != 1) return 2;
  if (seen != 0) return 3;
  if (rebase.offset != (intptr_t)page) return 4;
  return 0;
}

// MARK: A fork during a registry change

static struct {
  char *a;
  int fd;
  int paused, released;
} change;

/// Holds the changing thread at the hook, in the parent only.
static void pause_change(int point, uintptr_t address) {
  (void)address;
  if (point != MMAP_GUARD_HOOK_CHANGING || getpid() != parent) return;
  __atomic_store_n(&change.paused, 1, __ATOMIC_SEQ_CST);
  while (!__atomic_load_n(&change.released, __ATOMIC_SEQ_CST)) usleep(1000);
}

static void *rebase_a(void *unused) {
  (void)unused;
  mmap_guard_rebase(change.a, 0);
  return NULL;
}

static void *release_change_soon(void *unused) {
  (void)unused;
  usleep(200000);
  __atomic_store_n(&change.released, 1, __ATOMIC_SEQ_CST);
  return NULL;
}

int probe_fork_during_registry_change(const char *directory) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  static intptr_t state, offset = INTPTR_MAX;
  change.fd = mapped_file(directory, "registry-change", 4, &change.a);
  if (change.fd < 0) return 10;
  if (mmap_guard_install() != 0) return 11;
  mmap_guard_register(change.a, 4 * page, &state, 1, &offset, 0, 0, NULL, 0, 0, 0);
  parent = getpid();
  mmap_guard_test_hook = pause_change;
  pthread_t changer, releaser;
  if (pthread_create(&changer, NULL, rebase_a, NULL) != 0) return 12;
  while (!__atomic_load_n(&change.paused, __ATOMIC_SEQ_CST)) usleep(1000);
  // The fork waits for the change to end, which the releaser lets happen.
  if (pthread_create(&releaser, NULL, release_change_soon, NULL) != 0) return 13;
  pid_t child = fork();
  if (child == 0) {
    if (ftruncate(change.fd, 0) != 0) _exit(4);
    unsigned char seen = probe_touch(change.a + page);  // Faults, in a guarded mapping.
    _exit(seen == 0 && state == 1 ? 0 : 3);
  }
  int result = child < 0 ? 14 : exit_status_within_5_seconds(child, 15);
  __atomic_store_n(&change.released, 1, __ATOMIC_SEQ_CST);
  pthread_join(changer, NULL);
  pthread_join(releaser, NULL);
  mmap_guard_test_hook = NULL;
  return result;
}

unsigned char probe_touch(const void *address) { return *(const volatile unsigned char *)address; }
