// fstatfs(2), which lives in a header (sys/vfs.h) that Swift's Glibc module doesn't include.

#include "CMMapSystem.h"

#include <errno.h>

#ifdef __linux__
#include <sys/vfs.h>

int mmap_file_system_type(int fd, long long *type) {
  struct statfs info;
  if (fstatfs(fd, &info) != 0) return errno;
  *type = (long long)info.f_type;
  return 0;
}

#else

int mmap_file_system_type(int fd, long long *type) {
  (void)fd;
  (void)type;
  return ENOSYS;
}

#endif
