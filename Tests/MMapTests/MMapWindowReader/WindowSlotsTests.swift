import Testing

@testable import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The lock-free lookup of ``WindowSlots``, driven directly: a slot serves exactly the reader
/// offsets it published, and nothing while it changes or after closing.
@Suite struct WindowSlotsTests {
  /// Maps pages 1 and 2 of a three-page file into slot 1 of two, serving reader offsets
  /// `pageSize..<3 * pageSize`, and calls `body` with the slots and the file's bytes.
  func withMappedSlot(_ body: (WindowSlots, [UInt8]) throws -> Void) throws {
    let contents = generatedBytes(count: 3 * pageSize, seed: 11)
    try withTemporaryFile(contents: contents) { path in
      let fd = open(path, O_RDONLY)
      try #require(fd >= 0)
      defer { _ = close(fd) }
      let slots = try WindowSlots(count: 2, size: 2 * pageSize, path: path)
      defer { slots.release() }
      slots.beginChange(1)
      try slots.map(fd, fileOffset: pageSize, count: 2 * pageSize, into: 1, path: path)
      slots.endChange(1, serving: pageSize..<(3 * pageSize), at: 0)
      try body(slots, contents)
    }
  }

  /// Copies `count` bytes at `offset` through the slots, or returns `nil` for a refusal.
  func copy(_ slots: WindowSlots, from offset: Int, count: Int) -> [UInt8]? {
    var bytes = [UInt8](repeating: 0, count: count)
    let copied = bytes.withUnsafeMutableBytes { buffer in
      slots.copy(from: offset, count: count, into: buffer.baseAddress!)
    }
    return copied ? bytes : nil
  }

  @Test func aSlotServesExactlyItsRange() throws {
    try withMappedSlot { slots, contents in
      let first = pageSize
      #expect(copy(slots, from: first, count: 8) == Array(contents[first..<first + 8]))
      let last = 3 * pageSize - 8
      #expect(copy(slots, from: last, count: 8) == Array(contents[last...]))
      #expect(slots.load(at: 2 * pageSize) == contents[2 * pageSize])
      #expect(copy(slots, from: 3 * pageSize - 4, count: 8) == nil, "crosses the range's end")
      #expect(copy(slots, from: first - 1, count: 2) == nil, "starts below the range")
      #expect(slots.load(at: 0) == nil, "the empty slot serves nothing, not even offset 0")
      #expect(slots.load(at: -1) == nil)
      #expect(copy(slots, from: Int.max - 3, count: 8) == nil, "no overflow past the end")
    }
  }

  @Test func aChangingOrClosedSlotServesNothing() throws {
    try withMappedSlot { slots, _ in
      slots.beginChange(1)
      #expect(slots.load(at: pageSize) == nil, "a slot being changed is skipped")
      slots.endChange(1, serving: pageSize..<(3 * pageSize), at: 0)
      #expect(slots.load(at: pageSize) != nil)
      slots.closeAll()
      #expect(slots.load(at: pageSize) == nil, "closed for good")
    }
  }

  /// A read racing with a change can load one change's bound with another's shift. Each
  /// record below is such a mix, with an even sequence, as a read could see it: the computed
  /// bytes lie before or past the slot, and the read must refuse rather than copy them.
  @Test func aMixOfTwoChangesNeverReadsOutsideTheSlot() throws {
    try withMappedSlot { slots, _ in
      // Slot 0 served 0..<2 pages at its start, and is changing to serve pages 4..<6 there:
      // the old lower bound with the new upper bound and shift.
      slots.records[0].lower.store(0, ordering: .relaxed)
      slots.records[0].upper.store(6 * pageSize, ordering: .relaxed)
      slots.records[0].shift.store(-4 * pageSize, ordering: .relaxed)
      #expect(copy(slots, from: 0, count: 8) == nil, "would start four pages before the slot")
      #expect(copy(slots, from: 4 * pageSize - 1, count: 2) == nil, "would start one byte before")
      // The other way: an old shift with a new upper bound past the slot's end.
      slots.records[0].shift.store(0, ordering: .relaxed)
      #expect(copy(slots, from: 2 * pageSize - 4, count: 8) == nil, "would end past the slot")
      #expect(copy(slots, from: 3 * pageSize, count: 8) == nil, "would start past the slot")
      #expect(copy(slots, from: 2 * pageSize - 8, count: 8) != nil, "inside the slot: copied")
    }
  }

  @Test func eachRecordFillsOneCacheLine() throws {
    #expect(MemoryLayout<SlotRecord>.stride == SlotRecord.alignment)
    try withMappedSlot { slots, _ in
      #expect(Int(bitPattern: slots.records) % SlotRecord.alignment == 0)
    }
  }

  /// The truncation guard's handler flags each slot's sequence at the record's address, a
  /// stride apart: the sequence must be the first field, and the flag must turn reads away.
  @Test func aTruncationFlagInTheSequenceTurnsEveryReadAway() throws {
    try withMappedSlot { slots, _ in
      let sink = slots.faultSink(reportingTo: TruncationMark())
      let also = try #require(sink.also)
      #expect(also.count == slots.count && also.stride == SlotRecord.alignment)
      let second = also.words + also.stride
      #expect(second.load(as: Int.self) == 2, "slot 1's sequence: changed once, even again")
      // What the handler does, one word at a time (nothing else runs meanwhile).
      second.storeBytes(of: 2 | also.flag, as: Int.self)
      #expect(slots.load(at: pageSize) == nil)
    }
    try withMappedSlot { slots, _ in
      slots.markTruncated()
      #expect(slots.load(at: pageSize) == nil, "a short pread's truncation too")
    }
  }

  @Test func aHitMarksItsSlotReferencedOnce() throws {
    try withMappedSlot { slots, _ in
      #expect(!slots.takeReferenced(1))
      _ = slots.load(at: pageSize)
      #expect(slots.takeReferenced(1))
      #expect(!slots.takeReferenced(1), "taking the mark clears it")
      #expect(!slots.takeReferenced(0), "the other slot was never used")
    }
  }
}
