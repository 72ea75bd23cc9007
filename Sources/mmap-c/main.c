/*
 * mmap-c: the benchmark protocol's C reference reader (BENCH_PROTOCOL.md), the
 * physical limit that mmap-bench's figures are compared with.
 *
 *   mmap-c WORKLOAD FILE [--ops N] [--seed S] [--window BYTES] [--windows N]
 *          [--reader mmap|pread|windowed|sendfile] [--threads N] [--needle TEXT]
 *
 * Prints the protocol's one output line. Where the protocol leaves room it does
 * as mmap-bench does: `bytes` is ops, 8 x ops and 4096 x ops for the random
 * workloads, the file's length for seq64k, lines and lineiter, and 0 for
 * openclose; openclose with the mmap reader maps and unmaps the file, with the
 * others it opens, fstats and closes it. Every reader runs every workload;
 * lineiter over the pread and windowed readers carries a line cut by a chunk or
 * window edge over to the next. send (send.h) runs with mmap, pread and sendfile. MMAP_C_LINES chooses how `lines` counts (see
 * newlines.h). search is glibc memmem; --threads N on lines, lineiter and search shares
 * one pass out as the protocol's parts (parallel.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "fail.h"
#include "newlines.h"
#include "options.h"
#include "workloads.h"

int main(int argc, char **argv) {
  struct options options;
  parse_options(argc, argv, &options);
  const char *mode = getenv("MMAP_C_LINES");
  if (!newlines_select(mode)) fail_usage("MMAP_C_LINES=%s: use memchr, simd or plain", mode);

  struct result result = run_workload(&options);
  double seconds = (double)result.nanoseconds / 1e9;
  double ns_per_op = result.ops > 0 ? (double)result.nanoseconds / (double)result.ops : 0;
  double mb_per_s = result.bytes > 0 && seconds > 0 ? (double)result.bytes / seconds / 1e6 : 0;
  printf("workload=%s ops=%" PRIu64 " bytes=%" PRIu64 " ns_per_op=%.2f mb_per_s=%.1f"
         " checksum=0x%016" PRIx64 "\n",
         options.workload_name, result.ops, result.bytes, ns_per_op, mb_per_s, result.checksum);
  if (fflush(stdout) != 0) fail_run("cannot write the result to standard output");
  return 0;
}
