// System calls that the Swift overlay of the C library doesn't import, for the files of the MMap
// module's System/ folder. Used only by the MMap module.

#ifndef CMMAPSYSTEM_H
#define CMMAPSYSTEM_H

/// Stores the file system type of the file open as `fd` (`statfs.f_type`, such as
/// `PROC_SUPER_MAGIC`) in `*type`. Returns 0, or an errno value if `fstatfs` failed; ENOSYS
/// where file systems have no such number (every platform but Linux).
int mmap_file_system_type(int fd, long long *type);

#include <stddef.h>

/// Moves up to `count` bytes from the file open as `from`, starting at its offset
/// `*offset` (advanced by the count moved), to `to` with the kernel's copy-free path into a
/// socket or pipe (`sendfile`), a pipe (`splice`) or a regular file (`copy_file_range`).
/// Each returns the count moved, `0` at the source's end of file, or `-1` with `errno` set
/// (`ENOSYS` on every platform but Linux). `nonblocking` asks `splice` not to wait for a
/// full pipe (`SPLICE_F_NONBLOCK`).
long mmap_sendfile(int to, int from, long long *offset, size_t count);
long mmap_splice(int to, int from, long long *offset, size_t count, int nonblocking);
long mmap_copy_file_range(int to, int from, long long *offset, size_t count);

/// Hands the `count` bytes at `bytes` to the pipe `to` by reference (`vmsplice`, no
/// `SPLICE_F_GIFT`): the pipe holds the pages themselves, not a copy. Returns the count
/// taken, or `-1` with `errno` set (`ENOSYS` on every platform but Linux).
long mmap_vmsplice(int to, const void *bytes, size_t count, int nonblocking);

/// The number of processors the calling process may run on: the processors of its CPU
/// affinity mask (`sched_getaffinity`) on Linux, the processors online elsewhere. Returns 0
/// if that can't be learned.
long mmap_available_processors(void);

#endif
