// The page cache of test files, seen and changed without the library: the ground truth of
// the residency tests.

import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The residency controls both mapped readers have, so that one test checks both.
protocol ResidencyControlled: ZeroCopyReader {
  func lock(in range: Range<Int>?) throws(MMapError)
  func unlock(in range: Range<Int>?) throws(MMapError)
  func residency(in range: Range<Int>?) throws(MMapError) -> Residency
  func advise(_ advice: Advice, in range: Range<Int>?) throws(MMapError)
}

extension MMapReader: ResidencyControlled {}
extension MMapWindowReader: ResidencyControlled {}

extension ReaderKind {
  /// Opens `path`, or the range of it at `offset`, as a reader with residency controls; the
  /// windowed reader with `maxWindows` windows of `windowPages` pages. Only for ``mapped``.
  func openControlled(
    _ path: String, offset: Int = 0, windowPages: Int = 4, maxWindows: Int = 2
  ) throws(MMapError) -> any ResidencyControlled {
    switch self {
    case .mmap: try MMapReader(path: path, offset: offset)
    case .windowed:
      try MMapWindowReader(
        path: path, offset: offset, windowSize: windowPages * pageSize, maxWindows: maxWindows)
    case .pread: preconditionFailure("PReadReader maps nothing")
    case .memory: preconditionFailure("InMemoryReader maps nothing")
    }
  }
}

/// Writes `file`'s dirty pages to disk and drops its pages from the page cache
/// (`fdatasync`, then `posix_fadvise(POSIX_FADV_DONTNEED)`). Pages some process maps stay.
func dropCachedPages(of path: String) {
  let fd = open(path, O_RDONLY)
  precondition(fd >= 0, "cannot open \(path)")
  defer { close(fd) }
  precondition(fdatasync(fd) == 0, "fdatasync failed: \(errno)")
  precondition(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0, "posix_fadvise failed")
}

/// Reads the pages of `path` with the numbers in `pages` into the page cache, and as little
/// else as the kernel allows: readahead is turned off for the descriptor first
/// (`POSIX_FADV_RANDOM`), but the file system may still read a whole large folio.
func readPages(_ pages: [Int], of path: String) {
  let fd = open(path, O_RDONLY)
  precondition(fd >= 0, "cannot open \(path)")
  defer { close(fd) }
  precondition(posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM) == 0, "posix_fadvise failed")
  var byte: UInt8 = 0
  for page in pages { _ = pread(fd, &byte, 1, off_t(page * pageSize)) }
}

/// Whether each page of the file at `path` is resident now, from `mincore` over a mapping of
/// the whole file made here, which faults nothing in.
func residentPages(of path: String) -> [Bool] {
  let fd = open(path, O_RDONLY)
  precondition(fd >= 0, "cannot open \(path)")
  defer { close(fd) }
  var status = stat()
  precondition(fstat(fd, &status) == 0, "fstat failed")
  let size = Int(status.st_size)
  guard size > 0 else { return [] }
  let address = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0)
  precondition(address != MAP_FAILED, "mmap failed: \(errno)")
  defer { munmap(address, size) }
  var vector = [UInt8](repeating: 0, count: (size + pageSize - 1) / pageSize)
  precondition(mincore(address, size, &vector) == 0, "mincore failed: \(errno)")
  return vector.map { $0 & 1 != 0 }
}

/// Whether `mlock` takes effect in this process, as `/proc/self/smaps` shows for a page
/// locked here: not under a sanitizer, whose runtime makes `mlock` do nothing.
let lockingIsObservable: Bool = {
  let size = pageSize
  let page = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
  guard let page, page != MAP_FAILED else { return false }
  defer { munmap(page, size) }
  guard mlock(page, size) == 0 else { return false }
  defer { munlock(page, size) }
  let start = UInt(bitPattern: page)
  return lockedKiB(in: start..<(start + UInt(size))) > 0
}()
