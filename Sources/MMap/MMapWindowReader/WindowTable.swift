/// The locked state of an ``MMapWindowReader``: which window each slot holds, which slots are
/// pinned, how many operations are in flight on the locked path, and whether the reader is
/// closed.
///
/// It only decides. Each method says what the reader must do (use a pinned slot, go around
/// the windows, map a window into a slot, release everything), and the reader does every
/// `mmap`, `madvise` and `pread` after unlocking, so no system call ever runs under the lock
/// and the decisions can be tested without a file. Reads that hit a mapped window don't come
/// here at all (see ``WindowSlots``); this is the path of misses, views and closing.
///
/// It counts the operations in flight (each one between ``enter(at:count:kind:)`` and
/// ``leave(slot:)``) and pins the slots they use. ``close()`` and the last operation out
/// after it agree, under the lock, on which of them releases the windows and the descriptor,
/// so that happens exactly once and never while an operation can still use them.
///
/// A slot the policy wants a window mapped into is first reserved: pinned by the operation
/// that maps it, and another operation that needs the window meanwhile goes around it rather
/// than mapping it twice. The mapper then ``install(slot:at:streak:)``s it, or
/// ``abandon(slot:)``s it if mapping failed.
///
/// A slot whose window `lock(in:)` locked is never evicted: it stays mapped, and counts
/// against the window budget, until `unlock(in:)` covers its locked pages or the reader is
/// released. When every slot is locked, misses go around the windows.
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
    /// A piece, inside one window, of a range to lock: its window is mapped whatever the
    /// miss policy says, and the access doesn't count as one for the policy.
    case lock
  }

  /// What the reader must do for one piece of an operation.
  enum Decision {
    /// Use this access: a pinned slot's bytes, or (with no slot) go around the windows.
    case use(WindowAccess)
    /// Map a window into a slot as `plan` says, then ``install(slot:at:streak:)`` it.
    case map(WindowPlan)
  }

  /// The streak from which a newly mapped window is prefaulted.
  static let prefaultStreak = 3

  let geometry: WindowGeometry
  private(set) var slots: [Slot]
  private var clock: UInt64 = 0
  private(set) var inFlight = 0
  private(set) var isClosed = false
  /// How many windows have been mapped since the reader opened, for tests of the policy.
  private(set) var mapCount = 0
  private var isReleased = false
  /// The advice given for the whole reader, applied to every window as it is mapped.
  private(set) var advice: CInt?
  private var policy = MissPolicy()

  /// A table of `slotCount` empty slots.
  init(geometry: WindowGeometry, slotCount: Int) {
    self.geometry = geometry
    self.slots = Array(repeating: Slot(), count: slotCount)
  }

  /// The number of slots holding a mapped window.
  var mappedWindowCount: Int { slots.count(where: { $0.isMapped }) }

  /// Starts an operation on the reader offsets `offset..<offset + count` (non-empty, inside
  /// the reader): pins the slot whose window serves its first byte, reserves a slot for that
  /// window if the miss policy says so, or tells the caller to go around the windows.
  /// `wasReferenced(slot)` says whether a lock-free read used a slot since the last call
  /// (and clears the mark), for eviction. Returns `nil` if the reader is closed, in which
  /// case the caller must not call ``leave(slot:)``.
  mutating func enter(
    at offset: Int, count: Int, kind: Kind, wasReferenced: (Int) -> Bool = { _ in false }
  ) -> Decision? {
    guard !isClosed else { return nil }
    inFlight &+= 1  // Can't overflow: at most one per thread.
    clock &+= 1  // Wraps after 2^64 operations; LRU order is then briefly wrong, no more.
    // Can't overflow: offset + count <= the reader's count.
    let end = offset &+ count
    let streak: Int
    switch kind {
    case .continuation(let first): streak = first
    case .lock: streak = 0
    case .read, .view, .crossingView:
      streak = policy.noteAccess(from: offset, to: end, after: mappedWindow(leftFor: offset))
    }
    let isSequential = streak > 0
    if case .crossingView = kind { return .use(around(streak: streak)) }
    let window = geometry.window(containing: offset)
    if let slot = slots.firstIndex(where: { $0.window == window }) {
      // A window being mapped by another operation is gone around, not waited for.
      guard slots[slot].isMapped else { return .use(around(streak: streak)) }
      return .use(pin(slot, at: offset, streak: streak))
    }
    var isDense = false
    var isLargeView = false
    switch kind {
    case .lock: isLargeView = true  // Mapped like a large view, and never a dense guess.
    case .view:
      isDense = policy.noteMiss(inWindow: window)
      isLargeView = count >= geometry.windowSize / 4
    case .read, .continuation, .crossingView: isDense = policy.noteMiss(inWindow: window)
    }
    guard isSequential || isDense || isLargeView else { return .use(around(streak: streak)) }
    guard let slot = victim(wasReferenced: wasReferenced) else {
      return .use(around(streak: streak))  // Every slot is in use or locked.
    }
    if slots[slot].isMapped, slots[slot].isDenseGuess {
      policy.noteEviction(ofDenseWindowWithUses: slots[slot].uses)
    }
    slots[slot] = Slot(
      window: window, isMapped: false, pins: 1, lastUse: clock, uses: 0,
      isDenseGuess: isDense && !isSequential && !isLargeView)
    return .map(
      WindowPlan(
        slot: slot, window: window, bounds: geometry.bounds(ofWindow: window), streak: streak,
        advice: advice, prefault: streak >= Self.prefaultStreak))
  }

  /// Starts an operation that uses the descriptor but no window (a `fstat`). Returns `false`
  /// if the reader is closed; otherwise the caller must end it with ``leave(slot:)`` and
  /// `-1`.
  mutating func enterWithoutWindow() -> Bool {
    guard !isClosed else { return false }
    inFlight &+= 1  // Can't overflow: at most one per thread.
    return true
  }

  /// The slot to map a new window into: an empty one, or else the least recently used one
  /// that no operation pins and no lock holds, giving a slot that lock-free reads used lately
  /// a second chance.
  private mutating func victim(wasReferenced: (Int) -> Bool) -> Int? {
    if let empty = slots.firstIndex(where: { $0.window < 0 }) { return empty }
    var oldest: Int? = nil
    for slot in slots.indices where slots[slot].isEvictable {
      if wasReferenced(slot) {
        slots[slot].lastUse = clock  // Used without the lock: recently, as far as we know.
        continue
      }
      if oldest.map({ slots[slot].lastUse < slots[$0].lastUse }) ?? true { oldest = slot }
    }
    if let oldest { return oldest }
    // Every unpinned slot was in use: evict the least recently used of them after all.
    return slots.indices.filter { slots[$0].isEvictable }.min {
      slots[$0].lastUse < slots[$1].lastUse
    }
  }

  /// Marks the window reserved in `slot` as mapped; the operation at `offset` that reserved
  /// it keeps it pinned. Returns the operation's access.
  mutating func install(slot: Int, at offset: Int, streak: Int) -> WindowAccess {
    slots[slot].isMapped = true
    slots[slot].pins &-= 1  // The reservation's pin; `pin` takes the operation's.
    mapCount &+= 1  // Wraps only after 2^63 mappings; it feeds tests.
    return pin(slot, at: offset, streak: streak)
  }

  /// Empties `slot`, reserved for an operation whose mapping failed; the operation then goes
  /// around the windows (and leaves with no slot).
  mutating func abandon(slot: Int) {
    slots[slot] = Slot()
  }

  /// Ends an operation begun by ``enter(at:count:kind:wasReferenced:)``: unpins its slot (the
  /// access's `slot`, or `-1` for none), and returns whether the caller must now release the
  /// reader: it is closed and this was the last operation out. `locked`, for a ``Kind/lock``
  /// operation that locked pages of its slot, is those pages as offsets into the slot: the
  /// slot then stays mapped until they are unlocked.
  mutating func leave(slot: Int, locked: Range<Int>? = nil) -> Bool {
    if let locked, slot >= 0 {
      let held = slots[slot].lockedPart ?? locked
      slots[slot].lockedPart =
        min(held.lowerBound, locked.lowerBound)..<max(held.upperBound, locked.upperBound)
    }
    if slot >= 0 { slots[slot].pins &-= 1 }  // Can't overflow: pinned for this operation.
    inFlight &-= 1  // Can't overflow: this operation was counted.
    return releaseIfIdle()
  }

  /// Starts an operation on the mapped windows overlapping the reader offsets in `range`
  /// (advice, unlocking, a residency query): pins every slot holding a mapped window that
  /// overlaps it and returns them, each with the part of `range` it holds (as offsets into
  /// the slot). Returns `nil` if the reader is closed. The caller must end it with
  /// ``unpinMapped(_:remembering:)``.
  mutating func pinMapped(in range: Range<Int>) -> [PinnedSlot]? {
    guard !isClosed else { return nil }
    inFlight &+= 1  // Can't overflow: at most one per thread.
    var pinned: [PinnedSlot] = []
    for slot in slots.indices where slots[slot].isMapped {
      let bounds = geometry.bounds(ofWindow: slots[slot].window)
      let overlap = bounds.clamped(to: range)
      guard !overlap.isEmpty else { continue }
      slots[slot].pins &+= 1
      let skip = geometry.offsetInWindow(of: overlap.lowerBound)
      // Can't overflow: both are offsets inside one window.
      pinned.append(
        PinnedSlot(
          slot: slot, window: slots[slot].window, part: skip..<(skip &+ overlap.count)))
    }
    return pinned
  }

  /// Ends an operation begun by ``pinMapped(in:)``: unpins `pinned`, remembers `advice` for
  /// windows mapped from now on if given, and returns whether to release the reader, as
  /// ``leave(slot:locked:)`` does.
  mutating func unpinMapped(_ pinned: [Int], remembering advice: CInt? = nil) -> Bool {
    if let advice { self.advice = advice }
    for slot in pinned { slots[slot].pins &-= 1 }
    inFlight &-= 1  // Can't overflow: this operation was counted.
    return releaseIfIdle()
  }

  /// Marks the reader closed; returns whether the caller must release it now (no operation
  /// is in flight on the locked path).
  mutating func close() -> Bool {
    guard !isClosed else { return false }
    isClosed = true
    return releaseIfIdle()
  }

  /// Marks the reader released, for `deinit`; returns whether it wasn't released already.
  mutating func releaseAll() -> Bool {
    guard !isReleased else { return false }
    isClosed = true
    isReleased = true
    slots = slots.map { _ in Slot() }
    return true
  }

  /// The number of slots a lock holds.
  var lockedWindowCount: Int { slots.count(where: { $0.lockedPart != nil }) }

  /// Whether locking the reader offsets in `range` fits the budget: the windows it touches
  /// that no lock holds yet, with the slots locks hold now, are at most the slot count.
  func canLock(_ range: Range<Int>) -> Bool {
    guard !range.isEmpty else { return true }
    let first = geometry.window(containing: range.lowerBound)
    let last = geometry.window(containing: range.upperBound &- 1)  // Can't overflow: not empty.
    let held = slots.filter { $0.lockedPart != nil && (first...last).contains($0.window) }
    // Can't overflow: counts of windows and slots.
    let needed = last &- first &+ 1 &- held.count
    return lockedWindowCount &+ needed <= slots.count
  }

  /// Starts unlocking the reader offsets in `range`: pins the mapped windows overlapping it,
  /// as ``pinMapped(in:)`` does, for the caller to unlock their parts (widened to whole
  /// pages) after unlocking the table, and forgets those pages' locks now. A slot whose
  /// locked pages are all unlocked can be evicted again once unpinned; one that keeps locked
  /// pages on both sides of the range stays held. Returns `nil` if the reader is closed.
  mutating func beginUnlock(in range: Range<Int>) -> [PinnedSlot]? {
    guard let pinned = pinMapped(in: range) else { return nil }
    for pin in pinned {
      guard let held = slots[pin.slot].lockedPart else { continue }
      let freed = widenedToPages(pin.part)
      if freed.lowerBound <= held.lowerBound, freed.upperBound >= held.upperBound {
        slots[pin.slot].lockedPart = nil
      } else if freed.lowerBound <= held.lowerBound, freed.upperBound > held.lowerBound {
        slots[pin.slot].lockedPart = freed.upperBound..<held.upperBound
      } else if freed.upperBound >= held.upperBound, freed.lowerBound < held.upperBound {
        slots[pin.slot].lockedPart = held.lowerBound..<freed.lowerBound
      }
    }
    return pinned
  }

  private mutating func releaseIfIdle() -> Bool {
    guard isClosed, inFlight == 0 else { return false }
    return releaseAll()
  }

  private mutating func pin(_ slot: Int, at offset: Int, streak: Int) -> WindowAccess {
    slots[slot].pins &+= 1  // Can't overflow: at most one per thread.
    slots[slot].uses &+= 1  // Wraps only after 2^63 uses; it feeds a heuristic.
    slots[slot].lastUse = clock
    let window = slots[slot].window
    let skip = geometry.offsetInWindow(of: offset)
    // Can't overflow: offset lies inside the window.
    let available = geometry.bounds(ofWindow: window).upperBound &- offset
    return WindowAccess(
      slot: slot, offsetInSlot: skip, available: available, streak: streak, advice: advice)
  }

  /// The reader offsets of the mapped window just before the one holding `offset`, if
  /// `offset` lies within a page of its window's first byte: reads that hit that window never
  /// come here, so a scan crossing into the next window arrives with its stream unseen since
  /// it entered the one before.
  private func mappedWindow(leftFor offset: Int) -> Range<Int>? {
    // The cheap test first: a random read almost never lies in a window's first page.
    guard geometry.offsetInWindow(of: offset) <= policy.pageSize else { return nil }
    let window = geometry.window(containing: offset)
    // Can't overflow: offset lies inside its window.
    guard window > 0, offset &- geometry.bounds(ofWindow: window).lowerBound <= policy.pageSize,
      slots.contains(where: { $0.window == window &- 1 && $0.isMapped })
    else { return nil }
    return geometry.bounds(ofWindow: window &- 1)
  }

  private func around(streak: Int) -> WindowAccess {
    WindowAccess(slot: -1, offsetInSlot: 0, available: 0, streak: streak, advice: advice)
  }
}
