import Synchronization

/// A reader of a path that moves to the new file when another one is published there, the
/// way a lookup service follows a database replaced every night.
///
/// Publish each version by writing it under another name and renaming it over the path: a
/// rename swaps the whole file at once, so every reader sees either the old file or the new
/// one. ``reloadIfReplaced()`` compares the path's device and inode with the current file's
/// and, when they differ, opens the new file, checks it (not empty, and the validation
/// closure given at init), and makes it the current version. With a `checkInterval`, lookups
/// also make that check themselves, at most once per interval.
///
/// ```swift
/// let database = try ReloadingReader(path: "/data/geo.db", checkInterval: .seconds(10))
/// let country = try database.withCurrentReader { reader in
///   try reader.bytes(in: try offset(of: address, in: reader) ..< end)
/// }
/// ```
///
/// ## Versions and lookups
///
/// A lookup is one call of ``withCurrentReader(_:)``: every read, view, scan or typed read
/// in its closure reads one version of the file, the one current when it began. Lookups in
/// flight when a new version comes finish on theirs, and the old reader is closed when the
/// last of them ends. A failed reload keeps the current version and reports why (a
/// ``ReloadError``); lookups never see a failure to reload.
///
/// The reader holds at most two versions: the current one, and the one before it while
/// lookups still run on it. A reload that finds lookups still running on the version before
/// the current one waits for them by doing nothing (``ReloadOutcome/postponed``); the next
/// check tries again.
///
/// ## Concurrency
///
/// Every method is safe from any thread, ``close()`` included. A lookup costs two atomic
/// additions to a counter of the version it reads (an increment on entry, a decrement on
/// exit), two loads of the current version's number and, for the automatic check, a test of
/// the entry count: no lock, no system call, no clock. One lookup in 256 on each version
/// reads the coarse monotonic clock (`CLOCK_MONOTONIC_COARSE`, read from memory without a
/// system call on Linux) and, once the interval has passed, one lookup makes the check: a
/// `stat` of the path, and the open of the new file if there is one.
///
/// `@unchecked Sendable`: the two versions' readers are written only while no lookup counts
/// itself on that version and it isn't the current one, and read only by lookups that
/// counted themselves on the current version; the counters and the current version's
/// number are sequentially consistent atomics, which order those writes before those reads.
/// Everything else is behind a lock.
public final class ReloadingReader<Reader: RandomAccessReader>: @unchecked Sendable {
  /// Opens a reader of a path: the current file, and each new file published there.
  public typealias Opener = @Sendable (String) throws(MMapError) -> Reader

  /// Checks a newly opened reader before it becomes the current version; throwing rejects
  /// it, and the error's description is kept in ``ReloadError/Reason/rejected(_:)``.
  public typealias Validator = @Sendable (Reader) throws -> Void

  /// The path whose file the reader follows.
  public let filePath: String

  /// Which of the two version slots is the current one: `0` or `1`.
  @usableFromInline
  internal let currentSlot = Atomic<Int>(0)

  /// Each slot's counter: the lookups running on it in the low ``activeBits`` bits, and the
  /// lookups ever begun on it above them (wrapping), which time the automatic check.
  @usableFromInline
  internal let slot0Users = Atomic<UInt64>(0)
  @usableFromInline
  internal let slot1Users = Atomic<UInt64>(0)

  /// Whether the slot holds a version that is no longer current and must be released once
  /// its last lookup ends.
  @usableFromInline
  internal let slot0Retired = Atomic<Bool>(false)
  @usableFromInline
  internal let slot1Retired = Atomic<Bool>(false)

  /// The slots' readers, unretained: the strong references are in `state`. Unretained, so
  /// that a lookup doesn't pay a retain and a release (two more atomic operations).
  @usableFromInline @exclusivity(unchecked)
  internal var slot0Reader: Unmanaged<Reader>
  @usableFromInline @exclusivity(unchecked)
  internal var slot1Reader: Unmanaged<Reader>

  /// The automatic check's interval in nanoseconds, or `nil` for checks only on demand.
  internal let checkIntervalNanoseconds: Int?
  /// The coarse clock's reading after which the next automatic check is due.
  private let nextCheck = Atomic<Int>(0)
  /// Set while a lookup makes the automatic check, so that others don't queue behind it.
  private let isChecking = Atomic<Bool>(false)
  private let closed = Atomic<Bool>(false)

  internal let opener: Opener
  internal let validator: Validator?

  /// What changes only at a reload or a release, behind a lock.
  internal struct State {
    /// The strong references to the slots' readers; `nil` for an empty slot.
    var readers: [Reader?]
    var generation: Int
    var lastError: ReloadError?
  }
  internal let state: LockedValue<State>

