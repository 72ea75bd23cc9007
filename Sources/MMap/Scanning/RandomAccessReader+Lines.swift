extension RandomAccessReader {
  /// Calls `body` with the offsets of each line in `range`, or in the whole reader, in order,
  /// until the lines end or `body` returns ``ScanStep/stop``.
  ///
  /// A line is the bytes between two line feeds (`0x0A`), without the line feed; `range` is
  /// cut as if it were the whole file, so its first line starts at `range.lowerBound` and its
  /// last line ends at `range.upperBound` even without a line feed there. A range ending in a
  /// line feed has no empty line after it, and an empty range has no line. Lines that straddle
  /// two chunks (two windows, two `pread` copies) come whole, with their offsets.
  ///
  /// The scan reads chunk by chunk (``forEachChunk(in:_:)``) and finds all the line feeds of
  /// each 16 KiB block at once with vector instructions; it allocates one buffer for the
  /// whole scan and nothing per line.
  ///
  /// ```swift
  /// var longest = 0
  /// try reader.forEachLine { line in
  ///   longest = max(longest, line.count)
  ///   return .proceed
  /// }
  /// ```
  ///
  /// On a ``ZeroCopyReader``, ``ZeroCopyReader/forEachLine(in:options:_:)`` also lends each
  /// line's bytes.
  ///
  /// - Parameters:
  ///   - range: The reader offsets to cut into lines, inside `0..<count`; `nil` for all of them.
  ///   - options: How to cut lines; see ``LineOptions``.
  ///   - body: Called with the reader offsets of each line's bytes, line feed excluded.
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with `EBADF`
  ///   if the reader is closed (also when ``close()`` races with the scan), with `ENODATA` if
  ///   the file was truncated under the reader, with what the system reported, or what `body`
  ///   throws; the scan stops there.
  @inlinable
  public func forEachLine(
    in range: Range<Int>? = nil, options: LineOptions = [],
    _ body: (_ line: Range<Int>) throws -> ScanStep
  ) throws {
    var cutter = LineCutter(cutting: range ?? 0..<count, options: options)
    defer { cutter.deallocate() }
    try forEachChunk(in: cutter.range) { offset, chunk in
      cutter.start(chunk, at: offset)
      while let line = cutter.next() {
        if try body(line) == .stop { return .stop }
      }
      return .proceed
    }
  }

  /// Returns the number of lines in `range`, or in the whole reader: its line feeds (`0x0A`),
  /// plus one if it doesn't end with one and is not empty.
  ///
  /// The lines are those ``forEachLine(in:options:_:)`` visits, counted at the speed of
  /// ``count(of:in:)``.
  ///
  /// - Parameter range: The reader offsets to look at, inside `0..<count`; `nil` for all of
  ///   them.
  /// - Returns: The number of lines; `0` for an empty range.
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with `EBADF`
  ///   if the reader is closed, with `ENODATA` if the file was truncated under the reader, or
  ///   what the system reported.
  public func lineCount(in range: Range<Int>? = nil) throws(MMapError) -> Int {
    var feeds = 0
    var endsWithFeed = true  // An empty range has no unterminated last line.
    try forEachChunkOfReader(in: range ?? 0..<count) { _, chunk in
      feeds &+= ScanKernels.count(of: 0x0A, in: chunk)  // Can't overflow: at most `count`.
      endsWithFeed = chunk[chunk.count &- 1] == 0x0A  // Can't overflow: chunks aren't empty.
      return .proceed
    }
    return endsWithFeed ? feeds : feeds &+ 1  // Can't overflow: at most `count`.
  }
}
