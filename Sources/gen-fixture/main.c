/*
 * gen-fixture PATH SIZE_BYTES SEED
 *
 * Writes the benchmark's fixture (see fixture.h) of exactly SIZE_BYTES bytes to
 * PATH. The bytes go to PATH.tmpPID first and are renamed onto PATH at the end,
 * so a reader never sees a half-written fixture under PATH. Exit status: 2 for
 * bad arguments, 1 when the file can't be written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

enum { BUFFER_SIZE = 1 << 20 };

static _Noreturn void usage_error(const char *message, const char *argument) {
  fprintf(stderr, "gen-fixture: %s%s; usage: gen-fixture PATH SIZE_BYTES SEED\n", message,
          argument);
  exit(2);
}

/* A decimal u64 and nothing else: strtoull alone would take signs, spaces and overflow. */
static int parse_u64(const char *text, uint64_t *value) {
  if (text[0] < '0' || text[0] > '9') return 0;
  char *end;
  errno = 0;
  *value = strtoull(text, &end, 10);
  return errno == 0 && *end == '\0';
}

/* Writes all of bytes, or returns 0 with errno set. */
static int write_all(int fd, const unsigned char *bytes, size_t count) {
  while (count > 0) {
    ssize_t written = write(fd, bytes, count);
    if (written < 0) {
      if (errno == EINTR) continue;
      return 0;
    }
    bytes += written;
    count -= (size_t)written;
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 4) usage_error("expected 3 arguments", "");
  const char *path = argv[1];
  struct fixture fixture;
  if (!parse_u64(argv[2], &fixture.remaining)) usage_error("invalid SIZE_BYTES: ", argv[2]);
  if (!parse_u64(argv[3], &fixture.state) || fixture.state == 0) {
    usage_error("invalid SEED (a non-zero decimal u64): ", argv[3]);
  }

  size_t temporary_size = strlen(path) + 32;
  char *temporary = malloc(temporary_size);
  unsigned char *buffer = malloc(BUFFER_SIZE);
  if (temporary == NULL || buffer == NULL) {
    fputs("gen-fixture: out of memory\n", stderr);
    return 1;
  }
  snprintf(temporary, temporary_size, "%s.tmp%ld", path, (long)getpid());
  int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    fprintf(stderr, "gen-fixture: cannot create %s: %s\n", temporary, strerror(errno));
    return 1;
  }
  const char *failed = NULL; /* the call that failed, its errno in `code` */
  int code = 0;
  while (failed == NULL && fixture.remaining > 0) {
    size_t count = fixture_fill(&fixture, buffer, BUFFER_SIZE);
    if (!write_all(fd, buffer, count)) failed = "write", code = errno;
  }
  if (close(fd) != 0 && failed == NULL) failed = "close", code = errno;
  if (failed == NULL && rename(temporary, path) != 0) failed = "rename", code = errno;
  if (failed != NULL) {
    fprintf(stderr, "gen-fixture: cannot %s %s: %s\n", failed, temporary, strerror(code));
    unlink(temporary);
    return 1;
  }
  free(buffer);
  free(temporary);
  return 0;
}
