/// The mutable state of an ``MMapWindowReader``, always accessed under its lock: which
/// windows are mapped and pinned, how many operations are in flight, and whether the reader
/// is closed.
///
/// It only decides. Each method says what the reader must do (copy from a pinned window, go
/// around the windows, map a window, unmap an evicted one, release everything), and the reader
/// does every `mmap`, `munmap`, `madvise` and `pread` after unlocking, so no system call ever
/// runs under the lock and the decisions can be tested without a file.
///
/// It counts the operations in flight (each one between ``enter(at:count:kind:)`` and
/// ``leave(window:)``) and pins the windows they use. ``close()`` and the last operation out
/// after it agree, under the lock, on which of them releases the windows and the descriptor,
/// so that happens exactly once and never while an operation can still use them.
///
/// A window the policy wants mapped is first reserved: its entry counts against
/// ``maxWindows`` and is pinned by the operation that maps it, and another operation that
/// needs it meanwhile goes around it rather than mapping it twice. The mapper then
/// ``install(_:inWindow:at:streak:)``s the mapping, or ``abandon(window:)``s the entry if mapping
/// failed.
internal struct WindowTable {
  /// What an operation is, for the miss policy.
  enum Kind {
    /// The first piece of a copying read.
    case read
    /// A later piece of a copying read whose first piece had this streak.
    case continuation(streak: Int)
    /// A view that lies inside one window.
    case view
    /// A view across a window edge: never served by a window.
    case crossingView
  }

  /// What the reader must do for one piece of an operation.
  enum Decision {
    /// Use this access: a pinned window's bytes, or (with no address) go around the windows.
    case use(WindowAccess)
    /// Map a window as `plan` says, then ``install(_:inWindow:at:streak:)`` it.
    case map(WindowPlan)
  }

  /// The streak from which a newly mapped window is prefaulted.
  static let prefaultStreak = 3

  let geometry: WindowGeometry
  let maxWindows: Int
  private(set) var windows: [MappedWindow] = []
  private var clock: UInt64 = 0
  private(set) var inFlight = 0
  private(set) var isClosed = false
  /// How many windows have been mapped since the reader opened, for tests of the policy.
  private(set) var mapCount = 0
  private var isReleased = false
  /// The advice given for the whole reader, applied to every window as it is mapped.
  private(set) var advice: CInt?
  private var policy = MissPolicy()

  init(geometry: WindowGeometry, maxWindows: Int) {
    self.geometry = geometry
    self.maxWindows = maxWindows
    windows.reserveCapacity(min(maxWindows, 64))  // A huge maxWindows must not allocate.
  }

  /// The number of windows whose mapping is installed.
  var mappedWindowCount: Int { windows.count(where: { $0.mapping != nil }) }

  /// Starts an operation on the reader offsets `offset..<offset + count` (non-empty, inside
  /// the reader): pins the window that serves its first byte, reserves it for mapping if the
  /// miss policy says so, or tells the caller to go around the windows. Returns `nil` if the
  /// reader is closed, in which case the caller must not call ``leave(window:)``.
  mutating func enter(at offset: Int, count: Int, kind: Kind) -> Decision? {
    guard !isClosed else { return nil }
    inFlight &+= 1  // Can't overflow: at most one per thread.
    clock &+= 1  // Wraps after 2^64 operations; LRU order is then briefly wrong, no more.
    // Can't overflow: offset + count <= the reader's count.
    let end = offset &+ count
    let streak: Int
    switch kind {
    case .continuation(let first): streak = first
    case .read, .view, .crossingView: streak = policy.noteAccess(from: offset, to: end)
    }
    let isSequential = streak > 0
    if case .crossingView = kind { return .use(around(streak: streak)) }
    let index = geometry.window(containing: offset)
    if let slot = windows.firstIndex(where: { $0.index == index }) {
      // A window being mapped by another operation is gone around, not waited for.
      guard windows[slot].mapping != nil else { return .use(around(streak: streak)) }
      return .use(pin(slot, at: offset, streak: streak))
    }
    let isDense = policy.noteMiss(inWindow: index)
    var isLargeView = false
    if case .view = kind { isLargeView = count >= geometry.windowSize / 4 }
    guard isSequential || isDense || isLargeView else { return .use(around(streak: streak)) }
    // Make room: evict the least recently used window that no one is using.
    var evicted: FileMapping? = nil
    if windows.count >= maxWindows {
      var victim: Int? = nil
      for slot in windows.indices where windows[slot].pins == 0 {
        if victim.map({ windows[slot].lastUse < windows[$0].lastUse }) ?? true { victim = slot }
      }
      guard let victim else { return .use(around(streak: streak)) }  // Every window is in use.
      let window = windows.remove(at: victim)
      if window.isDenseGuess { policy.noteEviction(ofDenseWindowWithUses: window.uses) }
      evicted = window.mapping
    }
    let bounds = geometry.bounds(ofWindow: index)
    windows.append(
      MappedWindow(
        index: index, lowerBound: bounds.lowerBound, mapping: nil, pins: 1, lastUse: clock,
        isDenseGuess: isDense && !isSequential && !isLargeView))
    return .map(
      WindowPlan(
        window: index, bounds: bounds, streak: streak, evicted: evicted, advice: advice,
        prefault: streak >= Self.prefaultStreak))
  }

