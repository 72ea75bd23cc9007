extension MMapReader {
  /// Returns the integer stored at `offset` in `byteOrder`, loaded straight from the mapping.
  ///
  /// The rules of ``RandomAccessReader/integer(at:as:byteOrder:)`` apply. The common case
  /// inlines to one unaligned load, a byte swap when `byteOrder` is not the host's, and one
  /// load of the close gate after it: no copy, no call, no allocation.
  ///
  /// - Parameters:
  ///   - offset: The offset of the integer's first byte, from `0` through ``count``.
  ///   - type: The integer type to read, such as `UInt16` or `Int64`.
  ///   - byteOrder: The order the file stores the integer's bytes in.
  /// - Returns: The integer.
  /// - Throws: ``MMapError`` with `EINVAL` if `offset` is negative or past ``count``, with
  ///   `ENODATA` if the file ends before the integer does or was truncated under the reader,
  ///   or with `EBADF` if the reader is closed (also when ``close()`` races with this call).
  @inlinable
  public func integer<T: FixedWidthInteger>(
    at offset: Int, as type: T.Type = T.self, byteOrder: ByteOrder = .littleEndian
  ) throws(MMapError) -> T {
    // Can't overflow: offset <= count is checked before count - offset.
    // As for every copy, only the gate's check after the load matters: the range stays
    // readable while the caller holds the reader.
    if offset >= 0, offset <= count, MemoryLayout<T>.size <= count &- offset {
      // Can't be nil: the integer's bytes lie inside a non-empty mapping.
      let stored = mapping.bytes.baseAddress.unsafelyUnwrapped.loadUnaligned(
        fromByteOffset: offset, as: T.self)
      guard !gate.isUnreadableAfterCopy else { throw gate.failure(path: path) }
      return byteOrder.value(fromStored: stored)
    }
    throw integerFailure(at: offset, byteCount: MemoryLayout<T>.size)
  }

  /// The error of an ``integer(at:as:byteOrder:)`` that can't load: closed, outside, or
  /// past the end, checked in that order as ``RandomAccessReader/bytes(in:)`` does. Kept
  /// out of line so that the common case stays small.
  @usableFromInline
  internal func integerFailure(at offset: Int, byteCount: Int) -> MMapError {
    if gate.isUnreadable { return gate.failure(path: path) }
    guard offset >= 0, offset <= count else { return MMapError.outsideReader(path: path) }
    return MMapError.endOfFile(path: path)
  }
}
