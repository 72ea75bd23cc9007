extension MMapWindowReader {
  /// Locks the pages of `range` (all of the reader if `nil`) in memory, mapping the windows
  /// that hold them and keeping those windows mapped, so that the kernel never evicts them.
  ///
  /// Locking applies to mappings, so it applies to windows: each window `range` touches is
  /// mapped (if it isn't already) into a slot of the window budget, and its part of `range`,
  /// widened to whole pages, is locked and read in. A window holding locked pages is pinned:
  /// it is never evicted to map another one, and it counts against ``maxWindows`` until
  /// ``unlock(in:)`` covers its locked pages, ``close()`` or `deinit`, which release every
  /// lock. While every slot holds locked pages, reads elsewhere go around the windows with
  /// `pread`, and views get temporary mappings. Locks don't nest: locking a page twice and
  /// unlocking it once unlocks it. An empty reader or range locks nothing.
  ///
  /// Locked memory is limited per process by `RLIMIT_MEMLOCK` (`ulimit -l`, often 8 MiB)
  /// unless the process has `CAP_IPC_LOCK`; a lock beyond it throws, never crashes.
  ///
  /// - Parameter range: Offsets inside `0..<count`, or `nil` for the whole reader.
  /// - Throws: ``MMapError`` with ``MMapError/Operation/lock``: `EINVAL` if `range` is not
  ///   inside `0..<count`, `EBADF` if the reader is closed, `ENOMEM` if the windows of
  ///   `range` that hold no locked pages yet outnumber the slots no lock holds (nothing is
  ///   locked then) or if the lock would exceed `RLIMIT_MEMLOCK`, `EPERM` if that limit is
  ///   0, `EAGAIN` if a window can't be mapped now because other threads' operations are
  ///   using every slot no lock holds, or what `mlock` reported. After a failure past the
  ///   first window, the windows before it stay locked: ``unlock(in:)`` releases them.
  ///
  /// The corresponding C function is `mlock`.
  public func lock(in range: Range<Int>? = nil) throws(MMapError) {
    let wanted = try checkedRange(range, .lock)
    guard !wanted.isEmpty else { return }
    guard table.withLock({ $0.canLock(wanted) }) else {
      throw MMapError(.lock, path: path, errno: system_ENOMEM)
    }
    var offset = wanted.lowerBound
    while offset < wanted.upperBound {
      let window = geometry.bounds(ofWindow: geometry.window(containing: offset))
      let piece = offset..<min(window.upperBound, wanted.upperBound)
      try lockInOneWindow(piece)
      offset = piece.upperBound
    }
  }

  /// Unlocks the pages of `range` (all of the reader if `nil`), widened to whole pages. A
  /// window whose locked pages are all unlocked can be evicted again. Unlocking pages that
  /// aren't locked does nothing.
  ///
  /// - Parameter range: Offsets inside `0..<count`, or `nil` for the whole reader.
  /// - Throws: ``MMapError`` with ``MMapError/Operation/unlock``: `EINVAL` if `range` is not
  ///   inside `0..<count`, `EBADF` if the reader is closed (which released every lock).
  ///
  /// The corresponding C function is `munlock`.
  public func unlock(in range: Range<Int>? = nil) throws(MMapError) {
    let wanted = try checkedRange(range, .unlock)
    guard !wanted.isEmpty else { return }
    guard let pinned = table.withLock({ $0.beginUnlock(in: wanted) }) else {
      throw MMapError.closed(.unlock, path: path)
    }
    var failure: MMapError? = nil
    for pin in pinned where failure == nil {
      let pages = widenedToPages(pin.part)
      let result = system_munlock(
        slots.address(of: pin.slot) + pages.lowerBound, count: pages.count)
      if result == -1 { failure = MMapError(.unlock, path: path, errno: system_errno) }
    }
    if table.withLock({ $0.unpinMapped(pinned.map(\.slot)) }) { release() }
    if let failure { throw failure }
  }

  /// How much of `range` (all of the reader if `nil`) is in memory now, counted in whole
  /// pages of the file, without faulting any page in.
  ///
  /// A page counts as resident when reading it needs no disk access: it is in the page
  /// cache, whether or not a window holds it. The answer covers the whole range, mapped or
  /// not: the parts in windows mapped now are asked of the windows, and every other part
  /// through a temporary mapping of it, made without reading anything, asked, and unmapped
  /// at once; so querying a range costs no memory and evicts no window, whatever its size.
  /// See ``Residency`` for what is counted.
  ///
  /// - Important: Linux reveals the page cache only for files the process owns or may open
  ///   for writing (or with `CAP_FOWNER`). For any other file it reports every page
  ///   resident, and so does this method.
  ///
  /// - Parameter range: Offsets inside `0..<count`, or `nil` for the whole reader.
  /// - Returns: The pages the range touches, how many are resident, and the range's bytes
  ///   in them. An empty range gives ``Residency/empty``.
  /// - Throws: ``MMapError``: ``MMapError/Operation/residency`` with `EINVAL` if `range` is
  ///   not inside `0..<count`, `EBADF` if the reader is closed, or what `mincore` reported;
  ///   ``MMapError/Operation/map`` if a temporary mapping can't be made.
  ///
  /// The corresponding C function is `mincore`.
  public func residency(in range: Range<Int>? = nil) throws(MMapError) -> Residency {
    let wanted = try checkedRange(range, .residency)
    guard !wanted.isEmpty else { return .empty }
    guard let pinned = table.withLock({ $0.pinMapped(in: wanted) }) else {
      throw MMapError.closed(.residency, path: path)
    }
    defer {
      if table.withLock({ $0.unpinMapped(pinned.map(\.slot)) }) { release() }
    }
    var total = Residency.empty
    var offset = wanted.lowerBound
    while offset < wanted.upperBound {
      let window = geometry.window(containing: offset)
      let piece = offset..<min(geometry.bounds(ofWindow: window).upperBound, wanted.upperBound)
      if let pin = pinned.first(where: { $0.window == window }) {
        let address = slots.address(of: pin.slot)
        total = total + (try pageResidency(at: address, of: pin.part, path: path))
      } else {
        // The descriptor stays open: this operation is in flight until it unpins.
        let mapping = try FileMapping(
          fd: fd, offset: geometry.fileOffset(of: piece.lowerBound), count: piece.count,
          populate: false, path: path)
        defer { mapping.unmap() }
        total = total + (try mapping.residency(in: 0..<piece.count, path: path))
      }
      offset = piece.upperBound
    }
    return total
  }

  /// Locks `piece`, which lies inside one window: maps the window if it isn't mapped, locks
  /// the piece's pages, and records them in the table, which keeps the window mapped.
  private func lockInOneWindow(_ piece: Range<Int>) throws(MMapError) {
    let access = try enter(
      at: piece.lowerBound, count: piece.count, kind: .lock, operation: .lock)
    guard access.slot >= 0 else {  // No slot could take the window.
      let (mustRelease, isFull) = table.withLock {
        ($0.leave(slot: -1), $0.lockedWindowCount == $0.slots.count)
      }
      if mustRelease { release() }
      throw MMapError(.lock, path: path, errno: isFull ? system_ENOMEM : system_EAGAIN)
    }
    // Can't overflow: offsets inside one slot.
    let pages = widenedToPages(access.offsetInSlot..<(access.offsetInSlot &+ piece.count))
    let result = system_mlock(
      slots.address(of: access.slot) + pages.lowerBound, count: pages.count)
    let code = system_errno
    let locked = result == 0 ? pages : nil
    if table.withLock({ $0.leave(slot: access.slot, locked: locked) }) { release() }
    if result == -1 { throw MMapError(.lock, path: path, errno: code) }
  }

  /// `range`, or the whole reader, once it is known to lie inside the reader; an empty range
  /// also once the reader is known to be open.
  ///
  /// - Throws: ``MMapError`` with `operation`: `EBADF` if the reader is closed, else
  ///   `EINVAL` if `range` is not inside `0..<count`.
  private func checkedRange(_ range: Range<Int>?, _ operation: MMapError.Operation)
    throws(MMapError) -> Range<Int>
  {
    let wanted = range ?? 0..<count
    guard isInside(wanted, count: count) else {
      throw isClosed
        ? MMapError.closed(operation, path: path)
        : MMapError.outsideReader(operation, path: path)
    }
    if wanted.isEmpty, isClosed { throw MMapError.closed(operation, path: path) }
    return wanted
  }
}
