// The portable kernels: plain C that reads 8 bytes at a time as one 64-bit word, for every
// processor and as the tail step of the vector kernels. Correct on either byte order: a word
// only says whether its 8 bytes hold a match; the bytes themselves are then read one by one.

#include <string.h>

#include "kernels.h"

#define ONES 0x0101010101010101ull
#define LOWS 0x7F7F7F7F7F7F7F7Full

/// The 8 bytes at `bytes`, which need not be aligned.
static inline uint64_t load_word(const uint8_t *bytes) {
  uint64_t word;
  memcpy(&word, bytes, sizeof word);
  return word;
}

/// A word whose bytes have their high bit set exactly where the bytes of `word` are zero.
/// No carry crosses a byte: (b & 0x7F) + 0x7F is at most 0xFE.
static inline uint64_t zero_bytes(uint64_t word) {
  return ~(((word & LOWS) + LOWS) | word | LOWS);
}

/// The bytes of the word at `bytes` that equal the byte `pattern` repeats, as `zero_bytes`.
static inline uint64_t matching_bytes(const uint8_t *bytes, uint64_t pattern) {
  return zero_bytes(load_word(bytes) ^ pattern);
}

size_t cmmap_scan_count_portable(const void *start, size_t count, uint8_t byte) {
  const uint8_t *bytes = start;
  const uint64_t pattern = ONES * byte;
  size_t total = 0;
  size_t i = 0;
  for (; count - i >= 8; i += 8) {
    // One bit per matching byte, moved to the bottom of its byte; the multiplication adds
    // the 8 bytes up into the top one (at most 8, so no carry is lost).
    total += (size_t)(((matching_bytes(bytes + i, pattern) >> 7) * ONES) >> 56);
  }
  for (; i < count; i++) total += bytes[i] == byte;
  return total;
}

size_t cmmap_scan_first_portable(const void *start, size_t count, uint8_t byte) {
  const uint8_t *bytes = start;
  const uint64_t pattern = ONES * byte;
  size_t i = 0;
  while (count - i >= 8 && !matching_bytes(bytes + i, pattern)) i += 8;
  for (; i < count; i++) {
    if (bytes[i] == byte) return i;
  }
  return count;
}

size_t cmmap_scan_last_portable(const void *start, size_t count, uint8_t byte) {
  const uint8_t *bytes = start;
  const uint64_t pattern = ONES * byte;
  size_t end = count;  // Every byte at or past `end` is known not to match.
  while (end >= 8 && !matching_bytes(bytes + end - 8, pattern)) end -= 8;
  while (end > 0) {
    end--;
    if (bytes[end] == byte) return end;
  }
  return count;
}

size_t cmmap_scan_find_portable(
    const void *start, size_t count, const void *pattern, size_t needle_count) {
  const uint8_t *bytes = start;
  const uint8_t *needle = pattern;
  if (needle_count > count) return count;
  const size_t starts = count - needle_count + 1;  // The positions a match can start at.
  size_t i = 0;
  while (i < starts) {
    i += cmmap_scan_first_portable(bytes + i, starts - i, needle[0]);
    if (i == starts) break;
    if (memcmp(bytes + i + 1, needle + 1, needle_count - 1) == 0) return i;
    i++;
  }
  return count;
}

size_t cmmap_scan_offsets_from(
    const uint8_t *bytes, size_t start, size_t count, uint8_t byte, uint32_t *offsets) {
  const uint64_t pattern = ONES * byte;
  size_t found = 0;
  size_t i = start;
  for (; count - i >= 8; i += 8) {
    if (!matching_bytes(bytes + i, pattern)) continue;
    // Store every index and keep those that match: no branch per byte.
    for (size_t j = i; j < i + 8; j++) {
      offsets[found] = (uint32_t)j;
      found += bytes[j] == byte;
    }
  }
  for (; i < count; i++) {
    offsets[found] = (uint32_t)i;
    found += bytes[i] == byte;
  }
  return found;
}

size_t cmmap_scan_offsets_portable(
    const void *bytes, size_t count, uint8_t byte, uint32_t *offsets) {
  return cmmap_scan_offsets_from(bytes, 0, count, byte, offsets);
}
