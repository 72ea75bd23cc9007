// The only file that imports a C library. `system_foo` wraps the C function `foo`, hiding
// signature differences between platforms and adding no behaviour of its own. CMMapSystem
// adds the few calls the C library's Swift overlay doesn't import.

internal import CMMapSystem

#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Android)
  import Android
#else
  #error("MMap requires mmap(2); this platform is not supported.")
#endif

// MARK: errno and constants

/// The calling thread's `errno`. Read it on the line right after the failing call.
internal var system_errno: CInt {
  get { errno }
  set { errno = newValue }
}

internal let system_EINTR: CInt = EINTR
internal let system_EINVAL: CInt = EINVAL
internal let system_EPIPE: CInt = EPIPE
internal let system_EBADF: CInt = EBADF
internal let system_EISDIR: CInt = EISDIR
internal let system_ENODEV: CInt = ENODEV
internal let system_ENODATA: CInt = ENODATA
internal let system_ENOMEM: CInt = ENOMEM
internal let system_ENXIO: CInt = ENXIO
internal let system_EIO: CInt = EIO
internal let system_EAGAIN: CInt = EAGAIN
internal let system_EACCES: CInt = EACCES
internal let system_ENOENT: CInt = ENOENT
internal let system_ENOTDIR: CInt = ENOTDIR
internal let system_EFBIG: CInt = EFBIG
internal let system_EPERM: CInt = EPERM
internal let system_ENOTSUP: CInt = ENOTSUP
internal let system_EOPNOTSUPP: CInt = EOPNOTSUPP
internal let system_EOVERFLOW: CInt = EOVERFLOW
internal let system_EILSEQ: CInt = EILSEQ
internal let system_ENOSYS: CInt = ENOSYS
internal let system_EXDEV: CInt = EXDEV

/// The size of a virtual memory page, the granularity of `mmap` offsets and `madvise` ranges.
internal let system_pageSize: Int = Int(sysconf(Int32(_SC_PAGESIZE)))

/// The text `strerror` gives for `code`.
internal func system_strerror(_ code: CInt) -> String {
  guard let text = strerror(code) else { return "Unknown error \(code)" }
  return String(cString: text)
}

/// The value of the environment variable `name`, or `nil` if it is not set.
internal func system_getenv(_ name: String) -> String? {
  guard let value = getenv(name) else { return nil }
  return String(cString: value)
}

// MARK: Files

/// Opens `path` read-only, close-on-exec and non-blocking (so that opening a FIFO never waits
/// for a writer). Returns the descriptor, or `-1` with `errno` set.
internal func system_openReadOnly(_ path: UnsafePointer<CChar>) -> CInt {
  open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
}

/// Closes `fd`. Never retry it: on Linux the descriptor is gone even when it reports EINTR.
internal func system_close(_ fd: CInt) -> CInt {
  close(fd)
}

/// Duplicates `fd` as a new close-on-exec descriptor, with `fcntl(fd, F_DUPFD_CLOEXEC, 0)`.
/// Returns the new descriptor, or `-1` with `errno` set.
internal func system_dupCloseOnExec(_ fd: CInt) -> CInt {
  fcntl(fd, F_DUPFD_CLOEXEC, 0)
}

/// What `stat` or `fstat` says of a file, reduced to what a reader needs.
internal struct system_FileStatus {
  var isRegularFile: Bool
  var isDirectory: Bool
  var size: Int
  /// The device and the inode number: together, the file's identity.
  var device: UInt64
  var inode: UInt64
  /// The 512-byte blocks allocated to the file: `0` for the files of pseudo file systems.
  var blocks: Int
  /// The last modification time, in seconds and nanoseconds since the epoch.
  var modificationTime: (seconds: Int, nanoseconds: Int) = (0, 0)
}

