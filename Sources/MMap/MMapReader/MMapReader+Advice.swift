extension MMapReader {
  /// How the program will access the mapped bytes, so the kernel can read ahead or drop
  /// pages accordingly.
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
    /// The range isn't needed for now: the kernel may drop its pages (later reads fetch
    /// them from the file again). The corresponding C constant is `MADV_DONTNEED`.
    case dontNeed
    #if os(Linux) || os(Android)
      /// Back the range with huge pages where the file system supports it. Linux only. The
      /// corresponding C constant is `MADV_HUGEPAGE`.
      case hugePage
      /// Fault every page of the range in now, reading it from the file (Linux 5.14 and
      /// later). The corresponding C constant is `MADV_POPULATE_READ`.
      case populateRead
    #endif

    @usableFromInline
    internal var systemValue: CInt {
      switch self {
      case .normal: system_MADV_NORMAL
      case .sequential: system_MADV_SEQUENTIAL
      case .random: system_MADV_RANDOM
      case .willNeed: system_MADV_WILLNEED
      case .dontNeed: system_MADV_DONTNEED
      #if os(Linux) || os(Android)
        case .hugePage: system_MADV_HUGEPAGE
        case .populateRead: system_MADV_POPULATE_READ
      #endif
      }
    }
  }

  /// Tells the kernel how the bytes in `range` (all of them if `nil`) will be accessed.
  ///
  /// The range is widened to whole pages. Advice is a hint: it never changes what reads
  /// return. An empty reader or range does nothing.
  ///
  /// - Parameters:
  ///   - advice: The expected access pattern.
  ///   - range: Offsets within `0...count`, or `nil` for the whole reader.
  /// - Precondition: `range` lies within `0..<count`; otherwise this traps with the values.
  /// - Throws: ``MMapError`` with ``MMapError/Operation/advise`` and the kernel's `errno` if
  ///   it rejects the advice (`EINVAL` for one it doesn't support), or with `EBADF` if the
  ///   reader is closed.
  ///
  /// The corresponding C function is `madvise`.
  public func advise(_ advice: Advice, in range: Range<Int>? = nil) throws(MMapError) {
    let range = range ?? 0..<count
    if range.lowerBound < 0 || range.upperBound > count {
      fatalError("MMapReader: advice range \(range) is outside 0..<\(count)")
    }
    guard !gate.isClosed else { throw MMapError(.advise, path: path, errno: system_EBADF) }
    try mapping.advise(advice.systemValue, in: range, path: path)
  }
}
