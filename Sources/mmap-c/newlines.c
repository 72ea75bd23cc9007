#include "newlines.h"

#include <string.h>

static uint64_t count_memchr(const unsigned char *bytes, size_t count) {
  const unsigned char *p = bytes, *end = bytes + count, *newline;
  uint64_t total = 0;
  while ((newline = memchr(p, '\n', (size_t)(end - p))) != NULL) {
    total++;
    p = newline + 1;
  }
  return total;
}

/*
 * 64 byte-wide counters, one per position in a 64-byte block. Each takes at
 * most 255 blocks before it could wrap, then they are added up and restarted.
 * Written so that the inner loop is one compare and one add per lane, which
 * compilers turn into vector compares and byte adds on any target; summing
 * into a single u64 instead would widen every byte to 64 bits.
 */
static uint64_t count_plain(const unsigned char *bytes, size_t count) {
  uint64_t total = 0;
  size_t i = 0;
  while (count - i >= 64) {
    size_t blocks = (count - i) / 64;
    if (blocks > 255) blocks = 255;
    unsigned char counters[64] = {0};
    for (; blocks > 0; blocks--, i += 64) {
      for (int lane = 0; lane < 64; lane++) {
        counters[lane] = (unsigned char)(counters[lane] + (bytes[i + lane] == '\n'));
      }
    }
    for (int lane = 0; lane < 64; lane++) total += counters[lane];
  }
  for (; i < count; i++) total += bytes[i] == '\n';
  return total;
}

#if defined(__x86_64__)
#include <immintrin.h>

/*
 * 128 bytes per round in four registers of 32 byte counters: a comparison
 * gives 0xFF (-1) in each matching lane, and subtracting it adds one. As in
 * count_plain, every 255 rounds the counters are summed, here into 64-bit lanes
 * (vpsadbw against zero), and restarted. Compiled for AVX2 alone, so only a CPU
 * that has it may call it.
 */
__attribute__((target("avx2"))) static uint64_t count_avx2(const unsigned char *bytes,
                                                            size_t count) {
  const __m256i newline = _mm256_set1_epi8('\n');
  const __m256i zero = _mm256_setzero_si256();
  __m256i sums = zero;
  size_t i = 0;
  while (count - i >= 128) {
    size_t rounds = (count - i) / 128;
    if (rounds > 255) rounds = 255;
    __m256i a = zero, b = zero, c = zero, d = zero;
    for (; rounds > 0; rounds--, i += 128) {
      const __m256i *block = (const __m256i *)(bytes + i);
      a = _mm256_sub_epi8(a, _mm256_cmpeq_epi8(_mm256_loadu_si256(block), newline));
      b = _mm256_sub_epi8(b, _mm256_cmpeq_epi8(_mm256_loadu_si256(block + 1), newline));
      c = _mm256_sub_epi8(c, _mm256_cmpeq_epi8(_mm256_loadu_si256(block + 2), newline));
      d = _mm256_sub_epi8(d, _mm256_cmpeq_epi8(_mm256_loadu_si256(block + 3), newline));
    }
    sums = _mm256_add_epi64(sums, _mm256_sad_epu8(a, zero));
    sums = _mm256_add_epi64(sums, _mm256_sad_epu8(b, zero));
    sums = _mm256_add_epi64(sums, _mm256_sad_epu8(c, zero));
    sums = _mm256_add_epi64(sums, _mm256_sad_epu8(d, zero));
  }
  uint64_t lanes[4];
  _mm256_storeu_si256((__m256i *)lanes, sums);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3] + count_plain(bytes + i, count - i);
}
#endif

static uint64_t (*counter)(const unsigned char *, size_t) = count_memchr;

int newlines_select(const char *mode) {
  if (mode == NULL || mode[0] == '\0' || strcmp(mode, "memchr") == 0) {
    counter = count_memchr;
  } else if (strcmp(mode, "plain") == 0) {
    counter = count_plain;
  } else if (strcmp(mode, "simd") == 0) {
    counter = count_plain;
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) counter = count_avx2;
#endif
  } else {
    return 0;
  }
  return 1;
}

uint64_t count_newlines(const unsigned char *bytes, size_t count) { return counter(bytes, count); }
