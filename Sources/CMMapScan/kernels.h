// Declarations shared by the kernel files; not part of the module's public header.

#ifndef CMMAPSCAN_KERNELS_H
#define CMMAPSCAN_KERNELS_H

#include "CMMapScan.h"

/// Stores the index of every byte equal to `byte` in `bytes[start..<count]` at `offsets`, in
/// increasing order, and returns how many there are. Stores at most one unused entry after
/// them. The tail step of both offset kernels.
size_t cmmap_scan_offsets_from(
    const uint8_t *bytes, size_t start, size_t count, uint8_t byte, uint32_t *offsets);

/// Two positions in a needle of at least two bytes, `low < high`: the bytes the vector search
/// compares before the whole needle.
typedef struct cmmap_needle_pair {
  size_t low;
  size_t high;
} cmmap_needle_pair;

/// The positions of the two bytes of `needle` expected to be rarest (see needle_pair.c).
/// `needle_count` is at least 2.
cmmap_needle_pair cmmap_scan_needle_pair(const uint8_t *needle, size_t needle_count);

/// 1 where the AVX2 kernels are built and chosen at run time: on x86-64, except on Apple
/// platforms. The check uses `__builtin_cpu_supports`, which reads compiler-rt's
/// `__cpu_model`, and a Swift package's link on macOS doesn't promise that symbol; Intel Macs
/// run the portable kernels.
#if defined(__x86_64__) && !defined(__APPLE__)
#define CMMAP_SCAN_HAS_AVX2 1
#else
#define CMMAP_SCAN_HAS_AVX2 0
#endif

#if CMMAP_SCAN_HAS_AVX2
size_t cmmap_scan_count_avx2(const uint8_t *bytes, size_t count, uint8_t byte);
size_t cmmap_scan_first_avx2(const uint8_t *bytes, size_t count, uint8_t byte);
size_t cmmap_scan_last_avx2(const uint8_t *bytes, size_t count, uint8_t byte);
size_t cmmap_scan_find_avx2(
    const uint8_t *bytes, size_t count, const uint8_t *needle, size_t needle_count);
size_t cmmap_scan_offsets_avx2(const uint8_t *bytes, size_t count, uint8_t byte, uint32_t *offsets);
#endif

#endif
