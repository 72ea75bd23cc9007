public import CMMapEpoch
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
/// flight when a new version comes finish on theirs, and the old reader is closed once every
/// lookup that began before the reload has ended: the last of them to end closes it. (The
/// epochs are the process's, not the reader's: a lookup that lasts, on any reloading reader,
/// delays the release of every reloading reader's old versions until it ends.) A
/// failed reload keeps the current version and reports why (a ``ReloadError``); lookups
/// never see a failure to reload.
///
/// ## Concurrency
///
/// Every method is safe from any thread, ``close()`` included. A lookup takes no lock, makes
/// no system call, reads no clock and makes no atomic read-modify-write, which would keep
/// the processor from overlapping the cache misses of successive lookups: each thread
/// announces its lookup with plain stores to a record of its own (an epoch scheme), and the
/// thread that releases an old version first makes those stores visible with one
/// `membarrier(2)` call (on a kernel without it, each lookup pays a memory fence instead).
/// With a check interval, one lookup in 256 of each thread reads the coarse monotonic clock
/// (`CLOCK_MONOTONIC_COARSE`, read from memory without a system call on Linux) and, once the
/// interval has passed, one lookup makes the check: a `stat` of the path, and the open of
/// the new file if there is one.
///
/// `@unchecked Sendable`: the current reader is published through an atomic with release
/// and acquire ordering, and an unpublished one is closed and dropped only once every
/// lookup that could have read it has ended, as the epoch records tell. Everything else is
/// behind a lock.
///
/// ## Topics
///
/// ### Opening
/// - ``init(path:checkInterval:followsGrowth:validate:)``
/// - ``init(path:checkInterval:followsGrowth:open:validate:)``
/// - ``Opener``
/// - ``Validator``
///
/// ### Reloading
/// - ``reloadIfReplaced()``
/// - ``filePath``
/// - ``followsGrowth``
/// - ``generation``
/// - ``lastReloadError``
///
/// ### Reading
/// - ``withCurrentReader(_:)``
/// - ``count``
/// - ``path``
/// - ``read(from:into:)``
/// - ``byte(at:)``
/// - ``forEachChunk(in:_:)``
///
/// ### File status
/// - ``fileStatus()``
///
/// ### Closing
/// - ``isClosed``
/// - ``close()``
public final class ReloadingReader<Reader: RandomAccessReader>: @unchecked Sendable {
  /// Opens a reader of a path: the current file, and each new file published there.
  public typealias Opener = @Sendable (String) throws(MMapError) -> Reader

  /// Checks a newly opened reader before it becomes the current version; throwing rejects
  /// it, and the error's description is kept in ``ReloadError/Reason/rejected(_:)``.
  public typealias Validator = @Sendable (Reader) throws -> Void

  /// The path whose file the reader follows.
  public let filePath: String

  /// The current version's reader, unretained (`state` holds the strong reference), as the
  /// bits of its address: a lookup pays neither a retain nor a release.
  @usableFromInline
  internal let current: Atomic<UInt>

  /// The newest epoch at which a version was unpublished and not yet released, or `0`.
  @usableFromInline
  internal let retiredEpoch = Atomic<UInt64>(0)

  /// Whether lookups make the automatic check.
  internal let checksAutomatically: Bool

  /// Whether a file that grew at the path is a new version, as well as a file renamed over it.
  public let followsGrowth: Bool

  /// The automatic check's interval in nanoseconds.
  internal let checkIntervalNanoseconds: Int
  /// The coarse clock's reading after which the next automatic check is due.
  private let nextCheck = Atomic<Int>(0)
  /// Set while a lookup makes the automatic check, so that others don't queue behind it.
  private let isChecking = Atomic<Bool>(false)
  /// Set while a lookup tries to release retired versions, for the same reason.
  private let isReleasing = Atomic<Bool>(false)
  /// Set by a lookup that found another one releasing: that one tries again when done, in
  /// case this was the last lookup that held the old versions.
  private let releaseWasMissed = Atomic<Bool>(false)
  private let closed = Atomic<Bool>(false)

