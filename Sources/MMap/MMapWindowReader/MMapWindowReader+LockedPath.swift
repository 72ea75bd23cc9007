// The locked path's entry and exit: every operation that isn't a lock-free hit on a mapped
// window enters here, maps what the table decided without the lock, and leaves.

extension MMapWindowReader {
  /// Starts an operation on `offset..<offset + count`: asks the table what to do, and does
  /// it without the lock. That means unmapping the window the table evicted, and mapping
  /// (advising, prefaulting) the window it reserved, then installing it.
  ///
  /// - Throws: ``MMapError`` with `EBADF` and `operation` if the reader is closed.
  internal func enter(
    at offset: Int, count: Int, kind: WindowTable.Kind,
    operation: MMapError.Operation = .read
  ) throws(MMapError) -> WindowAccess {
    let decision = table.withLock {
      $0.enter(at: offset, count: count, kind: kind, wasReferenced: slots.takeReferenced)
    }
    switch decision {
    case nil:
      throw MMapError.closed(operation, path: path)
    case .use(let access):
      return access
    case .map(let plan):
      let window = geometry.mapping(ofWindow: plan.window)
      let address = slots.address(of: plan.slot)
      slots.beginChange(plan.slot)
      // The descriptor is open: this operation is in flight, so the reader isn't released.
      do throws(MMapError) {
        try slots.map(
          fd, fileOffset: window.fileOffset, count: window.count, into: plan.slot, path: path)
      } catch {  // Out of mappings, say: a `pread` or a temporary mapping may still work.
        slots.endChange(plan.slot, serving: 0..<0, at: 0)
        table.withLock { $0.abandon(slot: plan.slot) }
        return WindowAccess(
          slot: -1, offsetInSlot: 0, available: 0, streak: plan.streak, advice: plan.advice)
      }
      // Can't overflow: the window's first reader offset minus the slack below it.
      let firstPageOffset = plan.bounds.lowerBound &- (window.count &- plan.bounds.count)
      FaultGuard.rebase(address, readerOffset: firstPageOffset)
      // Advice is a hint, and prefaulting needs Linux 5.14: a window reads the same without.
      if let advice = plan.advice {
        _ = system_madvise(address, count: window.count, advice)
      }
      if plan.prefault, let populate = system_MADV_POPULATE_READ {
        _ = system_madvise(address, count: window.count, populate)
      }
      slots.endChange(
        plan.slot, serving: plan.bounds, at: geometry.offsetInWindow(of: plan.bounds.lowerBound))
      return table.withLock { $0.install(slot: plan.slot, at: offset, streak: plan.streak) }
    }
  }

  /// Ends an operation begun with ``enter(at:count:kind:)``, releasing the reader if it was
  /// closed meanwhile and this was the last operation out.
  internal func leave(_ access: WindowAccess) {
    let slot = access.slot
    if table.withLock({ $0.leave(slot: slot) }) { release() }
  }

  /// The first byte `access` gives, inside its pinned slot, or `nil` if it has none.
  internal func address(of access: WindowAccess) -> UnsafeRawPointer? {
    guard access.slot >= 0 else { return nil }
    return UnsafeRawPointer(slots.address(of: access.slot) + access.offsetInSlot)
  }
}
