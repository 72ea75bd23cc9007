#ifndef MMAP_C_FLOATSUM_H
#define MMAP_C_FLOATSUM_H

#include "reader.h"
#include "workloads.h"

/* floatsum: the mapped file's bytes as floats, summed in mmap-bench's lane order
 * (Sources/MMapBench/FloatSum.swift); the checksum is the sum's bit pattern. Only the mmap
 * reader: this is the loop a C program runs over a mapping. */
struct result run_floatsum(const struct reader *reader);

#endif
