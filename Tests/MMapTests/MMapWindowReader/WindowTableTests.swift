import Testing

@testable import MMap

/// The window table's decisions, without a file: mappings here are borrowed buffers that the
/// table only hands around.
@Suite struct WindowTableTests {
  /// Four one-page windows over a reader starting at file offset 0.
  static func makeTable(slots: Int = 2) -> WindowTable {
    WindowTable(
      geometry: WindowGeometry(start: 0, count: 4 * pageSize, windowSize: pageSize),
      slotCount: slots)
  }

  /// Maps the window `decision` asks for, as the reader would, and returns the access.
  static func perform(
    _ decision: WindowTable.Decision?, on table: inout WindowTable, at offset: Int
  )
    -> WindowAccess?
  {
    switch decision {
    case nil: return nil
    case .use(let access): return access
    case .map(let plan): return table.install(slot: plan.slot, at: offset, streak: plan.streak)
    }
  }

  @Test func sequentialMissIsReservedThenInstalledAndLaterHits() {
    var table = Self.makeTable()
    guard case .map(let plan) = table.enter(at: 0, count: 10, kind: .read) else {
      Issue.record("a scan from the start maps its window")
      return
    }
    #expect(plan.slot == 0 && plan.window == 0 && plan.bounds == 0..<pageSize)
    #expect(table.mappedWindowCount == 0, "reserved, not yet mapped")
    let access = table.install(slot: 0, at: 0, streak: plan.streak)
    #expect(access.slot == 0 && access.offsetInSlot == 0 && access.available == pageSize)
    #expect(table.mappedWindowCount == 1 && table.mapCount == 1)
    let released = table.leave(slot: access.slot)
    #expect(!released)
    guard case .use(let hit) = table.enter(at: 100, count: 8, kind: .read) else {
      Issue.record("a mapped window is a hit")
      return
    }
    #expect(hit.slot == 0 && hit.offsetInSlot == 100 && hit.available == pageSize - 100)
    _ = table.leave(slot: hit.slot)
    #expect(table.inFlight == 0)
  }

  /// Reads that hit a mapped window never reach the table, so a scan arriving at the next
  /// window's first page must still count as the stream that mapped the one before: it maps
  /// the next window at once, prefaulted, rather than reading it around the windows first.
  @Test func aScanLeavingAMappedWindowStaysSequential() {
    let windowSize = 4 * pageSize
    func scannedTable() -> WindowTable {
      var table = WindowTable(
        geometry: WindowGeometry(start: 0, count: 4 * windowSize, windowSize: windowSize),
        slotCount: 2)
      guard case .map(let plan) = table.enter(at: 0, count: 100, kind: .read) else {
        Issue.record("a scan from the start maps its window")
        return table
      }
      _ = table.leave(slot: table.install(slot: plan.slot, at: 0, streak: plan.streak).slot)
      return table
    }
    var table = scannedTable()
    guard case .map(let next) = table.enter(at: windowSize, count: 100, kind: .read) else {
      Issue.record("the scan's next window is mapped at its first read")
      return
    }
    #expect(next.window == 1 && next.streak == WindowTable.prefaultStreak && next.prefault)
    var elsewhere = scannedTable()
    guard
      case .use(let around) = elsewhere.enter(
        at: windowSize + 2 * pageSize, count: 100, kind: .read)
    else {
      Issue.record("a read two pages into the next window is not the scan")
      return
    }
    #expect(around.slot == -1 && around.streak == 0)
  }

  @Test func aWindowBeingMappedIsGoneAroundNotMappedTwice() {
    var table = Self.makeTable()
    guard case .map(let plan) = table.enter(at: 0, count: 10, kind: .read) else {
      Issue.record("expected a reservation")
      return
    }
    guard case .use(let other) = table.enter(at: 10, count: 10, kind: .read) else {
      Issue.record("a second operation must not map the same window")
      return
    }
    #expect(other.slot == -1)
    table.abandon(slot: plan.slot)
    #expect(table.slots[plan.slot].window == -1, "an abandoned reservation empties its slot")
  }

