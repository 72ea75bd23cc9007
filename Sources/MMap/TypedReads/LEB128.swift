/// The decoding of LEB128 varints, shared by the readers' and the cursor's reads: one byte
/// at a time, low seven bits first, the high bit saying that another byte follows.
///
/// The rules are Go's `binary.Uvarint` and `binary.Varint` for 64 bits: at most ten bytes,
/// and a tenth byte may only carry the one bit left (for a signed value, that bit's sign
/// extension). Padding bytes that add nothing (`0x80 0x00` for 0) are accepted.
internal struct LEB128Decoder {
  /// The bits gathered so far, lowest first.
  var bits: UInt64 = 0
  /// How many bytes were consumed.
  var byteCount = 0

  init() {}

  /// The most bytes a 64-bit value takes.
  static let maxByteCount = 10

  /// What taking one more byte gave.
  enum Step {
    /// Another byte follows.
    case more
    /// The value ended with this byte.
    case done
    /// The value needs more than 64 bits.
    case overflow
  }

  /// Adds `byte`, the value's next byte, to an unsigned value.
  mutating func takeUnsigned(_ byte: UInt8) -> Step {
    if byteCount == Self.maxByteCount &- 1 && byte > 1 { return .overflow }
    bits |= UInt64(byte & 0x7F) << UInt64(7 &* byteCount)  // Shift < 64: byteCount < 10.
    byteCount &+= 1
    return byte & 0x80 == 0 ? .done : .more
  }

  /// Adds `byte`, the value's next byte, to a signed value; ``signedValue`` reads it once
  /// done.
  mutating func takeSigned(_ byte: UInt8) -> Step {
    // The tenth byte holds bit 63 and its sign extension: 0x00 or 0x7F, and nothing follows.
    if byteCount == Self.maxByteCount &- 1 && byte != 0 && byte != 0x7F { return .overflow }
    bits |= UInt64(byte & 0x7F) << UInt64(7 &* byteCount)  // Shift < 64: byteCount < 10.
    byteCount &+= 1
    return byte & 0x80 == 0 ? .done : .more
  }

  /// The signed value, its last byte's bit 6 extended over the bits above.
  var signedValue: Int64 {
    let used = 7 &* byteCount  // At most 70.
    guard used < 64 else { return Int64(bitPattern: bits) }
    let unused = UInt64(64 &- used)
    return Int64(bitPattern: bits << unused) >> Int64(unused)
  }
}

extension RandomAccessReader {
  /// Returns the unsigned LEB128 varint stored at `offset`, with the number of bytes it
  /// takes: the integer encoding of DWARF, WebAssembly, protobuf and DEX, and the
  /// counterpart of Go's `binary.Uvarint`.
  ///
  /// ```swift
  /// let (length, byteCount) = try reader.unsignedLEB128(at: offset)
  /// let payload = try Range(offset: offset + byteCount, count: length)
  /// ```
  ///
  /// At most ten bytes are read, one at a time.
  ///
  /// - Parameter offset: The offset of the varint's first byte, from `0` through ``count``.
  /// - Returns: The value and its byte count, from 1 through 10.
  /// - Throws: ``MMapError`` with `EOVERFLOW` if the value doesn't fit 64 bits (more than
  ///   ten bytes, or a tenth byte above 1), with `ENODATA` if the reader ends before the
  ///   varint's last byte (one without its high bit), or what ``byte(at:)`` throws.
  public func unsignedLEB128(at offset: Int) throws(MMapError) -> (value: UInt64, byteCount: Int) {
    try unsignedLEB128(at: offset, end: count)
  }

  /// ``unsignedLEB128(at:)`` for a varint that must end before `end`, at most ``count``.
  internal func unsignedLEB128(at offset: Int, end: Int) throws(MMapError)
    -> (value: UInt64, byteCount: Int)
  {
    var decoder = LEB128Decoder()
    try decodeLEB128(at: offset, end: end) { decoder.takeUnsigned($0) }
    return (decoder.bits, decoder.byteCount)
  }

  /// Returns the signed LEB128 varint stored at `offset`, with the number of bytes it takes:
  /// DWARF's `SLEB128` and WebAssembly's signed integers, two's complement with the last
  /// byte's bit 6 as the sign.
  ///
  /// This is not protobuf's `sint64` (zigzag over an unsigned varint), nor Go's
  /// `binary.Varint` (also zigzag): read those with ``unsignedLEB128(at:)`` and undo the
  /// zigzag, `Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)`.
  ///
  /// - Parameter offset: The offset of the varint's first byte, from `0` through ``count``.
  /// - Returns: The value and its byte count, from 1 through 10.
  /// - Throws: ``MMapError`` with `EOVERFLOW` if the value doesn't fit 64 bits (more than
  ///   ten bytes, or a tenth byte other than `0x00` and `0x7F`), with `ENODATA` if the reader
  ///   ends before the varint's last byte, or what ``byte(at:)`` throws.
  public func signedLEB128(at offset: Int) throws(MMapError) -> (value: Int64, byteCount: Int) {
    try signedLEB128(at: offset, end: count)
  }

  /// ``signedLEB128(at:)`` for a varint that must end before `end`, at most ``count``.
  internal func signedLEB128(at offset: Int, end: Int) throws(MMapError)
    -> (value: Int64, byteCount: Int)
  {
    var decoder = LEB128Decoder()
    try decodeLEB128(at: offset, end: end) { decoder.takeSigned($0) }
    return (decoder.signedValue, decoder.byteCount)
  }

  /// Feeds `take` the bytes from `offset` on, before `end`, until it says the value is done.
  private func decodeLEB128(
    at offset: Int, end: Int, _ take: (UInt8) -> LEB128Decoder.Step
  ) throws(MMapError) {
    guard !isClosed else { throw MMapError.closed(path: path) }
    guard offset >= 0, offset <= count else { throw MMapError.outsideReader(path: path) }
    var next = offset
    while true {
      guard next < end else { throw MMapError.endOfFile(path: path) }
      switch take(try byte(at: next)) {
      case .done: return
      case .more: next &+= 1  // Can't overflow: next < count.
      case .overflow: throw MMapError(.read, path: path, errno: system_EOVERFLOW)
      }
    }
  }
}
