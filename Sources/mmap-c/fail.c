#include "fail.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void fail_with(int status, const char *format, va_list arguments) {
  fputs("mmap-c: ", stderr);
  vfprintf(stderr, format, arguments);
  fputc('\n', stderr);
  exit(status);
}

void fail_usage(const char *format, ...) {
  va_list arguments;
  va_start(arguments, format);
  fail_with(2, format, arguments);
}

void fail_run(const char *format, ...) {
  va_list arguments;
  va_start(arguments, format);
  fail_with(1, format, arguments);
}

void fail_errno(const char *operation, const char *path) {
  int code = errno; /* read first: the calls below may change it */
  fail_run("%s(\"%s\") failed: %s (errno %d)", operation, path, strerror(code), code);
}