  /// Installs `mapping` in the window reserved for the operation at `offset`, which keeps it
  /// pinned, and returns the operation's access.
  mutating func install(_ mapping: FileMapping, inWindow index: Int, at offset: Int, streak: Int)
    -> WindowAccess
  {
    // Can't be nil: a reserved window is pinned, so it is never evicted or released.
    let slot = windows.firstIndex(where: { $0.index == index }).unsafelyUnwrapped
    windows[slot].mapping = mapping
    windows[slot].pins &-= 1  // The reservation's pin; `pin` takes the operation's.
    mapCount &+= 1  // Wraps only after 2^63 mappings; it feeds tests.
    return pin(slot, at: offset, streak: streak)
  }

  /// Drops the window reserved for an operation whose mapping failed, which then goes around
  /// the windows (and leaves with no window).
  mutating func abandon(window index: Int) {
    windows.removeAll { $0.index == index && $0.mapping == nil }
  }

  /// Ends an operation begun by ``enter(at:count:kind:)``: unpins its window (the access's
  /// `window`, or `-1` for none), and returns what to release if the reader is closed and
  /// this was the last operation out.
  mutating func leave(window: Int) -> ReleasedWindows? {
    if window >= 0, let slot = windows.firstIndex(where: { $0.index == window }) {
      windows[slot].pins &-= 1  // Can't overflow: the window was pinned for this operation.
    }
    inFlight &-= 1  // Can't overflow: this operation was counted.
    return releaseIfIdle()
  }

  /// Starts an advice operation on the reader offsets in `range`: pins every mapped window
  /// that overlaps it and returns them, each with the part of `range` it holds (as offsets
  /// into its mapping). Returns `nil` if the reader is closed. The caller must end it with
  /// ``endAdvice(pinned:remembering:)``.
  mutating func beginAdvice(in range: Range<Int>) -> [PinnedWindow]? {
    guard !isClosed else { return nil }
    inFlight &+= 1  // Can't overflow: at most one per thread.
    var pinned: [PinnedWindow] = []
    for slot in windows.indices {
      guard let mapping = windows[slot].mapping else { continue }
      let lower = windows[slot].lowerBound
      // Can't overflow: both are reader offsets.
      let covered = lower..<(lower &+ mapping.bytes.count)
      let overlap = covered.clamped(to: range)
      guard !overlap.isEmpty else { continue }
      windows[slot].pins &+= 1
      pinned.append(
        PinnedWindow(
          window: windows[slot].index, mapping: mapping,
          part: (overlap.lowerBound &- lower)..<(overlap.upperBound &- lower)))
    }
    return pinned
  }

  /// Ends an advice operation: unpins `pinned`, remembers `advice` for windows mapped from now
  /// on if given, and returns what to release as ``leave(window:)`` does.
  mutating func endAdvice(pinned: [Int], remembering advice: CInt?) -> ReleasedWindows? {
    if let advice { self.advice = advice }
    for window in pinned {
      if let slot = windows.firstIndex(where: { $0.index == window }) { windows[slot].pins &-= 1 }
    }
    inFlight &-= 1  // Can't overflow: this operation was counted.
    return releaseIfIdle()
  }

