// The bounds rules every reader shares, written once.

/// The end-of-file rule of every reader: how many bytes a read of up to `capacity` bytes at
/// `offset` delivers from a reader of `count` bytes, or `nil` if `offset` is out of bounds.
///
/// Can't overflow for any arguments: it never adds `offset` to anything.
@inlinable
internal func readableByteCount(offset: Int, capacity: Int, count: Int) -> Int? {
  guard offset >= 0, offset <= count else { return nil }
  return min(capacity, count &- offset)  // Can't overflow: 0 <= offset <= count.
}

/// Whether a read of `byteCount` bytes at `offset` fills its buffer from a reader of `count`
/// bytes: the fast path of every `read(from:into:)`, whose other cases (a short read at the
/// end, an empty buffer, an offset out of bounds) go out of line.
///
/// Tests `0 < byteCount <= count` first: with a constant `byteCount` and a `count` a loop
/// doesn't change, those leave the loop or fold away, and one unsigned compare of `offset`
/// with `count - byteCount` (which can't overflow once `byteCount <= count`) tests
/// `0 <= offset <= count - byteCount`. A loop of small reads on a large file is bound by the
/// cache misses in flight, and those by the loop's length in instructions.
@inlinable
@inline(__always)
internal func fillsWhole(byteCount: Int, at offset: Int, count: Int) -> Bool {
  byteCount > 0 && byteCount <= count
    && UInt(bitPattern: offset) <= UInt(bitPattern: count &- byteCount)
}

/// Whether `range` lies inside `0..<count` (an empty range may sit at `count`).
@inlinable
internal func isInside(_ range: Range<Int>, count: Int) -> Bool {
  range.lowerBound >= 0 && range.upperBound <= count
}

/// Throws the out-of-reader error unless `range` lies inside `0..<count`.
@inlinable
internal func checkInside(
  _ range: Range<Int>, count: Int, _ operation: MMapError.Operation = .read, path: String?
) throws(MMapError) {
  guard isInside(range, count: count) else {
    throw MMapError.outsideReader(operation, path: path)
  }
}
