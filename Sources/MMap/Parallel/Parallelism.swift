/// How many threads a scan may use: the degree of parallelism of the scanning helpers that
/// take one, such as ``RandomAccessReader/count(of:in:parallelism:)``.
///
/// A helper called without one runs as it always has, on the calling thread alone: a library
/// that starts threads unasked surprises a server that budgets its own. Ask for
/// ``automatic`` to use every processor the process may run on, or ``threads(_:minimumBytesPerThread:)``
/// for a fixed number.
///
/// Whatever is asked, a scan uses no more threads than its range gives work to: one per
/// ``minimumBytesPerThread`` bytes, and one per part of the range. A range smaller than two
/// such shares stays on the calling thread and starts no thread at all.
///
/// ```swift
/// let newlines = try reader.count(of: 0x0A, parallelism: .automatic)
/// ```
///
/// ## Topics
///
/// ### Choosing the parallelism
/// - ``serial``
/// - ``automatic``
/// - ``automatic(minimumBytesPerThread:)``
/// - ``threads(_:minimumBytesPerThread:)``
/// - ``defaultMinimumBytesPerThread``
///
/// ### Inspecting the parallelism
/// - ``threadCount``
/// - ``threadCount(forBytes:)``
/// - ``minimumBytesPerThread``
/// - ``availableProcessors``
///
/// ### Scanning off the caller's task
/// - ``detachedScan(_:)``
public struct Parallelism: Hashable, Sendable {
  /// The most threads asked for, or `nil` for one per available processor.
  internal let requestedThreads: Int?

  /// The fewest bytes of the range each thread must get, or the scan uses fewer threads.
  ///
  /// A new thread costs its start and its join, about 20 to 50 µs on Linux, and a scan of
  /// page-cached bytes runs at 5 to 15 GB/s per core: a thread must scan a few hundred
  /// kilobytes to pay for itself, and a few megabytes for its cost to stay under a tenth of
  /// the scan. Lower it for bodies that do much more per byte than scan it (a parser).
  public let minimumBytesPerThread: Int

  /// The default share of a thread: 4 MiB, the ``minimumBytesPerThread`` of ``automatic``
  /// and of ``threads(_:minimumBytesPerThread:)`` when none is given.
  public static let defaultMinimumBytesPerThread = 4 << 20

  /// One thread, the calling one: what a helper does when not asked for more.
  public static let serial = Parallelism(requestedThreads: 1, minimumBytesPerThread: .max)

  /// One thread per processor the process may run on (its CPU affinity mask on Linux, not
  /// the machine's processor count), the calling thread among them.
  public static let automatic = Parallelism(
    requestedThreads: nil, minimumBytesPerThread: defaultMinimumBytesPerThread)

  /// Up to `count` threads, the calling thread among them.
  ///
  /// - Parameters:
  ///   - count: The most threads to use, at least 1; `1` is ``serial``.
  ///   - minimumBytesPerThread: The fewest bytes of the range each thread must get, at least 1.
  /// - Returns: The degree of parallelism.
  /// - Precondition: Both are positive; otherwise this traps with the values.
  public static func threads(
    _ count: Int, minimumBytesPerThread: Int = defaultMinimumBytesPerThread
  ) -> Parallelism {
    if count < 1 {
      trapCallerBug("Parallelism", .setting("thread count \(count) is less than 1"))
    }
    if minimumBytesPerThread < 1 {
      trapCallerBug(
        "Parallelism",
        .setting("minimumBytesPerThread \(minimumBytesPerThread) is less than 1"))
    }
    return Parallelism(requestedThreads: count, minimumBytesPerThread: minimumBytesPerThread)
  }

  /// One thread per processor the process may run on, each getting at least
  /// `minimumBytesPerThread` bytes.
  ///
  /// - Precondition: `minimumBytesPerThread` is positive; otherwise this traps.
  public static func automatic(minimumBytesPerThread: Int) -> Parallelism {
    if minimumBytesPerThread < 1 {
      trapCallerBug(
        "Parallelism",
        .setting("minimumBytesPerThread \(minimumBytesPerThread) is less than 1"))
    }
    return Parallelism(requestedThreads: nil, minimumBytesPerThread: minimumBytesPerThread)
  }

  /// The number of processors this process may run on now: the processors of its CPU
  /// affinity mask (`sched_getaffinity`) on Linux, those online elsewhere; at least 1.
  public static var availableProcessors: Int { system_availableProcessors() }

  /// The most threads this asks for: ``availableProcessors`` for ``automatic``.
  public var threadCount: Int { requestedThreads ?? Self.availableProcessors }

  /// How many threads a scan of `byteCount` bytes uses, the calling thread among them: at
  /// most ``threadCount``, at most one per ``minimumBytesPerThread`` bytes, and 1 for a range
  /// too small to share. A reader may use fewer (``MMapWindowReader``, at most its
  /// ``MMapWindowReader/maxWindows``).
  ///
  /// Cut a range into this many parts to give each thread of
  /// ``RandomAccessReader/mapParts(_:parallelism:_:)`` one, and a small range one part (or,
  /// where it is 1, scan the range itself and skip the parts' arrays):
  ///
  /// ```swift
  /// let parallelism = Parallelism.automatic
  /// let parts = try reader.lineAlignedParts(
  ///   count: parallelism.threadCount(forBytes: reader.count))
  /// ```
  ///
  /// - Parameter byteCount: The number of bytes to scan; `0` or more.
  /// - Returns: The number of threads, at least 1.
  public func threadCount(forBytes byteCount: Int) -> Int {
    workers(forBytes: byteCount, parts: .max)
  }

  /// Whether a scan of `range` may use more than the calling thread: `false` for ``serial``
  /// and for a range shorter than two threads' shares, which the helpers hand to their
  /// one-thread forms before any other step (the ``threadCount`` of ``automatic`` asks the
  /// system). `true` for a range whose count overflows, so that the full path rejects it.
  internal func mayShare(_ range: Range<Int>) -> Bool {
    let (length, overflow) = range.upperBound.subtractingReportingOverflow(range.lowerBound)
    // length / minimumBytesPerThread >= 2, without a division.
    return overflow || (requestedThreads != 1 && length >> 1 >= minimumBytesPerThread)
  }

  /// How many threads a scan of `byteCount` bytes in `partCount` parts uses, at most `limit`
  /// (a reader's own bound): `1` means the calling thread alone.
  internal func workers(forBytes byteCount: Int, parts partCount: Int, limit: Int = .max)
    -> Int
  {
    guard requestedThreads != 1 else { return 1 }
    let shares = max(1, byteCount / minimumBytesPerThread)
    return max(1, min(threadCount, shares, partCount, limit))
  }
}
