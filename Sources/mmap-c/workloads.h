#ifndef MMAP_C_WORKLOADS_H
#define MMAP_C_WORKLOADS_H

#include <stdint.h>

#include "options.h"

/* What one run measured: the protocol's output line before formatting. */
struct result {
  uint64_t ops;         /* operations timed */
  uint64_t bytes;       /* bytes delivered to the caller */
  uint64_t nanoseconds; /* wall-clock time of the timed region */
  uint64_t checksum;
};

/* Opens the reader, runs the workload and closes it; only the workload's loop is timed. */
struct result run_workload(const struct options *options);

#endif
