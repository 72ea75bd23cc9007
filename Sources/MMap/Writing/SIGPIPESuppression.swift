/// Runs `body` so that a write it makes to a pipe or socket whose reading end is gone fails
/// with `EPIPE` and doesn't end the process with `SIGPIPE`.
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
      system_takePendingSignal(pipeSignal)
    }
    _ = system_pthread_sigmask(system_SIG_SETMASK, oldMask)
  }
  return try body()
}
