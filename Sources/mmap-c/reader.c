#include "reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "fail.h"

void reader_open(struct reader *reader, const struct options *options) {
  *reader = (struct reader){.kind = options->reader, .path = options->path};
  reader->fd = open(options->path, O_RDONLY | O_CLOEXEC);
  if (reader->fd < 0) fail_errno("open", options->path);
  struct stat status;
  if (fstat(reader->fd, &status) != 0) fail_errno("fstat", options->path);
  if (!S_ISREG(status.st_mode)) fail_run("%s is not a regular file", options->path);
  reader->count = (uint64_t)status.st_size;

  switch (reader->kind) {
  case READER_MMAP:
    if (reader->count > 0) { /* mmap(2) rejects a length of 0 */
      void *map = mmap(NULL, reader->count, PROT_READ, MAP_SHARED, reader->fd, 0);
      if (map == MAP_FAILED) fail_errno("mmap", options->path);
      reader->map = map;
    }
    break;
  case READER_PREAD: break;
  case READER_WINDOWED:
    reader->windows = windows_create(reader->fd, options->path, reader->count,
                                     options->window_size, options->max_windows);
    break;
  }
}

void reader_close(struct reader *reader) {
  if (reader->map != NULL) munmap(reader->map, reader->count);
  if (reader->windows != NULL) windows_destroy(reader->windows);
  close(reader->fd);
  *reader = (struct reader){.fd = -1};
}

void reader_share(struct reader *reader) {
  if (reader->windows != NULL) windows_share(reader->windows);
}

void reader_read_failed(const struct reader *reader, ssize_t result) {
  if (result < 0) fail_errno("pread", reader->path);
  fail_run("%s: the file ended early (did it shrink during the run?)", reader->path);
}