  @Test func randomMissGoesAroundTheWindows() {
    var table = Self.makeTable()
    _ = table.enter(at: 0, count: 1, kind: .read)  // A stream ending at 1.
    guard case .use(let access) = table.enter(at: 3 * pageSize, count: 8, kind: .read) else {
      Issue.record("a lone random miss is not worth a mapping")
      return
    }
    #expect(access.slot == -1 && access.streak == 0)
  }

  @Test func theLeastRecentlyUsedUnpinnedSlotIsReusedAndAPinnedOneNever() {
    var table = Self.makeTable(slots: 1)
    let first = Self.perform(table.enter(at: 0, count: pageSize, kind: .read), on: &table, at: 0)!
    // Slot 0 is pinned: a sequential read of window 1 can't take it, so it goes around.
    guard case .use(let around) = table.enter(at: pageSize, count: 8, kind: .read) else {
      Issue.record("a pinned slot is never reused")
      return
    }
    #expect(around.slot == -1)
    _ = table.leave(slot: around.slot)
    _ = table.leave(slot: first.slot)
    guard case .map(let plan) = table.enter(at: pageSize + 8, count: 8, kind: .read) else {
      Issue.record("an unpinned slot makes room")
      return
    }
    #expect(plan.slot == 0 && plan.window == 1)
  }

  @Test func aSlotThatLockFreeReadsUsedGetsASecondChance() {
    var table = Self.makeTable(slots: 2)
    for offset in [0, pageSize] {  // Windows 0 and 1, in slots 0 and 1; slot 0 is older.
      let access = Self.perform(
        table.enter(at: offset, count: pageSize, kind: .read), on: &table, at: offset)!
      _ = table.leave(slot: access.slot)
    }
    // Slot 0 was read without the lock since: slot 1 goes instead.
    guard
      case .map(let plan) = table.enter(
        at: 2 * pageSize, count: 8, kind: .read, wasReferenced: { $0 == 0 })
    else {
      Issue.record("expected a reservation")
      return
    }
    #expect(plan.slot == 1)
  }

  @Test func closeWaitsForTheLastOperationOutAndReleasesOnce() {
    var table = Self.makeTable()
    let access = Self.perform(table.enter(at: 0, count: 8, kind: .read), on: &table, at: 0)!
    let closing = [table.close(), table.close()]
    #expect(closing == [false, false], "an operation is in flight; closing twice does nothing")
    let refused = table.enter(at: 0, count: 8, kind: .read)
    #expect(refused == nil, "closed: no new operation")
    let lastOut = table.leave(slot: access.slot)
    let again = table.releaseAll()
    #expect(lastOut && !again, "the last one out releases, and only once")
  }

  @Test func adviceIsRememberedForNewWindowsAndPinsWhatItAdvises() {
    var table = Self.makeTable()
    let access = Self.perform(table.enter(at: 0, count: 8, kind: .read), on: &table, at: 0)!
    _ = table.leave(slot: access.slot)
    let pinned = table.pinMapped(in: 100..<(3 * pageSize))!
    #expect(pinned.map(\.slot) == [0])
    #expect(pinned.first?.part == 100..<pageSize)
    #expect(table.slots[0].pins == 1)
    _ = table.unpinMapped([0], remembering: 7)
    #expect(table.slots[0].pins == 0)
    guard case .map(let plan) = table.enter(at: pageSize + 8, count: 8, kind: .read) else {
      Issue.record("expected a reservation")
      return
    }
    #expect(plan.advice == 7)
  }
}

@Suite struct MissPolicyTests {
  @Test func aScanFromTheStartIsSequentialAndItsStreakGrows() {
    var policy = MissPolicy()
    let streaks = [
      policy.noteAccess(from: 0, to: 100),
      policy.noteAccess(from: 100, to: 200),
      policy.noteAccess(from: 200 + pageSize, to: 300 + pageSize),  // Within a page.
      policy.noteAccess(from: 1 << 30, to: (1 << 30) + 8),  // Far away: not sequential.
    ]
    #expect(streaks == [2, 3, 4, 0])
  }

