/// Cuts the chunks of a range into lines, one line per ``next()``: the loop that every line
/// helper shares, written once and inlined into each, so that the caller's closure is called
/// straight from the loop.
///
/// It finds all the line feeds of a block at once: the vector kernel stores their offsets in
/// a buffer, and ``next()`` walks that buffer, with no search call per line. A line that
/// straddles chunks is carried over as its start offset. The cutter owns the buffer,
/// allocated once per scan; call ``deallocate()`` when the scan ends.
@usableFromInline
internal struct LineCutter {
  /// The most bytes one kernel call takes. Small enough that a block's offsets stay in the
  /// processor's first-level cache, large enough that the call's cost is spread over a few
  /// hundred lines of text.
  @usableFromInline
  static let blockSize = 16 << 10

  /// The range being cut.
  @usableFromInline
  let range: Range<Int>

  /// Whether a carriage return right before a line feed is left out of the line.
  @usableFromInline
  let omitsCarriageReturn: Bool

  /// The offsets of the line feeds of the current block, from the block's first byte.
  /// Allocated by the initializer; valid until ``deallocate()``.
  @usableFromInline
  let offsets: UnsafeMutablePointer<UInt32>

  /// The reader offset where the next line starts.
  @usableFromInline
  var lineStart: Int

  /// The last byte of the previous chunk (`0` before the first).
  @usableFromInline
  var byteBeforeChunk: UInt8 = 0

  /// The reader offset of the current chunk.
  @usableFromInline
  private(set) var chunkOffset = 0

  /// The current chunk, valid until the visitor of ``RandomAccessReader/forEachChunk(in:_:)``
  /// that lent it returns.
  @usableFromInline
  private(set) var chunk = UnsafeRawBufferPointer(start: nil, count: 0)

  /// The bounds of the current block in the chunk.
  @usableFromInline
  var blockStart = 0
  @usableFromInline
  var blockEnd = 0

  /// How many offsets the current block has, and how many ``next()`` has used.
  @usableFromInline
  var found = 0
  @usableFromInline
  var used = 0

  /// Prepares to cut `range`, allocating room for the offsets of one block.
  @inlinable
  init(cutting range: Range<Int>, options: LineOptions) {
    self.range = range
    omitsCarriageReturn = options.contains(.omittingCarriageReturn)
    lineStart = range.lowerBound
    // A range with a negative bound is rejected by the scan before any block is cut (and
    // its count may not fit an Int). Can't overflow: at most blockSize plus a few entries.
    let blockCapacity = range.lowerBound >= 0 ? min(range.count, Self.blockSize) : 0
    offsets = .allocate(capacity: blockCapacity &+ ScanKernels.offsetsSlack)
  }

  /// Frees the offsets buffer.
  @inlinable
  func deallocate() {
    offsets.deallocate()
  }

  /// Makes `chunk`, at reader offset `offset`, the chunk that ``next()`` cuts. Chunks come in
  /// order and cover the range exactly.
  @inlinable
  mutating func start(_ chunk: UnsafeRawBufferPointer, at offset: Int) {
    self.chunk = chunk
    chunkOffset = offset
    blockStart = 0
    blockEnd = 0
    found = 0
    used = 0
  }

  /// Returns the reader offsets of the next line that ends in the current chunk, or `nil`
  /// when there is none left; then call ``start(_:at:)`` with the next chunk.
  ///
  /// The line starts before the chunk when it straddles chunks, and with
  /// ``LineOptions/omittingCarriageReturn`` it may then also end before it.
  @inlinable @inline(__always)
  mutating func next() -> Range<Int>? {
    while used == found {
      guard blockEnd < chunk.count else { return endOfChunk() }
      blockStart = blockEnd
      // Can't overflow: an offset inside a chunk plus a block size.
      blockEnd = min(blockStart &+ Self.blockSize, chunk.count)
      found = Self.findLineFeeds(
        in: UnsafeRawBufferPointer(rebasing: chunk[blockStart..<blockEnd]), into: offsets)
      used = 0
    }
    // Can't overflow: offsets inside the chunk and the reader.
    let feed = blockStart &+ Int(truncatingIfNeeded: offsets[used])
    used &+= 1
    let start = lineStart
    var end = chunkOffset &+ feed
    lineStart = end &+ 1
    if omitsCarriageReturn && end > start {
      let before = feed > 0 ? chunk[feed &- 1] : byteBeforeChunk
      if before == 0x0D { end &-= 1 }
    }
    // start <= end: a line starts after the previous line feed and ends at the next one (one
    // byte before it only if that leaves it non-empty).
    return Range(uncheckedBounds: (start, end))
  }

  /// The end of the current chunk: the last line of the range if this is its last chunk and
  /// the line has no line feed, else `nil`.
  @inlinable
  mutating func endOfChunk() -> Range<Int>? {
    // Can't overflow: the chunk lies inside the reader.
    if chunkOffset &+ chunk.count == range.upperBound && lineStart < range.upperBound {
      defer { lineStart = range.upperBound }
      return lineStart..<range.upperBound
    }
    if !chunk.isEmpty { byteBeforeChunk = chunk[chunk.count &- 1] }
    return nil
  }

  /// Stores the offsets of the line feeds of `block` (at most ``blockSize`` bytes) in
  /// `offsets` and returns how many there are.
  @usableFromInline
  static func findLineFeeds(
    in block: UnsafeRawBufferPointer, into offsets: UnsafeMutablePointer<UInt32>
  ) -> Int {
    ScanKernels.lineFeedOffsets(in: block, into: offsets)
  }
}
