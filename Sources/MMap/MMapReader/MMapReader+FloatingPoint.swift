extension MMapReader {
  /// Returns the `Float` stored at `offset` in `byteOrder`, loaded straight from the mapping
  /// as ``integer(at:as:byteOrder:)`` loads its bit pattern.
  ///
  /// The rules of ``RandomAccessReader/float(at:byteOrder:)`` apply.
  ///
  /// - Parameters:
  ///   - offset: The offset of the number's first byte, from `0` through ``count``.
  ///   - byteOrder: The order the file stores the number's bytes in.
  /// - Returns: The number, NaN payloads included.
  /// - Throws: ``MMapError``, as ``integer(at:as:byteOrder:)`` does.
  @inlinable
  public func float(at offset: Int, byteOrder: ByteOrder = .littleEndian) throws(MMapError)
    -> Float
  {
    Float(bitPattern: try integer(at: offset, as: UInt32.self, byteOrder: byteOrder))
  }

  /// Returns the `Double` stored at `offset` in `byteOrder`, loaded straight from the
  /// mapping as ``integer(at:as:byteOrder:)`` loads its bit pattern.
  ///
  /// The rules of ``RandomAccessReader/double(at:byteOrder:)`` apply.
  ///
  /// - Parameters:
  ///   - offset: The offset of the number's first byte, from `0` through ``count``.
  ///   - byteOrder: The order the file stores the number's bytes in.
  /// - Returns: The number, NaN payloads included.
  /// - Throws: ``MMapError``, as ``integer(at:as:byteOrder:)`` does.
  @inlinable
  public func double(at offset: Int, byteOrder: ByteOrder = .littleEndian) throws(MMapError)
    -> Double
  {
    Double(bitPattern: try integer(at: offset, as: UInt64.self, byteOrder: byteOrder))
  }

  #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    /// Returns the `Float16` stored at `offset` in `byteOrder`, loaded straight from the
    /// mapping as ``integer(at:as:byteOrder:)`` loads its bit pattern.
    ///
    /// The rules of ``RandomAccessReader/float16(at:byteOrder:)`` apply.
    ///
    /// - Parameters:
    ///   - offset: The offset of the number's first byte, from `0` through ``count``.
    ///   - byteOrder: The order the file stores the number's bytes in.
    /// - Returns: The number, NaN payloads included.
    /// - Throws: ``MMapError``, as ``integer(at:as:byteOrder:)`` does.
    @inlinable
    public func float16(at offset: Int, byteOrder: ByteOrder = .littleEndian)
      throws(MMapError) -> Float16
    {
      Float16(bitPattern: try integer(at: offset, as: UInt16.self, byteOrder: byteOrder))
    }
  #endif
}
