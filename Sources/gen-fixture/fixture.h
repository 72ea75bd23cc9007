#ifndef GEN_FIXTURE_FIXTURE_H
#define GEN_FIXTURE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The benchmark's deterministic, text-like fixture: lines of printable ASCII
 * (0x20..0x7E) of pseudo-random lengths 0..160, each ended by 0x0A, drawn from
 * the protocol's xorshift64*. Any implementation of these steps makes the same
 * bytes from the same size and seed:
 *
 *   per line: length = next() % 161, lowered to remaining - 1 if larger (so the
 *             file ends with 0x0A); then the characters, 8 per draw w: the j-th
 *             of the line is 0x20 + ((b * 95) >> 8), b = byte j % 8 of w (least
 *             significant first), with a new w drawn at every j % 8 == 0; then
 *             0x0A.
 */

/* The longest line, its line feed included: a buffer with this much room takes one more. */
enum { FIXTURE_MAX_LINE = 161 };

struct fixture {
  uint64_t state;     /* the generator: seed first, never 0 */
  uint64_t remaining; /* bytes still to generate */
};

/* Appends whole lines to `buffer` while `capacity` leaves room for one more and bytes remain;
 * returns the bytes written. The file is the concatenation of the calls' output. */
size_t fixture_fill(struct fixture *fixture, unsigned char *buffer, size_t capacity);

#endif
