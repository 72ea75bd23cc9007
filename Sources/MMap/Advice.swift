/// How the program will access a reader's bytes, so the kernel can read ahead or drop pages
/// accordingly. Give it with `advise(_:in:)` on ``MMapReader`` or ``MMapWindowReader``.
///
/// Advice is a hint: it never changes what reads return. Every case exists on every platform;
/// advice a platform lacks is rejected with `EINVAL`, as a kernel rejects advice it doesn't
/// know.
public enum Advice: Sendable, CaseIterable {
  /// No particular pattern; the default. The corresponding C constant is `MADV_NORMAL`.
  case normal
  /// From lower offsets to higher ones: read ahead aggressively and drop pages once read.
  /// The corresponding C constant is `MADV_SEQUENTIAL`.
  case sequential
  /// Scattered offsets: don't read ahead. The corresponding C constant is `MADV_RANDOM`.
  case random
  /// The range is needed soon: start reading it in now. The corresponding C constant is
  /// `MADV_WILLNEED`.
  case willNeed
  /// The range isn't needed for now: the kernel may drop its pages (later reads fetch them
  /// from the file again). The corresponding C constant is `MADV_DONTNEED`.
  case dontNeed
  /// Back the range with huge pages where the file system supports it (Linux only). The
  /// corresponding C constant is `MADV_HUGEPAGE`.
  case hugePage
  /// Fault every page of the range in now, reading it from the file (Linux 5.14 and later).
  /// The corresponding C constant is `MADV_POPULATE_READ`.
  case populateRead

  /// The `madvise` value, or `nil` where the platform has no such advice.
  internal var systemValue: CInt? {
    switch self {
    case .normal: system_MADV_NORMAL
    case .sequential: system_MADV_SEQUENTIAL
    case .random: system_MADV_RANDOM
    case .willNeed: system_MADV_WILLNEED
    case .dontNeed: system_MADV_DONTNEED
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
