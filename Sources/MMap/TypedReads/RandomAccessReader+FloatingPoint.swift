// Floating-point numbers are stored as the bit patterns of IEEE 754 binary formats, in a
// byte order like an integer's: each is read as its bit pattern, then converted.

extension RandomAccessReader {
  /// Returns the `Float` (IEEE 754 binary32) stored at `offset` in `byteOrder`: the
  /// counterpart of Go's `math.Float32frombits(binary.LittleEndian.Uint32(b[off:]))`.
  ///
  /// The rules of ``integer(at:as:byteOrder:)`` apply: any offset, aligned or not.
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

  /// Returns the `Double` (IEEE 754 binary64) stored at `offset` in `byteOrder`.
  ///
  /// The rules of ``integer(at:as:byteOrder:)`` apply: any offset, aligned or not.
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

  // Float16 is missing where Swift lacks it: on Intel Macs (and Mac Catalyst there).
  #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    /// Returns the `Float16` (IEEE 754 binary16, the "half" of model weights) stored at
    /// `offset` in `byteOrder`.
    ///
    /// The rules of ``integer(at:as:byteOrder:)`` apply: any offset, aligned or not. Not
    /// available on macOS and Mac Catalyst on Intel processors, where Swift has no `Float16`.
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
