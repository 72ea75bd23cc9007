#ifndef MMAP_C_OPTIONS_H
#define MMAP_C_OPTIONS_H

#include <stdint.h>

/* The workloads of the benchmark protocol, in the order of its table. */
enum workload {
  WORKLOAD_AT,
  WORKLOAD_READAT8,
  WORKLOAD_READAT4K,
  WORKLOAD_SEQ64K,
  WORKLOAD_LINES,
  WORKLOAD_LINEITER,
  WORKLOAD_OPENCLOSE,
  WORKLOAD_FLOATSUM,
  WORKLOAD_SEND,
  WORKLOAD_SEARCH,
};

enum reader_kind {
  READER_MMAP,     /* one mapping of the whole file */
  READER_PREAD,    /* one pread(2) per read: the baseline */
  READER_WINDOWED, /* an LRU of page-aligned windows, each mapped on a miss */
};

/* One run, as the command line describes it. */
struct options {
  enum workload workload;
  const char *workload_name;
  const char *path;
  uint64_t ops;         /* --ops, or the workload's default */
  uint64_t seed;        /* --seed, never 0 */
  enum reader_kind reader;
  uint64_t window_size; /* --window before rounding to pages; 16 MiB by default */
  unsigned max_windows; /* --windows: the most windows mapped at once; 4 by default */
  unsigned threads;     /* --threads: 1 unless a random workload asks for more */
  int uses_sendfile;    /* --reader sendfile (send only): the pread reader's descriptor */
  const unsigned char *needle; /* --needle (search only): its UTF-8 bytes */
  uint64_t needle_count;       /* 1 to 255 */
};

/* Parses argv, failing with status 2 on anything the protocol doesn't allow. */
void parse_options(int argc, char **argv, struct options *options);

/* The bytes each random read asks for (k in the protocol), or 0 for the other workloads. */
uint64_t workload_read_size(enum workload workload);

#endif
