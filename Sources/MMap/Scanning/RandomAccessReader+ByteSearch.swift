extension RandomAccessReader {
  /// Returns the offset of the first byte equal to `byte` in `range`, or in the whole reader.
  ///
  /// Scans forward chunk by chunk (``forEachChunk(in:_:)``) with vector instructions where
  /// the processor has them, and stops at the first match.
  ///
  /// ```swift
  /// let headerEnd = try reader.firstOffset(of: 0x0A) ?? reader.count
  /// ```
  ///
  /// - Parameters:
  ///   - byte: The byte value to find.
  ///   - range: The reader offsets to look at, inside `0..<count`; `nil` for all of them.
  /// - Returns: The reader offset of the first match, or `nil` if no byte in the range equals
  ///   `byte`.
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with `EBADF`
  ///   if the reader is closed, with `ENODATA` if the file was truncated under the reader, or
  ///   what the system reported.
  public func firstOffset(of byte: UInt8, in range: Range<Int>? = nil) throws(MMapError)
    -> Int?
  {
    var found: Int?
    try forEachChunkOfReader(in: range ?? 0..<count) { offset, chunk in
      guard let index = ScanKernels.firstIndex(of: byte, in: chunk) else { return .proceed }
      found = offset &+ index  // Can't overflow: a reader offset.
      return .stop
    }
    return found
  }

  /// Returns the offset of the last byte equal to `byte` in `range`, or in the whole reader.
  ///
  /// Scans backward from the end of the range, in pieces that start at 64 KiB and double up
  /// to 16 MiB, each read chunk by chunk (``forEachChunk(in:_:)``), so a match near the end
  /// is found without reading the rest; a match at offset `o` costs reading at most about
  /// twice `range.upperBound - o` bytes.
  ///
  /// ```swift
  /// let lastLineStart = try reader.lastOffset(of: 0x0A, in: 0..<reader.count - 1).map { $0 + 1 }
  /// ```
  ///
  /// - Parameters:
  ///   - byte: The byte value to find.
  ///   - range: The reader offsets to look at, inside `0..<count`; `nil` for all of them.
  /// - Returns: The reader offset of the last match, or `nil` if no byte in the range equals
  ///   `byte`.
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with `EBADF`
  ///   if the reader is closed, with `ENODATA` if the file was truncated under the reader, or
  ///   what the system reported.
  public func lastOffset(of byte: UInt8, in range: Range<Int>? = nil) throws(MMapError) -> Int? {
    let range = range ?? 0..<count
    try checkScannable(range)
    var end = range.upperBound
    var pieceSize = 64 << 10
    while end > range.lowerBound {
      // Can't overflow: end > range.lowerBound >= 0, and pieceSize is at most 16 MiB.
      let piece = max(range.lowerBound, end &- pieceSize)..<end
      var found: Int?
      try forEachChunkOfReader(in: piece) { offset, chunk in
        if let index = ScanKernels.lastIndex(of: byte, in: chunk) {
          found = offset &+ index  // Can't overflow: a reader offset. Later chunks win.
        }
        return .proceed
      }
      if let found { return found }
      end = piece.lowerBound
      pieceSize = min(pieceSize &* 2, 16 << 20)  // Can't overflow: at most 32 MiB.
    }
    return nil
  }
}
