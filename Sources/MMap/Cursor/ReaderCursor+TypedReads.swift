// The cursor's forms of the readers' typed reads: each reads at the cursor's position and
// moves past what it read, or throws and stays.

extension ReaderCursor {
  /// Returns the byte at ``position`` and moves past it.
  ///
  /// - Returns: The byte.
  /// - Throws: ``MMapError`` with `ENODATA` at or past the end, with `EBADF` if the reader is
  ///   closed, or what the reader's ``RandomAccessReader/byte(at:)`` throws. The position
  ///   doesn't move.
  @inlinable
  public mutating func readByte() throws(MMapError) -> UInt8 {
    let offset = try offsetOfNext(1)
    let byte = try reader.byte(at: offset)
    _position &+= 1  // Can't overflow: offsetOfNext checked it fits.
    return byte
  }

  /// Returns a copy of the bytes from ``position`` to the end and moves to the end: the
  /// counterpart of Go's `io.ReadAll` on a section.
  ///
  /// - Returns: The bytes; empty at or past the end, where the position doesn't move.
  /// - Throws: ``MMapError``, as ``readBytes(count:)`` does. The position doesn't move.
  public mutating func readRemainingBytes() throws(MMapError) -> [UInt8] {
    try readBytes(count: remainingCount)
  }

  /// Returns the `Float` stored at ``position`` in `byteOrder` and moves past it.
  ///
  /// - Parameter byteOrder: The order the file stores the number's bytes in.
  /// - Returns: The number.
  /// - Throws: ``MMapError``, as ``readInteger(as:byteOrder:)`` does.
  @inlinable
  public mutating func readFloat(byteOrder: ByteOrder = .littleEndian) throws(MMapError) -> Float {
    Float(bitPattern: try readInteger(as: UInt32.self, byteOrder: byteOrder))
  }

  /// Returns the `Double` stored at ``position`` in `byteOrder` and moves past it.
  ///
  /// - Parameter byteOrder: The order the file stores the number's bytes in.
  /// - Returns: The number.
  /// - Throws: ``MMapError``, as ``readInteger(as:byteOrder:)`` does.
  @inlinable
  public mutating func readDouble(byteOrder: ByteOrder = .littleEndian) throws(MMapError)
    -> Double
  {
    Double(bitPattern: try readInteger(as: UInt64.self, byteOrder: byteOrder))
  }

  #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    /// Returns the `Float16` stored at ``position`` in `byteOrder` and moves past it. Not
    /// available on macOS and Mac Catalyst on Intel processors.
    ///
    /// - Parameter byteOrder: The order the file stores the number's bytes in.
    /// - Returns: The number.
    /// - Throws: ``MMapError``, as ``readInteger(as:byteOrder:)`` does.
    @inlinable
    public mutating func readFloat16(byteOrder: ByteOrder = .littleEndian) throws(MMapError)
      -> Float16
    {
      Float16(bitPattern: try readInteger(as: UInt16.self, byteOrder: byteOrder))
    }
  #endif

  /// Returns the unsigned LEB128 varint at ``position`` and moves past it.
  ///
  /// - Returns: The value.
  /// - Throws: ``MMapError`` as ``RandomAccessReader/unsignedLEB128(at:)`` does, with
  ///   `ENODATA` also when the cursor's bounds end before the varint does. The position
  ///   doesn't move.
  public mutating func readUnsignedLEB128() throws(MMapError) -> UInt64 {
    let (offset, end) = readerOffsetAndEnd
    let (value, byteCount) = try reader.unsignedLEB128(at: offset, end: end)
    _position &+= byteCount  // Can't overflow: the varint lies inside the bounds.
    return value
  }

  /// Returns the signed LEB128 varint at ``position`` and moves past it.
  ///
  /// - Returns: The value.
  /// - Throws: ``MMapError`` as ``RandomAccessReader/signedLEB128(at:)`` does, with `ENODATA`
  ///   also when the cursor's bounds end before the varint does. The position doesn't move.
  public mutating func readSignedLEB128() throws(MMapError) -> Int64 {
    let (offset, end) = readerOffsetAndEnd
    let (value, byteCount) = try reader.signedLEB128(at: offset, end: end)
    _position &+= byteCount  // Can't overflow: the varint lies inside the bounds.
    return value
  }

  /// Returns the NUL-terminated string at ``position`` and moves past its NUL.
  ///
  /// - Parameters:
  ///   - maxCount: The most bytes the string may hold before its NUL. Must not be negative.
  ///   - invalidUTF8: Whether ill-formed bytes throw (the default) or become U+FFFD.
  /// - Returns: The string, without its NUL.
  /// - Throws: ``MMapError`` as ``RandomAccessReader/cString(at:maxCount:invalidUTF8:)``
  ///   does, with `ENODATA` also when the cursor's bounds end before a NUL. The position
  ///   doesn't move.
  public mutating func readCString(maxCount: Int, invalidUTF8: InvalidUTF8 = .fail)
    throws(MMapError) -> String
  {
    let (offset, end) = readerOffsetAndEnd
    let (string, byteCount) = try reader.cStringAndByteCount(
      at: offset, end: end, maxCount: maxCount, invalidUTF8: invalidUTF8)
    _position &+= byteCount  // Can't overflow: the string lies inside the bounds.
    return string
  }

  /// Returns the next `count` bytes decoded as UTF-8 and moves past them.
  ///
  /// - Parameters:
  ///   - count: How many bytes to decode.
  ///   - invalidUTF8: Whether ill-formed bytes throw (the default) or become U+FFFD.
  /// - Returns: The string.
  /// - Throws: ``MMapError`` with `ENODATA` if fewer than `count` bytes remain, with
  ///   `EINVAL` if `count` is negative, or as ``RandomAccessReader/string(in:invalidUTF8:)``
  ///   does. The position doesn't move.
  public mutating func readString(count: Int, invalidUTF8: InvalidUTF8 = .fail)
    throws(MMapError) -> String
  {
    guard count >= 0 else { throw MMapError.outsideReader(path: reader.path) }
    let offset = try offsetOfNext(count)
    // Can't overflow: offsetOfNext checked that count bytes remain.
    let string = try reader.string(in: offset..<(offset &+ count), invalidUTF8: invalidUTF8)
    _position &+= count
    return string
  }

  /// The reader offsets of ``position`` and of the end of the bounds: equal at or past the
  /// end.
  private var readerOffsetAndEnd: (offset: Int, end: Int) {
    let (offset, available) = readerOffsetAndRemainingCount
    return (offset, offset &+ available)  // Can't overflow: the end of the bounds.
  }
}