  @Test func severalStreamsAreTrackedAtOnce() {
    var policy = MissPolicy()
    let starts = [1 << 20, 2 << 20, 3 << 20]
    let first = starts.map { policy.noteAccess(from: $0, to: $0 + 10) }
    let second = starts.map { policy.noteAccess(from: $0 + 10, to: $0 + 20) }
    #expect(first == [0, 0, 0])
    #expect(second == [2, 2, 2], "each continues its own stream")
  }

  @Test func oldMissesStopCountingOnceNewerOnesPushThemOut() {
    var policy = MissPolicy()
    for _ in 0..<(MissPolicy.recentMissCount + 8) { _ = policy.noteMiss(inWindow: 7) }
    // Other windows, none sharing window 7's bucket, push every miss of window 7 out.
    for window in 100..<(100 + MissPolicy.recentMissCount) {
      let isDense = policy.noteMiss(inWindow: window)
      #expect(!isDense, "window \(window) missed once")
    }
    let isDense = policy.noteMiss(inWindow: 7)
    #expect(!isDense, "window 7's earlier misses have left the ring")
    let verdicts = (1..<MissPolicy.baseDenseThreshold).map { _ in policy.noteMiss(inWindow: 7) }
    #expect(verdicts.last == true, "and it counts again from there")
  }

  @Test func aWindowIsDenseAfterThresholdMissesAndTheThresholdAdapts() {
    var policy = MissPolicy()
    let verdicts = (1...MissPolicy.baseDenseThreshold).map { _ in policy.noteMiss(inWindow: 5) }
    #expect(verdicts == Array(repeating: false, count: MissPolicy.baseDenseThreshold - 1) + [true])
    policy.noteEviction(ofDenseWindowWithUses: MissPolicy.paybackUses - 1)
    #expect(policy.denseThreshold == 2 * MissPolicy.baseDenseThreshold, "a bad guess doubles it")
    policy.noteEviction(ofDenseWindowWithUses: 4 * MissPolicy.paybackUses)
    #expect(policy.denseThreshold == MissPolicy.baseDenseThreshold, "a good one halves it")
    for _ in 0..<10 { policy.noteEviction(ofDenseWindowWithUses: 0) }
    #expect(policy.denseThreshold == MissPolicy.recentMissCount, "capped")
  }
}

@Suite struct WindowGeometryTests {
  @Test func windowsStartAtPageAlignedFileOffsetsAndClipToTheReader() {
    // A reader of 10 pages starting 5 bytes into the file's second page; windows of 4 pages.
    let start = pageSize + 5
    let geometry = WindowGeometry(start: start, count: 10 * pageSize, windowSize: 4 * pageSize)
    #expect(geometry.slack == 5)
    #expect(geometry.bounds(ofWindow: 0) == 0..<(4 * pageSize - 5))
    #expect(geometry.bounds(ofWindow: 1) == (4 * pageSize - 5)..<(8 * pageSize - 5))
    #expect(geometry.bounds(ofWindow: 2) == (8 * pageSize - 5)..<(10 * pageSize))
    for window in 0...2 {
      let lower = geometry.bounds(ofWindow: window).lowerBound
      let fileOffset = geometry.fileOffset(of: lower)
      #expect(window == 0 || fileOffset % pageSize == 0, "window \(window) is page-aligned")
      #expect(geometry.window(containing: lower) == window)
    }
    #expect(geometry.window(containing: 4 * pageSize - 6) == 0)
    #expect(geometry.window(containing: 10 * pageSize - 1) == 2)
    #expect(geometry.fileOffset(of: 0) == start)
    #expect(geometry.windowCount == 3)
    #expect(geometry.mapping(ofWindow: 0) == (pageSize, 4 * pageSize))
    #expect(geometry.mapping(ofWindow: 2) == (9 * pageSize, 2 * pageSize + 5))
    #expect(geometry.offsetInWindow(of: 4 * pageSize - 5) == 0)
    #expect(geometry.offsetInWindow(of: 10) == 15)
  }
}
