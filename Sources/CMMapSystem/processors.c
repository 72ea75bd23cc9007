// The processors this process may run on: sched_getaffinity(2) and CPU_COUNT, a macro that
// Swift can't call.

#ifdef __linux__
#define _GNU_SOURCE 1  // For CPU_COUNT_S; before any header.
#endif

#include "CMMapSystem.h"

#ifdef __linux__
#include <sched.h>
#include <stdlib.h>

long mmap_available_processors(void) {
  // A set large enough for any machine: grow it while the kernel says it is too small.
  for (int processors = 1024; processors <= (1 << 20); processors *= 2) {
    cpu_set_t *set = CPU_ALLOC(processors);
    if (set == NULL) return 0;
    size_t size = CPU_ALLOC_SIZE(processors);
    CPU_ZERO_S(size, set);
    if (sched_getaffinity(0, size, set) == 0) {
      long count = CPU_COUNT_S(size, set);
      CPU_FREE(set);
      return count;
    }
    CPU_FREE(set);
  }
  return 0;
}

#else
#include <unistd.h>

long mmap_available_processors(void) {
  // No affinity masks to read (Darwin): the processors online.
  long count = sysconf(_SC_NPROCESSORS_ONLN);
  return count > 0 ? count : 0;
}

#endif
