extension ZeroCopyReader {
  /// Calls `body` with the offsets and the bytes of each line in `range`, or in the whole
  /// reader, in order, without copying them, until the lines end or `body` returns
  /// ``ScanStep/stop``.
  ///
  /// Lines are cut as ``RandomAccessReader/forEachLine(in:options:_:)`` cuts them. A line
  /// inside one chunk (always, on ``MMapReader``) is lent from the chunk. A line that
  /// straddles two chunks (on ``MMapWindowReader``, two windows) is lent through
  /// ``withUnsafeBytes(in:_:)``, which maps exactly its pages for the call: still no copy,
  /// whatever the line's length, at the cost of one mapping per straddling line (about one per
  /// window).
  ///
  /// The buffer is valid only until `body` returns. Don't store it, return it, or capture it
  /// in an escaping closure; copy what you need to keep.
  ///
  /// ```swift
  /// try reader.forEachLine(options: .omittingCarriageReturn) { line, bytes in
  ///   if bytes.starts(with: "ERROR".utf8) { print("error line at", line.lowerBound) }
  ///   return .proceed
  /// }
  /// ```
  ///
  /// - Parameters:
  ///   - range: The reader offsets to cut into lines, inside `0..<count`; `nil` for all of them.
  ///   - options: How to cut lines; see ``LineOptions``.
  ///   - body: Called with the reader offsets of each line's bytes, line feed excluded, and
  ///     the bytes themselves.
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with `EBADF`
  ///   if the reader is closed (also when ``RandomAccessReader/close()`` races with the
  ///   scan), with `ENODATA` if the file was truncated under the reader, with what the system
  ///   reported, or what `body` throws; the scan stops there.
  @inlinable
  public func forEachLine(
    in range: Range<Int>? = nil, options: LineOptions = [],
    _ body: (_ line: Range<Int>, _ bytes: UnsafeRawBufferPointer) throws -> ScanStep
  ) throws {
    var cutter = LineCutter(cutting: range ?? 0..<count, options: options)
    defer { cutter.deallocate() }
    try forEachChunk(in: cutter.range) { offset, chunk in
      cutter.start(chunk, at: offset)
      while let line = cutter.next() {
        let step: ScanStep
        if line.lowerBound >= offset {
          // Can't overflow: the line lies inside the chunk.
          let bytes = chunk[(line.lowerBound &- offset)..<(line.upperBound &- offset)]
          step = try body(line, UnsafeRawBufferPointer(rebasing: bytes))
        } else {
          step = try withUnsafeBytes(in: line) { bytes in try body(line, bytes) }
        }
        if step == .stop { return .stop }
      }
      return .proceed
    }
  }
}
