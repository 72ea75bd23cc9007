extension MMapWindowReader: DetachableReader, FileEndChecking {
  /// A new private mapping of the bytes in `range`, made from the reader's descriptor, which
  /// stays open meanwhile: the call counts as an operation in flight.
  ///
  /// A mapping is made whatever the file's size, and its pages past the file's end read as
  /// zeros once touched (see ``DetachedMapping``): so the file's size now, from `fstat` on the
  /// descriptor, must hold the range, as ``MMapReader`` checks it from its path.
  package func detachedMapping(in range: Range<Int>) throws(MMapError) -> DetachedMapping? {
    guard isInside(range, count: count) else {
      throw isClosed ? MMapError.closed(path: path) : MMapError.outsideReader(path: path)
    }
    guard !truncation.isSet else { throw truncation.error(path: path) }
    guard table.withLock({ $0.enterWithoutWindow() }) else {
      throw MMapError.closed(path: path)
    }
    defer {
      leave(WindowAccess(slot: -1, offsetInSlot: 0, available: 0, streak: 0, advice: nil))
    }
    let fileEnd = try fileEndWhileInFlight()
    guard range.upperBound <= fileEnd else {  // The file shrank below the range since open.
      throw MMapError.truncated(path: path, missingOffset: fileEnd)
    }
    return try DetachedMapping(
      fd: fd, fileOffset: geometry.fileOffset(of: range.lowerBound), count: range.count,
      path: path)
  }

  /// The reader offset at which the file ends now, from `fstat` on the reader's descriptor:
  /// below `0` if the file ends before the reader's first byte. Call it only while an
  /// operation is in flight, which keeps the descriptor open.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/stat`` and what `fstat` reported.
  internal func fileEndWhileInFlight() throws(MMapError) -> Int {
    guard let status = system_fstat(fd) else {
      throw MMapError(.stat, path: path, errno: system_errno)
    }
    return status.size &- geometry.start  // Can't overflow: both are file offsets, not negative.
  }

  /// The reader offset at which the file ends now, from `fstat` on the reader's descriptor;
  /// `nil` once the reader is closed.
  internal func fileEndNow() -> Int? {
    guard table.withLock({ $0.enterWithoutWindow() }) else { return nil }
    defer {
      leave(WindowAccess(slot: -1, offsetInSlot: 0, available: 0, streak: 0, advice: nil))
    }
    return try? fileEndWhileInFlight()
  }
}