extension system_FileStatus {
  /// `status`, or `nil` with `errno` set to `EFBIG` if its size or block count doesn't fit
  /// in an `Int`: a file of 2 GiB or more where `Int` has 32 bits (watchOS's arm64_32,
  /// 32-bit Android). `st_size` and `st_blocks` have 64 bits everywhere.
  fileprivate init?(_ status: stat) {
    guard let size = Int(exactly: status.st_size), let blocks = Int(exactly: status.st_blocks)
    else {
      errno = EFBIG
      return nil
    }
    let type = UInt32(status.st_mode) & UInt32(S_IFMT)
    self.init(
      isRegularFile: type == UInt32(S_IFREG), isDirectory: type == UInt32(S_IFDIR),
      size: size, device: UInt64(truncatingIfNeeded: status.st_dev),
      inode: UInt64(truncatingIfNeeded: status.st_ino), blocks: blocks)
    #if canImport(Darwin)
      let time = status.st_mtimespec
    #else
      let time = status.st_mtim
    #endif
    modificationTime = (Int(time.tv_sec), Int(time.tv_nsec))
  }
}

/// Calls `fstat` on `fd`. Returns `nil` with `errno` set on failure, or set to `EFBIG` for a
/// file whose size doesn't fit in an `Int`.
internal func system_fstat(_ fd: CInt) -> system_FileStatus? {
  // Uninitialized: fstat fills it, and zeroing it first took a third of this call's
  // user-space instructions.
  withUnsafeTemporaryAllocation(of: stat.self, capacity: 1) { buffer in
    let status = buffer.baseAddress.unsafelyUnwrapped
    guard fstat(fd, status) == 0 else { return nil }
    return system_FileStatus(status.pointee)
  }
}

/// Calls `stat` on `path`, following symbolic links. Returns `nil` with `errno` set on
/// failure, or set to `EFBIG` for a file whose size doesn't fit in an `Int`.
internal func system_stat(_ path: UnsafePointer<CChar>) -> system_FileStatus? {
  var status = stat()
  guard stat(path, &status) == 0 else { return nil }
  return system_FileStatus(status)
}

/// Whether `fd` was opened with read access: not write-only, not (on Linux) `O_PATH`, which
/// allows no reads at all, and not (on Darwin) `O_EXEC`, `O_SEARCH` or `O_EVTONLY`. Returns
/// `nil` with `errno` set if `fcntl(F_GETFL)` fails.
internal func system_isOpenForReading(_ fd: CInt) -> Bool? {
  let flags = fcntl(fd, F_GETFL)
  guard flags != -1 else { return nil }
  #if os(Linux) || os(Android)
    // O_PATH, spelled as its Linux ABI value: the C library declares it only for _GNU_SOURCE.
    if flags & 0o10_000_000 != 0 { return false }
  #elseif canImport(Darwin)
    // O_EXEC clears the access mode, which then reads as O_RDONLY, and O_SEARCH is O_EXEC
    // with O_DIRECTORY: the O_EXEC bit marks both. O_EVTONLY asks for event notifications.
    if flags & (O_EXEC | O_EVTONLY) != 0 { return false }
  #endif
  let access = flags & O_ACCMODE
  return access == O_RDONLY || access == O_RDWR
}

/// Whether `code`, from `open(2)`, says that the path names a special file that can't be
/// opened: `ENXIO` (a socket on Linux, a device with no driver), or on Darwin `EOPNOTSUPP`,
/// which it gives for a socket.
internal func system_isSpecialFileOpenError(_ code: CInt) -> Bool {
  #if canImport(Darwin)
    code == ENXIO || code == EOPNOTSUPP
  #else
    code == ENXIO
  #endif
}

