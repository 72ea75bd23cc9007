// `pthread_mutex_t`, which ThreadSanitizer understands.
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

/// A POSIX mutex. It must stay at one address from `system_pthread_mutex_init` to
/// `system_pthread_mutex_destroy`.
internal typealias system_pthread_mutex_t = pthread_mutex_t

/// Initializes the default (non-recursive) mutex at `mutex`. With the default attributes it
/// can't fail on Linux.
internal func system_pthread_mutex_init(_ mutex: UnsafeMutablePointer<system_pthread_mutex_t>) {
  _ = pthread_mutex_init(mutex, nil)
}

/// Locks `mutex`, waiting as long as another thread holds it.
internal func system_pthread_mutex_lock(_ mutex: UnsafeMutablePointer<system_pthread_mutex_t>) {
  _ = pthread_mutex_lock(mutex)  // Fails only for a mutex that was never initialized.
}

/// Unlocks `mutex`, which the calling thread holds.
internal func system_pthread_mutex_unlock(_ mutex: UnsafeMutablePointer<system_pthread_mutex_t>) {
  _ = pthread_mutex_unlock(mutex)
}

/// Destroys `mutex`, which no thread holds.
internal func system_pthread_mutex_destroy(_ mutex: UnsafeMutablePointer<system_pthread_mutex_t>) {
  _ = pthread_mutex_destroy(mutex)
}