  /// Opens the file at `path` with `open`, checks it, and makes it the first version.
  ///
  /// - Parameters:
  ///   - path: The path to follow.
  ///   - checkInterval: How often lookups check the path themselves, or `nil` (the default)
  ///     for checks only when ``reloadIfReplaced()`` is called. The check is made by a
  ///     lookup, one in 256, once the interval has passed: a service with few lookups calls
  ///     ``reloadIfReplaced()`` from a timer as well.
  ///   - open: Opens a reader of a path, for example `{ try MMapReader(path: $0) }`.
  ///   - validate: Checks each new reader before it becomes current (a header, a checksum);
  ///     it must not use this reloading reader. `nil` accepts every non-empty file.
  /// - Throws: ``ReloadError`` if the first file can't be opened, is empty, or fails
  ///   `validate`.
  public init(
    path: String, checkInterval: Duration? = nil, open: @escaping Opener,
    validate: Validator? = nil
  ) throws(ReloadError) {
    self.filePath = path
    self.opener = open
    self.validator = validate
    self.checkIntervalNanoseconds = checkInterval.map(Self.nanoseconds(of:))
    let first = try Self.openVersion(path: path, open: open, validate: validate)
    slot0Reader = Unmanaged.passUnretained(first)
    slot1Reader = Unmanaged.passUnretained(first)  // Never read before slot 1 is filled.
    state = LockedValue(State(readers: [first, nil], generation: 1, lastError: nil))
    if let interval = checkIntervalNanoseconds {
      nextCheck.store(system_coarseMonotonicNanoseconds() &+ interval, ordering: .relaxed)
    }
  }

  /// Calls `body` with the current version's reader: one lookup.
  ///
  /// Everything `body` reads comes from one version of the file, even if a new one is
  /// published meanwhile. The reader is valid only until `body` returns: don't store it, or
  /// capture it in an escaping closure. Nested lookups are allowed, and may see a newer
  /// version than the lookup around them.
  ///
  /// After ``close()``, `body` gets a closed reader, whose reads throw `EBADF`.
  ///
  /// - Parameter body: The lookup.
  /// - Returns: What `body` returns.
  /// - Throws: What `body` throws.
  @inlinable
  public func withCurrentReader<Result, Failure: Error>(
    _ body: (Reader) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    let (slot, begun) = enterCurrentSlot()
    defer { leave(slot, begun: begun) }
    let reader = slot == 0 ? slot0Reader : slot1Reader
    // Unretained: the slot's count keeps the reader alive until `leave`.
    let outcome = reader._withUnsafeGuaranteedRef { reader in
      Swift.Result { () throws(Failure) in try body(reader) }
    }
    return try outcome.get()
  }

  /// The number of versions made current so far, the first included.
  public var generation: Int { state.withLock { $0.generation } }

  /// Why the last reload failed, or `nil` if it succeeded or none failed yet: the only report
  /// of a failed automatic check.
  public var lastReloadError: ReloadError? { state.withLock { $0.lastError } }

  /// Whether ``close()`` has been called.
  public var isClosed: Bool { closed.load(ordering: .acquiring) }

  /// Closes both versions' readers; later reloads throw ``ReloadError/Reason/closed``.
  ///
  /// A lookup running meanwhile sees what its reader's `close()` promises (for
  /// ``MMapReader``: it completes, or throws `EBADF`); later lookups get the closed reader.
  /// Calling it again does nothing.
  ///
  /// - Throws: What the current reader's `close()` threw.
  public func close() throws(MMapError) {
    guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
    let readers = state.withLock { $0.readers }
    var failure: MMapError?
    for case let reader? in readers {
      do throws(MMapError) { try reader.close() } catch { failure = failure ?? error }
    }
    if let failure { throw failure }
  }

  deinit {
    // No lookup can run: each holds a reference. The readers go with `state`.
  }

  // MARK: The lookup's counting

  /// One more lookup begun, one more running.
  @usableFromInline
  internal static var entry: UInt64 { 1 &+ (1 << activeBits) }
  /// The bits counting running lookups: a million at once is far more than any process runs.
  @usableFromInline
  internal static var activeBits: UInt64 { 20 }
  @usableFromInline
  internal static var activeMask: UInt64 { (1 << activeBits) &- 1 }
  /// One lookup in this many on a version makes the automatic check's clock test.
  @usableFromInline
  internal static var checkEvery: UInt64 { 256 }

  /// Counts a lookup on the current slot, and returns the slot and the lookups begun on it
  /// before this one.
  @inlinable @inline(__always)
  internal func enterCurrentSlot() -> (slot: Int, begun: UInt64) {
    while true {
      let slot = currentSlot.load(ordering: .sequentiallyConsistent)
      let before =
        slot == 0
        ? slot0Users.wrappingAdd(Self.entry, ordering: .sequentiallyConsistent).oldValue
        : slot1Users.wrappingAdd(Self.entry, ordering: .sequentiallyConsistent).oldValue
      // Still current after counting: a reload can't release the slot while it counts us.
      if currentSlot.load(ordering: .sequentiallyConsistent) == slot {
        return (slot, before >> Self.activeBits)
      }
      leaveSlot(slot)  // A reload came in between: count on the new slot instead.
    }
  }

