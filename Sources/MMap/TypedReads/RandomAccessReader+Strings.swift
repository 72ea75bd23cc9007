extension RandomAccessReader {
  /// Returns the bytes in `range` decoded as UTF-8: the counterpart of Go's
  /// `string(b[lo:hi])`, with the validation Go leaves to `utf8.Valid`.
  ///
  /// ```swift
  /// let name = try reader.string(in: Range(offset: nameOffset, count: nameLength))
  /// ```
  ///
  /// - Parameters:
  ///   - range: Offsets inside `0..<count`.
  ///   - invalidUTF8: Whether ill-formed bytes throw (the default) or become U+FFFD.
  /// - Returns: The string.
  /// - Throws: ``MMapError`` with `EILSEQ` if the bytes are not valid UTF-8 and
  ///   `invalidUTF8` is ``InvalidUTF8/fail``, or what ``bytes(in:)`` throws.
  public func string(in range: Range<Int>, invalidUTF8: InvalidUTF8 = .fail)
    throws(MMapError) -> String
  {
    let bytes = try bytes(in: range)
    switch invalidUTF8 {
    case .repair:
      return String(decoding: bytes, as: UTF8.self)
    case .fail:
      guard let string = String(validating: bytes, as: UTF8.self) else {
        throw MMapError(.read, path: path, errno: system_EILSEQ)
      }
      return string
    }
  }

  /// Returns the NUL-terminated UTF-8 string stored at `offset`, without its NUL: the
  /// strings of ELF string tables, tar headers and C structures.
  ///
  /// Searches at most `maxCount + 1` bytes for the NUL, so that a corrupt file without one
  /// can't make the read run through the whole file.
  ///
  /// ```swift
  /// let sectionName = try reader.cString(at: stringTable + Int(nameIndex), maxCount: 255)
  /// ```
  ///
  /// - Parameters:
  ///   - offset: The offset of the string's first byte, from `0` through ``count``.
  ///   - maxCount: The most bytes the string may hold before its NUL. Must not be negative.
  ///   - invalidUTF8: Whether ill-formed bytes throw (the default) or become U+FFFD.
  /// - Returns: The string.
  /// - Throws: ``MMapError`` with `EOVERFLOW` if none of the `maxCount + 1` bytes from
  ///   `offset` is a NUL, with `ENODATA` if the reader ends before a NUL and before that
  ///   many bytes, with `EILSEQ` for invalid UTF-8 when `invalidUTF8` is
  ///   ``InvalidUTF8/fail``, with `EINVAL` if `offset` is outside `0...count` or `maxCount`
  ///   is negative, or with `EBADF` if the reader is closed.
  public func cString(at offset: Int, maxCount: Int, invalidUTF8: InvalidUTF8 = .fail)
    throws(MMapError) -> String
  {
    try cStringAndByteCount(at: offset, end: count, maxCount: maxCount, invalidUTF8: invalidUTF8)
      .string
  }

  /// ``cString(at:maxCount:invalidUTF8:)`` for a string whose NUL must come before `end`, at
  /// most ``count``, with the bytes the string takes, its NUL included.
  internal func cStringAndByteCount(
    at offset: Int, end: Int, maxCount: Int, invalidUTF8: InvalidUTF8
  ) throws(MMapError) -> (string: String, byteCount: Int) {
    guard !isClosed else { throw MMapError.closed(path: path) }
    guard offset >= 0, offset <= end, end <= count, maxCount >= 0 else {
      throw MMapError.outsideReader(path: path)
    }
    // Can't overflow: offset <= end, and the sum is taken only when it stays below end.
    let available = end &- offset
    let searched = maxCount < available ? maxCount &+ 1 : available
    guard let end = try firstOffset(of: 0, in: offset..<(offset &+ searched)) else {
      let error = maxCount < available ? system_EOVERFLOW : system_ENODATA
      throw MMapError(.read, path: path, errno: error)
    }
    let string = try string(in: offset..<end, invalidUTF8: invalidUTF8)
    return (string, end &- offset &+ 1)  // Can't overflow: end < count.
  }
}
