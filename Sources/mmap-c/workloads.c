#include "workloads.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fail.h"
#include "floatsum.h"
#include "newlines.h"
#include "parallel.h"
#include "prng.h"
#include "reader.h"
#include "send.h"

enum {
  SCRATCH_SIZE = 1 << 20,   /* the largest copy: a pread chunk of lines and lineiter */
  SEQUENTIAL_SIZE = 65536,  /* seq64k's read size */
};

static uint64_t now_ns(void) {
  struct timespec time;
  clock_gettime(CLOCK_MONOTONIC, &time);
  return (uint64_t)time.tv_sec * 1000000000u + (uint64_t)time.tv_nsec;
}

/* The 8 bytes at p as a little-endian u64; p need not be aligned. */
static inline uint64_t load64(const unsigned char *p) {
  uint64_t value;
  memcpy(&value, p, sizeof value);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  value = __builtin_bswap64(value);
#endif
  return value;
}

/* An empty statement the compiler must assume reads the memory at p. The copy into a
 * reused buffer is the work being measured; without this, the compiler could load the
 * checksum's bytes straight from the source and drop the copy. */
static inline void keep(const void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

/* A 64-byte aligned buffer, written once so that no page fault lands in a timed loop. */
static unsigned char *scratch_create(void) {
  unsigned char *scratch = aligned_alloc(64, SCRATCH_SIZE);
  if (scratch == NULL) fail_run("out of memory for a %d byte buffer", SCRATCH_SIZE);
  memset(scratch, 0, SCRATCH_SIZE);
  return scratch;
}

/* The random workloads: at, readat8, readat4k. */

/* One thread's share of a random workload: its inputs, then what it measured. */
struct worker {
  struct reader *reader;
  uint64_t size; /* 1 for at, 8 or 4096 for readat8 and readat4k */
  uint64_t ops;
  uint64_t seed;
  unsigned char *buffer;
  uint64_t checksum, start, end;
};

/* Called with constant kind and size, so each of the nine combinations is its own loop:
 * the copy has a literal length, as a hand-written ReadAt would. */
ALWAYS_INLINE void random_loop(struct worker *job, enum reader_kind kind, uint64_t size) {
  /* A private copy of the reader's fields (its windows stay shared): the compiler keeps
   * them in registers, where keep() would otherwise force a reload on every operation. */
  struct reader local = *job->reader;
  struct reader *reader = &local;
  unsigned char *buffer = job->buffer;
  struct prng random = {job->seed};
  uint64_t range = reader->count - size + 1; /* run_workload checked count >= size */
  uint64_t ops = job->ops, sum = 0;
  job->start = now_ns();
  for (uint64_t i = 0; i < ops; i++) {
    uint64_t offset = prng_next(&random) % range;
    if (size == 1) {
      sum += reader_byte(reader, kind, offset);
    } else {
      reader_copy(reader, kind, buffer, size, offset);
      keep(buffer);
      sum += size == 8 ? load64(buffer) : load64(buffer) ^ load64(buffer + size - 8);
    }
  }
  job->end = now_ns();
  job->checksum = sum;
}

ALWAYS_INLINE void random_loop_of_kind(struct worker *job, enum reader_kind kind) {
  switch (job->size) {
  case 1: random_loop(job, kind, 1); break;
  case 8: random_loop(job, kind, 8); break;
  default: random_loop(job, kind, 4096); break;
  }
}

static void *run_worker(void *argument) {
  struct worker *job = argument;
  switch (job->reader->kind) {
  case READER_MMAP: random_loop_of_kind(job, READER_MMAP); break;
  case READER_PREAD: random_loop_of_kind(job, READER_PREAD); break;
  case READER_WINDOWED: random_loop_of_kind(job, READER_WINDOWED); break;
  }
  return NULL;
}

/* N threads share the reader; thread i draws from seed S + i and copies into its own buffer,
 * thread 0 into `scratch`. The time is the whole region, from the first thread's start to the
 * last one's end. */
static struct result run_random(struct reader *reader, const struct options *options,
                                uint64_t size, unsigned char *scratch) {
  unsigned threads = options->threads;
  struct worker *jobs = calloc(threads, sizeof *jobs);
  pthread_t *ids = calloc(threads, sizeof *ids);
  if (jobs == NULL || ids == NULL) fail_run("out of memory for %u threads", threads);
  for (unsigned i = 0; i < threads; i++) {
    uint64_t seed = options->seed + i; /* wraps; 0 would stall the generator, so use 1 */
    jobs[i] = (struct worker){.reader = reader, .size = size, .ops = options->ops,
                              .seed = seed ? seed : 1,
                              .buffer = i == 0 ? scratch : scratch_create()};
  }
  if (threads == 1) {
    run_worker(&jobs[0]);
  } else {
    reader_share(reader);
    for (unsigned i = 0; i < threads; i++) {
      if (pthread_create(&ids[i], NULL, run_worker, &jobs[i]) != 0) {
        fail_run("cannot start thread %u", i);
      }
    }
    for (unsigned i = 0; i < threads; i++) pthread_join(ids[i], NULL);
  }
  struct result result = {.ops = threads * options->ops, .bytes = threads * options->ops * size};
  uint64_t start = UINT64_MAX, end = 0;
  for (unsigned i = 0; i < threads; i++) {
    result.checksum += jobs[i].checksum;
    if (jobs[i].start < start) start = jobs[i].start;
    if (jobs[i].end > end) end = jobs[i].end;
    if (i > 0) free(jobs[i].buffer);
  }
  result.nanoseconds = end - start;
  free(jobs);
  free(ids);
  return result;
}

/* seq64k: the whole file in 64 KiB copies. */

ALWAYS_INLINE struct result sequential_loop(struct reader *reader, enum reader_kind kind,
                                            unsigned char *buffer) {
  uint64_t count = reader->count;
  struct result result = {.bytes = count};
  uint64_t start = now_ns();
  for (uint64_t offset = 0; offset < count; offset += SEQUENTIAL_SIZE) {
    uint64_t n = count - offset < SEQUENTIAL_SIZE ? count - offset : SEQUENTIAL_SIZE;
    reader_copy(reader, kind, buffer, n, offset);
    keep(buffer);
    result.checksum += load64(buffer) ^ load64(buffer + n - 8); /* n >= 8: count % 8 == 0 */
    result.ops++;
  }
  result.nanoseconds = now_ns() - start;
  return result;
}

static struct result run_sequential(struct reader *reader, unsigned char *buffer) {
  if (reader->count < 8 || reader->count % 8 != 0) {
    fail_run("%s: seq64k needs a length that is a multiple of 8 (this one is %" PRIu64 ")",
             reader->path, reader->count);
  }
  switch (reader->kind) {
  case READER_MMAP: return sequential_loop(reader, READER_MMAP, buffer);
  case READER_PREAD: return sequential_loop(reader, READER_PREAD, buffer);
  case READER_WINDOWED: return sequential_loop(reader, READER_WINDOWED, buffer);
  }
  abort();
}

/* lines and lineiter: the whole file once, without copying where the reader maps. */

/* Hands the whole file to visit() in order, as few spans as the reader allows: the whole
 * mapping, window after window (no copy), or chunks pread into scratch. */
typedef void span_visitor(void *context, const unsigned char *bytes, size_t count);

static void visit_file(struct reader *reader, unsigned char *scratch, span_visitor *visit,
                       void *context) {
  uint64_t count = reader->count;
  switch (reader->kind) {
  case READER_MMAP:
    if (count > 0) visit(context, reader->map, count);
    break;
  case READER_PREAD:
    for (uint64_t offset = 0; offset < count; offset += SCRATCH_SIZE) {
      uint64_t n = count - offset < SCRATCH_SIZE ? count - offset : SCRATCH_SIZE;
      pread_all(reader, scratch, n, offset);
      visit(context, scratch, n);
    }
    break;
  case READER_WINDOWED:
    for (uint64_t offset = 0; offset < count;) {
      const struct window *window = windows_find(reader->windows, offset);
      uint64_t skip = offset - window->start;
      visit(context, window->bytes + skip, window->count - skip);
      offset = window->start + window->count;
    }
    break;
  }
}

static void count_span(void *context, const unsigned char *bytes, size_t count) {
  *(uint64_t *)context += count_newlines(bytes, count);
}

/* lineiter's state between spans: `pending` is the length so far of a line that a span
 * boundary cut, 0 when the last span ended with a line feed. */
struct line_walk {
  uint64_t checksum, lines, pending;
};

/* The loop most C parsers write: memchr to the next line feed, one line per call. */
static void walk_span(void *context, const unsigned char *bytes, size_t count) {
  struct line_walk *walk = context;
  const unsigned char *p = bytes, *end = bytes + count;
  uint64_t checksum = walk->checksum, lines = walk->lines, pending = walk->pending;
  const unsigned char *newline;
  while ((newline = memchr(p, '\n', (size_t)(end - p))) != NULL) {
    checksum = checksum * 31 + pending + (uint64_t)(newline - p);
    lines++;
    pending = 0;
    p = newline + 1;
  }
  *walk = (struct line_walk){checksum, lines, pending + (uint64_t)(end - p)};
}

static struct result run_lines(struct reader *reader, unsigned char *scratch) {
  struct result result = {.ops = 1, .bytes = reader->count};
  uint64_t start = now_ns();
  visit_file(reader, scratch, count_span, &result.checksum);
  result.nanoseconds = now_ns() - start;
  return result;
}

static struct result run_lineiter(struct reader *reader, unsigned char *scratch) {
  struct line_walk walk = {0, 0, 0};
  uint64_t start = now_ns();
  visit_file(reader, scratch, walk_span, &walk);
  /* A last line without a line feed counts; after a final line feed nothing is pending. */
  if (walk.pending > 0) {
    walk.checksum = walk.checksum * 31 + walk.pending;
    walk.lines++;
  }
  uint64_t end = now_ns();
  return (struct result){walk.lines, reader->count, end - start, walk.checksum};
}

/* openclose: opening is the operation, so reader_open and reader_close are timed. */
static struct result run_openclose(const struct options *options) {
  struct result result = {.ops = options->ops};
  uint64_t start = now_ns();
  for (uint64_t i = 0; i < options->ops; i++) {
    struct reader reader;
    reader_open(&reader, options);
    result.checksum += reader.count;
    reader_close(&reader);
  }
  result.nanoseconds = now_ns() - start;
  return result;
}

struct result run_workload(const struct options *options) {
  if (options->workload == WORKLOAD_OPENCLOSE) return run_openclose(options);

  struct reader reader;
  reader_open(&reader, options);
  uint64_t size = workload_read_size(options->workload);
  if (reader.count < size) {
    fail_run("%s: the file (%" PRIu64 " bytes) is shorter than the read size (%" PRIu64 ")",
             options->path, reader.count, size);
  }
  unsigned char *scratch = scratch_create();
  struct result result;
  switch (options->workload) {
  case WORKLOAD_AT:
  case WORKLOAD_READAT8:
  case WORKLOAD_READAT4K: result = run_random(&reader, options, size, scratch); break;
  case WORKLOAD_SEQ64K: result = run_sequential(&reader, scratch); break;
  case WORKLOAD_LINES:
    result = options->threads > 1 ? run_shared_pass(&reader, options)
                                  : run_lines(&reader, scratch);
    break;
  case WORKLOAD_LINEITER:
    result = options->threads > 1 ? run_shared_pass(&reader, options)
                                  : run_lineiter(&reader, scratch);
    break;
  case WORKLOAD_SEARCH: result = run_shared_pass(&reader, options); break;
  case WORKLOAD_FLOATSUM: result = run_floatsum(&reader); break;
  case WORKLOAD_SEND: result = run_send(&reader, options->uses_sendfile); break;
  default: abort();
  }
  free(scratch);
  reader_close(&reader);
  return result;
}
