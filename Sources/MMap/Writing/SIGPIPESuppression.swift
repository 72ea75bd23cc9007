/// Runs `body` so that a write it makes to a pipe or socket whose reading end is gone fails
/// with `EPIPE` and doesn't end the process with `SIGPIPE`, on a platform that raises that
/// `SIGPIPE` in the writing thread (Linux). Darwin raises it for the process, which this
/// can't stop: there ``withNoSIGPIPEMark(on:isSocket:path:_:)`` is used instead.
///
/// A `write(2)` to such a pipe raises `SIGPIPE` in the calling thread, whose default action
/// ends the process, and then fails with `EPIPE`. So, around `body`:
///
/// 1. `SIGPIPE` is blocked in the calling thread only (`pthread_sigmask`), which keeps a
///    raised `SIGPIPE` pending instead of delivering it; other threads are unaffected.
/// 2. If no `SIGPIPE` was pending before `body` but one is after, `body` raised it: it is
///    taken with a zero-timeout `sigtimedwait` (discarded), so no handler runs and nothing
///    stays pending.
/// 3. The thread's mask is restored as it was.
///
/// A `SIGPIPE` pending before the call stays pending. A `SIGPIPE` another process sends to
/// this one while `body` runs may be discarded with the one `body` raised; a process ignoring
/// `SIGPIPE` (`SIG_IGN`) raises none and sees no difference. The cost is three or four system
/// calls per call of this function, not per write.
internal func withSIGPIPESuppressed<Result>(
  _ body: () throws(MMapError) -> Result
) throws(MMapError) -> Result {
  let pipeSignal = system_sigsetHolding(system_SIGPIPE)
  let oldMask = system_pthread_sigmask(system_SIG_BLOCK, pipeSignal)
  let wasPending = system_sigismember(system_sigpending(), system_SIGPIPE)
  defer {
    if !wasPending, system_sigismember(system_sigpending(), system_SIGPIPE) {
      system_takePendingSignal(system_SIGPIPE)
    }
    _ = system_pthread_sigmask(system_SIG_SETMASK, oldMask)
  }
  return try body()
}

/// Runs `body` with `fd` marked so that a write to it whose reading end is gone fails with
/// `EPIPE` and raises no `SIGPIPE`, on a platform that has such a mark
/// (``system_hasNoSIGPIPEMark``: Darwin, with `SO_NOSIGPIPE` on a socket and
/// `F_SETNOSIGPIPE` on anything else).
///
/// Darwin raises a broken pipe's `SIGPIPE` for the process rather than for the writing
/// thread, so that any thread that doesn't block it takes it, and blocking it in the calling
/// thread (``withSIGPIPESuppressed(_:)``) would not keep it from ending the process. The mark
/// keeps the kernel from raising it at all. A descriptor already marked is left as it is;
/// one that isn't is marked for the duration of `body` and unmarked after, whatever `body`
/// throws (an unmarking that fails is ignored: the descriptor stays marked).
///
/// The mark belongs to the open file description, which duplicates of `fd` and other
/// processes share: while `body` runs, their writes to it raise no `SIGPIPE` either, and two
/// such calls overlapping on one description can unmark it while the other still writes.
///
/// A socket shut down in both directions, as one whose peer is gone is, refuses the mark
/// with `EINVAL`. A write to it can only fail with `EPIPE`, raising `SIGPIPE`, so this throws
/// `EPIPE` without running `body`.
///
/// - Throws: ``MMapError`` with ``MMapError/Operation/write`` and what reading or setting the
///   mark reported (`EPIPE` for a shut-down socket), or what `body` throws.
internal func withNoSIGPIPEMark<Result>(
  on fd: CInt, isSocket: Bool, path: String?, _ body: () throws(MMapError) -> Result
) throws(MMapError) -> Result {
  let isMarked = try checkSystemCall(.write, path: path) {
    system_noSIGPIPE(fd, isSocket: isSocket)
  }
  guard isMarked == 0 else { return try body() }
  guard system_setNoSIGPIPE(fd, isSocket: isSocket, true) == 0 else {
    let code = system_errno  // Next line after the call.
    let isShutDown = isSocket && code == system_EINVAL
    throw MMapError(.write, path: path, errno: isShutDown ? system_EPIPE : code)
  }
  defer { _ = system_setNoSIGPIPE(fd, isSocket: isSocket, false) }
  return try body()
}