  /// Ends a lookup on `slot`, and makes the automatic check if it is due.
  @inlinable @inline(__always)
  internal func leave(_ slot: Int, begun: UInt64) {
    leaveSlot(slot)
    if begun & (Self.checkEvery &- 1) == 0 { checkIfDue() }
  }

  /// Uncounts a lookup on `slot`; the last one out of a retired version releases it.
  @inlinable @inline(__always)
  internal func leaveSlot(_ slot: Int) {
    let after =
      slot == 0
      ? slot0Users.wrappingSubtract(1, ordering: .sequentiallyConsistent).newValue
      : slot1Users.wrappingSubtract(1, ordering: .sequentiallyConsistent).newValue
    if after & Self.activeMask == 0 && isRetired(slot) { releaseIfUnused(slot) }
  }

  @inlinable @inline(__always)
  internal func isRetired(_ slot: Int) -> Bool {
    slot == 0
      ? slot0Retired.load(ordering: .sequentiallyConsistent)
      : slot1Retired.load(ordering: .sequentiallyConsistent)
  }

  internal func runningLookups(_ slot: Int) -> UInt64 {
    let users =
      slot == 0
      ? slot0Users.load(ordering: .sequentiallyConsistent)
      : slot1Users.load(ordering: .sequentiallyConsistent)
    return users & Self.activeMask
  }

  internal func setRetired(_ slot: Int, _ value: Bool) {
    if slot == 0 {
      slot0Retired.store(value, ordering: .sequentiallyConsistent)
    } else {
      slot1Retired.store(value, ordering: .sequentiallyConsistent)
    }
  }

  internal func takeRetired(_ slot: Int) -> Bool {
    slot == 0
      ? slot0Retired.exchange(false, ordering: .sequentiallyConsistent)
      : slot1Retired.exchange(false, ordering: .sequentiallyConsistent)
  }

  /// Releases the retired version in `slot` if no lookup runs on it. Whoever takes the
  /// retired mark checks the count again: a lookup may have counted itself since the count
  /// that led here (it then sees the slot is no longer current and leaves). If one did, the
  /// mark goes back for the last one out, and is taken again if that one left meanwhile.
  @usableFromInline
  internal func releaseIfUnused(_ slot: Int) {
    while takeRetired(slot) {
      if runningLookups(slot) == 0 {
        let reader = state.withLock { state in
          defer { state.readers[slot] = nil }
          return state.readers[slot]
        }
        try? reader?.close()  // Its deinit unmaps what a failed close() kept.
        return
      }
      setRetired(slot, true)
      if runningLookups(slot) != 0 { return }
    }
  }

  /// The automatic check: reads the coarse clock and, once the interval has passed, lets
  /// one lookup check the path. A failure is kept in ``lastReloadError``.
  @usableFromInline
  internal func checkIfDue() {
    guard let interval = checkIntervalNanoseconds else { return }
    let now = system_coarseMonotonicNanoseconds()
    guard now >= nextCheck.load(ordering: .relaxed) else { return }
    guard
      isChecking.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    else { return }
    defer { isChecking.store(false, ordering: .releasing) }
    nextCheck.store(now &+ interval, ordering: .relaxed)
    _ = try? reloadIfReplaced()
  }

  /// `duration` in nanoseconds: `0` if negative, `Int.max` if too long to count.
  private static func nanoseconds(of duration: Duration) -> Int {
    let (seconds, attoseconds) = duration.components
    guard seconds >= 0 else { return 0 }
    let whole = Int(clamping: seconds).multipliedReportingOverflow(by: 1_000_000_000)
    let total = whole.partialValue.addingReportingOverflow(Int(attoseconds / 1_000_000_000))
    return whole.overflow || total.overflow ? Int.max : total.partialValue
  }
}

extension ReloadingReader where Reader == MMapReader {
  /// Maps the file at `path` with ``MMapReader``, and follows it.
  ///
  /// - Parameters:
  ///   - path: The path to follow.
  ///   - checkInterval: How often lookups check the path themselves, or `nil` for checks
  ///     only on demand (see ``init(path:checkInterval:open:validate:)``).
  ///   - validate: Checks each new reader before it becomes current, or `nil`.
  /// - Throws: ``ReloadError`` if the first file can't be mapped, is empty, or fails
  ///   `validate`.
  public convenience init(
    path: String, checkInterval: Duration? = nil, validate: Validator? = nil
  ) throws(ReloadError) {
    try self.init(
      path: path, checkInterval: checkInterval,
      open: { (path) throws(MMapError) in try MMapReader(path: path) }, validate: validate)
  }
}
