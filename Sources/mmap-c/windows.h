#ifndef MMAP_C_WINDOWS_H
#define MMAP_C_WINDOWS_H

#include <pthread.h>
#include <stdint.h>

/*
 * The windowed reader's cache: at most `capacity` windows of `window_size`
 * bytes mapped at once, whatever the file's size. Window k covers the file from
 * k * window_size, a multiple of the page size, so every mapping starts on a
 * page. A lookup that misses maps the window, unmapping the least recently used
 * one when the cache is full.
 */
struct window {
  unsigned char *bytes; /* NULL while the slot is empty */
  uint64_t start;       /* the file offset of bytes[0] */
  uint64_t count;       /* window_size, or less for the file's last window */
  uint64_t last_use;    /* 0 while empty, so an empty slot is always the first victim */
};

struct windows {
  int fd;
  const char *path;
  uint64_t file_count;
  uint64_t window_size;
  /* The window of the latest lookup. Checked before the table: reads cluster, so it is
   * the common hit, and it already has the newest last_use, so a hit needn't touch it. */
  struct window *recent;
  uint64_t clock;
  /* Set when several threads share the cache: each read then holds `lock`, so no thread
   * unmaps a window another is copying from. Single-threaded runs skip the lock. */
  int is_shared;
  pthread_mutex_t lock;
  unsigned capacity;
  struct window slots[];
};

/* window_size is rounded up to a multiple of the page size. */
struct windows *windows_create(int fd, const char *path, uint64_t file_count,
                               uint64_t window_size, unsigned capacity);
void windows_destroy(struct windows *windows);
void windows_share(struct windows *windows);

/* The table search and the mapping, for offsets outside the recent window. */
struct window *windows_lookup(struct windows *windows, uint64_t offset);

/* The window holding `offset`, which must be less than the file's length. */
static inline const struct window *windows_find(struct windows *windows, uint64_t offset) {
  const struct window *recent = windows->recent;
  /* Unsigned: an offset before the window's start wraps to a huge distance and misses. */
  if (recent != NULL && offset - recent->start < recent->count) return recent;
  return windows_lookup(windows, offset);
}

static inline void windows_lock(struct windows *windows) {
  if (windows->is_shared) pthread_mutex_lock(&windows->lock);
}

static inline void windows_unlock(struct windows *windows) {
  if (windows->is_shared) pthread_mutex_unlock(&windows->lock);
}

#endif