  internal let opener: Opener
  internal let validator: Validator?

  /// What changes only at a reload or a release, behind a lock.
  internal struct State {
    /// The strong reference to the current reader.
    var current: Reader
    /// Unpublished readers, each with the epoch after which no new lookup can read it.
    var retired: [(reader: Reader, epoch: UInt64)]
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
  ///     lookup, one in 256 of a thread's, once the interval has passed: a service with few
  ///     lookups calls ``reloadIfReplaced()`` from a timer as well.
  ///   - followsGrowth: Whether the same file grown at the path (appended to) is a new
  ///     version too, mapped or opened anew at its new size: the way to follow an
  ///     append-only log or database file. `false` (the default) reloads only a file renamed
  ///     over the path.
  ///   - open: Opens a reader of a path, for example `{ try MMapReader(path: $0) }`.
  ///   - validate: Checks each new reader before it becomes current (a header, a checksum);
  ///     it must not use this reloading reader. `nil` accepts every non-empty file.
  /// - Throws: ``ReloadError`` if the first file can't be opened, is empty, or fails
  ///   `validate`.
  public init(
    path: String, checkInterval: Duration? = nil, followsGrowth: Bool = false,
    open: @escaping Opener, validate: Validator? = nil
  ) throws(ReloadError) {
    self.filePath = path
    self.followsGrowth = followsGrowth
    self.opener = open
    self.validator = validate
    self.checksAutomatically = checkInterval != nil
    self.checkIntervalNanoseconds = checkInterval.map(Self.nanoseconds(of:)) ?? 0
    let first = try Self.openVersion(path: path, open: open, validate: validate)
    current = Atomic(Self.bits(of: first))
    state = LockedValue(State(current: first, retired: [], generation: 1, lastError: nil))
    if checksAutomatically {
      nextCheck.store(
        system_coarseMonotonicNanoseconds() &+ checkIntervalNanoseconds, ordering: .relaxed)
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
    let entry = mmap_epoch_enter()
    defer { leaveLookup(entry) }
    // Can't be nil: `current` always holds a reader's address.
    let address = UnsafeRawPointer(bitPattern: current.load(ordering: .acquiring))
    // Unretained: no release can close and drop it before this lookup's record says it ended.
    let reader = Unmanaged<Reader>.fromOpaque(address.unsafelyUnwrapped)
    do {
      // Through the untyped `rethrows` form, which costs nothing until `body` throws; a
      // `Result` around a large error type would be copied through memory on every lookup.
      return try reader._withUnsafeGuaranteedRef { reader in try body(reader) }
    } catch {
      throw error as! Failure  // Can't fail: only `body` throws, and it throws `Failure`.
    }
  }

  /// The number of versions made current so far, the first included.
  public var generation: Int { state.withLock { $0.generation } }

  /// Why the last reload failed, or `nil` if it succeeded or none failed yet: the only report
  /// of a failed automatic check.
  public var lastReloadError: ReloadError? { state.withLock { $0.lastError } }

  /// Whether ``close()`` has been called.
  public var isClosed: Bool { closed.load(ordering: .acquiring) }

  /// Closes every version's reader; later reloads throw ``ReloadError/Reason/closed``.
  ///
  /// A lookup running meanwhile sees what its reader's `close()` promises (for
  /// ``MMapReader``: it completes, or throws `EBADF`); later lookups get the closed reader.
  /// Calling it again does nothing.
  ///
  /// - Throws: What the current reader's `close()` threw.
  public func close() throws(MMapError) {
    guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
    let (reader, retired) = state.withLock { ($0.current, $0.retired.map(\.reader)) }
    for old in retired { try? old.close() }
    try reader.close()
  }

  /// The number of unpublished versions not yet released, for tests.
  internal var retiredCount: Int { state.withLock { $0.retired.count } }

  internal static func bits(of reader: Reader) -> UInt {
    UInt(bitPattern: Unmanaged.passUnretained(reader).toOpaque())
  }

  // MARK: The lookup's end

  /// Ends a lookup: the outermost one of a thread releases what it can, and makes the
  /// automatic check if it is due.
  @inlinable @inline(__always)
  internal func leaveLookup(_ entry: mmap_epoch_entry) {
    let isCheckDue = mmap_epoch_leave(entry)
    guard entry.previous == 0 else { return }
    // One test for both rare cases, so that the lookup's end stays a few instructions.
    let due: UInt64 = isCheckDue ? 1 : 0
    if _slowPath(due | retiredEpoch.load(ordering: .relaxed) != 0) {
      finishLookup(isCheckDue: isCheckDue)
    }
  }

  /// The rare end of a lookup: releases retired versions if there are any, then makes the
  /// automatic check if `isCheckDue`.
  @usableFromInline
  internal func finishLookup(isCheckDue: Bool) {
    if retiredEpoch.load(ordering: .relaxed) != 0 { releaseRetired() }
    if isCheckDue { checkIfDue() }
  }

  /// Closes and drops the unpublished versions once every lookup that began before the
  /// newest of them was unpublished has ended: a look at the epoch records first, then, if
  /// they say so, a `membarrier` call and a second look that confirms it.
  @usableFromInline
  internal func releaseRetired() {
    repeat {
      guard
        isReleasing.compareExchange(expected: false, desired: true, ordering: .acquiring)
          .exchanged
      else {
        releaseWasMissed.store(true, ordering: .releasing)
        return
      }
      releaseWasMissed.store(false, ordering: .relaxed)
      let epoch = retiredEpoch.load(ordering: .acquiring)
      if epoch != 0 && mmap_epoch_has_passed(epoch, false) && mmap_epoch_has_passed(epoch, true) {
        let released = state.withLock { state in takeReleasable(&state, upTo: epoch) }
        for reader in released { try? reader.close() }
      }
      isReleasing.store(false, ordering: .releasing)
    } while releaseWasMissed.load(ordering: .acquiring)
      && retiredEpoch.load(ordering: .relaxed) != 0
  }

  /// Removes the retired readers unpublished at or before `epoch` from `state`, and clears
  /// ``retiredEpoch`` if none is left.
  internal func takeReleasable(_ state: inout State, upTo epoch: UInt64) -> [Reader] {
    let released = state.retired.filter { $0.epoch <= epoch }.map(\.reader)
    state.retired.removeAll { $0.epoch <= epoch }
    if state.retired.isEmpty { retiredEpoch.store(0, ordering: .releasing) }
    return released
  }

  /// The automatic check: reads the coarse clock and, once the interval has passed, lets
  /// one lookup check the path. A failure is kept in ``lastReloadError``.
  @usableFromInline
  internal func checkIfDue() {
    guard checksAutomatically else { return }
    let now = system_coarseMonotonicNanoseconds()
    guard now >= nextCheck.load(ordering: .relaxed) else { return }
    guard
      isChecking.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    else { return }
    defer { isChecking.store(false, ordering: .releasing) }
    nextCheck.store(now &+ checkIntervalNanoseconds, ordering: .relaxed)
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
  ///     only on demand (see ``init(path:checkInterval:followsGrowth:open:validate:)``).
  ///   - followsGrowth: Whether the file grown at the path is a new version too.
  ///   - validate: Checks each new reader before it becomes current, or `nil`.
  /// - Throws: ``ReloadError`` if the first file can't be mapped, is empty, or fails
  ///   `validate`.
  public convenience init(
    path: String, checkInterval: Duration? = nil, followsGrowth: Bool = false,
    validate: Validator? = nil
  ) throws(ReloadError) {
    try self.init(
      path: path, checkInterval: checkInterval, followsGrowth: followsGrowth,
      open: { (path) throws(MMapError) in try MMapReader(path: path) }, validate: validate)
  }
}
