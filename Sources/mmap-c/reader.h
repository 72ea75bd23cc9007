#ifndef MMAP_C_READER_H
#define MMAP_C_READER_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "options.h"
#include "windows.h"

/*
 * The three readers behind one pair of accessors, byte() and copy(). They take
 * the reader kind as an argument and are always inlined, so a loop that passes
 * a constant kind is compiled for that reader alone: the switch folds away and
 * nothing is dispatched per operation.
 */
#define ALWAYS_INLINE static inline __attribute__((always_inline))

struct reader {
  enum reader_kind kind;
  const char *path;
  int fd;
  uint64_t count;           /* the file's length */
  unsigned char *map;       /* READER_MMAP: the whole file; NULL when it is empty */
  struct windows *windows;  /* READER_WINDOWED */
};

/* Opens the file the way `openclose` measures: the mmap reader maps it whole, the
 * others only open it and read its length (windows are mapped on first use). */
void reader_open(struct reader *reader, const struct options *options);
void reader_close(struct reader *reader);

/* Makes the reader safe to share between threads (the windowed reader takes a lock). */
void reader_share(struct reader *reader);

/* Fails for a pread that returned `result` (-1 with errno, or 0 at an early end of file). */
_Noreturn void reader_read_failed(const struct reader *reader, ssize_t result);

/* Copies count bytes at offset with pread(2), retrying short reads and EINTR. */
ALWAYS_INLINE void pread_all(const struct reader *reader, unsigned char *to, uint64_t count,
                             uint64_t offset) {
  while (count > 0) {
    ssize_t result = pread(reader->fd, to, count, (off_t)offset);
    if (result <= 0) {
      if (result < 0 && errno == EINTR) continue;
      reader_read_failed(reader, result);
    }
    to += result;
    offset += (uint64_t)result;
    count -= (uint64_t)result;
  }
}

/* The byte at offset, which must be less than the file's length. */
ALWAYS_INLINE unsigned char reader_byte(struct reader *reader, enum reader_kind kind,
                                        uint64_t offset) {
  switch (kind) {
  case READER_MMAP: return reader->map[offset];
  case READER_PREAD: {
    unsigned char byte;
    pread_all(reader, &byte, 1, offset);
    return byte;
  }
  case READER_WINDOWED: {
    struct windows *windows = reader->windows;
    windows_lock(windows);
    const struct window *window = windows_find(windows, offset);
    unsigned char byte = window->bytes[offset - window->start];
    windows_unlock(windows);
    return byte;
  }
  }
  return 0;
}

/* A ReadAt: copies count bytes at offset into `to`; offset + count must not pass the end. */
ALWAYS_INLINE void reader_copy(struct reader *reader, enum reader_kind kind, unsigned char *to,
                               uint64_t count, uint64_t offset) {
  switch (kind) {
  case READER_MMAP: memcpy(to, reader->map + offset, count); return;
  case READER_PREAD: pread_all(reader, to, count, offset); return;
  case READER_WINDOWED: {
    struct windows *windows = reader->windows;
    windows_lock(windows);
    const struct window *window = windows_find(windows, offset);
    uint64_t skip = offset - window->start;
    if (window->count - skip >= count) {
      /* The usual case, one window: a copy of the caller's length, which is constant in
       * the random loops, so small copies inline to a few moves. */
      memcpy(to, window->bytes + skip, count);
    } else {
      /* Across window edges: one copy per window. */
      for (;;) {
        uint64_t take = window->count - skip < count ? window->count - skip : count;
        memcpy(to, window->bytes + skip, take);
        to += take;
        offset += take;
        count -= take;
        if (count == 0) break;
        window = windows_find(windows, offset);
        skip = offset - window->start;
      }
    }
    windows_unlock(windows);
    return;
  }
  }
}

#endif
