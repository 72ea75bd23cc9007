extension MMapWindowReader: DetachableReader {
  /// A new private mapping of the bytes in `range`, made from the reader's descriptor, which
  /// stays open meanwhile: the call counts as an operation in flight.
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
    return try DetachedMapping(
      fd: fd, fileOffset: geometry.fileOffset(of: range.lowerBound), count: range.count,
      path: path)
  }
}
