/// How the program will access a reader's bytes, so the kernel can read ahead or drop pages
/// accordingly. Give it with `advise(_:in:)` on ``MMapReader`` or ``MMapWindowReader``.
///
/// Advice is a hint: it never changes what reads return. Every value exists on every
/// platform; advice a platform lacks is rejected with `EINVAL`, as a kernel rejects advice it
/// doesn't know.
///
/// A struct with a static member per kind of advice, rather than an enum, so that advice the
/// kernel adds later can be added here without breaking a client's exhaustive `switch`.
///
/// ## Topics
///
/// ### Access patterns
/// - ``normal``
/// - ``sequential``
/// - ``random``
///
/// ### Paging in and out
/// - ``willNeed``
/// - ``populateRead``
/// - ``dontNeed``
/// - ``cold``
/// - ``pageOut``
///
/// ### Huge pages
/// - ``hugePage``
public struct Advice: Hashable, Sendable, CaseIterable, CustomStringConvertible {
  /// The kinds of advice, one per static member.
  internal enum Kind: Hashable, Sendable, CaseIterable {
    case normal, sequential, random, willNeed, dontNeed, cold, pageOut, hugePage, populateRead
  }

  internal let kind: Kind

  private init(_ kind: Kind) { self.kind = kind }

  /// Every kind of advice.
  public static var allCases: [Advice] { Kind.allCases.map(Advice.init) }

  /// The member's name, such as `sequential`.
  public var description: String { String(describing: kind) }

  /// No particular pattern; the default. The corresponding C constant is `MADV_NORMAL`.
  public static let normal = Advice(.normal)
  /// From lower offsets to higher ones: read ahead aggressively and drop pages once read.
  /// The corresponding C constant is `MADV_SEQUENTIAL`.
  public static let sequential = Advice(.sequential)
  /// Scattered offsets: don't read ahead. The corresponding C constant is `MADV_RANDOM`.
  public static let random = Advice(.random)
  /// The range is needed soon: start reading it in now. The corresponding C constant is
  /// `MADV_WILLNEED`.
  public static let willNeed = Advice(.willNeed)
  /// The range isn't needed for now: this process stops mapping its pages.
  ///
  /// On Linux the pages leave this process's memory at once (its resident set, `Rss` in
  /// `/proc/self/smaps`, shrinks), but not the page cache: the file's pages stay in memory,
  /// shared with every other reader, and ``Residency`` still counts them. The next touch maps
  /// them again, and reads the file as it is then. To let the kernel reclaim the memory
  /// after a one-pass scan, use ``cold`` (reclaim these pages first when memory runs short)
  /// or ``pageOut`` (reclaim them now). On Darwin the pages only move to the inactive queue.
  /// The corresponding C constant is `MADV_DONTNEED`.
  public static let dontNeed = Advice(.dontNeed)
  /// The range won't be needed soon: its pages become the first the kernel reclaims when
  /// memory runs short, and stay readable until then (Linux 5.4 and later; `EINVAL`
  /// elsewhere). Costs nothing now; the right advice after a scan when memory is not
  /// short. The corresponding C constant is `MADV_COLD`.
  public static let cold = Advice(.cold)
  /// Reclaim the range's pages now: drop them from this process and, where no other
  /// process maps them, from the page cache, writing back any that are dirty (Linux 5.4 and
  /// later; `EINVAL` elsewhere). The next read fetches them from the disk. The
  /// corresponding C constant is `MADV_PAGEOUT`.
  public static let pageOut = Advice(.pageOut)
  /// Back the range with huge pages where the file system supports it (Linux only). The
  /// corresponding C constant is `MADV_HUGEPAGE`.
  public static let hugePage = Advice(.hugePage)
  /// Fault every page of the range in now, reading it from the file (Linux 5.14 and later).
  /// The corresponding C constant is `MADV_POPULATE_READ`.
  public static let populateRead = Advice(.populateRead)

  /// The `madvise` value, or `nil` where the platform has no such advice.
  internal var systemValue: CInt? {
    switch kind {
    case .normal: system_MADV_NORMAL
    case .sequential: system_MADV_SEQUENTIAL
    case .random: system_MADV_RANDOM
    case .willNeed: system_MADV_WILLNEED
    case .dontNeed: system_MADV_DONTNEED
    case .cold: system_MADV_COLD
    case .pageOut: system_MADV_PAGEOUT
    case .hugePage: system_MADV_HUGEPAGE
    case .populateRead: system_MADV_POPULATE_READ
    }
  }

  /// The `madvise` value, or the error a kernel gives for advice it doesn't know.
  internal func systemValue(path: String?) throws(MMapError) -> CInt {
    guard let value = systemValue else {
      throw MMapError(.advise, path: path, errno: system_EINVAL)
    }
    return value
  }
}

extension MMapReader {
  /// The access-pattern hints, now ``MMap/Advice`` at top level, shared by every mapped
  /// reader.
  @available(*, deprecated, renamed: "Advice")
  public typealias Advice = MMap.Advice
}
