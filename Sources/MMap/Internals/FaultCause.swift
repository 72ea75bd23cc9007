import Synchronization

/// Why the truncation guard found a page of a reader's mapping unreadable, decided once, when
/// the first error is built.
///
/// The kernel reports a read past the end of a truncated file and a read the file system
/// failed (an I/O error, or a page lost to a memory error) with the same signal and code, so
/// the guard's handler can't tell them apart. The reader can, afterwards: a file that did not
/// still holds the faulting page had an I/O error. A file that can't be checked any more (its
/// path names another file, or the reader has no path) counts as truncated, the common case;
/// so does a file truncated and grown back past the page before the check, the one misreading.
internal struct FaultCause: ~Copyable, Sendable {
  /// 0 until decided, then ``truncated`` or ``unreadable``.
  private let decided = Atomic<Int>(0)
  /// The file offset of reader offset 0.
  private let fileOffset: Int
  /// The file's size now, or `nil` if it can't be known; `nil` for a reader that can't fault.
  private let fileSizeNow: (@Sendable () -> Int?)?

  private static let truncated = 1
  private static let unreadable = 2

  /// For a reader that has no mapping, whose reads never fault.
  init() {
    fileOffset = 0
    fileSizeNow = nil
  }

  /// For a mapped reader whose byte 0 is the file's byte `fileOffset`, and whose file's size
  /// now `fileSizeNow` tells (without calling back into the reader: it may be closing).
  init(fileOffset: Int, fileSizeNow: @escaping @Sendable () -> Int?) {
    self.fileOffset = fileOffset
    self.fileSizeNow = fileSizeNow
  }

  /// Records a truncation known for certain (a `pread` that ended early): no check needed.
  func noteTruncation() {
    _ = decided.compareExchange(expected: 0, desired: Self.truncated, ordering: .relaxed)
  }

  /// The error for a fault at reader offset `faultOffset` (the page's first byte), or at an
  /// offset not known (`Int.max`, a fault while a window was being mapped): then the file is
  /// said to end at or before offset 0, which is always true.
  func error(path: String?, faultOffset: Int) -> MMapError {
    guard faultOffset != .max else { return MMapError.truncated(path: path, missingOffset: 0) }
    var cause = decided.load(ordering: .acquiring)
    if cause == 0 {
      // Can't overflow: both are offsets within the file the reader mapped.
      let page = fileOffset &+ faultOffset
      let shrank = fileSizeNow?().map { $0 <= page } ?? true
      let (exchanged, current) = decided.compareExchange(
        expected: 0, desired: shrank ? Self.truncated : Self.unreadable,
        ordering: .acquiringAndReleasing)
      cause = exchanged ? (shrank ? Self.truncated : Self.unreadable) : current
    }
    return cause == Self.unreadable
      ? MMapError(.read, path: path, errno: system_EIO)
      : MMapError.truncated(path: path, missingOffset: faultOffset)
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
