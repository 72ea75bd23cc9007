extension RandomAccessReader {
  /// Returns the number of bytes equal to `byte` in `range`, or in the whole reader.
  ///
  /// Scans chunk by chunk (``forEachChunk(in:_:)``) with vector instructions where the
  /// processor has them, at about the speed memory delivers bytes.
  ///
  /// ```swift
  /// let newlines = try reader.count(of: 0x0A)
  /// ```
  ///
  /// - Parameters:
  ///   - byte: The byte value to count.
  ///   - range: The reader offsets to look at, inside `0..<count`; `nil` for all of them.
  /// - Returns: How many bytes in the range equal `byte`; `0` for an empty range.
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with `EBADF`
  ///   if the reader is closed, with `ENODATA` if the file was truncated under the reader, or
  ///   what the system reported.
  public func count(of byte: UInt8, in range: Range<Int>? = nil) throws(MMapError) -> Int {
    var total = 0
    try forEachChunkOfReader(in: range ?? 0..<count) { _, chunk in
      total &+= ScanKernels.count(of: byte, in: chunk)  // Can't overflow: at most `count`.
      return .proceed
    }
    return total
  }
}
