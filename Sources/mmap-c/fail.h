#ifndef MMAP_C_FAIL_H
#define MMAP_C_FAIL_H

/*
 * Every error ends the program with one line on standard error, prefixed
 * "mmap-c: ". The exit status tells a caller whose fault it was: 2 for a bad
 * command line, 1 for a failure while running (a missing file, a failed call).
 */

#define PRINTF_LIKE __attribute__((format(printf, 1, 2)))

_Noreturn void fail_usage(const char *format, ...) PRINTF_LIKE;
_Noreturn void fail_run(const char *format, ...) PRINTF_LIKE;

/* Fails with `operation("path") failed: reason (errno N)` for the current errno. */
_Noreturn void fail_errno(const char *operation, const char *path);

#endif
