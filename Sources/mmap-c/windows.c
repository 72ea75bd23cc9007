#include "windows.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fail.h"

struct windows *windows_create(int fd, const char *path, uint64_t file_count,
                               uint64_t window_size, unsigned capacity) {
  struct windows *windows = calloc(1, sizeof *windows + capacity * sizeof(struct window));
  if (windows == NULL) fail_run("out of memory for %u windows", capacity);
  uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
  windows->fd = fd;
  windows->path = path;
  windows->file_count = file_count;
  windows->window_size = (window_size + page - 1) / page * page;
  windows->capacity = capacity;
  return windows;
}

void windows_destroy(struct windows *windows) {
  for (unsigned i = 0; i < windows->capacity; i++) {
    struct window *window = &windows->slots[i];
    if (window->bytes != NULL) munmap(window->bytes, window->count);
  }
  if (windows->is_shared) pthread_mutex_destroy(&windows->lock);
  free(windows);
}

void windows_share(struct windows *windows) {
  if (windows->is_shared) return;
  if (pthread_mutex_init(&windows->lock, NULL) != 0) fail_run("cannot create a mutex");
  windows->is_shared = 1;
}

struct window *windows_lookup(struct windows *windows, uint64_t offset) {
  uint64_t start = offset - offset % windows->window_size;
  struct window *victim = &windows->slots[0];
  for (unsigned i = 0; i < windows->capacity; i++) {
    struct window *window = &windows->slots[i];
    if (window->bytes != NULL && window->start == start) {
      window->last_use = ++windows->clock;
      windows->recent = window;
      return window;
    }
    if (window->last_use < victim->last_use) victim = window;
  }

  if (victim->bytes != NULL) munmap(victim->bytes, victim->count);
  uint64_t rest = windows->file_count - start;
  uint64_t count = rest < windows->window_size ? rest : windows->window_size;
  void *bytes = mmap(NULL, count, PROT_READ, MAP_SHARED, windows->fd, (off_t)start);
  if (bytes == MAP_FAILED) fail_errno("mmap", windows->path);
  *victim = (struct window){bytes, start, count, ++windows->clock};
  windows->recent = victim;
  return victim;
}
