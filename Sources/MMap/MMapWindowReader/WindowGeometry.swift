/// Where the windows of an ``MMapWindowReader`` lie, in reader offsets and in file offsets.
///
/// Windows are laid out from the reader's first byte aligned down to a page: window `k`
/// covers the file offsets `alignedStart + k * windowSize ..< alignedStart + (k + 1) *
/// windowSize`, clipped to the reader's range. Every window but the first therefore starts
/// at a page-aligned file offset, and the first hides the slack below the reader's first
/// byte, so each window maps exactly `windowSize` bytes of address space or fewer, starting
/// at the page that holds its first byte.
@usableFromInline
internal struct WindowGeometry: Sendable {
  /// The file offset of the reader's byte 0.
  @usableFromInline let start: Int
  /// The number of bytes the reader exposes.
  @usableFromInline let count: Int
  /// `start` minus `start` aligned down to the page size.
  @usableFromInline let slack: Int
  /// The size of a window, a positive multiple of the page size.
  @usableFromInline let windowSize: Int
  /// `log2(windowSize)` if the size is a power of two, else `-1`: a shift is much cheaper
  /// than a division on the path of every read.
  @usableFromInline let windowShift: Int

  init(start: Int, count: Int, windowSize: Int) {
    self.start = start
    self.count = count
    self.slack = start % system_pageSize
    self.windowSize = windowSize
    let isPowerOfTwo = windowSize & (windowSize &- 1) == 0
    self.windowShift = isPowerOfTwo ? windowSize.trailingZeroBitCount : -1
  }

  /// The number of windows: at least one, even for an empty reader.
  var windowCount: Int {
    // Can't overflow: slack + count is within the file, and windowSize <= Int.max / 2.
    max(1, (slack &+ count &+ windowSize &- 1) / windowSize)
  }

  /// The size of the address space one window needs: `windowSize`, or less for a reader
  /// that fits in one window (rounded up to whole pages).
  var slotSize: Int {
    let span = slack &+ count  // Can't overflow: within the file.
    let pages = (span &+ system_pageSize &- 1) / system_pageSize &* system_pageSize
    return min(windowSize, max(pages, system_pageSize))
  }

  /// Where window `index` lies in the file: the page-aligned file offset its mapping starts
  /// at, and how many bytes it maps (its slack below the reader's first byte included).
  func mapping(ofWindow index: Int) -> (fileOffset: Int, count: Int) {
    // Can't overflow: index * windowSize <= slack + count - 1, which is within the file.
    let firstByte = index &* windowSize
    let bounds = self.bounds(ofWindow: index)
    // Can't overflow: the window's reader offsets lie inside the file.
    return (start &- slack &+ firstByte, slack &+ bounds.upperBound &- firstByte)
  }

  /// Where reader offset `offset` lies in the window that holds it.
  @inlinable
  func offsetInWindow(of offset: Int) -> Int {
    let position = slack &+ offset  // Can't overflow: within the file.
    return windowShift >= 0 ? position & (windowSize &- 1) : position % windowSize
  }

  /// The file offset of reader offset `offset` (in `0...count`): the one place reader
  /// offsets become file offsets.
  func fileOffset(of offset: Int) -> Int {
    start &+ offset  // Can't overflow: start + count is the end of a range inside the file.
  }

  /// The number of the window holding reader offset `offset` (in `0..<count`).
  @inlinable
  func window(containing offset: Int) -> Int {
    // Can't overflow: slack + offset <= start + offset < start + count <= the file's size.
    let position = slack &+ offset
    return windowShift >= 0 ? position &>> windowShift : position / windowSize
  }

  /// The reader offsets window `index` covers: a non-empty range inside `0..<count`.
  func bounds(ofWindow index: Int) -> Range<Int> {
    // Can't overflow: index * windowSize <= slack + count - 1, which is within the file.
    let edge = index &* windowSize &- slack
    let lower = max(0, edge)
    // Can't overflow: edge >= -slack, so count - edge <= count + slack; and the addition
    // runs only when edge + windowSize < count.
    let upper = count &- edge <= windowSize ? count : edge &+ windowSize
    return lower..<upper
  }
}