  /// Marks the reader closed; returns what to release if no operation is in flight.
  mutating func close() -> ReleasedWindows? {
    guard !isClosed else { return nil }
    isClosed = true
    return releaseIfIdle()
  }

  /// Returns every window still mapped, for `deinit`, unless they were released already.
  mutating func releaseAll() -> ReleasedWindows? {
    guard !isReleased else { return nil }
    isClosed = true
    isReleased = true
    defer { windows = [] }
    return ReleasedWindows(mappings: windows.compactMap(\.mapping))
  }

  private mutating func releaseIfIdle() -> ReleasedWindows? {
    guard isClosed, inFlight == 0 else { return nil }
    return releaseAll()
  }

  private mutating func pin(_ slot: Int, at offset: Int, streak: Int) -> WindowAccess {
    windows[slot].pins &+= 1  // Can't overflow: at most one per thread.
    windows[slot].uses &+= 1  // Wraps only after 2^63 uses; it feeds a heuristic.
    windows[slot].lastUse = clock
    let window = windows[slot]
    // Can't be nil: only installed windows are pinned for access.
    let bytes = window.mapping.unsafelyUnwrapped.bytes
    // Can't overflow: offset lies inside the window.
    let skip = offset &- window.lowerBound
    return WindowAccess(
      address: bytes.baseAddress.unsafelyUnwrapped + skip, available: bytes.count &- skip,
      window: window.index, streak: streak, advice: advice)
  }

  private func around(streak: Int) -> WindowAccess {
    WindowAccess(address: nil, available: 0, window: -1, streak: streak, advice: advice)
  }
}

/// One window of an ``MMapWindowReader`` that is mapped, or reserved while it is mapped.
internal struct MappedWindow {
  /// The window's number (see ``WindowGeometry``).
  let index: Int
  /// The reader offset of `mapping.bytes[0]`.
  let lowerBound: Int
  /// The window's mapping, or `nil` while an operation is mapping it.
  var mapping: FileMapping?
  /// How many operations are using the window now. A pinned window is never evicted.
  var pins = 0
  /// The table's clock at the window's last use, for least-recently-used eviction.
  var lastUse: UInt64
  /// How many operations have used the window since it was mapped.
  var uses = 0
  /// Whether the window was mapped because its misses looked dense (see ``MissPolicy``).
  let isDenseGuess: Bool
}

/// Where one piece of an operation gets its bytes, as the window table decided it.
///
/// The caller must pass its `window` to ``WindowTable/leave(window:)`` exactly once.
internal struct WindowAccess {
  /// The first byte of the piece inside a window pinned for the caller, or `nil` if no
  /// window serves the piece: the caller reads it with `pread` or maps it temporarily. Valid
  /// until the caller leaves.
  let address: UnsafeRawPointer?
  /// The number of bytes at `address` up to the window's end.
  let available: Int
  /// The pinned window's number, or `-1`.
  let window: Int
  /// How many accesses in a row the operation's stream has made, this one included, or `0`
  /// if it doesn't look sequential (see ``MissPolicy``).
  let streak: Int
  /// The advice to give a temporary mapping, if any.
  let advice: CInt?
}

/// A mapped window pinned for an operation that uses its mapping directly (advice).
internal struct PinnedWindow {
  /// The window's number, to unpin it.
  let window: Int
  let mapping: FileMapping
  /// The offsets into `mapping.bytes` the operation concerns.
  let part: Range<Int>
}

/// A window the table reserved for an operation, which the reader maps after unlocking.
internal struct WindowPlan {
  /// The window's number.
  let window: Int
  /// The reader offsets it covers.
  let bounds: Range<Int>
  /// The operation's streak, for its access.
  let streak: Int
  /// A window evicted to make room, which the reader unmaps (no one else can reach it).
  let evicted: FileMapping?
  /// The advice to give the new window, if any.
  let advice: CInt?
  /// Whether to prefault the new window: its stream is well established, so its pages will
  /// all be read, and one `madvise(MADV_POPULATE_READ)` costs less than their page faults
  /// (about 10% of a scan's time).
  let prefault: Bool
}

/// What a reader must release once it is closed and nothing is in flight: these mappings,
/// then its descriptor.
internal struct ReleasedWindows {
  let mappings: [FileMapping]
}
