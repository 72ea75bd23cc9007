/// How much of a range of a file is in memory now: the answer of `residency(in:)` on
/// ``MMapReader`` and ``MMapWindowReader``.
///
/// A page is resident when reading it would need no disk access: it is in the page cache,
/// whether or not this process has touched it. The figures are a snapshot, taken with
/// `mincore(2)` without faulting any page in; pages that aren't locked can come and go at any
/// moment after.
///
/// The range is counted in whole pages of the file: a range that starts or ends inside a page
/// counts that page, and ``residentByteCount`` counts only the range's own bytes of each
/// resident page.
///
/// ## Topics
///
/// ### Pages and bytes
/// - ``pageCount``
/// - ``residentPageCount``
/// - ``byteCount``
/// - ``residentByteCount``
///
/// ### Summaries
/// - ``residentFraction``
/// - ``isFullyResident``
///
/// ### Creating a residency
/// - ``init(pageCount:residentPageCount:byteCount:residentByteCount:)``
/// - ``empty``
public struct Residency: Hashable, Sendable, CustomStringConvertible {
  /// The number of file pages the range touches; `0` for an empty range.
  public let pageCount: Int
  /// How many of those pages are resident now.
  public let residentPageCount: Int
  /// The number of bytes in the range.
  public let byteCount: Int
  /// How many of the range's bytes lie in resident pages.
  public let residentByteCount: Int

  /// Creates a residency from its counts.
  ///
  /// - Parameters:
  ///   - pageCount: The number of file pages the range touches.
  ///   - residentPageCount: How many of them are resident, at most `pageCount`.
  ///   - byteCount: The number of bytes in the range.
  ///   - residentByteCount: How many of them lie in resident pages, at most `byteCount`.
  public init(pageCount: Int, residentPageCount: Int, byteCount: Int, residentByteCount: Int) {
    self.pageCount = pageCount
    self.residentPageCount = residentPageCount
    self.byteCount = byteCount
    self.residentByteCount = residentByteCount
  }

  /// The residency of an empty range: no pages, no bytes.
  public static let empty = Residency(
    pageCount: 0, residentPageCount: 0, byteCount: 0, residentByteCount: 0)

  /// The share of the range's bytes that lie in resident pages, from `0` to `1`; `1` for an
  /// empty range, which needs nothing read.
  public var residentFraction: Double {
    byteCount == 0 ? 1 : Double(residentByteCount) / Double(byteCount)
  }

  /// Whether every page of the range is resident, so that reading it needs no disk access.
  public var isFullyResident: Bool { residentPageCount == pageCount }

  /// The counts, such as `262144 of 262144 pages resident (100.0%), 1073741824 of
  /// 1073741824 bytes`. The percentage is rounded down, so that it reads 100.0% only when
  /// every byte is resident.
  public var description: String {
    let tenths = Int((residentFraction * 1000).rounded(.down))
    return "\(residentPageCount) of \(pageCount) pages resident (\(tenths / 10).\(tenths % 10)%),"
      + " \(residentByteCount) of \(byteCount) bytes"
  }

  /// The residency of two disjoint ranges together.
  internal static func + (left: Residency, right: Residency) -> Residency {
    // Can't overflow: each count is at most the reader's count or its number of pages.
    Residency(
      pageCount: left.pageCount &+ right.pageCount,
      residentPageCount: left.residentPageCount &+ right.residentPageCount,
      byteCount: left.byteCount &+ right.byteCount,
      residentByteCount: left.residentByteCount &+ right.residentByteCount)
  }
}
