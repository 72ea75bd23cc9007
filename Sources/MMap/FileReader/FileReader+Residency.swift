// The mapped readers' extras, on every kind: advice, locks and residency act on a mapping;
// a file in memory has nothing to advise or fetch, and a file read with pread has no pages
// of its own to lock or count.

extension FileReader {
  /// Tells the kernel how the bytes in `range` (all of them if `nil`) will be accessed, as
  /// ``MMapReader/advise(_:in:)`` does, on a mapped file.
  ///
  /// On a file in memory or read with `pread` there is no mapping to advise: the range and
  /// the advice are checked, and nothing else happens. Advice never changes what reads
  /// return.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/advise``: `EINVAL` if `range` is not
  ///   inside `0..<count` or the platform doesn't have the advice, `EBADF` if the reader is
  ///   closed, or what `madvise` reported.
  public func advise(_ advice: Advice, in range: Range<Int>? = nil) throws(MMapError) {
    switch base {
    case .mapped(let reader): try reader.advise(advice, in: range)
    case .windowed(let reader): try reader.advise(advice, in: range)
    case .memory, .pread:
      _ = try checkedRange(range, .advise)
      _ = try advice.systemValue(path: path)
    }
  }

  /// Locks the pages of `range` (all of the reader if `nil`) in memory, as
  /// ``MMapReader/lock(in:)`` and ``MMapWindowReader/lock(in:)`` do, on a mapped file.
  ///
  /// A file in memory is already there: the range is checked, and nothing is locked. A file
  /// read with `pread` has no pages of its own to lock.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/lock``: `EINVAL` if `range` is not
  ///   inside `0..<count`, `EBADF` if the reader is closed, `ENOTSUP` for a file read with
  ///   `pread`, or what the mapped reader's `lock(in:)` throws.
  public func lock(in range: Range<Int>? = nil) throws(MMapError) {
    switch base {
    case .mapped(let reader): try reader.lock(in: range)
    case .windowed(let reader): try reader.lock(in: range)
    case .memory: _ = try checkedRange(range, .lock)
    case .pread:
      _ = try checkedRange(range, .lock)
      throw MMapError(.lock, path: path, errno: system_ENOTSUP)
    }
  }

  /// Unlocks the pages of `range` (all of the reader if `nil`), as ``MMapReader/unlock(in:)``
  /// does; on a file in memory or read with `pread`, which lock nothing, it checks the range.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/unlock``: `EINVAL` if `range` is not
  ///   inside `0..<count`, `EBADF` if the reader is closed.
  public func unlock(in range: Range<Int>? = nil) throws(MMapError) {
    switch base {
    case .mapped(let reader): try reader.unlock(in: range)
    case .windowed(let reader): try reader.unlock(in: range)
    case .memory, .pread: _ = try checkedRange(range, .unlock)
    }
  }

  /// How much of `range` (all of the reader if `nil`) is in memory now, as
  /// ``MMapReader/residency(in:)`` tells, on a mapped file; every page of a file in memory.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/residency``: `EINVAL` if `range` is
  ///   not inside `0..<count`, `EBADF` if the reader is closed, `ENOTSUP` for a file read
  ///   with `pread`, whose pages in the page cache only a mapping could count, or what
  ///   `mincore` reported.
  public func residency(in range: Range<Int>? = nil) throws(MMapError) -> Residency {
    switch base {
    case .mapped(let reader): return try reader.residency(in: range)
    case .windowed(let reader): return try reader.residency(in: range)
    case .memory:
      let range = try checkedRange(range, .residency)
      guard !range.isEmpty else { return .empty }
      // Can't overflow: the range lies inside the reader.
      let pages = (range.upperBound &- 1) / system_pageSize &- range.lowerBound / system_pageSize
      return Residency(
        pageCount: pages &+ 1, residentPageCount: pages &+ 1, byteCount: range.count,
        residentByteCount: range.count)
    case .pread:
      _ = try checkedRange(range, .residency)
      throw MMapError(.residency, path: path, errno: system_ENOTSUP)
    }
  }

  /// `range`, or the whole reader, once the reader is known to be open and the range to lie
  /// inside it.
  ///
  /// - Throws: ``MMapError`` with `operation`: `EBADF` if the reader is closed, `EINVAL` if
  ///   `range` is not inside `0..<count`.
  private func checkedRange(_ range: Range<Int>?, _ operation: MMapError.Operation)
    throws(MMapError) -> Range<Int>
  {
    guard !isClosed else { throw MMapError.closed(operation, path: path) }
    let range = range ?? 0..<count
    try checkInside(range, count: count, operation, path: path)
    return range
  }
}
