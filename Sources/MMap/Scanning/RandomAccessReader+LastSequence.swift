extension RandomAccessReader {
  /// Returns the offset of the last occurrence of `bytes` in `range`, or in the whole reader:
  /// the backward form of ``firstOffset(of:in:)-(Collection<UInt8>,_)``, for the records a
  /// format puts at its end (a ZIP's end of central directory, a trailer).
  ///
  /// Scans backward from the end of the range, as ``lastOffset(of:in:)-(UInt8,_)`` does, in
  /// pieces that start at 64 KiB and double up to 16 MiB, each read chunk by chunk
  /// (``forEachChunk(in:_:)``). Each piece reads `bytes.count - 1` bytes past its end too,
  /// so a match that straddles two pieces is found, and within a piece the chunks are
  /// stitched as the forward search stitches them. A match near the end is found without
  /// reading the rest.
  ///
  /// ```swift
  /// let endRecord = try reader.lastOffset(of: [0x50, 0x4B, 0x05, 0x06])  // "PK\u{5}\u{6}"
  /// ```
  ///
  /// - Parameters:
  ///   - bytes: The byte sequence to find. An empty sequence is found at the end of the
  ///     range.
  ///   - range: The reader offsets to look at, inside `0..<count`; `nil` for all of them. A
  ///     match lies wholly inside it.
  /// - Returns: The reader offset of the first byte of the last match, or `nil` if there is
  ///   none.
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with `EBADF`
  ///   if the reader is closed, with `ENODATA` if the file was truncated under the reader, or
  ///   what the system reported.
  public func lastOffset(of bytes: some Collection<UInt8>, in range: Range<Int>? = nil)
    throws(MMapError) -> Int?
  {
    let range = range ?? 0..<count
    guard bytes.count > 1 else {
      if let byte = bytes.first { return try lastOffset(of: byte, in: range) }
      try checkScannable(range)
      return range.upperBound
    }
    try checkScannable(range)
    guard bytes.count <= range.count else { return nil }
    let needle = allocatedNeedle(bytes)
    defer { needle.deallocate() }
    let overlap = needle.count &- 1  // Can't overflow: needle.count > 1.
    var end = range.upperBound
    var pieceSize = 64 << 10
    while end > range.lowerBound {
      // The matches that start in lowerBound..<end; none starts at or after end, since the
      // pieces after this one had none. Can't overflow: offsets inside the reader, and
      // pieceSize is at most 16 MiB.
      let start = max(range.lowerBound, end &- pieceSize)
      let piece = start..<min(range.upperBound, end &+ overlap)
      if let found = try lastOffset(of: UnsafeRawBufferPointer(needle), inPiece: piece) {
        return found
      }
      end = start
      pieceSize = min(pieceSize &* 2, 16 << 20)  // Can't overflow: at most 32 MiB.
    }
    return nil
  }

  /// The last match of `needle`, at least 2 bytes, wholly inside `piece`: every chunk
  /// searched forward, with the carry of the forward search for matches across chunk edges.
  private func lastOffset(of needle: UnsafeRawBufferPointer, inPiece piece: Range<Int>)
    throws(MMapError) -> Int?
  {
    let overlap = needle.count &- 1  // Can't overflow: needle.count > 1.
    var carry: [UInt8] = []
    var carryStart = piece.lowerBound
    var stitched: [UInt8] = []
    carry.reserveCapacity(overlap &* 2)  // Can't overflow: a buffer's count, doubled.
    stitched.reserveCapacity(overlap &* 2)
    var found: Int?
    try forEachChunkOfReader(in: piece) { offset, chunk in
      if !carry.isEmpty {
        // Matches that start in the carry and end in this chunk's first `overlap` bytes
        // precede every match inside the chunk.
        stitched.removeAll(keepingCapacity: true)
        stitched += carry
        stitched += chunk[..<min(chunk.count, overlap)]
        let index = stitched.withUnsafeBytes { lastIndex(of: needle, in: $0, below: carry.count) }
        if let index {
          found = max(found ?? 0, carryStart &+ index)  // Can't overflow: a reader offset.
        }
      }
      if let index = lastIndex(of: needle, in: chunk, below: chunk.count) {
        found = max(found ?? 0, offset &+ index)  // Can't overflow: a reader offset.
      }
      // Can't overflow: offsets and counts of bytes inside the reader.
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

  /// The index of the last match of `needle` in `haystack` that starts below `limit`: the
  /// forward kernel run from just past each match found.
  private func lastIndex(
    of needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer, below limit: Int
  ) -> Int? {
    var last: Int?
    var from = 0
    while from < limit {
      let rest = UnsafeRawBufferPointer(rebasing: haystack[from...])
      guard let index = ScanKernels.firstIndex(of: needle, in: rest) else { break }
      let match = from &+ index  // Can't overflow: an index into haystack.
      guard match < limit else { break }
      last = match
      from = match &+ 1
    }
    return last
  }
}
