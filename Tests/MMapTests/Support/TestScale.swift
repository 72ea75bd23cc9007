import Foundation

/// How much work the long-running tests do: a CI-sized slice by default; the full counts
/// with `SWIFT_MMAP_LONG_TESTS=1`; a smaller slice under a sanitizer, which slows every
/// access many times (`.ci/run` sets `SWIFT_MMAP_SANITIZER` to `address` or `thread`).
enum TestScale {
  /// Whether `SWIFT_MMAP_LONG_TESTS=1` asks for the long mode.
  static let isLong = ProcessInfo.processInfo.environment["SWIFT_MMAP_LONG_TESTS"] == "1"

  /// The sanitizer the tests run under, if `.ci/run` said so.
  static let sanitizer = ProcessInfo.processInfo.environment["SWIFT_MMAP_SANITIZER"]

  /// `long` in the long mode, else `sanitized` under a sanitizer, else `normal`.
  static func count(normal: Int, long: Int, sanitized: Int) -> Int {
    isLong ? long : sanitizer != nil ? sanitized : normal
  }
}
