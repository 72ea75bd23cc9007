// The AVX2 substring search: a filter on two bytes of the needle over 64 starting positions
// at a time, then a full compare at the few positions that pass. See avx2.c for the target
// attribute and the dispatch.

#include "kernels.h"

#if CMMAP_SCAN_HAS_AVX2

#include <immintrin.h>
#include <string.h>

#define AVX2 __attribute__((target("avx2,bmi")))

/// The 32 bytes at `bytes`, which need not be aligned.
AVX2 static inline __m256i load32(const uint8_t *bytes) {
  return _mm256_loadu_si256((const __m256i *)bytes);
}

/// The first block of 64 starting positions, from `from` on in steps of 64, in which some
/// position has `pair`'s bytes at its offsets: returns its start and stores its mask in
/// `found` (bit k for position start + k), or returns the first start with fewer than 64
/// positions left before `starts` and stores 0.
///
/// Kept out of line, with no call inside, so that its loop holds both patterns in
/// registers: inlined beside the full compare's `memcmp`, whose call may overwrite every
/// vector register, the loop reloaded them from the stack at every block.
AVX2 __attribute__((noinline)) static size_t next_candidates(
    const uint8_t *bytes, size_t from, size_t starts, cmmap_needle_pair pair, uint8_t low_byte,
    uint8_t high_byte, uint64_t *found) {
  const __m256i low = _mm256_set1_epi8((char)low_byte);
  const __m256i high = _mm256_set1_epi8((char)high_byte);
  const uint8_t *at_low = bytes + pair.low, *at_high = bytes + pair.high;
  size_t i = from;
  // The last load ends at i + pair.high + 63, inside the haystack while i + 64 <= starts.
  for (; starts - i >= 64; i += 64) {
    __m256i first = _mm256_and_si256(_mm256_cmpeq_epi8(load32(at_low + i), low),
                                     _mm256_cmpeq_epi8(load32(at_high + i), high));
    __m256i second = _mm256_and_si256(_mm256_cmpeq_epi8(load32(at_low + i + 32), low),
                                      _mm256_cmpeq_epi8(load32(at_high + i + 32), high));
    if (!_mm256_testz_si256(_mm256_or_si256(first, second), _mm256_set1_epi8(-1))) {
      uint64_t mask = (uint64_t)(uint32_t)_mm256_movemask_epi8(second) << 32 |
                      (uint32_t)_mm256_movemask_epi8(first);
      *found = mask;
      return i;
    }
  }
  *found = 0;
  return i;
}

AVX2 size_t cmmap_scan_find_avx2(
    const uint8_t *bytes, size_t count, const uint8_t *needle, size_t needle_count) {
  if (needle_count > count) return count;
  if (needle_count == 1) return cmmap_scan_first_avx2(bytes, count, needle[0]);
  const cmmap_needle_pair pair = cmmap_scan_needle_pair(needle, needle_count);
  const size_t starts = count - needle_count + 1;  // The positions a match can start at.
  size_t i = 0;
  for (;;) {
    uint64_t candidates;
    i = next_candidates(bytes, i, starts, pair, needle[pair.low], needle[pair.high],
                        &candidates);
    if (candidates == 0) break;
    for (; candidates != 0; candidates = _blsr_u64(candidates)) {
      size_t start = i + _tzcnt_u64(candidates);
      if (memcmp(bytes + start, needle, needle_count) == 0) return start;
    }
    i += 64;
  }
  // Fewer than 64 starting positions are left.
  return i + cmmap_scan_find_portable(bytes + i, count - i, needle, needle_count);
}

#endif
