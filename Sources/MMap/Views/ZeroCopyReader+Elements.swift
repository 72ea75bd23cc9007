extension ZeroCopyReader {
  /// Calls `body` with the bytes in `range` as elements of type `T`, without copying them:
  /// the typed form of ``withUnsafeBytes(in:_:)``, for the arrays of numbers that model
  /// weights, audio and indexes store.
  ///
  /// The view is refused, not undefined, when the bytes don't fit `T`: a file names its
  /// offsets, and an array at an offset that is not a multiple of `T`'s alignment can't be
  /// read in place. Copy such a range with ``RandomAccessReader/elements(in:as:)`` instead.
  ///
  /// ```swift
  /// let sum = try reader.withUnsafeElements(in: tensor, as: Float.self) { $0.reduce(0, +) }
  /// ```
  ///
  /// The elements hold the file's bytes in the host's order: swap them yourself for a file of
  /// the other byte order. The memory is bound to `T` only while `body` runs
  /// (`withMemoryRebound(to:_:)`), so the same bytes can be viewed as another type later.
  ///
  /// The buffer points into the mapping (or the reader's memory) and is valid only until
  /// `body` returns. Don't store it, return it, or capture it in an escaping closure; copy
  /// what you need to keep with ``RandomAccessReader/elements(in:as:)``.
  ///
  /// - Important: If another process truncates the file, touching a page past its new end
  ///   raises `SIGBUS`, except inside the library's guarded reads, which report it as an
  ///   error. Changes other processes write may be visible.
  ///
  /// - Parameters:
  ///   - range: Offsets inside `0..<count`; an empty range gives an empty buffer.
  ///   - type: The element type, such as `Float` or `UInt32`.
  ///   - body: Called once with the elements.
  /// - Returns: What `body` returns.
  /// - Throws: ``MMapError`` with `EINVAL` and ``MMapError/elementMisfit`` set if the
  ///   bytes' address is not a multiple of `MemoryLayout<T>.alignment` or `range.count` is
  ///   not a multiple of `MemoryLayout<T>.stride` (`body` is then not called), or what
  ///   ``withUnsafeBytes(in:_:)`` throws.
  @inlinable
  public func withUnsafeElements<T: BitwiseCopyable, Result>(
    in range: Range<Int>, as type: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> Result
  ) throws -> Result {
    try withUnsafeBytes(in: range) { bytes in
      let address = Int(bitPattern: bytes.baseAddress)
      // Can't overflow: an alignment is a power of two, at least 1.
      let alignmentMask = MemoryLayout<T>.alignment &- 1
      guard address & alignmentMask == 0, bytes.count % MemoryLayout<T>.stride == 0 else {
        throw elementMisfitError(range: range, address: address, as: T.self)
      }
      return try bytes.withMemoryRebound(to: T.self, body)
    }
  }

  /// Calls `body` with a span over the bytes in `range` as elements of type `T`, without
  /// copying them: the span form of ``withUnsafeElements(in:as:_:)``, whose rules apply.
  ///
  /// The span is valid only inside `body`, which the compiler enforces: it can't be stored
  /// or returned.
  ///
  /// ```swift
  /// let sum = try reader.withElements(in: tensor, as: Float.self) { floats in
  ///   var total: Float = 0
  ///   for index in floats.indices { total += floats[index] }
  ///   return total
  /// }
  /// ```
  ///
  /// - Throws: ``MMapError``, as ``withUnsafeElements(in:as:_:)`` does.
  @inlinable
  public func withElements<T: BitwiseCopyable, Result>(
    in range: Range<Int>, as type: T.Type, _ body: (Span<T>) throws -> Result
  ) throws -> Result {
    try withUnsafeElements(in: range, as: T.self) { buffer in
      try body(buffer.span)
    }
  }

  /// The error of a view whose bytes, at `address`, don't fit `T`. Kept out of line so that
  /// the view stays small.
  @usableFromInline
  internal func elementMisfitError<T>(range: Range<Int>, address: Int, as: T.Type)
    -> MMapError
  {
    let alignment = MemoryLayout<T>.alignment
    let stride = MemoryLayout<T>.stride
    let misfit = ElementMisfit(
      range: range, typeName: String(describing: T.self), alignment: alignment, stride: stride,
      misalignment: address & (alignment &- 1), trailingByteCount: range.count % stride)
    return MMapError.elementMisfit(misfit, path: path)
  }
}
