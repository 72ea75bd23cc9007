#ifndef MMAP_C_PRNG_H
#define MMAP_C_PRNG_H

#include <stdint.h>

/*
 * The benchmark protocol's generator, xorshift64*: every implementation draws
 * the same offsets from the same seed, so their checksums can be compared.
 * The state is a small struct the timed loops keep in a local variable, where
 * the compiler holds it in a register.
 */
struct prng {
  uint64_t state; /* never 0: the sequence would stay at 0 */
};

static inline uint64_t prng_next(struct prng *random) {
  uint64_t x = random->state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  random->state = x;
  return x * UINT64_C(0x2545F4914F6CDD1D);
}

#endif
