// Byte-scanning kernels for the MMap module: counting, searching and finding line feeds in
// memory at the speed of the memory bus. An implementation detail of MMap, not a product.
//
// Every function picks its implementation at run time: AVX2 on x86-64 processors that have
// it (except on Apple platforms), portable C everywhere else. The portable versions are declared too, so that tests can
// check both against a plain loop. All of them accept any alignment and any length, including
// zero (where a pointer may then be NULL), and read no byte outside the buffers they are given.

#ifndef CMMAPSCAN_H
#define CMMAPSCAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// How many entries past `count` the `offsets` array of `cmmap_scan_offsets` must have room
/// for: the kernel may store up to this many unused entries after the last one it reports.
#define CMMAP_SCAN_OFFSETS_SLACK 8

/// The number of bytes equal to `byte` in `bytes[0..<count]`.
size_t cmmap_scan_count(const void *bytes, size_t count, uint8_t byte);

/// The index of the first byte equal to `byte` in `bytes[0..<count]`, or `count` if none is.
size_t cmmap_scan_first(const void *bytes, size_t count, uint8_t byte);

/// The index of the last byte equal to `byte` in `bytes[0..<count]`, or `count` if none is.
size_t cmmap_scan_last(const void *bytes, size_t count, uint8_t byte);

/// The index of the first occurrence of `needle[0..<needle_count]` that lies wholly inside
/// `bytes[0..<count]`, or `count` if there is none. `needle_count` must be at least 1.
///
/// Candidates are the positions where the needle's first and last bytes both match; each is
/// then compared in full, so the time is linear in `count` for all but contrived inputs (at
/// worst `count * needle_count`).
size_t cmmap_scan_find(
    const void *bytes, size_t count, const void *needle, size_t needle_count);

/// Stores the index of every byte equal to `byte` in `bytes[0..<count]`, in increasing order,
/// in `offsets`, and returns how many there are.
///
/// `count` must be at most `UINT32_MAX`, and `offsets` must have room for
/// `count + CMMAP_SCAN_OFFSETS_SLACK` entries.
size_t cmmap_scan_offsets(const void *bytes, size_t count, uint8_t byte, uint32_t *offsets);

// The portable implementations, which the functions above use where AVX2 is missing. Declared
// for tests only.

size_t cmmap_scan_count_portable(const void *bytes, size_t count, uint8_t byte);
size_t cmmap_scan_first_portable(const void *bytes, size_t count, uint8_t byte);
size_t cmmap_scan_last_portable(const void *bytes, size_t count, uint8_t byte);
size_t cmmap_scan_find_portable(
    const void *bytes, size_t count, const void *needle, size_t needle_count);
size_t cmmap_scan_offsets_portable(
    const void *bytes, size_t count, uint8_t byte, uint32_t *offsets);

/// Whether the functions above use their AVX2 implementations on this processor.
int cmmap_scan_uses_avx2(void);

#ifdef __cplusplus
}
#endif

#endif