/// Whether `fd` is a file of a pseudo file system whose sizes say nothing of what a read
/// returns (Linux's `proc`, `sysfs`, `debugfs`, `tracefs`, `securityfs`, `configfs`, the
/// cgroup file systems, `pstore`, `efivarfs`, `bpf`). `false` where there is no such thing,
/// or if `fstatfs` fails.
internal func system_isOnPseudoFileSystem(_ fd: CInt) -> Bool {
  #if os(Linux) || os(Android)
    var type: Int64 = 0
    guard mmap_file_system_type(fd, &type) == 0 else { return false }
    let pseudoFileSystems: Set<Int64> = [
      0x9fa0,  // PROC_SUPER_MAGIC
      0x6265_6572,  // SYSFS_MAGIC
      0x6462_6720,  // DEBUGFS_MAGIC
      0x7472_6163,  // TRACEFS_MAGIC
      0x7363_6673,  // SECURITYFS_MAGIC
      0x6265_6570,  // CONFIGFS_MAGIC
      0x0027_e0eb,  // CGROUP_SUPER_MAGIC
      0x6367_7270,  // CGROUP2_SUPER_MAGIC
      0x6165_676c,  // PSTOREFS_MAGIC
      0xde5e_81e4,  // EFIVARFS_MAGIC
      0xcafe_4a11,  // BPF_FS_MAGIC
    ]
    return pseudoFileSystems.contains(type)
  #else
    return false
  #endif
}

/// The most bytes one read or write asks for: 1 GiB, whole pages. Darwin rejects a count
/// above `INT_MAX` with `EINVAL` (Linux moves at most 2 GiB less a page per call), so the
/// loops that call ``system_pread(_:_:_:_:)``, ``system_write(_:_:_:)`` and
/// ``system_send(_:_:_:_:)`` split larger transfers, and continue after a short count.
internal let system_maxCountPerCall = 1 << 30

/// Copies up to `count` bytes (at most ``system_maxCountPerCall``) at file offset `offset`
/// into `buffer`; returns the count read, `0` at end of file, or `-1` with `errno` set.
internal func system_pread(
  _ fd: CInt, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: Int
) -> Int {
  pread(fd, buffer, count, off_t(offset))
}

/// What `fd` is open as, from `fstat`, and whether it is non-blocking (`O_NONBLOCK`, from
/// `fcntl`); `nil` with `errno` set if either fails (for example `EBADF` for a descriptor
/// that isn't open).
internal func system_destination(_ fd: CInt) -> (kind: DestinationKind, isNonBlocking: Bool)? {
  var status = stat()
  guard fstat(fd, &status) == 0 else { return nil }
  let flags = fcntl(fd, F_GETFL)
  guard flags != -1 else { return nil }
  let kind: DestinationKind
  switch UInt32(status.st_mode) & UInt32(S_IFMT) {
  case UInt32(S_IFSOCK): kind = .socket
  case UInt32(S_IFIFO): kind = .pipe
  case UInt32(S_IFREG): kind = .regularFile
  default: kind = .other
  }
  return (kind, flags & O_NONBLOCK != 0)
}

/// Writes up to `count` bytes (at most ``system_maxCountPerCall``) at `bytes` to `fd`;
/// returns the count written, or `-1` with `errno` set.
internal func system_write(_ fd: CInt, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, bytes, count)
}

/// Sends up to `count` bytes (at most ``system_maxCountPerCall``) at `bytes` on the socket
/// `fd` with `flags`; returns the count sent, or `-1` with `errno` set.
internal func system_send(_ fd: CInt, _ bytes: UnsafeRawPointer, _ count: Int, _ flags: CInt)
  -> Int
{
  send(fd, bytes, count, flags)
}

#if os(Linux) || os(Android)
  /// `MSG_NOSIGNAL`: a send on a socket whose peer is gone fails with `EPIPE` and raises no
  /// `SIGPIPE`. `nil` where the platform has no such flag.
  internal let system_MSG_NOSIGNAL: CInt? = CInt(MSG_NOSIGNAL)
#else
  internal let system_MSG_NOSIGNAL: CInt? = nil
#endif

/// Whether the platform can mark a descriptor so that a write to it whose reading end is
/// gone fails with `EPIPE` and raises no `SIGPIPE`: Darwin, with `SO_NOSIGPIPE` on a socket
/// and `F_SETNOSIGPIPE` on anything else. Elsewhere ``system_noSIGPIPE(_:isSocket:)`` and
/// ``system_setNoSIGPIPE(_:isSocket:_:)`` fail with `ENOTSUP`.
///
/// Darwin raises a broken pipe's `SIGPIPE` for the process (`psignal`), not for the writing
/// thread, so blocking it in that thread doesn't keep it from another thread's default
/// action; the mark keeps the kernel from raising it at all.
#if canImport(Darwin)
  internal let system_hasNoSIGPIPEMark = true
