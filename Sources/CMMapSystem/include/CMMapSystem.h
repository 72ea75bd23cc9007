// System calls that the Swift overlay of the C library doesn't import, for the MMap module's
// Syscalls.swift. Used only by the MMap module.

#ifndef CMMAPSYSTEM_H
#define CMMAPSYSTEM_H

/// Stores the file system type of the file open as `fd` (`statfs.f_type`, such as
/// `PROC_SUPER_MAGIC`) in `*type`. Returns 0, or an errno value if `fstatfs` failed; ENOSYS
/// where file systems have no such number (every platform but Linux).
int mmap_file_system_type(int fd, long long *type);

#endif
