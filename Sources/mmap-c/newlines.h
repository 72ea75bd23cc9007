#ifndef MMAP_C_NEWLINES_H
#define MMAP_C_NEWLINES_H

#include <stddef.h>
#include <stdint.h>

/*
 * Counting 0x0A bytes for `lines`, chosen by MMAP_C_LINES once, before any timing:
 *
 *   memchr (the default, also when unset or empty)  memchr to each line feed in turn,
 *            the loop most C programs write, and the C figure the README reports
 *   simd     a vector count, AVX2 where the CPU has it, otherwise `plain`: the
 *            memory-bandwidth reference
 *   plain    portable C that the compiler vectorizes with the baseline instruction set
 */

/* Selects the count for MMAP_C_LINES=`mode`; returns 0 for an unknown mode. */
int newlines_select(const char *mode);

uint64_t count_newlines(const unsigned char *bytes, size_t count);

#endif
