/// One read-only shared mapping of a byte range of a file, at any offset.
///
/// `mmap` takes page-aligned offsets, so the mapping starts at the offset aligned down to
/// ``system_pageSize`` and hides the slack: ``bytes`` starts at the requested byte. `munmap`
/// and `madvise` get the address and length `mmap` returned. An empty range maps nothing.
///
/// A value type with no deinit: its owner decides when ``unmap()`` runs.
@usableFromInline
internal struct FileMapping {
  /// The requested bytes. Valid until the owner calls ``unmap()``; after
  /// ``replaceWithZeroPages()`` they read as zeros but stay addressable.
  @usableFromInline
  internal let bytes: UnsafeRawBufferPointer

  /// The address `mmap` returned, or `nil` for an empty range. Mapped until ``unmap()``.
  private let start: UnsafeMutableRawPointer?
  /// The length given to `mmap`: the slack plus the requested count.
  private let mappedCount: Int

  /// Maps `count` bytes of `fd` from `offset`. `populate` prefaults every page.
  internal init(
    fd: CInt, offset: Int, count: Int, populate: Bool, path: String?
  ) throws(MMapError) {
    guard count > 0 else {  // mmap(2) rejects a length of zero.
      self.start = nil
      self.mappedCount = 0
      self.bytes = UnsafeRawBufferPointer(start: nil, count: 0)
      return
    }
    let slack = offset % system_pageSize
    let mappedCount = slack + count  // Can't overflow: both are within the file's size.
    guard
      let start = system_mmap(
        fd, count: mappedCount, offset: offset - slack, populate: populate)
    else {
      throw MMapError(.map, path: path, errno: system_errno)
    }
    self.start = start
    self.mappedCount = mappedCount
    self.bytes = UnsafeRawBufferPointer(start: start + slack, count: count)
  }

  /// Swaps the file's pages for zero-filled anonymous ones at the same addresses, releasing
  /// the file while a read that raced with close still touches readable memory.
  internal func replaceWithZeroPages(path: String?) throws(MMapError) {
    guard let start else { return }
    guard system_mmapZeroPlaceholder(start, count: mappedCount) else {
      throw MMapError(.unmap, path: path, errno: system_errno)
    }
  }

  /// Has the truncation guard watch this mapping: a fault in it, from a file truncated
  /// under it, becomes zero pages and a report to `sink` instead of a crash. `offset` is the
  /// reader offset of `bytes[0]`. ``unmap()`` stops the watch.
  internal func guardFaults(reportingTo sink: FaultSink, readerOffset offset: Int) {
    guard let start else { return }
    let slack = mappedCount - bytes.count
    // Can't overflow: offset - slack is the reader offset of the mapping's first page.
    FaultGuard.register(start, count: mappedCount, readerOffset: offset &- slack, sink: sink)
  }

  /// Unmaps the range, whatever is mapped there now. Call it once, when nothing can touch
  /// ``bytes`` any more.
  internal func unmap() {
    guard let start else { return }
    FaultGuard.unregister(start)  // Before the range can be reused by another mapping.
    _ = system_munmap(start, count: mappedCount)  // Fails only for bad arguments.
  }

  /// Gives `advice` for the bytes at `range` (indices into ``bytes``), widened to whole pages.
  internal func advise(_ advice: CInt, in range: Range<Int>, path: String?) throws(MMapError) {
    guard let start, !range.isEmpty else { return }
    let slack = mappedCount - bytes.count
    let first = (slack + range.lowerBound) / system_pageSize * system_pageSize
    let end = slack + range.upperBound
    _ = try checkSystemCall(.advise, path: path, retryOnInterrupt: false) {
      system_madvise(start + first, count: end - first, advice)
    }
  }

  /// Locks the pages holding the bytes at `range` (indices into ``bytes``) in memory.
  internal func lock(in range: Range<Int>, path: String?) throws(MMapError) {
    guard let start, !range.isEmpty else { return }
    let pages = widenedToPages(offsetsFromStart(of: range))
    _ = try checkSystemCall(.lock, path: path, retryOnInterrupt: false) {
      system_mlock(start + pages.lowerBound, count: pages.count)
    }
  }

  /// Unlocks the pages holding the bytes at `range` (indices into ``bytes``).
  internal func unlock(in range: Range<Int>, path: String?) throws(MMapError) {
    guard let start, !range.isEmpty else { return }
    let pages = widenedToPages(offsetsFromStart(of: range))
    _ = try checkSystemCall(.unlock, path: path, retryOnInterrupt: false) {
      system_munlock(start + pages.lowerBound, count: pages.count)
    }
  }

  /// Which pages holding the bytes at `range` (indices into ``bytes``) are resident now.
  internal func residency(in range: Range<Int>, path: String?) throws(MMapError) -> Residency {
    guard let start, !range.isEmpty else { return .empty }
    return try pageResidency(at: start, of: offsetsFromStart(of: range), path: path)
  }

  /// `range`, indices into ``bytes``, as offsets from the mapping's first page.
  private func offsetsFromStart(of range: Range<Int>) -> Range<Int> {
    let slack = mappedCount &- bytes.count  // Can't overflow: mappedCount = slack + count.
    // Can't overflow: offsets within the mapping.
    return (slack &+ range.lowerBound)..<(slack &+ range.upperBound)
  }
}
