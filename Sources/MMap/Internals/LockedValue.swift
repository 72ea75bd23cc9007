/// A value that threads read and change only while holding a `pthread_mutex_t`.
///
/// Why not `Mutex` from the Synchronization module: on Linux its contended path hands the
/// lock over inside the kernel (`FUTEX_LOCK_PI`), where ThreadSanitizer can't see it, so
/// `swift test --sanitize=thread` reports races that aren't there. ThreadSanitizer
/// understands `pthread_mutex_lock`, and uncontended it costs the same (one atomic
/// read-modify-write to lock, one to unlock).
///
/// `@unchecked Sendable`: `value` is touched only inside ``withLock(_:)``, between locking
/// and unlocking the mutex, and the mutex stays at one heap address for the object's life.
internal final class LockedValue<Value>: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<system_pthread_mutex_t>
  @exclusivity(unchecked)  // The lock makes every access exclusive; no need to check.
  private var value: Value

  init(_ value: Value) {
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: system_pthread_mutex_t())
    system_pthread_mutex_init(mutex)
    self.value = value
  }

  deinit {
    system_pthread_mutex_destroy(mutex)
    mutex.deinitialize(count: 1)
    mutex.deallocate()
  }

  /// Calls `body` with the value while holding the lock. `body` must not call back into
  /// this object: the mutex isn't recursive.
  func withLock<Result, Failure: Error>(
    _ body: (inout Value) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    system_pthread_mutex_lock(mutex)
    defer { system_pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
