// Signal masks, for the calls that must keep `SIGPIPE` away.
// Part of System/: `system_foo` wraps the C function `foo`, hiding signature differences
// between platforms and adding no behaviour of its own.

internal import CMMapSystem

#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Android)
  import Android
#else
  #error("MMap requires mmap(2); this platform is not supported.")
#endif

/// A set of signals, for `pthread_sigmask` and `sigpending`.
internal typealias system_sigset_t = sigset_t

internal let system_SIGPIPE: CInt = SIGPIPE
internal let system_SIG_BLOCK: CInt = SIG_BLOCK
internal let system_SIG_SETMASK: CInt = SIG_SETMASK

/// A signal set holding `signal` alone, made with `sigemptyset` and `sigaddset`.
internal func system_sigsetHolding(_ signal: CInt) -> system_sigset_t {
  var set = sigset_t()
  sigemptyset(&set)
  sigaddset(&set, signal)
  return set
}

/// Whether `signal` is in `set`, with `sigismember`.
internal func system_sigismember(_ set: system_sigset_t, _ signal: CInt) -> Bool {
  var set = set
  return sigismember(&set, signal) == 1
}

/// Changes the calling thread's signal mask as `how` says (`SIG_BLOCK`, `SIG_SETMASK`) with
/// `set`, and returns the mask it had before. Can't fail with valid arguments.
internal func system_pthread_sigmask(_ how: CInt, _ set: system_sigset_t) -> system_sigset_t {
  var set = set
  var old = sigset_t()
  _ = pthread_sigmask(how, &set, &old)
  return old
}

/// The signals pending for the calling thread or the process, with `sigpending`.
internal func system_sigpending() -> system_sigset_t {
  var set = sigset_t()
  _ = sigpending(&set)  // Fails only for a bad pointer.
  return set
}

/// Takes `signal`, which the calling thread blocks, if it is pending, and never waits:
/// `sigtimedwait` with a zero timeout.
///
/// Darwin has no `sigtimedwait`, and its `sigwait` waits when no thread of the process has a
/// signal of its set pending. There `sigpending` (which reports the calling thread's pending
/// signals) is checked first, so that `sigwait` is called only when it returns at once. No
/// caller uses this on Darwin, which marks descriptors instead (``system_hasNoSIGPIPEMark``).
internal func system_takePendingSignal(_ signal: CInt) {
  var set = system_sigsetHolding(signal)
  #if canImport(Darwin)
    guard system_sigismember(system_sigpending(), signal) else { return }
    var taken: CInt = 0
    _ = sigwait(&set, &taken)
  #else
    var noWait = timespec(tv_sec: 0, tv_nsec: 0)
    _ = sigtimedwait(&set, nil, &noWait)
  #endif
}
