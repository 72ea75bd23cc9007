import Synchronization

/// Why the truncation guard found a page of a reader's mapping unreadable, decided once, when
/// the first error is built.
///
/// The kernel reports a read past the end of a truncated file and a read the file system
/// failed (an I/O error, or a page lost to a memory error) with the same signal and code, so
/// the guard's handler can't tell them apart. The reader can, afterwards: a file that did not
/// shrink below its size at open had an I/O error. A file that can't be checked any more (its
/// path names another file, or the reader has no path) counts as truncated, the common case.
internal struct FaultCause: ~Copyable, Sendable {
  /// 0 until decided, then ``truncated`` or ``unreadable``.
  private let decided = Atomic<Int>(0)
  /// The whole file's size at open.
  private let sizeAtOpen: Int
  /// The file's size now, or `nil` if it can't be known; `nil` for a reader that can't fault.
  private let fileSizeNow: (@Sendable () -> Int?)?

  private static let truncated = 1
  private static let unreadable = 2

  /// For a reader that has no mapping, whose reads never fault.
  init() {
    sizeAtOpen = 0
    fileSizeNow = nil
  }

  /// For a mapped reader of a file that was `sizeAtOpen` bytes at open, whose size now
  /// `fileSizeNow` tells (without calling back into the reader: it may be closing).
  init(sizeAtOpen: Int, fileSizeNow: @escaping @Sendable () -> Int?) {
    self.sizeAtOpen = sizeAtOpen
    self.fileSizeNow = fileSizeNow
  }

  /// The error for a fault at reader offset `faultOffset` (the page's first byte).
  func error(path: String?, faultOffset: Int) -> MMapError {
    var cause = decided.load(ordering: .acquiring)
    if cause == 0 {
      let shrank = fileSizeNow?().map { $0 < sizeAtOpen } ?? true
      let (exchanged, current) = decided.compareExchange(
        expected: 0, desired: shrank ? Self.truncated : Self.unreadable,
        ordering: .acquiringAndReleasing)
      cause = exchanged ? (shrank ? Self.truncated : Self.unreadable) : current
    }
    return cause == Self.unreadable
      ? MMapError(.read, path: path, errno: system_EIO)
      : MMapError.truncated(path: path, fileEnd: faultOffset)
  }
}

extension FileIdentity {
  /// The size of the file at `path` now, if `path` still names this file.
  func sizeNow(atPath path: String?) -> Int? {
    guard let path, let now = try? Self.statusOfPath(path), isSameFile(as: now) else {
      return nil
    }
    return now.size
  }

  /// The size of the file open as `fd` now, if `fd` is still open on this file.
  func sizeNow(descriptor fd: CInt) -> Int? {
    guard let now = system_fstat(fd), isSameFile(as: now) else { return nil }
    return now.size
  }
}
