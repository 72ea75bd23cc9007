// `errno`, the error codes the library names, the page size, and the C library's
// messages and environment.
// Part of System/: `system_foo` wraps the C function `foo`, hiding signature differences
// between platforms and adding no behaviour of its own.

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
