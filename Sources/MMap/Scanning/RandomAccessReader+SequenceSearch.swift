extension RandomAccessReader {
  /// Returns the offset of the first occurrence of `bytes` in `range`, or in the whole reader.
  ///
  /// Scans forward chunk by chunk (``forEachChunk(in:_:)``) and stops at the first match. A
  /// match that straddles two chunks (two windows of ``MMapWindowReader``, two copies of
  /// ``PReadReader``) is found too: the last `bytes.count - 1` bytes of each chunk are carried
  /// over and searched together with the start of the next one.
  ///
  /// Candidates are the positions where the first and the last byte of `bytes` both match;
  /// each is then compared in full. The time is proportional to the range's length for all
  /// but contrived inputs, and at worst to that length times `bytes.count`.
  ///
  /// ```swift
  /// let bodyStart = try reader.firstOffset(of: Array("\r\n\r\n".utf8)).map { $0 + 4 }
  /// ```
  ///
  /// - Parameters:
  ///   - bytes: The byte sequence to find. An empty sequence is found at the start of the
  ///     range.
  ///   - range: The reader offsets to look at, inside `0..<count`; `nil` for all of them. A
  ///     match lies wholly inside it.
  /// - Returns: The reader offset of the first byte of the first match, or `nil` if there is
  ///   none.
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with `EBADF`
  ///   if the reader is closed, with `ENODATA` if the file was truncated under the reader, or
  ///   what the system reported.
  public func firstOffset(of bytes: some Collection<UInt8>, in range: Range<Int>? = nil)
    throws(MMapError) -> Int?
  {
    let range = range ?? 0..<count
    guard bytes.count > 1 else {
      if let byte = bytes.first { return try firstOffset(of: byte, in: range) }
      try checkScannable(range)
      return range.lowerBound
    }
    let needle = allocatedNeedle(bytes)
    defer { needle.deallocate() }
    return try firstOffset(of: UnsafeRawBufferPointer(needle), in: range)
  }

  /// The sequence search itself, for a needle of at least 2 bytes and a range given.
  private func firstOffset(of needle: UnsafeRawBufferPointer, in range: Range<Int>)
    throws(MMapError) -> Int?
  {
    // The carry holds the bytes of the range just before the current chunk, at most
    // `needle.count - 1` of them, from the reader offset `carryStart`: where a match may
    // start that the chunks seen so far could not complete.
    let overlap = needle.count &- 1  // Can't overflow: needle.count > 1.
    var carry: [UInt8] = []
    var carryStart = range.lowerBound
    var stitched: [UInt8] = []
    var found: Int?
    try forEachChunkOfReader(in: range) { offset, chunk in
      if !carry.isEmpty {
        // A match that starts in the carry ends in this chunk or later. One found in the
        // carry and this chunk's first `overlap` bytes precedes every match inside the
        // chunk; one that also runs past this chunk starts within its last `overlap` bytes,
        // so it stays in the carry for the next chunk.
        stitched.removeAll(keepingCapacity: true)
        stitched += carry
        stitched += chunk[..<min(chunk.count, overlap)]
        let index = stitched.withUnsafeBytes { ScanKernels.firstIndex(of: needle, in: $0) }
        if let index, index < carry.count {
          found = carryStart &+ index  // Can't overflow: a reader offset.
          return .stop
        }
      }
      if let index = ScanKernels.firstIndex(of: needle, in: chunk) {
        found = offset &+ index  // Can't overflow: a reader offset.
        return .stop
      }
      // Can't overflow: offsets and counts of bytes inside the reader.
      // The last chunk needs no carry: a single-chunk reader allocates none.
      if offset &+ chunk.count == range.upperBound { return .proceed }
      if chunk.count >= overlap {
        carry.removeAll(keepingCapacity: true)
        carry += chunk[(chunk.count &- overlap)...]
      } else {
        carry += chunk
        if carry.count > overlap { carry.removeFirst(carry.count &- overlap) }
      }
      carryStart = offset &+ chunk.count &- carry.count
      return .proceed
    }
    return found
  }
}