#else
  internal let system_hasNoSIGPIPEMark = false
#endif

/// Whether `fd` carries the no-`SIGPIPE` mark: `1` or `0`, or `-1` with `errno` set. For a
/// socket the mark is `SO_NOSIGPIPE` (`getsockopt`), for anything else `F_GETNOSIGPIPE`.
internal func system_noSIGPIPE(_ fd: CInt, isSocket: Bool) -> CInt {
  #if canImport(Darwin)
    let result: CInt
    if isSocket {
      var value: CInt = 0
      var length = socklen_t(MemoryLayout<CInt>.size)
      guard getsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &value, &length) == 0 else { return -1 }
      result = value
    } else {
      result = fcntl(fd, F_GETNOSIGPIPE)
      guard result != -1 else { return -1 }
    }
    return result != 0 ? 1 : 0  // A socket reports the flag's bit in its flags, not 1.
  #else
    errno = ENOTSUP
    return -1
  #endif
}

/// Sets (`isMarked`) or clears the no-`SIGPIPE` mark of `fd`: `SO_NOSIGPIPE` with
/// `setsockopt` for a socket, `F_SETNOSIGPIPE` for anything else. Returns `-1` with `errno`
/// set on failure: Darwin refuses every socket option with `EINVAL` on a socket shut down in
/// both directions, as one whose peer is gone is.
internal func system_setNoSIGPIPE(_ fd: CInt, isSocket: Bool, _ isMarked: Bool) -> CInt {
  #if canImport(Darwin)
    var value: CInt = isMarked ? 1 : 0
    if isSocket {
      return setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &value, socklen_t(MemoryLayout<CInt>.size))
    }
    return fcntl(fd, F_SETNOSIGPIPE, value)
  #else
    errno = ENOTSUP
    return -1
  #endif
}

// MARK: Memory

/// Allocates `count` bytes (at least one) with `malloc`, aligned for any scalar. Returns `nil`
/// if the allocation fails. Free the memory with ``system_free(_:)``.
///
/// `UnsafeMutableRawPointer.allocate` always takes the runtime's aligned path on Linux
/// (`posix_memalign`), which costs as much again as the allocation itself.
internal func system_malloc(_ count: Int) -> UnsafeMutableRawPointer? {
  malloc(count)
}

/// Frees memory that ``system_malloc(_:)`` returned.
internal func system_free(_ pointer: UnsafeMutableRawPointer?) {
  free(pointer)
}

/// Whether the `count` bytes at `bytes` hold `byte`, with `memchr`.
internal func system_memchr(_ bytes: UnsafePointer<UInt8>, _ byte: UInt8, _ count: Int) -> Bool {
  memchr(bytes, CInt(byte), count) != nil
}

// MARK: Signals

/// A set of signals, for `pthread_sigmask` and `sigpending`.
internal typealias system_sigset_t = sigset_t

internal let system_SIGPIPE: CInt = SIGPIPE
internal let system_SIG_BLOCK: CInt = SIG_BLOCK
internal let system_SIG_SETMASK: CInt = SIG_SETMASK

/// A signal set holding `signal` alone, made with `sigemptyset` and `sigaddset`.
internal func system_sigsetHolding(_ signal: CInt) -> system_sigset_t {
  var set = sigset_t()
  sigemptyset(&set)
  sigaddset(&set, signal)
  return set
}

/// Whether `signal` is in `set`, with `sigismember`.
internal func system_sigismember(_ set: system_sigset_t, _ signal: CInt) -> Bool {
  var set = set
  return sigismember(&set, signal) == 1
}

