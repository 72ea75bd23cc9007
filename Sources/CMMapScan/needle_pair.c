// Which two bytes of a needle the vector search compares first: the two it expects to be
// rarest in the haystack, so that few positions pass the filter and need a full compare.
// The expectation is a guess for text and common binary files, nothing measured per call.

#include "kernels.h"

#include <stdbool.h>

/// How common `byte` is expected to be, higher for more common: spaces and the most frequent
/// lowercase letters of text first, then other letters, digits, line ends and the zero bytes
/// of binary files; other punctuation, control and non-ASCII bytes last.
static unsigned expected_frequency(uint8_t byte) {
  if (byte == ' ') return 255;
  if (byte >= 'a' && byte <= 'z') {
    // The usual order of letter frequency in English prose, most frequent first.
    static const char frequent[] = "etaoinsrhldcumfpgwybvkxjqz";
    for (unsigned rank = 0; frequent[rank] != 0; rank++) {
      if (frequent[rank] == byte) return 240 - rank * 4;
    }
  }
  if (byte == 0) return 200;
  if (byte == '\n') return 150;
  if (byte >= 'A' && byte <= 'Z') return 130;
  if (byte >= '0' && byte <= '9') return 130;
  if (byte == ',' || byte == '.' || byte == '\t' || byte == '\r' || byte == 0xFF) return 120;
  if (byte >= 0x21 && byte <= 0x7E) return 90;
  return 40;
}

cmmap_needle_pair cmmap_scan_needle_pair(const uint8_t *needle, size_t needle_count) {
  // The rarest byte's position, then the rarest of the others, preferring another value so
  // that the two tests filter independently. Ties keep the earlier position.
  size_t rarest = 0;
  for (size_t i = 1; i < needle_count; i++) {
    if (expected_frequency(needle[i]) < expected_frequency(needle[rarest])) rarest = i;
  }
  size_t second = rarest == 0 ? 1 : 0;
  for (size_t i = 0; i < needle_count; i++) {
    if (i == rarest) continue;
    unsigned frequency = expected_frequency(needle[i]);
    unsigned best = expected_frequency(needle[second]);
    bool differs = needle[i] != needle[rarest], best_differs = needle[second] != needle[rarest];
    if ((differs && !best_differs) || (differs == best_differs && frequency < best)) second = i;
  }
  cmmap_needle_pair pair;
  pair.low = rarest < second ? rarest : second;
  pair.high = rarest < second ? second : rarest;
  return pair;
}
