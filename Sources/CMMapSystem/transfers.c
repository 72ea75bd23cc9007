// sendfile(2), splice(2), vmsplice(2) and copy_file_range(2): Linux calls that Swift's
// Glibc module doesn't import (splice and vmsplice need _GNU_SOURCE), with one signature.

#define _GNU_SOURCE
#include "CMMapSystem.h"

#include <errno.h>

#ifdef __linux__
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <unistd.h>

long mmap_sendfile(int to, int from, long long *offset, size_t count) {
  off_t position = (off_t)*offset;
  ssize_t moved = sendfile(to, from, &position, count);
  *offset = (long long)position;
  return (long)moved;
}

long mmap_splice(int to, int from, long long *offset, size_t count, int nonblocking) {
  loff_t position = (loff_t)*offset;
  unsigned flags = SPLICE_F_MOVE | (nonblocking ? SPLICE_F_NONBLOCK : 0);
  ssize_t moved = splice(from, &position, to, NULL, count, flags);
  *offset = (long long)position;
  return (long)moved;
}

long mmap_copy_file_range(int to, int from, long long *offset, size_t count) {
  loff_t position = (loff_t)*offset;
  ssize_t moved = copy_file_range(from, &position, to, NULL, count, 0);
  *offset = (long long)position;
  return (long)moved;
}

long mmap_vmsplice(int to, const void *bytes, size_t count, int nonblocking) {
  struct iovec piece = {(void *)bytes, count};  // vmsplice only reads through it.
  return (long)vmsplice(to, &piece, 1, nonblocking ? SPLICE_F_NONBLOCK : 0);
}

#else

long mmap_sendfile(int to, int from, long long *offset, size_t count) {
  (void)to, (void)from, (void)offset, (void)count;
  errno = ENOSYS;
  return -1;
}

long mmap_splice(int to, int from, long long *offset, size_t count, int nonblocking) {
  (void)to, (void)from, (void)offset, (void)count, (void)nonblocking;
  errno = ENOSYS;
  return -1;
}

long mmap_copy_file_range(int to, int from, long long *offset, size_t count) {
  (void)to, (void)from, (void)offset, (void)count;
  errno = ENOSYS;
  return -1;
}

long mmap_vmsplice(int to, const void *bytes, size_t count, int nonblocking) {
  (void)to, (void)bytes, (void)count, (void)nonblocking;
  errno = ENOSYS;
  return -1;
}

#endif
