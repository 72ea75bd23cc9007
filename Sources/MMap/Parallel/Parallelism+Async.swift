extension Parallelism {
  /// Runs `scan` on a thread started for it and suspends the calling task until it returns:
  /// the way to run a long scan, parallel or not, from Swift concurrency.
  ///
  /// A scan of a large file keeps its thread busy for as long as it reads. Called straight
  /// from an async function, it would hold one of the cooperative pool's threads (one per
  /// core) for that long, and a parallel scan would start its other threads from there. Here
  /// the calling task is suspended instead, leaving its thread to other tasks; the scan runs
  /// on its own thread (which starts the scan's other threads, if any) and ends with it.
  ///
  /// ```swift
  /// let newlines = try await Parallelism.detachedScan {
  ///   try reader.count(of: 0x0A, parallelism: .automatic)
  /// }
  /// ```
  ///
  /// Cancelling the task doesn't stop the scan; to stop early, have the scan's body return
  /// ``ScanStep/stop`` when `Task.isCancelled` was seen by the caller, through a flag.
  ///
  /// - Parameter scan: The work, which runs on the new thread.
  /// - Returns: What `scan` returns.
  /// - Throws: What `scan` throws, or ``MMapError`` with `EAGAIN` if the system can't start a
  ///   thread.
  public static func detachedScan<Result: Sendable>(
    _ scan: @escaping @Sendable () throws -> Result
  ) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
      let job = DetachedScan {
        continuation.resume(with: Swift.Result { try scan() })
      }
      let context = Unmanaged.passRetained(job).toOpaque()
      guard let thread = system_startThread(runDetachedScan, context: context) else {
        Unmanaged<DetachedScan>.fromOpaque(context).release()
        continuation.resume(throwing: MMapError(.read, path: nil, errno: system_EAGAIN))
        return
      }
      system_detachThread(thread)
    }
  }
}

/// The work of ``Parallelism/detachedScan(_:)``, handed to its thread retained.
private final class DetachedScan: Sendable {
  let run: @Sendable () -> Void

  init(_ run: @escaping @Sendable () -> Void) {
    self.run = run
  }
}

/// The entry point of a detached scan's thread: runs the work and releases it.
private func runDetachedScan(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
  guard let context else { return nil }
  Unmanaged<DetachedScan>.fromOpaque(context).takeRetainedValue().run()
  return nil
}
