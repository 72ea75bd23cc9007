import Dispatch
import Foundation

/// Runs `body(0)`, …, `body(count - 1)` at once, each on a thread of its own, and returns when
/// all have finished.
///
/// Unlike `DispatchQueue.concurrentPerform`, every body really runs in parallel with the
/// others, whatever other tests occupy the shared worker threads: so a body may wait for
/// another without deadlocking.
func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
  let finished = DispatchSemaphore(value: 0)
  for index in 0..<count {
    let thread = Thread {
      body(index)
      finished.signal()
    }
    thread.start()
  }
  for _ in 0..<count { finished.wait() }
}

/// A barrier for a fixed number of threads (`pthread_barrier_t`, which ThreadSanitizer
/// understands): each ``wait()`` returns once all of them have called it.
final class ThreadBarrier: @unchecked Sendable {
  private let barrier: UnsafeMutablePointer<pthread_barrier_t>

  init(count: Int) {
    barrier = .allocate(capacity: 1)
    precondition(pthread_barrier_init(barrier, nil, UInt32(count)) == 0)
  }

  deinit {
    pthread_barrier_destroy(barrier)
    barrier.deallocate()
  }

  /// Waits until every thread of the barrier has reached it.
  func wait() {
    _ = pthread_barrier_wait(barrier)
  }
}
