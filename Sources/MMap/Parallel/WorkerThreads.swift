/// Runs a body on the calling thread and on threads started for the call, and returns once
/// all of them have returned: the threads of the library's parallel scans.
///
/// Why threads of our own (`pthread_create` and `pthread_join`) rather than Dispatch's
/// `concurrentPerform` or a task group: a scan of gigabytes blocks each thread it runs on for
/// a long while, which would starve Swift concurrency's cooperative pool (one thread per
/// core) and Dispatch's shared workers alike; a joined thread leaves nothing behind when the
/// call returns (no pool that outlives it, no thread count that depends on what ran before),
/// and its start costs tens of microseconds, which the scans pay only for ranges of megabytes
/// (``Parallelism/minimumBytesPerThread``). The calling thread is always one of the workers,
/// so a scan never waits idle for threads it started.
internal enum WorkerThreads {
  /// Calls `body` once on the calling thread and once on each of `count - 1` new threads, at
  /// the same time, and returns when every call has returned and every thread has ended.
  ///
  /// If the system refuses a thread (`EAGAIN`), that call is skipped: `body` must share its
  /// work through a queue, so that the calls that run do all of it.
  static func run(_ count: Int, _ body: @Sendable () -> Void) {
    guard count > 1 else { return body() }
    withoutActuallyEscaping(body) { body in
      var threads: [system_Thread] = []
      threads.reserveCapacity(count &- 1)  // Can't overflow: count > 1.
      for _ in 1..<count {
        let context = Unmanaged.passRetained(WorkerBody(body)).toOpaque()
        if let thread = system_startThread(runWorkerBody, context: context) {
          threads.append(thread)
        } else {
          Unmanaged<WorkerBody>.fromOpaque(context).release()
          break
        }
      }
      body()
      for thread in threads { system_joinThread(thread) }
    }
  }
}

/// The body a worker thread runs, handed to it retained through `pthread_create`'s context.
private final class WorkerBody: Sendable {
  let body: @Sendable () -> Void

  init(_ body: @escaping @Sendable () -> Void) {
    self.body = body
  }
}

/// A worker thread's entry point: takes its `WorkerBody` and releases it before exiting, so
/// that nothing refers to the body once the thread is joined.
private func runWorkerBody(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
  guard let context else { return nil }
  Unmanaged<WorkerBody>.fromOpaque(context).takeRetainedValue().body()
  return nil
}
