/// A private, copy-on-write mapping of a byte range of a file, owned by whoever holds it and
/// independent of every reader: it stays mapped, with the file's bytes, however the reader it
/// came from is closed or released. The memory under a `Data` that MMapFoundation hands out.
///
/// The pages are readable and writable: a write goes to a private copy of its page, never to
/// the file, so the descriptor it was mapped from need only be open for reading. Until a page
/// is written, changes other processes make to the file may show through it. The mapping is
/// registered with the truncation guard: if the file is truncated below it, the pages past the
/// new end read as zeros (and take writes) instead of raising `SIGBUS`.
///
/// `@unchecked Sendable`: its stored properties are constants, except the truncation mark's
/// atomic word; the bytes are for the owner to synchronize.
package final class DetachedMapping: @unchecked Sendable {
  /// The requested bytes. Valid until the object is deinitialized.
  package let bytes: UnsafeMutableRawBufferPointer

  /// The address `mmap` returned. Mapped until the object is deinitialized.
  private let start: UnsafeMutableRawPointer
  /// The length given to `mmap`: the slack before the requested offset plus the count.
  private let mappedCount: Int

  /// Where the truncation guard reports a fault, at this object's fixed address.
  private let truncation = TruncationMark()

  /// Maps `count` bytes (at least one) of `fd` from `fileOffset`.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/map`` and what `mmap` reported.
  internal init(fd: CInt, fileOffset: Int, count: Int, path: String?) throws(MMapError) {
    let slack = fileOffset % system_pageSize
    let mappedCount = slack + count  // Can't overflow: both are within the file's size.
    guard let start = system_mmapPrivate(fd, count: mappedCount, offset: fileOffset - slack)
    else {
      throw MMapError(.map, path: path, errno: system_errno)
    }
    self.start = start
    self.mappedCount = mappedCount
    self.bytes = UnsafeMutableRawBufferPointer(start: start + slack, count: count)
    FaultGuard.register(
      start, count: mappedCount, readerOffset: -slack, sink: truncation.faultSink,
      writable: true)
  }

  deinit {
    FaultGuard.unregister(start)  // Before the range can be reused by another mapping.
    _ = system_munmap(start, count: mappedCount)  // Fails only for bad arguments.
  }

  /// Whether the truncation guard found the file truncated below the mapping.
  package var isTruncated: Bool { truncation.isSet }
}

/// A reader that can map a range of its file anew, for an owner that outlives the reader:
/// ``MMapReader`` (from its path) and ``MMapWindowReader`` (from its descriptor).
package protocol DetachableReader: RandomAccessReader {
  /// A new mapping of the bytes in `range`, or `nil` if the reader can't make one and its
  /// bytes must be copied instead.
  ///
  /// - Parameter range: Offsets inside `0..<count`; not empty.
  /// - Returns: The mapping, or `nil` to copy.
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, with `EINVAL` if `range`
  ///   is not inside `0..<count`, with `ENODATA` if the file was truncated below `range`, or
  ///   what opening or mapping the file reported.
  func detachedMapping(in range: Range<Int>) throws(MMapError) -> DetachedMapping?
}
