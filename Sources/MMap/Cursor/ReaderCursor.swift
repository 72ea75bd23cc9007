/// A position in a reader's bytes that reads advance: the counterpart of Go's `Read`, `Seek`
/// and `Size` (an `io.SectionReader` over a `ReaderAt`), for parsers that consume a file in
/// order.
///
/// A cursor reads all of a reader, or a range of it (a section, such as one record); its
/// positions count from the range's first byte. Reads copy into your buffer and move the
/// position past what they copied; ``seek(to:from:)`` moves it anywhere from `0` on, also
/// past the end, where reads find nothing, as Go's do.
///
/// ```swift
/// var cursor = ReaderCursor(reader)
/// let magic = try cursor.readInteger(as: UInt32.self, byteOrder: .bigEndian)
/// let length = try cursor.readInteger(as: UInt16.self)      // little-endian
/// let name = try cursor.readBytes(count: Int(length))
/// try cursor.seek(to: 4, from: .current)                   // skip 4 bytes
/// ```
///
/// ## Values, not references
///
/// A cursor is a value: copying it copies the position, so a parser can try something on a
/// copy and keep the original, or hand a sub-range to a helper with a new cursor. The
/// reader itself is shared; closing it makes every cursor over it throw `EBADF`.
///
/// ## Failures don't move the position
///
/// A read that throws leaves ``position`` where it was, except
/// ``write(to:)``, which moves it past every byte that reached the descriptor.
///
/// ## Concurrency
///
/// A cursor is `Sendable` and needs no lock: each copy has its own position, and the reader
/// handles concurrent reads. Mutating one cursor from several tasks at once is a data race
/// the compiler rejects, as for any value.
///
/// ## Topics
///
/// ### Creating a cursor
/// - ``init(_:)``
/// - ``init(_:in:)``
///
/// ### Reader and position
/// - ``reader``
/// - ``bounds``
/// - ``count``
/// - ``position``
/// - ``remainingCount``
/// - ``isAtEnd``
///
/// ### Seeking
/// - ``seek(to:from:)``
///
/// ### Reading bytes
/// - ``read(into:)-(UnsafeMutableRawBufferPointer)``
/// - ``read(into:)-([UInt8])``
/// - ``readExactly(into:)-(UnsafeMutableRawBufferPointer)``
/// - ``readExactly(into:)-([UInt8])``
/// - ``readByte()``
/// - ``readBytes(count:)``
/// - ``readRemainingBytes()``
///
/// ### Typed reads
/// - ``readInteger(as:byteOrder:)``
/// - ``readFloat(byteOrder:)``
/// - ``readDouble(byteOrder:)``
/// - ``readFloat16(byteOrder:)``
/// - ``readUnsignedLEB128()``
/// - ``readSignedLEB128()``
/// - ``readCString(maxCount:invalidUTF8:)``
/// - ``readString(count:invalidUTF8:)``
///
/// ### Writing
/// - ``write(to:)``
public struct ReaderCursor<Reader: RandomAccessReader>: Sendable {
  /// The reader the cursor reads from.
  public let reader: Reader

  /// The reader offsets the cursor reads: position `0` is `bounds.lowerBound`.
  public let bounds: Range<Int>

  @usableFromInline
  internal var _position: Int

  /// Creates a cursor over all of `reader`'s bytes, at `position` 0.
  ///
  /// - Parameter reader: The reader to read from. The cursor shares it: it doesn't close it.
  @inlinable
  public init(_ reader: Reader) {
    self.reader = reader
    self.bounds = 0..<reader.count
    self._position = 0
  }

  /// Creates a cursor over the bytes of `reader` in `bounds`, at `position` 0: the
  /// counterpart of Go's `io.NewSectionReader(r, off, n)`.
  ///
  /// - Parameters:
  ///   - reader: The reader to read from. The cursor shares it: it doesn't close it.
  ///   - bounds: The reader offsets to expose, inside `0..<reader.count`.
  /// - Throws: ``MMapError`` with `EINVAL` if `bounds` is not inside `0..<reader.count`.
  @inlinable
  public init(_ reader: Reader, in bounds: Range<Int>) throws(MMapError) {
    try checkInside(bounds, count: reader.count, path: reader.path)
    self.reader = reader
    self.bounds = bounds
    self._position = 0
  }

  /// The number of bytes the cursor reads, from position `0` to the end: the counterpart of
  /// Go's `Size`.
  @inlinable
  public var count: Int { bounds.count }

  /// The offset of the next byte to read, from `0`; it may lie past ``count``.
  @inlinable
  public var position: Int { _position }

  /// The number of bytes from ``position`` to the end, or `0` past it.
  @inlinable
  public var remainingCount: Int {
    _position < count ? count &- _position : 0  // Can't overflow: 0 <= position < count.
  }

  /// Whether ``position`` is at or past the end, so that reads find nothing.
  @inlinable
  public var isAtEnd: Bool { _position >= count }

  /// Moves the cursor to `offset` counted from `origin`: the counterpart of Go's `Seek`.
  ///
  /// The new position may lie past the end: reads there return `0` bytes, and exact and
  /// typed reads throw `ENODATA`.
  ///
  /// - Parameters:
  ///   - offset: The distance from `origin`, negative to move back.
  ///   - origin: Where `offset` counts from: the start, the current position, or the end.
  /// - Returns: The new position, counted from the start.
  /// - Throws: ``MMapError`` with ``MMapError/Operation/seek`` and `EINVAL` if the new
  ///   position would be negative or beyond `Int.max`; the position is then unchanged.
  @inlinable
  @discardableResult
  public mutating func seek(to offset: Int, from origin: SeekOrigin = .start)
    throws(MMapError) -> Int
  {
    let base =
      switch origin {
      case .start: 0
      case .current: _position
      case .end: count
      }
    let (target, overflow) = base.addingReportingOverflow(offset)
    guard !overflow, target >= 0 else {
      throw MMapError.outsideReader(.seek, path: reader.path)
    }
    _position = target
    return target
  }

  /// The reader offset of ``position``, with the number of bytes from there to the end, or
  /// the reader offset of the end and `0` when ``position`` is at or past it.
  @inlinable
  internal var readerOffsetAndRemainingCount: (offset: Int, count: Int) {
    guard _position < count else { return (bounds.upperBound, 0) }
    // Neither overflows: 0 <= position < count, and the bounds lie inside the reader.
    return (bounds.lowerBound &+ _position, count &- _position)
  }
}
