extension MMapReader {
  /// Locks the pages of `range` (all of the reader if `nil`) in memory, so that the kernel
  /// never evicts them: reads of them then never wait for the disk.
  ///
  /// The range is widened to whole pages, and locking reads in every page that isn't
  /// resident, so it takes as long as reading the range once. Locks don't nest: locking a
  /// page twice and unlocking it once unlocks it. ``close()`` and `deinit` release every
  /// lock the reader holds; ``unlock(in:)`` releases some sooner. An empty reader or range
  /// locks nothing.
  ///
  /// Locked memory is limited per process by `RLIMIT_MEMLOCK` (`ulimit -l`, often 8 MiB)
  /// unless the process has `CAP_IPC_LOCK`; a lock beyond it throws, never crashes.
  ///
  /// - Parameter range: Offsets inside `0..<count`, or `nil` for the whole reader.
  /// - Throws: ``MMapError`` with ``MMapError/Operation/lock``: `EINVAL` if `range` is not
  ///   inside `0..<count`, `EBADF` if the reader is closed, `ENOMEM` if the lock would
  ///   exceed `RLIMIT_MEMLOCK`, `EPERM` if that limit is 0, or what `mlock` reported (such
  ///   as `ENOMEM` when pages past the end of a truncated file can't be read in). After a
  ///   failure other than the limit, part of the range may be locked: ``unlock(in:)``
  ///   releases it.
  ///
  /// The corresponding C function is `mlock`.
  public func lock(in range: Range<Int>? = nil) throws(MMapError) {
    try withEnteredGate(.lock, range) { (range) throws(MMapError) in
      try mapping.lock(in: range, path: path)
    }
  }

  /// Unlocks the pages of `range` (all of the reader if `nil`), widened to whole pages: the
  /// kernel may evict them again. Unlocking pages that aren't locked does nothing.
  ///
  /// - Parameter range: Offsets inside `0..<count`, or `nil` for the whole reader.
  /// - Throws: ``MMapError`` with ``MMapError/Operation/unlock``: `EINVAL` if `range` is not
  ///   inside `0..<count`, `EBADF` if the reader is closed (which released every lock).
  ///
  /// The corresponding C function is `munlock`.
  public func unlock(in range: Range<Int>? = nil) throws(MMapError) {
    try withEnteredGate(.unlock, range) { (range) throws(MMapError) in
      try mapping.unlock(in: range, path: path)
    }
  }

  /// How much of `range` (all of the reader if `nil`) is in memory now, counted in whole
  /// pages of the file, without faulting any page in.
  ///
  /// A page counts as resident when reading it needs no disk access: it is in the page
  /// cache, whether or not this reader has touched it. A parser can use it to choose
  /// between a scan and targeted reads, a service to see how warm its file is. See
  /// ``Residency`` for what is counted.
  ///
  /// - Important: Linux reveals the page cache only for files the process owns or may open
  ///   for writing (or with `CAP_FOWNER`). For any other file it reports every page
  ///   resident, and so does this method.
  ///
  /// - Parameter range: Offsets inside `0..<count`, or `nil` for the whole reader.
  /// - Returns: The pages the range touches, how many are resident, and the range's bytes
  ///   in them. An empty range gives ``Residency/empty``.
  /// - Throws: ``MMapError`` with ``MMapError/Operation/residency``: `EINVAL` if `range` is
  ///   not inside `0..<count`, `EBADF` if the reader is closed, or what `mincore` reported.
  ///
  /// The corresponding C function is `mincore`.
  public func residency(in range: Range<Int>? = nil) throws(MMapError) -> Residency {
    try withEnteredGate(.residency, range) { (range) throws(MMapError) in
      try mapping.residency(in: range, path: path)
    }
  }

  /// Calls `body` with `range` (or the whole reader) once it is known to lie inside the
  /// reader, counted in the close gate meanwhile, so that ``close()`` waits for it: `body`
  /// acts on the file's pages, never on the zero pages that replace them.
  private func withEnteredGate<Result>(
    _ operation: MMapError.Operation, _ range: Range<Int>?,
    _ body: (Range<Int>) throws(MMapError) -> Result
  ) throws(MMapError) -> Result {
    defer {
      if gate.leave() {
        try? mapping.replaceWithZeroPages(path: path)  // On failure deinit unmaps it.
      }
    }
    guard gate.enter() else {
      var error = gate.failure(path: path)
      error.operation = operation
      throw error
    }
    let range = range ?? 0..<count
    try checkInside(range, count: count, operation, path: path)
    return try body(range)
  }
}
