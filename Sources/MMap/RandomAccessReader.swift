/// A file read at any offset, the Swift counterpart of Go's `io.ReaderAt` plus `Len`.
///
/// Every reader of this library conforms: ``MMapReader`` (one mapping of the whole file) and
/// ``PReadReader`` (one `pread(2)` per read). They share the end-of-file rule, written once
/// in ``readableByteCount(offset:capacity:count:)``, and the conveniences in the extension.
public protocol RandomAccessReader: AnyObject, Sendable {
  /// The number of bytes the reader exposes.
  var count: Int { get }

  /// Whether ``close()`` has been called.
  var isClosed: Bool { get }

  /// The path the reader was opened with, or `nil` if it was made from a file descriptor.
  var path: String? { get }

  /// Copies bytes starting at `offset` into `buffer`.
  ///
  /// - Parameters:
  ///   - offset: The offset of the first byte to copy, from `0` through ``count``.
  ///   - buffer: The memory to copy into. Its count is the most bytes copied.
  /// - Returns: The number of bytes copied: fewer than `buffer.count` only when the file
  ///   ends first, and `0` when `offset == count` or `buffer` is empty.
  /// - Throws: ``MMapError`` with `EINVAL` if `offset` is negative or greater than ``count``,
  ///   with `EBADF` if the reader is closed, or what the system reported.
  func read(from offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(MMapError)
    -> Int

  /// Returns the byte at `offset`.
  ///
  /// - Throws: ``MMapError`` with `EINVAL` if `offset` is outside `0..<count`, with `EBADF`
  ///   if the reader is closed, or what the system reported.
  func byte(at offset: Int) throws(MMapError) -> UInt8

  /// Releases what the reader holds. Calling it again does nothing.
  func close() throws(MMapError)
}

/// The end-of-file rule of every reader: how many bytes a read of up to `capacity` bytes at
/// `offset` delivers from a file of `count` bytes, or `nil` if `offset` is out of bounds.
///
/// Can't overflow for any arguments: it never adds `offset` to anything.
@inlinable
internal func readableByteCount(offset: Int, capacity: Int, count: Int) -> Int? {
  guard offset >= 0, offset <= count else { return nil }
  return min(capacity, count &- offset)  // Can't overflow: 0 <= offset <= count.
}

extension RandomAccessReader {
  /// Copies bytes starting at `offset` into the start of `bytes`, up to its count.
  ///
  /// - Returns: The number of bytes copied, with the same end-of-file rule as
  ///   ``read(from:into:)-(_,UnsafeMutableRawBufferPointer)``.
  /// - Throws: ``MMapError``, as the buffer form does.
  @inlinable
  public func read(from offset: Int, into bytes: inout [UInt8]) throws(MMapError) -> Int {
    // Array's closure methods rethrow untyped errors; carry ours out in a Result.
    let result = bytes.withUnsafeMutableBytes { buffer in
      Result { () throws(MMapError) in try read(from: offset, into: buffer) }
    }
    return try result.get()
  }

  /// Fills `buffer` with the bytes starting at `offset`, or throws.
  ///
  /// - Throws: ``MMapError`` with `ENODATA` if the file ends before `buffer` is full (the
  ///   buffer then holds the bytes that were there), or what ``read(from:into:)`` throws.
  @inlinable
  public func readExactly(from offset: Int, into buffer: UnsafeMutableRawBufferPointer)
    throws(MMapError)
  {
    var filled = 0
    while filled < buffer.count {
      // Can't overflow: filled < buffer.count, and a read never passes the end of the file.
      let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])
      let copied = try read(from: offset &+ filled, into: rest)
      guard copied > 0 else { throw endOfFileError() }
      filled &+= copied
    }
  }

  /// Returns a copy of the bytes in `range`.
  ///
  /// - Throws: ``MMapError`` with `EINVAL` if `range.lowerBound` is negative or past the end,
  ///   with `ENODATA` if the file ends before `range.upperBound`, or what ``read(from:into:)``
  ///   throws.
  @inlinable
  public func bytes(in range: Range<Int>) throws(MMapError) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: range.count)
    let result = bytes.withUnsafeMutableBytes { buffer in
      Result { () throws(MMapError) in try readExactly(from: range.lowerBound, into: buffer) }
    }
    try result.get()
    return bytes
  }

  @usableFromInline
  internal func endOfFileError() -> MMapError {
    MMapError(.read, path: path, errno: system_ENODATA)
  }
}
