// The processors this process may run on, and joined pthreads.
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

/// The number of processors this process may run on (its CPU affinity mask on Linux), at
/// least 1.
internal func system_availableProcessors() -> Int {
  max(1, mmap_available_processors())
}

/// A thread started by ``system_startThread(_:)``, to be joined exactly once.
internal typealias system_Thread = pthread_t

/// Starts a thread that calls `run(context)` and exits; returns it, or `nil` if the system
/// couldn't start one (`EAGAIN`: too many threads). The thread has the default attributes,
/// so it must be joined with ``system_joinThread(_:)``.
internal func system_startThread(
  _ run: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?,
  context: UnsafeMutableRawPointer
) -> system_Thread? {
  #if canImport(Darwin)
    var thread: pthread_t?
    guard pthread_create(&thread, nil, run, context) == 0 else { return nil }
    return thread
  #else
    var thread = pthread_t()
    guard pthread_create(&thread, nil, run, context) == 0 else { return nil }
    return thread
  #endif
}

/// Waits for `thread` to exit and releases what it held.
internal func system_joinThread(_ thread: system_Thread) {
  _ = pthread_join(thread, nil)  // Fails only for a thread that is not joinable.
}

/// Lets `thread` release what it holds when it exits, without a join.
internal func system_detachThread(_ thread: system_Thread) {
  _ = pthread_detach(thread)  // Fails only for a thread that is not joinable.
}
