// The AVX2 kernels, for x86-64 processors that have AVX2, BMI1 and POPCNT (every one since
// 2013). Each function carries its own target attribute, so the package needs no compiler
// flags and the rest of the module still runs on any x86-64; dispatch.c calls these only
// after checking the processor. They handle whole 32- or 64-byte blocks and leave the last
// few bytes to the portable kernels. Not built on Apple platforms (see kernels.h).

#include "kernels.h"

#if CMMAP_SCAN_HAS_AVX2

#include <immintrin.h>
#include <string.h>

#define AVX2 __attribute__((target("avx2,bmi,popcnt")))

/// The 32 bytes at `bytes`, which need not be aligned.
AVX2 static inline __m256i load32(const uint8_t *bytes) {
  return _mm256_loadu_si256((const __m256i *)bytes);
}

/// One bit per byte of the 64 bytes at `bytes`, set where the byte equals each byte of `byte`.
AVX2 static inline uint64_t match_mask(const uint8_t *bytes, __m256i byte) {
  uint32_t low = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(load32(bytes), byte));
  uint32_t high = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(load32(bytes + 32), byte));
  return (uint64_t)high << 32 | low;
}

AVX2 size_t cmmap_scan_count_avx2(const uint8_t *bytes, size_t count, uint8_t byte) {
  const __m256i pattern = _mm256_set1_epi8((char)byte);
  const __m256i zero = _mm256_setzero_si256();
  __m256i sums = zero;  // Four 64-bit totals.
  size_t i = 0;
  while (count - i >= 64) {
    // A match compares as 0xFF (-1), so subtracting it adds one to a byte counter; a byte
    // counter holds at most 255, so fold the counters into `sums` every 255 blocks.
    size_t blocks = (count - i) / 64;
    if (blocks > 255) blocks = 255;
    __m256i low = zero, high = zero;
    for (size_t b = 0; b < blocks; b++, i += 64) {
      low = _mm256_sub_epi8(low, _mm256_cmpeq_epi8(load32(bytes + i), pattern));
      high = _mm256_sub_epi8(high, _mm256_cmpeq_epi8(load32(bytes + i + 32), pattern));
    }
    // The sum of absolute differences against zero adds each group of 8 counters.
    sums = _mm256_add_epi64(sums, _mm256_sad_epu8(low, zero));
    sums = _mm256_add_epi64(sums, _mm256_sad_epu8(high, zero));
  }
  size_t total = (size_t)_mm256_extract_epi64(sums, 0) + (size_t)_mm256_extract_epi64(sums, 1) +
                 (size_t)_mm256_extract_epi64(sums, 2) + (size_t)_mm256_extract_epi64(sums, 3);
  return total + cmmap_scan_count_portable(bytes + i, count - i, byte);
}

AVX2 size_t cmmap_scan_first_avx2(const uint8_t *bytes, size_t count, uint8_t byte) {
  const __m256i pattern = _mm256_set1_epi8((char)byte);
  size_t i = 0;
  for (; count - i >= 64; i += 64) {
    uint64_t mask = match_mask(bytes + i, pattern);
    if (mask) return i + _tzcnt_u64(mask);
  }
  return i + cmmap_scan_first_portable(bytes + i, count - i, byte);  // `count` if none.
}

AVX2 size_t cmmap_scan_last_avx2(const uint8_t *bytes, size_t count, uint8_t byte) {
  const __m256i pattern = _mm256_set1_epi8((char)byte);
  size_t end = count;  // Every byte at or past `end` is known not to match.
  for (; end >= 64; end -= 64) {
    uint64_t mask = match_mask(bytes + end - 64, pattern);
    if (mask) return end - 64 + (63 - (size_t)__builtin_clzll(mask));
  }
  size_t last = cmmap_scan_last_portable(bytes, end, byte);
  return last == end ? count : last;
}

AVX2 size_t cmmap_scan_offsets_avx2(
    const uint8_t *bytes, size_t count, uint8_t byte, uint32_t *offsets) {
  const __m256i pattern = _mm256_set1_epi8((char)byte);
  size_t found = 0;
  size_t i = 0;
  for (; count - i >= 64; i += 64) {
    uint64_t mask = match_mask(bytes + i, pattern);
    size_t matches = (size_t)_mm_popcnt_u64(mask);
    uint32_t *out = offsets + found;
    // Store four indices whatever the mask holds, without a branch: a block of text rarely
    // has more than four line feeds, and entries past `matches` are overwritten by the next
    // block (tzcnt of an empty mask is 64). At most 3 unused entries follow the last match.
    out[0] = (uint32_t)(i + _tzcnt_u64(mask));
    mask = _blsr_u64(mask);
    out[1] = (uint32_t)(i + _tzcnt_u64(mask));
    mask = _blsr_u64(mask);
    out[2] = (uint32_t)(i + _tzcnt_u64(mask));
    mask = _blsr_u64(mask);
    out[3] = (uint32_t)(i + _tzcnt_u64(mask));
    mask = _blsr_u64(mask);
    for (size_t j = 4; mask; j++) {
      out[j] = (uint32_t)(i + _tzcnt_u64(mask));
      mask = _blsr_u64(mask);
    }
    found += matches;
  }
  return found + cmmap_scan_offsets_from(bytes, i, count, byte, offsets + found);
}

#endif
