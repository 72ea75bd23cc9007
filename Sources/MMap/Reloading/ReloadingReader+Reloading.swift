internal import CMMapEpoch

extension ReloadingReader {
  /// Makes the file now at the path the current version, if it is another file than the
  /// current version's (another device or inode: a file renamed over the path), or, with
  /// ``followsGrowth``, the same file grown since the current version opened it.
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
  /// A grown file opens as a new version the same way: the reader of the version before
  /// still reads the bytes it had, so a lookup sees the file at one size from its start to
  /// its end. The outcome is ``ReloadOutcome/grew`` only if the path still names the current
  /// version's file once the new reader is open; a file renamed over the path meanwhile is
  /// ``ReloadOutcome/reloaded``.
  ///
  /// - Returns: ``ReloadOutcome/unchanged``, ``ReloadOutcome/reloaded`` or
  ///   ``ReloadOutcome/grew``.
  /// - Throws: ``ReloadError``, and keeps the current version, if the new file is missing,
  ///   can't be opened, is empty or is rejected, or if the reader is closed. The error is
  ///   also kept in ``lastReloadError`` until a reload succeeds.
  @discardableResult
  public func reloadIfReplaced() throws(ReloadError) -> ReloadOutcome {
    let (outcome, released) = try state.withLock {
      (state) throws(ReloadError) -> (ReloadOutcome, [Reader]) in
      do throws(ReloadError) {
        let outcome = try reload(&state)
        state.lastError = nil
        // The lookups that held old versions may all have ended.
        let epoch = retiredEpoch.load(ordering: .acquiring)
        guard epoch != 0, mmap_epoch_has_passed(epoch, true) else {
          return (outcome, [])
        }
        return (outcome, takeReleasable(&state, upTo: epoch))
      } catch {
        state.lastError = error
        throw error
      }
    }
    for reader in released { try? reader.close() }
    return outcome
  }

  /// The body of ``reloadIfReplaced()``, under the lock.
  private func reload(_ state: inout State) throws(ReloadError) -> ReloadOutcome {
    guard !isClosed else { throw ReloadError(path: filePath, reason: .closed) }
    let status: FileStatus
    do throws(MMapError) { status = try state.current.fileStatus() } catch {
      throw ReloadError(path: filePath, reason: .unreadable(error))
    }
    var outcome: ReloadOutcome
    if status.isAtPath == false {
      outcome = .reloaded
    } else if followsGrowth && status.hasGrown {
      outcome = .grew
    } else {
      return .unchanged
    }
    let next = try Self.openVersion(path: filePath, open: opener, validate: validator)
    // The open went by the path, which another file may have taken since the check: then the
    // new version is that file, not the old one grown. (A rename between the open and this
    // check reports a grown file as replaced: a caller re-reads it, and misses nothing.)
    if outcome == .grew, (try? state.current.fileStatus().isAtPath) != true {
      outcome = .reloaded
    }
    current.store(Self.bits(of: next), ordering: .releasing)
    // Every lookup that reads the new epoch began after the store above, so reads `next`.
    let epoch = mmap_epoch_advance()
    state.retired.append((state.current, epoch))
    state.current = next
    state.generation &+= 1
    retiredEpoch.store(epoch, ordering: .releasing)
    return outcome
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
