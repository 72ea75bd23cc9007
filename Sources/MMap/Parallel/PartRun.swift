import Synchronization

/// The parts of one parallel scan, handed out in order to its worker threads, with what each
/// part gave and whether the scan has been stopped.
///
/// Workers take the next part from a shared counter, so the parts are started in order (a
/// search can stop at the first match, since every earlier part has been started) and a
/// worker that finishes early takes more. Each part's result and error are written by the
/// one worker that took it and read only after the workers are joined.
internal final class PartRun<PartResult, Failure: Error>: @unchecked Sendable {
  /// The parts, in the order they are handed out.
  let parts: [Range<Int>]

  /// The index of the next part to hand out.
  private let next = Atomic<Int>(0)

  /// Set when a part throws or asks to stop: workers take no more parts.
  private let stopped = Atomic<Bool>(false)

  /// `results[i]` is what part `i` gave; `nil` if it didn't run to the end.
  private let results: UnsafeMutablePointer<PartResult?>

  /// `errors[i]` is what part `i` threw, if anything.
  private let errors: UnsafeMutablePointer<Failure?>

  init(parts: [Range<Int>]) {
    self.parts = parts
    results = .allocate(capacity: parts.count)
    results.initialize(repeating: nil, count: parts.count)
    errors = .allocate(capacity: parts.count)
    errors.initialize(repeating: nil, count: parts.count)
  }

  deinit {
    results.deinitialize(count: parts.count)
    results.deallocate()
    errors.deinitialize(count: parts.count)
    errors.deallocate()
  }

  /// Whether the scan was stopped by a part that threw or asked to stop.
  var isStopped: Bool { stopped.load(ordering: .relaxed) }

  /// Stops the scan: no worker takes another part.
  func stop() {
    stopped.store(true, ordering: .relaxed)
  }

  /// Takes parts and runs `body` on each until none is left or the scan is stopped; a part
  /// that throws stops the scan.
  func work(_ body: (_ index: Int, _ part: Range<Int>) throws(Failure) -> PartResult) {
    while !isStopped {
      let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
      guard index < parts.count else { return }
      do throws(Failure) {
        results[index] = try body(index, parts[index])
      } catch {
        errors[index] = error
        stop()
      }
    }
  }

  /// After the workers are joined: the results of every part in order, or the error of the
  /// first part (in part order) that threw.
  func outcome() throws(Failure) -> [PartResult?] {
    for index in parts.indices {
      if let error = errors[index] { throw error }
    }
    return Array(UnsafeBufferPointer(start: results, count: parts.count))
  }
}

extension PartRun {
  /// Runs `body` on every part of `parts` with `workers` threads (the calling thread one of
  /// them) and returns the parts' results in order: `nil` for a part skipped because the scan
  /// was stopped. Throws the error of the first part, in part order, that threw; every other
  /// worker stops at its next part.
  static func run(
    _ parts: [Range<Int>], workers: Int,
    _ body:
      @Sendable (_ run: PartRun, _ index: Int, _ part: Range<Int>) throws(Failure) ->
      PartResult
  ) throws(Failure) -> [PartResult?] {
    let run = PartRun(parts: parts)
    WorkerThreads.run(workers) {
      run.work { (index, part) throws(Failure) in try body(run, index, part) }
    }
    return try run.outcome()
  }
}
