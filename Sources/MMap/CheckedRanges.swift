// Ranges built from numbers a file supplies, which may be anything.

extension Range where Bound == Int {
  /// The offsets `offset..<offset + count`, from an offset and a count of any integer types,
  /// as a parser reads them from a file: `UInt64` fields, `UInt32` sizes, signed values.
  ///
  /// A corrupt or hostile file can hold any values, and the arithmetic a parser would write
  /// itself, `Int(offset)..<Int(offset) + Int(count)`, traps in Swift itself on a negative
  /// value, a value above `Int.max`, or a sum that overflows, before the library can throw.
  /// Build every range from file data with this initializer instead: it throws for all of
  /// them, and the reader then checks the range against its `count` as usual.
  ///
  /// ```swift
  /// let offset = try reader.integer(at: 16, as: UInt64.self)
  /// let size = try reader.integer(at: 24, as: UInt32.self)
  /// let payload = try reader.bytes(in: Range(offset: offset, count: size))
  /// ```
  ///
  /// - Parameters:
  ///   - offset: The first offset. Must not be negative.
  ///   - count: The number of offsets. Must not be negative.
  /// - Throws: ``MMapError`` with ``MMapError/Operation/read``, no path, and `EINVAL` if
  ///   `offset` or `count` is negative, or `offset + count` is more than `Int.max`.
  public init(offset: some BinaryInteger, count: some BinaryInteger) throws(MMapError) {
    guard let lower = Int(exactly: offset), let length = Int(exactly: count), lower >= 0,
      length >= 0
    else {
      throw MMapError.outsideReader(.read, path: nil)
    }
    let (upper, overflowed) = lower.addingReportingOverflow(length)
    guard !overflowed else { throw MMapError.outsideReader(.read, path: nil) }
    self = lower..<upper
  }
}
