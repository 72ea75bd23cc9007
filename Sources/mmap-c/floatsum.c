#include "floatsum.h"

#include <string.h>
#include <time.h>

#include "fail.h"

enum { LANES = 16 };

/* Lane j adds the elements whose index is j modulo 16, in order; then the lanes in order,
 * then the elements past the last whole group of 16. */
__attribute__((noinline)) static float lane_sum(const float *floats, size_t count) {
  float lanes[LANES] = {0};
  size_t whole = count - count % LANES, index = 0;
  for (; index < whole; index += LANES) {
    for (int lane = 0; lane < LANES; lane++) lanes[lane] += floats[index + lane];
  }
  float total = 0;
  for (int lane = 0; lane < LANES; lane++) total += lanes[lane];
  for (; index < count; index++) total += floats[index];
  return total;
}

struct result run_floatsum(const struct reader *reader) {
  if (reader->kind != READER_MMAP) fail_usage("floatsum runs with --reader mmap only");
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  /* A mapping is page-aligned, so its bytes are aligned for float. */
  float sum = lane_sum((const float *)reader->map, (size_t)(reader->count / sizeof(float)));
  clock_gettime(CLOCK_MONOTONIC, &end);
  uint32_t bits;
  memcpy(&bits, &sum, sizeof bits);
  uint64_t nanoseconds = (uint64_t)(end.tv_sec - start.tv_sec) * 1000000000u +
                         (uint64_t)end.tv_nsec - (uint64_t)start.tv_nsec;
  return (struct result){1, reader->count, nanoseconds, bits};
}
