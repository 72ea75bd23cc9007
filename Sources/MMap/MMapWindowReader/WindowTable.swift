/// One window of an ``MMapWindowReader`` that is mapped now.
internal struct MappedWindow {
  /// The window's number (see ``WindowGeometry``).
  let index: Int
  /// The reader offset of `mapping.bytes[0]`.
  let lowerBound: Int
  let mapping: FileMapping
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
  /// A window evicted to make room, which the caller unmaps after unlocking (no one else
  /// can reach it any more).
  var evicted: FileMapping? = nil
  /// The window just mapped for this access if its stream is well established, which the
  /// caller prefaults after unlocking (it is pinned, so it stays mapped).
  var toPrefault: FileMapping? = nil
}

/// What a reader must release once it is closed and nothing is in flight: these mappings,
/// then its descriptor.
internal struct ReleasedWindows {
  let mappings: [FileMapping]
}

/// The mutable state of an ``MMapWindowReader``, always accessed under its lock.
///
/// It counts the operations in flight (each one between ``enter(at:count:kind:fd:path:)``
/// and ``leave(window:)``), and pins the windows they use. ``close()`` and the last operation
/// out after it agree, under the lock, on which of them releases the windows and the descriptor,
/// so that happens exactly once and never while an operation can still use them.
///
/// A window is mapped under the lock (one `mmap`, and `madvise` if advice was given: a few
/// microseconds, and never twice for one window), so two threads missing the same window
/// can't both map it. An evicted window leaves the table under the lock but is unmapped after
/// it, since tearing down a fully faulted window can take much longer; and a window mapped
/// for a stream of at least ``prefaultStreak`` accesses is prefaulted after it, in one
/// `madvise(MADV_POPULATE_READ)`, which costs less than the thousands of page faults the
/// stream would otherwise take (about 10% of a scan's time) and can't be wasted on a random
/// read that merely happened to start where another ended.
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

  /// The streak from which a newly mapped window is prefaulted.
  static let prefaultStreak = 3

  let geometry: WindowGeometry
  let maxWindows: Int
  private(set) var windows: [MappedWindow] = []
  private var clock: UInt64 = 0
  private var inFlight = 0
  private(set) var isClosed = false
  /// How many windows have been mapped since the reader opened, for tests of the policy.
  private(set) var mapCount = 0
  private var isReleased = false
  /// The advice given with `advise(_:)`, applied to every window as it is mapped.
  var advice: CInt?
  private var policy = MissPolicy()

  init(geometry: WindowGeometry, maxWindows: Int) {
    self.geometry = geometry
    self.maxWindows = maxWindows
    windows.reserveCapacity(maxWindows)
  }

  /// Starts an operation on the reader offsets `offset..<offset + count` (non-empty, inside
  /// the reader): pins the window that serves its first byte, mapping it if the miss policy
  /// says so, or tells the caller to go around the windows. Returns `nil` if the reader is
  /// closed, in which case the caller must not call ``leave(window:)``.
  mutating func enter(at offset: Int, count: Int, kind: Kind, fd: CInt, path: String?)
    -> WindowAccess?
  {
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
    if case .crossingView = kind { return around(streak: streak) }
    let index = geometry.window(containing: offset)
    if let slot = windows.firstIndex(where: { $0.index == index }) {
      return pin(slot, at: offset, streak: streak)
    }
    let isDense = policy.noteMiss(inWindow: index)
    var isLargeView = false
    if case .view = kind { isLargeView = count >= geometry.windowSize / 4 }
    guard isSequential || isDense || isLargeView else { return around(streak: streak) }
    // Make room: evict the least recently used window that no one is using.
    var evicted: FileMapping? = nil
    if windows.count >= maxWindows {
      var victim: Int? = nil
      for slot in windows.indices where windows[slot].pins == 0 {
        if victim.map({ windows[slot].lastUse < windows[$0].lastUse }) ?? true { victim = slot }
      }
      guard let victim else { return around(streak: streak) }  // Every window is in use.
      let window = windows.remove(at: victim)
      if window.isDenseGuess { policy.noteEviction(ofDenseWindowWithUses: window.uses) }
      evicted = window.mapping
    }
    // The descriptor is open: the reader is not closed, and this operation is in flight.
    let bounds = geometry.bounds(ofWindow: index)
    // Can't overflow: start + bounds.lowerBound is inside the file.
    guard
      let mapping = try? FileMapping(
        fd: fd, offset: geometry.start &+ bounds.lowerBound, count: bounds.count,
        populate: false, path: path)
    else {  // Out of address space, say: a `pread` or a temporary mapping may still work.
      var access = around(streak: streak)
      access.evicted = evicted
      return access
    }
    mapCount &+= 1  // Wraps only after 2^63 mappings; it feeds tests.
    if let advice {  // Advice is a hint; a window it fails on reads the same.
      try? mapping.advise(advice, in: 0..<bounds.count, path: path)
    }
    windows.append(
      MappedWindow(
        index: index, lowerBound: bounds.lowerBound, mapping: mapping, lastUse: clock,
        isDenseGuess: isDense && !isSequential && !isLargeView))
    var access = pin(windows.count &- 1, at: offset, streak: streak)
    access.evicted = evicted
    if streak >= Self.prefaultStreak { access.toPrefault = mapping }
    return access
  }

  /// Ends an operation begun by ``enter(at:count:kind:fd:path:)``: unpins its window (the
  /// access's `window`, or `-1` for none), and returns what to release if the reader is
  /// closed and this was the last operation out.
  mutating func leave(window: Int) -> ReleasedWindows? {
    if window >= 0, let slot = windows.firstIndex(where: { $0.index == window }) {
      windows[slot].pins &-= 1  // Can't overflow: the window was pinned for this operation.
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
    return ReleasedWindows(mappings: windows.map(\.mapping))
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
    // Can't overflow: offset lies inside the window.
    let skip = offset &- window.lowerBound
    return WindowAccess(
      address: window.mapping.bytes.baseAddress.unsafelyUnwrapped + skip,
      available: window.mapping.bytes.count &- skip, window: window.index, streak: streak,
      advice: advice)
  }

  private func around(streak: Int) -> WindowAccess {
    WindowAccess(address: nil, available: 0, window: -1, streak: streak, advice: advice)
  }
}
