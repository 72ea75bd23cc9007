// Which two bytes of a needle the vector search compares first: the two it expects to be
// rarest in the haystack, so that few positions pass the filter and need a full compare.
// The expectation is a guess for text and common binary files, nothing measured per call.

#include "kernels.h"

/// How common each byte is expected to be, higher for more common: spaces and the most
/// frequent lowercase letters of text first (in the usual order of letter frequency in
/// English prose), then other letters, digits, line ends and the zero bytes of binary files;
/// other punctuation next, and control and non-ASCII bytes (0 here) last. A table, so that
/// choosing the pair costs a few instructions per needle byte: a search of a small range
/// pays for the choice on every call.
static const uint8_t expected_frequencies[256] = {
    [0] = 200, ['\t'] = 120, ['\n'] = 150, ['\r'] = 120, [' '] = 255,
    ['!' ... '+'] = 90, [','] = 120, ['-'] = 90, ['.'] = 120, ['/'] = 90,
    ['0' ... '9'] = 130, [':' ... '@'] = 90, ['A' ... 'Z'] = 130, ['[' ... '`'] = 90,
    ['e'] = 240, ['t'] = 236, ['a'] = 232, ['o'] = 228, ['i'] = 224, ['n'] = 220,
    ['s'] = 216, ['r'] = 212, ['h'] = 208, ['l'] = 204, ['d'] = 200, ['c'] = 196,
    ['u'] = 192, ['m'] = 188, ['f'] = 184, ['p'] = 180, ['g'] = 176, ['w'] = 172,
    ['y'] = 168, ['b'] = 164, ['v'] = 160, ['k'] = 156, ['x'] = 152, ['j'] = 148,
    ['q'] = 144, ['z'] = 140, ['{' ... '~'] = 90, [0xFF] = 120,
};

static unsigned expected_frequency(uint8_t byte) {
  return expected_frequencies[byte];
}

cmmap_needle_pair cmmap_scan_needle_pair(const uint8_t *needle, size_t needle_count) {
  // The rarest byte's position, then the rarest of the others, preferring another value so
  // that the two tests filter independently. Ties keep the earlier position.
  size_t rarest = 0;
  unsigned rarest_frequency = expected_frequency(needle[0]);
  for (size_t i = 1; i < needle_count; i++) {
    unsigned frequency = expected_frequency(needle[i]);
    if (frequency < rarest_frequency) {
      rarest = i;
      rarest_frequency = frequency;
    }
  }
  // The second byte's key: its frequency, plus 256 if it equals the rarest byte's value, so
  // that the lowest key is the rarest of the bytes that differ, if any does.
  const uint8_t rare = needle[rarest];
  size_t second = rarest == 0 ? 1 : 0;
  unsigned best = expected_frequency(needle[second]) + ((unsigned)(needle[second] == rare) << 8);
  for (size_t i = 0; i < needle_count; i++) {
    unsigned key = expected_frequency(needle[i]) + ((unsigned)(needle[i] == rare) << 8);
    if (key < best && i != rarest) {
      second = i;
      best = key;
    }
  }
  cmmap_needle_pair pair;
  pair.low = rarest < second ? rarest : second;
  pair.high = rarest < second ? second : rarest;
  return pair;
}