/// Changes the calling thread's signal mask as `how` says (`SIG_BLOCK`, `SIG_SETMASK`) with
/// `set`, and returns the mask it had before. Can't fail with valid arguments.
internal func system_pthread_sigmask(_ how: CInt, _ set: system_sigset_t) -> system_sigset_t {
  var set = set
  var old = sigset_t()
  _ = pthread_sigmask(how, &set, &old)
  return old
}

/// The signals pending for the calling thread or the process, with `sigpending`.
internal func system_sigpending() -> system_sigset_t {
  var set = sigset_t()
  _ = sigpending(&set)  // Fails only for a bad pointer.
  return set
}

/// Takes `signal`, which the calling thread blocks, if it is pending, and never waits:
/// `sigtimedwait` with a zero timeout.
///
/// Darwin has no `sigtimedwait`, and its `sigwait` waits when no thread of the process has a
/// signal of its set pending. There `sigpending` (which reports the calling thread's pending
/// signals) is checked first, so that `sigwait` is called only when it returns at once. No
/// caller uses this on Darwin, which marks descriptors instead (``system_hasNoSIGPIPEMark``).
internal func system_takePendingSignal(_ signal: CInt) {
  var set = system_sigsetHolding(signal)
  #if canImport(Darwin)
    guard system_sigismember(system_sigpending(), signal) else { return }
    var taken: CInt = 0
    _ = sigwait(&set, &taken)
  #else
    var noWait = timespec(tv_sec: 0, tv_nsec: 0)
    _ = sigtimedwait(&set, nil, &noWait)
  #endif
}

// MARK: Locks

/// A POSIX mutex. It must stay at one address from `system_pthread_mutex_init` to
/// `system_pthread_mutex_destroy`.
internal typealias system_pthread_mutex_t = pthread_mutex_t

/// Initializes the default (non-recursive) mutex at `mutex`. With the default attributes it
/// can't fail on Linux.
internal func system_pthread_mutex_init(_ mutex: UnsafeMutablePointer<system_pthread_mutex_t>) {
  _ = pthread_mutex_init(mutex, nil)
}

/// Locks `mutex`, waiting as long as another thread holds it.
internal func system_pthread_mutex_lock(_ mutex: UnsafeMutablePointer<system_pthread_mutex_t>) {
  _ = pthread_mutex_lock(mutex)  // Fails only for a mutex that was never initialized.
}

/// Unlocks `mutex`, which the calling thread holds.
internal func system_pthread_mutex_unlock(_ mutex: UnsafeMutablePointer<system_pthread_mutex_t>) {
  _ = pthread_mutex_unlock(mutex)
}

/// Destroys `mutex`, which no thread holds.
internal func system_pthread_mutex_destroy(_ mutex: UnsafeMutablePointer<system_pthread_mutex_t>) {
  _ = pthread_mutex_destroy(mutex)
}

// MARK: Memory mapping

/// Maps `count` bytes of `fd` from `offset` (a multiple of the page size) read-only and shared.
/// Returns `nil` with `errno` set on failure.
///
/// With `populate`, asks the kernel to read every page in: on Linux with `MAP_POPULATE`,
/// which faults them all in before returning; where there is no such flag (Darwin), with
/// `madvise(MADV_WILLNEED)`, which starts reading them and doesn't wait, so that the first
/// touch of each page still takes a fault, if a cheaper one. Touching the pages here instead
/// would not be safe: the caller registers the mapping with the truncation guard only after
/// this returns, and a page past the end of a file truncated meanwhile raises `SIGBUS`.
internal func system_mmap(
  _ fd: CInt, count: Int, offset: Int, populate: Bool
) -> UnsafeMutableRawPointer? {
  let flags = MAP_SHARED | (populate ? system_MAP_POPULATE : 0)
  let address = mmap(nil, count, PROT_READ, flags, fd, off_t(offset))
  guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
  if populate && system_MAP_POPULATE == 0 {
    _ = madvise(address, count, MADV_WILLNEED)  // A hint: its failure changes no read.
  }
  return address
}

