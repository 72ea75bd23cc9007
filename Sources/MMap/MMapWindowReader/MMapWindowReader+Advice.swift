extension MMapWindowReader {
  /// Tells the kernel how the bytes in `range` (all of them if `nil`) will be accessed.
  ///
  /// The advice is given at once to the windows mapped now, for the part of `range` each
  /// holds, widened to whole pages. Advice for the whole reader is also remembered and given
  /// to each window as it is mapped, and to each temporary mapping a view makes:
  /// `.sequential` thus makes readahead run across window edges, and `.populateRead`
  /// prefaults each window as it is mapped. Advice for part of the reader concerns only
  /// what is mapped now. Advice is a hint: it never changes what reads return.
  ///
  /// - Parameters:
  ///   - advice: The expected access pattern.
  ///   - range: Offsets inside `0..<count`, or `nil` for the whole reader.
  /// - Throws: ``MMapError`` with ``MMapError/Operation/advise``: `EINVAL` if `range` is not
  ///   inside `0..<count` or the kernel doesn't support the advice, `EBADF` if the reader
  ///   is closed, or the kernel's `errno` if it rejects the advice for a window mapped now
  ///   (the advice is then not remembered). Advice the kernel rejects for a window mapped
  ///   later is ignored.
  ///
  /// The corresponding C function is `madvise`.
  public func advise(_ advice: Advice, in range: Range<Int>? = nil) throws(MMapError) {
    let value = try advice.systemValue(path: path)
    let wanted = range ?? 0..<count
    guard isInside(wanted, count: count) else {
      throw isClosed
        ? MMapError.closed(.advise, path: path) : MMapError.outsideReader(.advise, path: path)
    }
    guard let pinned = table.withLock({ $0.pinMapped(in: wanted) }) else {
      throw MMapError.closed(.advise, path: path)
    }
    var failure: MMapError? = nil
    for pin in pinned where failure == nil {
      // Widened to whole pages: slots start on a page.
      let first = pin.part.lowerBound / system_pageSize &* system_pageSize
      let result = system_madvise(
        slots.address(of: pin.slot) + first, count: pin.part.upperBound &- first, value)
      if result == -1 { failure = MMapError(.advise, path: path, errno: system_errno) }
    }
    let remembered = range == nil && failure == nil ? value : nil
    let slotsPinned = pinned.map(\.slot)
    if table.withLock({ $0.unpinMapped(slotsPinned, remembering: remembered) }) {
      release()
    }
    if let failure { throw failure }
  }
}
