#ifndef MMAP_C_PARALLEL_H
#define MMAP_C_PARALLEL_H

#include <stddef.h>
#include <stdint.h>

#include "reader.h"
#include "workloads.h"

/*
 * The whole-file workloads one pass of which --threads N shares out (lines, lineiter,
 * search), and search itself. Thread i takes part i of the protocol's parts; with N = 1
 * everything runs on the main thread. The mmap reader scans its mapping in place; pread and
 * windowed copy 1 MiB chunks into each thread's own buffer (the windowed reader is shared
 * under its lock).
 */
struct result run_shared_pass(struct reader *reader, const struct options *options);

#endif
