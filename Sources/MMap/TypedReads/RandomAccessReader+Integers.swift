extension RandomAccessReader {
  /// Returns the integer stored at `offset` in `byteOrder`: the counterpart of Go's
  /// `binary.LittleEndian.Uint32(b[off:])` and its kin, at any offset, aligned or not.
  ///
  /// ```swift
  /// let magic = try reader.integer(at: 0, as: UInt32.self, byteOrder: .bigEndian)
  /// let count: Int64 = try reader.integer(at: 8)   // little-endian
  /// ```
  ///
  /// Every reader gets this from one copy of `MemoryLayout<T>.size` bytes into the result;
  /// ``MMapReader`` loads the integer straight from the mapping.
  ///
  /// - Parameters:
  ///   - offset: The offset of the integer's first byte, from `0` through ``count``.
  ///   - type: The integer type to read, such as `UInt16` or `Int64`.
  ///   - byteOrder: The order the file stores the integer's bytes in.
  /// - Returns: The integer.
  /// - Throws: ``MMapError`` with `EINVAL` if `offset` is negative or past ``count``, with
  ///   `ENODATA` if the reader ends before the integer does, with `EBADF` if the reader is
  ///   closed, or what ``read(from:into:)-(_,UnsafeMutableRawBufferPointer)`` throws.
  @inlinable
  public func integer<T: FixedWidthInteger>(
    at offset: Int, as type: T.Type = T.self, byteOrder: ByteOrder = .littleEndian
  ) throws(MMapError) -> T {
    var stored = T.zero
    let result = withUnsafeMutableBytes(of: &stored) { buffer in
      Result { () throws(MMapError) in try readExactly(from: offset, into: buffer) }
    }
    try result.get()
    return byteOrder.value(fromStored: stored)
  }
}