/// Maps `count` bytes of `fd` from `offset` (a multiple of the page size) as a private,
/// readable and writable copy-on-write mapping: writes go to private copies of the pages, never
/// to the file, so `fd` need only be open for reading. Returns `nil` with `errno` set on
/// failure.
internal func system_mmapPrivate(_ fd: CInt, count: Int, offset: Int) -> UnsafeMutableRawPointer? {
  let address = mmap(nil, count, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, off_t(offset))
  guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
  return address
}

/// Maps `count` bytes of `fd` from `offset` (a multiple of the page size) read-only and
/// shared at exactly `address`, replacing whatever was mapped there in one step
/// (`MAP_FIXED`). Returns `false` with `errno` set on failure, and then the old mapping may be
/// gone: the caller puts zero pages back.
internal func system_mmapFixed(
  _ fd: CInt, at address: UnsafeMutableRawPointer, count: Int, offset: Int
) -> Bool {
  mmap(address, count, PROT_READ, MAP_SHARED | MAP_FIXED, fd, off_t(offset)) == address
}

/// Reserves `count` bytes of address space as private, read-only zero pages that take no
/// memory (`MAP_NORESERVE` where the platform has it). Returns `nil` with `errno` set on
/// failure.
internal func system_mmapReserve(count: Int) -> UnsafeMutableRawPointer? {
  #if canImport(Darwin)
    let flags = MAP_PRIVATE | MAP_ANON
  #else
    let flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE
  #endif
  let address = mmap(nil, count, PROT_READ, flags, -1, 0)
  guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
  return address
}

/// Replaces the pages at `address` with a private, read-only, zero-filled anonymous mapping,
/// in one step (`MAP_FIXED`), so the range never becomes unmapped. Zero pages cost no memory.
/// Returns `false` with `errno` set on failure.
internal func system_mmapZeroPlaceholder(_ address: UnsafeMutableRawPointer, count: Int) -> Bool {
  #if canImport(Darwin)
    let anonymous = MAP_ANON
  #else
    let anonymous = MAP_ANONYMOUS
  #endif
  let result = mmap(address, count, PROT_READ, MAP_PRIVATE | anonymous | MAP_FIXED, -1, 0)
  return result == address
}

/// Unmaps `count` bytes at `address`. Returns `-1` with `errno` set on failure.
internal func system_munmap(_ address: UnsafeMutableRawPointer, count: Int) -> CInt {
  munmap(address, count)
}

/// Gives the kernel `advice` about `count` bytes at `address` (page-aligned). Returns `-1`
/// with `errno` set on failure.
internal func system_madvise(_ address: UnsafeMutableRawPointer, count: Int, _ advice: CInt)
  -> CInt
{
  madvise(address, count, advice)
}

/// Locks the pages of `count` bytes at `address` (page-aligned) in memory, reading them in
/// first. Returns `-1` with `errno` set on failure: `ENOMEM` or `EPERM` beyond
/// `RLIMIT_MEMLOCK`, `EAGAIN` if some pages could not be locked.
internal func system_mlock(_ address: UnsafeRawPointer, count: Int) -> CInt {
  mlock(address, count)
}

/// Unlocks the pages of `count` bytes at `address` (page-aligned); pages that weren't locked
/// stay as they are. Returns `-1` with `errno` set on failure.
internal func system_munlock(_ address: UnsafeRawPointer, count: Int) -> CInt {
  munlock(address, count)
}

/// Sets bit 0 of `vector[i]` if page `i` of the `count` bytes at `address` (page-aligned) is
/// resident, without touching the pages. `vector` holds a byte per page. Returns `-1` with
/// `errno` set on failure.
internal func system_mincore(
  _ address: UnsafeRawPointer, count: Int, _ vector: UnsafeMutablePointer<UInt8>
) -> CInt {
  #if canImport(Darwin)
    // Darwin declares the vector as `char *`.
    let pages = (count &+ system_pageSize &- 1) / system_pageSize  // Can't overflow: mapped.
    return vector.withMemoryRebound(to: CChar.self, capacity: pages) {
      mincore(address, count, $0)
    }
  #else
    mincore(UnsafeMutableRawPointer(mutating: address), count, vector)
  #endif
}

