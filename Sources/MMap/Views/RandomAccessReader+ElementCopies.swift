extension RandomAccessReader {
  /// Returns a copy of the bytes in `range` as elements of type `T`, in memory aligned for
  /// `T`: the explicit copy for a range that ``ZeroCopyReader/withUnsafeElements(in:as:_:)``
  /// refuses because its offset is misaligned, and the way to read elements from any reader.
  ///
  /// The elements hold the file's bytes in the host's order. The array's memory is checked
  /// as ``bytes(in:)`` checks it: from 1 MiB on, `range.count` bytes allocated with `malloc`
  /// and freed first, `ENOMEM` if that fails.
  ///
  /// - Parameters:
  ///   - range: Offsets inside `0..<count`, a whole number of `MemoryLayout<T>.stride`.
  ///   - type: The element type, such as `Float` or `UInt32`.
  /// - Returns: `range.count / MemoryLayout<T>.stride` elements.
  /// - Throws: ``MMapError`` with `EINVAL` and ``MMapError/elementMisfit`` set if
  ///   `range.count` is not a multiple of the stride, or what ``bytes(in:)`` throws.
  public func elements<T: BitwiseCopyable>(in range: Range<Int>, as type: T.Type)
    throws(MMapError) -> [T]
  {
    let stride = MemoryLayout<T>.stride
    guard range.count % stride == 0 else {
      let misfit = ElementMisfit(
        range: range, typeName: String(describing: T.self),
        alignment: MemoryLayout<T>.alignment, stride: stride, misalignment: 0,
        trailingByteCount: range.count % stride)
      throw MMapError.elementMisfit(misfit, path: path)
    }
    guard !isClosed else { throw MMapError.closed(path: path) }
    guard range.lowerBound >= 0, range.lowerBound <= count else {
      throw MMapError.outsideReader(path: path)
    }
    guard range.upperBound <= count else { throw MMapError.endOfFile(path: path) }
    try checkAllocatable(byteCount: range.count, path: path)
    var failure: MMapError?
    let elements = [T](unsafeUninitializedCapacity: range.count / stride) {
      buffer, initializedCount in
      do throws(MMapError) {
        // Raw bytes written into T's memory initialize it: T is bitwise copyable.
        try readExactly(from: range.lowerBound, into: UnsafeMutableRawBufferPointer(buffer))
        initializedCount = buffer.count
      } catch {
        failure = error
        initializedCount = 0
      }
    }
    if let failure { throw failure }
    return elements
  }

  /// Fills `buffer` with the elements stored from `offset` on, copied into its memory, which
  /// is aligned for `T`: the form of ``elements(in:as:)`` for memory you allocated.
  ///
  /// - Parameters:
  ///   - offset: The offset of the first element's first byte, from `0` through ``count``.
  ///   - buffer: The elements to fill, `buffer.count * MemoryLayout<T>.stride` bytes.
  /// - Throws: ``MMapError``, as
  ///   ``readExactly(from:into:)-(_,UnsafeMutableRawBufferPointer)`` does.
  public func readExactly<T: BitwiseCopyable>(
    from offset: Int, into buffer: UnsafeMutableBufferPointer<T>
  ) throws(MMapError) {
    try readExactly(from: offset, into: UnsafeMutableRawBufferPointer(buffer))
  }
}
