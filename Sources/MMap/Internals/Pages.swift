// Whole pages of a mapping: the granularity of locking and of residency.

/// `range`, offsets from a page-aligned address, widened to whole pages: its lower bound
/// aligned down and its upper bound aligned up to a multiple of ``system_pageSize``. An
/// empty range stays empty.
internal func widenedToPages(_ range: Range<Int>) -> Range<Int> {
  guard !range.isEmpty else { return range }
  let page = system_pageSize
  // Can't overflow: the range lies in a mapping, whose pages lie in the address space.
  let upper = (range.upperBound &+ page &- 1) / page &* page
  return range.lowerBound / page &* page..<upper
}

/// The most pages one `mincore` call of a residency query covers (16 MiB of 4 KiB pages), so
/// that its vector stays small whatever the range.
private let residencyChunkPages = 4096

/// Which pages of `range` (offsets from `start`, a page-aligned address in one mapping) are
/// resident now, with `mincore`, which faults none in. Counts the pages `range` touches and
/// the bytes of `range` in the resident ones.
///
/// - Throws: ``MMapError`` with ``MMapError/Operation/residency`` and what `mincore`
///   reported.
internal func pageResidency(
  at start: UnsafeRawPointer, of range: Range<Int>, path: String?
) throws(MMapError) -> Residency {
  guard !range.isEmpty else { return .empty }
  let page = system_pageSize
  let pages = widenedToPages(range)
  let firstPage = pages.lowerBound / page
  let endPage = pages.upperBound / page
  // Can't overflow: endPage > firstPage, both page numbers within one mapping.
  let vector = UnsafeMutablePointer<UInt8>.allocate(
    capacity: min(residencyChunkPages, endPage &- firstPage))
  defer { vector.deallocate() }
  var residentPages = 0
  var residentBytes = 0
  var chunkStart = firstPage
  while chunkStart < endPage {
    let chunkPages = min(residencyChunkPages, endPage &- chunkStart)  // Can't overflow.
    // Can't overflow: page numbers times the page size are offsets within the mapping.
    let result = system_mincore(start + chunkStart &* page, count: chunkPages &* page, vector)
    if result == -1 { throw MMapError(.residency, path: path, errno: system_errno) }
    for index in 0..<chunkPages where vector[index] & 1 != 0 {
      // None overflows: offsets and counts within the mapping.
      let pageStart = (chunkStart &+ index) &* page
      let bytes =
        min(pageStart &+ page, range.upperBound) &- max(pageStart, range.lowerBound)
      residentPages &+= 1
      residentBytes &+= bytes
    }
    chunkStart &+= chunkPages
  }
  return Residency(
    pageCount: endPage &- firstPage, residentPageCount: residentPages, byteCount: range.count,
    residentByteCount: residentBytes)
}