#if os(Linux) || os(Android)
  /// `MAP_POPULATE`: fault every page in at `mmap` time. `0` (no effect) where it is absent.
  internal let system_MAP_POPULATE: CInt = MAP_POPULATE
#else
  internal let system_MAP_POPULATE: CInt = 0
#endif

internal let system_MADV_NORMAL = CInt(MADV_NORMAL)
internal let system_MADV_SEQUENTIAL = CInt(MADV_SEQUENTIAL)
internal let system_MADV_RANDOM = CInt(MADV_RANDOM)
internal let system_MADV_WILLNEED = CInt(MADV_WILLNEED)
/// Linux drops the pages of a shared file mapping at once (reads fetch them again); Darwin
/// only moves them to the inactive queue, so that they stay resident until memory runs low.
internal let system_MADV_DONTNEED = CInt(MADV_DONTNEED)
// Advice only some kernels know: `nil` where the platform has none, so that callers need no
// `#if` and can report the advice as unsupported.
#if os(Linux) || os(Android)
  // Linux ABI values, spelled as numbers because older C libraries lack the names.
  internal let system_MADV_HUGEPAGE: CInt? = 14
  internal let system_MADV_POPULATE_READ: CInt? = 22
  // Linux 5.4 and later; an older kernel rejects them with EINVAL.
  internal let system_MADV_COLD: CInt? = 20
  internal let system_MADV_PAGEOUT: CInt? = 21
#else
  internal let system_MADV_HUGEPAGE: CInt? = nil
  internal let system_MADV_POPULATE_READ: CInt? = nil
  internal let system_MADV_COLD: CInt? = nil
  internal let system_MADV_PAGEOUT: CInt? = nil
#endif

/// `EFAULT`: what a system call that reads a caller's memory reports for an unreadable page,
/// such as a mapped page past the end of a truncated file.
internal let system_EFAULT: CInt = EFAULT

// MARK: Clocks

/// A monotonic clock in nanoseconds that costs no system call: `CLOCK_MONOTONIC_COARSE` on
/// Linux (read from the vDSO, a few milliseconds of resolution), `CLOCK_MONOTONIC` elsewhere.
internal func system_coarseMonotonicNanoseconds() -> Int {
  var time = timespec()
  #if os(Linux) || os(Android)
    _ = clock_gettime(CLOCK_MONOTONIC_COARSE, &time)
  #else
    _ = clock_gettime(CLOCK_MONOTONIC, &time)
  #endif
  // Can't overflow for 292 years of uptime.
  return time.tv_sec &* 1_000_000_000 &+ time.tv_nsec
}

// MARK: Threads

/// The number of processors this process may run on (its CPU affinity mask on Linux), at
/// least 1.
internal func system_availableProcessors() -> Int {
  max(1, mmap_available_processors())
}

/// A thread started by ``system_startThread(_:)``, to be joined exactly once.
internal typealias system_Thread = pthread_t

/// Starts a thread that calls `run(context)` and exits; returns it, or `nil` if the system
/// couldn't start one (`EAGAIN`: too many threads). The thread has the default attributes,
/// so it must be joined with ``system_joinThread(_:)``.
internal func system_startThread(
  _ run: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?,
  context: UnsafeMutableRawPointer
) -> system_Thread? {
  #if canImport(Darwin)
    var thread: pthread_t?
    guard pthread_create(&thread, nil, run, context) == 0 else { return nil }
    return thread
  #else
    var thread = pthread_t()
    guard pthread_create(&thread, nil, run, context) == 0 else { return nil }
    return thread
  #endif
}

/// Waits for `thread` to exit and releases what it held.
internal func system_joinThread(_ thread: system_Thread) {
  _ = pthread_join(thread, nil)  // Fails only for a thread that is not joinable.
}

/// Lets `thread` release what it holds when it exits, without a join.
internal func system_detachThread(_ thread: system_Thread) {
  _ = pthread_detach(thread)  // Fails only for a thread that is not joinable.
}
