/// Where the windows of an ``MMapWindowReader`` lie, in reader offsets and in file offsets.
///
/// Windows are laid out from the reader's first byte aligned down to a page: window `k`
/// covers the file offsets `alignedStart + k * windowSize ..< alignedStart + (k + 1) *
/// windowSize`, clipped to the reader's range. Every window but the first therefore starts
/// at a page-aligned file offset, and the first hides the slack below the reader's first
/// byte (``FileMapping`` does that), so each window maps exactly `windowSize` bytes of
/// address space or fewer.
internal struct WindowGeometry {
  /// The file offset of the reader's byte 0.
  let start: Int
  /// The number of bytes the reader exposes.
  let count: Int
  /// `start` minus `start` aligned down to the page size.
  let slack: Int
  /// The size of a window, a positive multiple of the page size.
  let windowSize: Int

  init(start: Int, count: Int, windowSize: Int) {
    self.start = start
    self.count = count
    self.slack = start % system_pageSize
    self.windowSize = windowSize
  }

  /// The file offset of reader offset `offset` (in `0...count`): the one place reader
  /// offsets become file offsets.
  func fileOffset(of offset: Int) -> Int {
    start &+ offset  // Can't overflow: start + count is the end of a range inside the file.
  }

  /// The number of the window holding reader offset `offset` (in `0..<count`).
  func window(containing offset: Int) -> Int {
    // Can't overflow: slack + offset <= start + offset < start + count <= the file's size.
    (slack &+ offset) / windowSize
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
