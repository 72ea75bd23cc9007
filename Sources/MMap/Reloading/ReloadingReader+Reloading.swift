extension ReloadingReader {
  /// Makes the file now at the path the current version, if it is another file than the
  /// current version's (another device or inode: a file renamed over the path).
  ///
  /// Costs one `stat` when nothing changed. When another file is there, opens it, rejects
  /// it if it is empty or fails the validation closure, and otherwise makes it current:
  /// lookups begun afterwards read it, and the reader of the version before is closed when
  /// its last lookup ends. Calls from several threads are serialized.
  ///
  /// A file rewritten in place (not renamed over the path) keeps its inode, so it is not a
  /// new version: readers see its bytes change under them. Only rename publishes a file
  /// consistently (see ``FileStatus/isModified``).
  ///
  /// - Returns: ``ReloadOutcome/unchanged``, ``ReloadOutcome/reloaded``, or
  ///   ``ReloadOutcome/postponed`` if lookups still run on the version before the current
  ///   one, whose place the new version needs.
  /// - Throws: ``ReloadError``, and keeps the current version, if the new file is missing,
  ///   can't be opened, is empty or is rejected, or if the reader is closed. The error is
  ///   also kept in ``lastReloadError`` until a reload succeeds.
  @discardableResult
  public func reloadIfReplaced() throws(ReloadError) -> ReloadOutcome {
    try state.withLock { (state) throws(ReloadError) -> ReloadOutcome in
      do throws(ReloadError) {
        let outcome = try reload(&state)
        if outcome != .postponed { state.lastError = nil }
        return outcome
      } catch {
        state.lastError = error
        throw error
      }
    }
  }

  /// The body of ``reloadIfReplaced()``, under the lock.
  private func reload(_ state: inout State) throws(ReloadError) -> ReloadOutcome {
    guard !isClosed else { throw ReloadError(path: filePath, reason: .closed) }
    let current = currentSlot.load(ordering: .sequentiallyConsistent)
    guard let reader = state.readers[current] else { return .unchanged }
    let status: FileStatus
    do throws(MMapError) { status = try reader.fileStatus() } catch {
      throw ReloadError(path: filePath, reason: .unreadable(error))
    }
    guard status.isAtPath == false else { return .unchanged }
    let spare = 1 &- current
    if state.readers[spare] != nil {
      // The version before still has lookups, or its last one is releasing it now.
      guard runningLookups(spare) == 0, isRetired(spare) else { return .postponed }
      _ = takeRetired(spare)
      try? state.readers[spare]?.close()
      state.readers[spare] = nil
    }
    let next = try Self.openVersion(path: filePath, open: opener, validate: validator)
    // No lookup reads the spare slot: it isn't current, and none counts itself on it.
    if spare == 0 {
      slot0Reader = Unmanaged.passUnretained(next)
    } else {
      slot1Reader = Unmanaged.passUnretained(next)
    }
    state.readers[spare] = next
    state.generation &+= 1
    currentSlot.store(spare, ordering: .sequentiallyConsistent)
    setRetired(current, true)
    if runningLookups(current) == 0 && takeRetired(current) {
      if runningLookups(current) == 0 {
        try? state.readers[current]?.close()
        state.readers[current] = nil
      } else {
        setRetired(current, true)  // A late lookup counted itself; the last one out releases.
      }
    }
    return .reloaded
  }

  /// Opens `path` and checks the reader: not empty, and accepted by `validate`.
  internal static func openVersion(path: String, open: Opener, validate: Validator?)
    throws(ReloadError) -> Reader
  {
    let reader: Reader
    do throws(MMapError) { reader = try open(path) } catch {
      throw ReloadError.opening(path, error)
    }
    let failure: ReloadError
    if reader.count == 0 {
      failure = ReloadError(path: path, reason: .empty)
    } else {
      do {
        try validate?(reader)
        return reader
      } catch {
        failure = ReloadError(path: path, reason: .rejected(String(describing: error)))
      }
    }
    try? reader.close()
    throw failure
  }
}
