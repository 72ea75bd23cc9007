extension MMapWindowReader {
  /// Calls `body` with the bytes in `range`, without copying them: the one view the other
  /// forms of ``ZeroCopyReader`` build on.
  ///
  /// A range inside one window uses that window, pinned while `body` runs, mapping it if it
  /// is not mapped and the access looks sequential or dense, or the range is at least a
  /// quarter of a window. Any other range, including one that crosses a window edge or is
  /// larger than all the windows together, gets a temporary mapping of exactly its pages,
  /// unmapped when `body` returns. A ``close()`` on another thread waits for `body` to
  /// return before the bytes go away.
  ///
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with
  ///   `EBADF` if the reader is closed, with ``MMapError/Operation/map`` if the range can't
  ///   be mapped, or what `body` throws.
  @inlinable
  public func withUnsafeBytes<Result>(
    in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result {
    // Inlinable, like forEachChunk, so that a scan's closure inlines into its caller; finding,
    // pinning and mapping the bytes happen out of line.
    let view = try openView(of: range)
    defer { closeView(view) }
    let result = try body(view.bytes)
    try checkViewSurvived(view)
    return result
  }

  /// The bytes of an open view and what ``closeView(_:)`` gives back: the operation
  /// registered with the window table, and the temporary mapping if the bytes are in one.
  @usableFromInline
  internal struct OpenView {
    /// The bytes the view lends. Valid until ``closeView(_:)``, which unpins their window or
    /// unmaps their temporary mapping.
    @usableFromInline
    let bytes: UnsafeRawBufferPointer
    /// The operation to leave, or `nil` for an empty range, which registers nothing.
    let access: WindowAccess?
    /// The temporary mapping to unmap, or `nil` if a window (or nothing) holds the bytes.
    let mapping: FileMapping?
  }

  /// Opens a view of `range`: checks it, then pins its window (mapping the window if the
  /// miss policy says so) or maps exactly its pages. Every successful call must be followed
  /// by one ``closeView(_:)``.
  ///
  /// - Throws: ``MMapError``, as ``withUnsafeBytes(in:_:)`` documents.
  @usableFromInline
  internal func openView(of range: Range<Int>) throws(MMapError) -> OpenView {
    guard isInside(range, count: count) else {
      throw isClosed ? MMapError.closed(path: path) : MMapError.outsideReader(path: path)
    }
    guard !range.isEmpty else {
      if isClosed { throw MMapError.closed(path: path) }
      return OpenView(
        bytes: UnsafeRawBufferPointer(start: nil, count: 0), access: nil, mapping: nil)
    }
    let first = geometry.window(containing: range.lowerBound)
    // Can't overflow: the range is not empty.
    let last = geometry.window(containing: range.upperBound &- 1)
    guard !truncation.isSet else {  // A closed reader reports that first, as every reader does.
      throw isClosed ? MMapError.closed(path: path) : truncation.error(path: path)
    }
    let access = try enter(
      at: range.lowerBound, count: range.count, kind: first == last ? .view : .crossingView)
    if let address = address(of: access) {
      return OpenView(
        bytes: UnsafeRawBufferPointer(start: address, count: range.count), access: access,
        mapping: nil)
    }
    // The descriptor stays open: this operation is in flight until `leave`.
    let mapping: FileMapping
    do {
      mapping = try FileMapping(
        fd: fd, offset: geometry.fileOffset(of: range.lowerBound), count: range.count,
        populate: false, path: path)
    } catch {
      leave(access)
      throw error
    }
    mapping.guardFaults(
      reportingTo: slots.faultSink(reportingTo: truncation), readerOffset: range.lowerBound)
    if let advice = access.advice {  // Advice is a hint; the view reads the same without it.
      try? mapping.advise(advice, in: 0..<range.count, path: path)
    }
    return OpenView(bytes: mapping.bytes, access: access, mapping: mapping)
  }

  /// Closes a view opened with ``openView(of:)``: unmaps its temporary mapping, then leaves
  /// the operation, unpinning its window.
  @usableFromInline
  internal func closeView(_ view: OpenView) {
    view.mapping?.unmap()
    if let access = view.access { leave(access) }
  }

  /// Throws if the file was truncated under a view while its closure ran.
  @usableFromInline
  internal func checkViewSurvived(_ view: OpenView) throws(MMapError) {
    guard view.access != nil, truncation.isSetAfterCopy else { return }
    throw truncation.error(path: path)
  }

  /// The part of a chunk scan's range from `offset` to `end` that lies in `offset`'s window.
  @usableFromInline
  internal func chunk(from offset: Int, to end: Int) -> Range<Int> {
    let window = geometry.bounds(ofWindow: geometry.window(containing: offset))
    return offset..<min(window.upperBound, end)
  }

  /// Throws what a chunk scan of `range` throws before it visits anything.
  @usableFromInline
  internal func checkChunkScan(of range: Range<Int>) throws(MMapError) {
    guard isInside(range, count: count) else {
      throw isClosed ? MMapError.closed(path: path) : MMapError.outsideReader(path: path)
    }
    if range.isEmpty, isClosed { throw MMapError.closed(path: path) }
  }

  /// Calls `body` with the bytes in `range` one window at a time, in order, without copying
  /// them: the way to scan a large range with bounded memory.
  ///
  /// Each chunk is the part of `range` inside one window. Every chunk after the first starts
  /// where the last one ended, so the miss policy maps its window (a short first chunk may
  /// get a temporary mapping instead); the window stays pinned until `body` returns, and
  /// windows are evicted least recently used first, so a scan keeps at most ``maxWindows``
  /// windows mapped and resident. The rules of ``RandomAccessReader/forEachChunk(in:_:)``
  /// apply.
  ///
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with
  ///   `EBADF` if the reader is closed (also when ``close()`` races with the scan), with
  ///   ``MMapError/Operation/map`` if a window can't be mapped, or what `body` throws; the
  ///   scan stops there.
  @inlinable
  public func forEachChunk(
    in range: Range<Int>,
    _ body: (_ offset: Int, _ chunk: UnsafeRawBufferPointer) throws -> ScanStep
  ) throws {
    try checkChunkScan(of: range)
    var offset = range.lowerBound
    while offset < range.upperBound {
      let piece = chunk(from: offset, to: range.upperBound)
      let step = try withUnsafeBytes(in: piece) { chunk in try body(piece.lowerBound, chunk) }
      guard step == .proceed else { return }
      offset = piece.upperBound
    }
  }

  /// Calls `body` with the bytes in `range` one window at a time, as spans: the span form of
  /// ``forEachChunk(in:_:)``, whose rules apply. The span is valid only inside `body`, which
  /// the compiler enforces.
  ///
  /// - Parameters:
  ///   - range: The reader offsets to visit, or `nil` for all of them.
  ///   - body: Called with the offset of each piece and a span over its bytes.
  /// - Throws: As ``forEachChunk(in:_:)`` does.
  public func forEachWindow(
    in range: Range<Int>? = nil, _ body: (_ offset: Int, _ bytes: RawSpan) throws -> Void
  ) throws {
    try forEachChunk(in: range ?? 0..<count) { offset, chunk in
      try body(offset, chunk.bytes)
      return .proceed
    }
  }
}
