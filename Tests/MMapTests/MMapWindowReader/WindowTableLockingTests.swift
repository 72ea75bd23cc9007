import Testing

@testable import MMap

/// The window table's bookkeeping of locked windows.
extension WindowTableTests {
  /// Locks pages `pages` (offsets into the slot) of the window holding `offset`, the way the
  /// reader does: enters as a lock, maps the window if asked to, leaves with the pages.
  /// Returns the slot, or `-1` if the table gave none.
  static func lock(_ table: inout WindowTable, at offset: Int, pages: Range<Int>) -> Int {
    let access = perform(table.enter(at: offset, count: 1, kind: .lock), on: &table, at: offset)!
    _ = table.leave(slot: access.slot, locked: access.slot >= 0 ? pages : nil)
    return access.slot
  }

  @Test func lockedSlotIsNeverEvicted() {
    var table = Self.makeTable()
    #expect(Self.lock(&table, at: 0, pages: 0..<pageSize) == 0)
    for window in 1..<4 {  // Each maps into the other slot, evicting the one before.
      let offset = window * pageSize
      let access = Self.perform(
        table.enter(at: offset, count: pageSize, kind: .view), on: &table, at: offset)!
      #expect(access.slot == 1, "window \(window)")
      _ = table.leave(slot: access.slot)
    }
    #expect(table.slots[0].window == 0 && table.slots[0].lockedPart == 0..<pageSize)
    #expect(table.mapCount == 4 && table.inFlight == 0)
  }

  @Test func whenEverySlotIsLockedMissesGoAroundAndNewLocksAreRefused() {
    var table = Self.makeTable()
    #expect(Self.lock(&table, at: 0, pages: 0..<pageSize) == 0)
    #expect(Self.lock(&table, at: pageSize + 5, pages: 0..<pageSize) == 1)
    #expect(table.lockedWindowCount == 2)
    #expect(table.canLock(0..<(2 * pageSize)) && table.canLock(7..<7))
    #expect(!table.canLock((2 * pageSize)..<(2 * pageSize + 1)))
    #expect(!table.canLock((pageSize + 1)..<(2 * pageSize + 1)))
    guard case .use(let around) = table.enter(at: 2 * pageSize, count: pageSize, kind: .view)
    else {
      Issue.record("no slot can take the window")
      return
    }
    #expect(around.slot == -1)
    _ = table.leave(slot: around.slot)
    #expect(Self.lock(&table, at: 3 * pageSize, pages: 0..<pageSize) == -1)
    #expect(table.inFlight == 0 && table.mapCount == 2)
  }

  @Test func unlockingForgetsLockedPagesFromTheEdgesOnly() {
    var table = WindowTable(
      geometry: WindowGeometry(start: 0, count: 16 * pageSize, windowSize: 4 * pageSize),
      slotCount: 2)
    let page = pageSize
    #expect(Self.lock(&table, at: 0, pages: page..<(3 * page)) == 0)
    func unlock(_ range: Range<Int>) -> Range<Int>? {
      let pinned = table.beginUnlock(in: range)!
      #expect(pinned.map(\.window) == [0])
      _ = table.unpinMapped(pinned.map(\.slot))
      return table.slots[0].lockedPart
    }
    #expect(unlock((2 * page + 5)..<(2 * page + 6)) == page..<(2 * page), "the top page")
    #expect(unlock(0..<1) == page..<(2 * page), "below the locked pages")
    _ = Self.lock(&table, at: 0, pages: (3 * page)..<(4 * page))
    #expect(table.slots[0].lockedPart == page..<(4 * page))
    #expect(unlock((2 * page)..<(2 * page + 1)) == page..<(4 * page), "a hole keeps the slot")
    #expect(unlock(0..<(4 * page)) == nil)
    #expect(table.lockedWindowCount == 0 && table.slots[0].isEvictable)
    #expect(table.inFlight == 0)
  }
}
