#define _GNU_SOURCE /* memmem */
#include "parallel.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fail.h"
#include "newlines.h"

enum { CHUNK_SIZE = 1 << 20 }; /* a copying reader's chunk, and a search's stopping step */

static uint64_t clock_ns(void) {
  struct timespec time;
  clock_gettime(CLOCK_MONOTONIC, &time);
  return (uint64_t)time.tv_sec * 1000000000u + (uint64_t)time.tv_nsec;
}

/* One thread's part and what it found. */
struct part {
  struct reader *reader;
  const struct options *options;
  uint64_t start, end;      /* the part's offsets */
  uint64_t count, checksum; /* lines: the count; lineiter: (checksum, count) of its lines */
  uint64_t pending;         /* lineiter: the length of an unterminated last line */
  uint64_t *earliest;       /* search: the earliest match so far, shared; UINT64_MAX if none */
  unsigned char *buffer;    /* CHUNK_SIZE bytes, for the copying readers */
};

/* Lowers *earliest to found if that is earlier; the parts share it. */
static void note_match(uint64_t *earliest, uint64_t found) {
  uint64_t seen = __atomic_load_n(earliest, __ATOMIC_RELAXED);
  while (found < seen &&
         !__atomic_compare_exchange_n(earliest, &seen, found, 1, __ATOMIC_RELAXED,
                                      __ATOMIC_RELAXED)) {
  }
}

/* The bytes at [offset, offset + count): in place for the mapping, else copied. */
static const unsigned char *part_bytes(struct part *part, uint64_t offset, uint64_t count) {
  struct reader *reader = part->reader;
  if (reader->kind == READER_MMAP) return reader->map + offset;
  reader_copy(reader, reader->kind, part->buffer, count, offset);
  return part->buffer;
}

/* lines and lineiter over the part, chunk by chunk. */
static void scan_lines(struct part *part, int iterates) {
  uint64_t checksum = 0, lines = 0, pending = 0, newlines = 0;
  uint64_t step = part->reader->kind == READER_MMAP ? part->end - part->start : CHUNK_SIZE;
  for (uint64_t offset = part->start; offset < part->end; offset += step) {
    uint64_t n = part->end - offset < step ? part->end - offset : step;
    const unsigned char *p = part_bytes(part, offset, n), *end = p + n;
    if (!iterates) {
      newlines += count_newlines(p, n);
      continue;
    }
    const unsigned char *newline;
    while ((newline = memchr(p, '\n', (size_t)(end - p))) != NULL) {
      checksum = checksum * 31 + pending + (uint64_t)(newline - p);
      lines++;
      pending = 0;
      p = newline + 1;
    }
    pending += (uint64_t)(end - p);
  }
  part->count = iterates ? lines : newlines;
  part->checksum = checksum;
  part->pending = pending;
}

/* search over the matches that start in the part, CHUNK_SIZE at a time, stopping once an
 * earlier part has found one. */
static void scan_search(struct part *part) {
  const struct options *options = part->options;
  uint64_t needle_count = options->needle_count, file_end = part->reader->count;
  for (uint64_t offset = part->start; offset < part->end; offset += CHUNK_SIZE) {
    if (__atomic_load_n(part->earliest, __ATOMIC_RELAXED) < offset) return;
    uint64_t starts = part->end - offset < CHUNK_SIZE ? part->end - offset : CHUNK_SIZE;
    /* The chunk's possible match starts, with the bytes such a match runs on to. */
    uint64_t n = starts + needle_count - 1;
    if (n > file_end - offset) n = file_end - offset;
    if (n < needle_count) return;
    const unsigned char *bytes = part_bytes(part, offset, n);
    const unsigned char *found = memmem(bytes, n, options->needle, needle_count);
    if (found != NULL) {
      note_match(part->earliest, offset + (uint64_t)(found - bytes));
      return;
    }
  }
}

static void *run_part(void *context) {
  struct part *part = context;
  switch (part->options->workload) {
  case WORKLOAD_LINES: scan_lines(part, 0); break;
  case WORKLOAD_LINEITER: scan_lines(part, 1); break;
  case WORKLOAD_SEARCH: scan_search(part); break;
  default: abort();
  }
  return NULL;
}

