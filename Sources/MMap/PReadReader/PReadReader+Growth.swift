extension PReadReader {
  /// Grows ``count`` to the file's end, so that bytes appended since the reader opened (or
  /// since the last call) can be read: the way to follow a log or a write-ahead file as it
  /// is written, without reopening it.
  ///
  /// Takes the size from `fstat` on the reader's own descriptor, so it follows the file the
  /// reader opened even after that file is renamed or unlinked. Only a reader opened on the
  /// rest of its file (no `count` given) grows; one opened on a given range keeps it. The
  /// count never shrinks: a file that shrank is the truncation case, and its reads report
  /// the missing bytes as they always do (`ENODATA`).
  ///
  /// Safe while other threads read, and with ``close()``: a read that began before the
  /// count grew uses the count it found.
  ///
  /// - Returns: The count after the call.
  /// - Throws: ``MMapError`` with ``MMapError/Operation/stat``: `EBADF` if the reader is
  ///   closed (also when ``close()`` races with this call), or what `fstat` reported.
  @discardableResult
  public func extendToFileEnd() throws(MMapError) -> Int {
    let size = try whileDescriptorIsOpen(for: .stat) { () throws(MMapError) -> Int in
      guard let status = system_fstat(fd) else {
        throw MMapError(.stat, path: path, errno: system_errno)
      }
      return status.size
    }
    guard followsFileEnd, size > startOffset else { return count }
    // Can't overflow: size > startOffset >= 0.
    let grown = size &- startOffset
    var seen = currentCount.load(ordering: .relaxed)
    while grown > seen {
      let (exchanged, original) = currentCount.compareExchange(
        expected: seen, desired: grown, ordering: .relaxed)
      if exchanged { return grown }
      seen = original
    }
    return seen
  }
}
