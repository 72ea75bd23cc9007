#include "fixture.h"

/* The protocol's xorshift64*. */
static inline uint64_t next(struct fixture *fixture) {
  uint64_t x = fixture->state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  fixture->state = x;
  return x * UINT64_C(0x2545F4914F6CDD1D);
}

size_t fixture_fill(struct fixture *fixture, unsigned char *buffer, size_t capacity) {
  size_t used = 0;
  while (fixture->remaining > 0 && capacity - used >= FIXTURE_MAX_LINE) {
    uint64_t length = next(fixture) % 161;
    if (length > fixture->remaining - 1) length = fixture->remaining - 1;
    unsigned char *line = buffer + used;
    for (uint64_t column = 0; column < length; column += 8) {
      uint64_t word = next(fixture);
      uint64_t stop = column + 8 < length ? column + 8 : length;
      for (uint64_t j = column; j < stop; j++, word >>= 8) {
        /* Scales a byte 0..255 onto the 95 printable characters. */
        line[j] = (unsigned char)(0x20 + (((word & 0xFF) * 95) >> 8));
      }
    }
    line[length] = '\n';
    used += length + 1;
    fixture->remaining -= length + 1;
  }
  return used;
}