/* The protocol's parts: i * L / N for lines and search; for lineiter, each cut moved to just
 * past the next line feed, repeats dropped. Returns how many. */
static unsigned cut_parts(struct reader *reader, const struct options *options,
                          struct part *parts, unsigned char *probe) {
  uint64_t count = reader->count;
  unsigned threads = options->threads, made = 0;
  uint64_t start = 0;
  for (unsigned i = 1; i <= threads; i++) {
    uint64_t cut = i == threads ? count
                                : (uint64_t)((unsigned __int128)i * count / threads);
    if (options->workload == WORKLOAD_LINEITER && i < threads) {
      /* Forward to just past the next line feed at or after the cut. */
      while (cut < count) {
        uint64_t n = count - cut < CHUNK_SIZE ? count - cut : CHUNK_SIZE;
        struct part scratch = {.reader = reader, .buffer = probe};
        const unsigned char *bytes = part_bytes(&scratch, cut, n);
        const unsigned char *newline = memchr(bytes, '\n', n);
        if (newline != NULL) {
          cut += (uint64_t)(newline - bytes) + 1;
          break;
        }
        cut += n;
      }
    }
    if (cut <= start && !(i == threads && made == 0)) continue;
    parts[made++] = (struct part){.start = start, .end = cut};
    start = cut;
  }
  return made;
}

/* 31 to the power n, wrapping, by repeated squaring. */
static uint64_t power31(uint64_t n) {
  uint64_t result = 1, square = 31;
  for (; n > 0; n >>= 1) {
    if (n & 1) result *= square;
    square *= square;
  }
  return result;
}

struct result run_shared_pass(struct reader *reader, const struct options *options) {
  unsigned threads = options->threads;
  struct part *parts = calloc(threads, sizeof *parts);
  pthread_t *ids = calloc(threads, sizeof *ids);
  unsigned char *buffers =
      reader->kind == READER_MMAP ? NULL : malloc((size_t)threads * CHUNK_SIZE);
  if (parts == NULL || ids == NULL || (reader->kind != READER_MMAP && buffers == NULL)) {
    fail_run("out of memory for %u threads", threads);
  }
  if (threads > 1) reader_share(reader);
  uint64_t earliest = UINT64_MAX;
  uint64_t start = clock_ns();
  unsigned count = cut_parts(reader, options, parts, buffers);
  for (unsigned i = 0; i < count; i++) {
    parts[i].reader = reader;
    parts[i].options = options;
    parts[i].earliest = &earliest;
    parts[i].buffer = buffers == NULL ? NULL : buffers + (size_t)i * CHUNK_SIZE;
  }
  for (unsigned i = 1; i < count; i++) {
    if (pthread_create(&ids[i], NULL, run_part, &parts[i]) != 0) {
      fail_run("cannot start thread %u", i);
    }
  }
  if (count > 0) run_part(&parts[0]);
  for (unsigned i = 1; i < count; i++) pthread_join(ids[i], NULL);
  struct result result = {.ops = 1, .bytes = reader->count};
  for (unsigned i = 0; i < count; i++) {
    switch (options->workload) {
    case WORKLOAD_LINES: result.checksum += parts[i].count; break;
    case WORKLOAD_LINEITER: {
      /* Only the last part can end without a line feed. */
      uint64_t lines = parts[i].count, checksum = parts[i].checksum;
      if (parts[i].pending > 0) {
        checksum = checksum * 31 + parts[i].pending;
        lines++;
      }
      result.checksum = result.checksum * power31(lines) + checksum;
      result.ops = i == 0 ? lines : result.ops + lines;
      break;
    }
    default: break;
    }
  }
  if (options->workload == WORKLOAD_LINEITER && count == 0) result.ops = 0;
  if (options->workload == WORKLOAD_SEARCH) {
    result.checksum = earliest;
    if (earliest != UINT64_MAX) result.bytes = earliest + options->needle_count;
  }
  result.nanoseconds = clock_ns() - start;
  free(parts);
  free(ids);
  free(buffers);
  return result;
}
