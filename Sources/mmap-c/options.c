#include "options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"

#define USAGE                                                                             \
  "usage: mmap-c WORKLOAD FILE [--ops N] [--seed S] [--window BYTES] [--windows N] "      \
  "[--reader mmap|pread|windowed|sendfile] [--threads N] [--needle TEXT]; workloads: at "  \
  "readat8 readat4k seq64k lines lineiter openclose floatsum send search"

static const struct {
  const char *name;
  enum workload workload;
  uint64_t default_ops; /* the operation count without --ops; 0 where the file sets it */
} workloads[] = {
  {"at", WORKLOAD_AT, 10000000},
  {"readat8", WORKLOAD_READAT8, 10000000},
  {"readat4k", WORKLOAD_READAT4K, 1000000},
  {"seq64k", WORKLOAD_SEQ64K, 0},
  {"lines", WORKLOAD_LINES, 0},
  {"lineiter", WORKLOAD_LINEITER, 0},
  {"openclose", WORKLOAD_OPENCLOSE, 100000},
  {"floatsum", WORKLOAD_FLOATSUM, 0},
  {"send", WORKLOAD_SEND, 0},
  {"search", WORKLOAD_SEARCH, 0},
};

/* The default needle: 24 bytes the fixture generator never writes. */
static const char default_needle[] = "swift-mmap-needle-absent";

uint64_t workload_read_size(enum workload workload) {
  switch (workload) {
  case WORKLOAD_AT: return 1;
  case WORKLOAD_READAT8: return 8;
  case WORKLOAD_READAT4K: return 4096;
  default: return 0;
  }
}

/* A decimal u64 and nothing else: strtoull alone would take signs, spaces and overflow. */
static uint64_t parse_number(const char *text, const char *name, uint64_t max) {
  if (text[0] < '0' || text[0] > '9') fail_usage("invalid number for %s: '%s'", name, text);
  char *end;
  errno = 0;
  unsigned long long value = strtoull(text, &end, 10);
  if (errno != 0 || *end != '\0' || value > max) {
    fail_usage("invalid number for %s: '%s'", name, text);
  }
  return value;
}

static uint64_t parse_positive(const char *text, const char *name, uint64_t max) {
  uint64_t value = parse_number(text, name, max);
  if (value == 0) fail_usage("%s must not be 0", name);
  return value;
}

void parse_options(int argc, char **argv, struct options *options) {
  const char *positional[2];
  int positional_count = 0;
  const char *reader_name = NULL;
  int has_ops = 0, has_window_option = 0;
  *options = (struct options){.seed = 42, .max_windows = 4, .threads = 1,
                              .needle = (const unsigned char *)default_needle,
                              .needle_count = sizeof default_needle - 1};

  for (int i = 1; i < argc; i++) {
    const char *argument = argv[i];
    if (strncmp(argument, "--", 2) != 0) {
      if (positional_count == 2) fail_usage("unexpected argument '%s'; " USAGE, argument);
      positional[positional_count++] = argument;
      continue;
    }
    if (strcmp(argument, "--help") == 0) fail_usage(USAGE);
    /* Both "--name value" and "--name=value". */
    char name[16];
    const char *value;
    const char *equals = strchr(argument, '=');
    size_t name_length = equals ? (size_t)(equals - argument) : strlen(argument);
    if (name_length >= sizeof name) fail_usage("unknown option %s", argument);
    memcpy(name, argument, name_length);
    name[name_length] = '\0';
    if (equals) {
      value = equals + 1;
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      fail_usage("missing value for %s", name);
    }

    if (strcmp(name, "--ops") == 0) {
      options->ops = parse_number(value, name, UINT64_MAX);
      has_ops = 1;
    } else if (strcmp(name, "--seed") == 0) {
      options->seed = parse_positive(value, name, UINT64_MAX);
    } else if (strcmp(name, "--window") == 0) {
      options->window_size = parse_positive(value, name, UINT64_C(1) << 62);
      has_window_option = 1;
    } else if (strcmp(name, "--windows") == 0) {
      options->max_windows = (unsigned)parse_positive(value, name, 1 << 20);
      has_window_option = 1;
    } else if (strcmp(name, "--threads") == 0) {
      options->threads = (unsigned)parse_positive(value, name, 1024);
    } else if (strcmp(name, "--needle") == 0) {
      size_t length = strlen(value);
      if (length < 1 || length > 255) fail_usage("--needle must be 1 to 255 bytes");
      options->needle = (const unsigned char *)value;
      options->needle_count = length;
    } else if (strcmp(name, "--reader") == 0) {
      reader_name = value;
    } else {
      fail_usage("unknown option %s", name);
    }
  }
  if (positional_count != 2) fail_usage(USAGE);

  size_t w = 0, count = sizeof workloads / sizeof workloads[0];
  while (w < count && strcmp(workloads[w].name, positional[0]) != 0) w++;
  if (w == count) fail_usage("unknown workload '%s'; " USAGE, positional[0]);
  options->workload = workloads[w].workload;
  options->workload_name = workloads[w].name;
  options->path = positional[1];
  if (!has_ops) options->ops = workloads[w].default_ops;

  /* --window or --windows alone selects the windowed reader. */
  if (reader_name == NULL) {
    options->reader = has_window_option ? READER_WINDOWED : READER_MMAP;
  } else if (strcmp(reader_name, "mmap") == 0) {
    options->reader = READER_MMAP;
  } else if (strcmp(reader_name, "pread") == 0) {
    options->reader = READER_PREAD;
  } else if (strcmp(reader_name, "windowed") == 0) {
    options->reader = READER_WINDOWED;
  } else if (strcmp(reader_name, "sendfile") == 0) {
    options->reader = READER_PREAD; /* it holds the descriptor sendfile(2) reads */
    options->uses_sendfile = 1;
  } else {
    fail_usage("unknown reader '%s' (mmap, pread, windowed, sendfile)", reader_name);
  }
  if (options->uses_sendfile && options->workload != WORKLOAD_SEND) {
    fail_usage("--reader sendfile is for send only");
  }
  if (options->workload == WORKLOAD_SEND && options->reader == READER_WINDOWED) {
    fail_usage("send: readers are mmap, pread and sendfile");
  }
  if (has_window_option && options->reader != READER_WINDOWED) {
    fail_usage("--window and --windows need the windowed reader");
  }
  if (options->window_size == 0) options->window_size = UINT64_C(16) << 20;
  enum workload shared = options->workload;
  if (options->threads > 1 && workload_read_size(shared) == 0 && shared != WORKLOAD_LINES &&
      shared != WORKLOAD_LINEITER && shared != WORKLOAD_SEARCH) {
    fail_usage("--threads applies to at, readat8, readat4k, lines, lineiter and search only");
  }
}
