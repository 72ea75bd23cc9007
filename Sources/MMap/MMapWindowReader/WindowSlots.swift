import Synchronization

/// The address space of an ``MMapWindowReader``: `count` slots of `size` bytes, reserved at
/// open and always readable, into which windows of the file are mapped.
///
/// A slot holds zero pages (no memory) until a window is mapped into it with `MAP_FIXED`; a
/// window is evicted by mapping the next one over it, in one `mmap`, so an address in a slot
/// never becomes unmapped while the reader exists. That is what lets a read copy from a
/// window without a lock: whatever happens to the slot meanwhile, its addresses stay readable.
///
/// ## The lock-free read, and why it is right
///
/// Each slot's record holds a sequence number and the reader offsets its window serves (an
/// empty range for none). A change of the slot (``beginChange(_:)`` … ``endChange(_:serving:at:)``,
/// made only by the one operation that owns the slot under the reader's lock) makes the
/// sequence odd and the range empty, remaps, stores the new range, and makes the sequence
/// even again with a release store. A reader (``copy(from:count:into:)``) loads the sequence
/// with acquire ordering, skips the slot if it is odd or its range doesn't hold the whole
/// read, copies, issues an acquire fence, and loads the sequence again: the reader side of a
/// seqlock. If both loads agree, no change overlapped the copy, since any change stores an
/// odd sequence before its `mmap` and the copy could only see the new mapping's bytes after
/// that `mmap` returned, and the fence orders the copy's loads before the second load of the
/// sequence; so the bytes are those of the range the first load published. If they differ,
/// the caller falls back to the locked path. The range and shift a read loads may come from
/// two different changes (the loads are not one snapshot), so the copy happens only if its
/// bytes lie inside the slot: a mix then copies readable bytes that the second load rejects,
/// where it could otherwise read before the slot, outside the reservation. No
/// read-modify-write happens on a hit: a slot's "recently used" flag is stored only when it
/// is found clear.
///
/// A truncation takes the same path: the truncation guard's handler sets ``truncatedBit`` in
/// every slot's sequence before it swaps zero pages in for the missing ones, so a read that
/// copied a zero page finds its sequence changed, and every later read finds it unusable. The
/// copy needs no check of the reader's truncation mark.
///
/// The range check is the whole lookup: it stands for the bounds check, the window number and
/// the window-edge check at once, so a hit costs a few compares per slot tried.
@usableFromInline
internal struct WindowSlots: @unchecked Sendable {
  /// The first slot's address. Readable (the file's pages or zero pages) until
  /// ``release()``, which the reader calls only at deinit.
  @usableFromInline let base: UnsafeMutableRawPointer
  /// The size of a slot: the window size, or less for a reader smaller than one window.
  @usableFromInline let size: Int
  /// The number of slots: the most windows mapped at once.
  @usableFromInline let count: Int
  /// Per slot: its record, one allocation, so that a read finds a slot's sequence, range
  /// and address with one base pointer. Valid until ``release()``.
  @usableFromInline let records: UnsafeMutablePointer<SlotRecord>
  /// Just past the last record, so that a read's loop over the slots computes no bound. Not
  /// to be dereferenced; meaningful until ``release()``.
  @usableFromInline let recordsEnd: UnsafeMutablePointer<SlotRecord>

  /// Set in every sequence by ``closeAll()``: no lock-free read uses a slot again.
  @usableFromInline static let closedBit = 1 << 62
  /// Set in every sequence when the file is found truncated, by the truncation guard's
  /// handler (see ``faultSink(reportingTo:)``) or by ``markTruncated()``: the reader stays
  /// failed, and a lock-free read needs no check of its own for it.
  @usableFromInline static let truncatedBit = 1 << 61
  /// The sequence bits that turn lock-free reads away: changing, closed, or truncated.
  @usableFromInline static let unusableBits = 1 | closedBit | truncatedBit

  /// Reserves `count` slots of `size` bytes.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/map`` and `ENOMEM` (or what `mmap`
  ///   reported) if the address space can't be reserved.
  init(count: Int, size: Int, path: String?) throws(MMapError) {
    // Can't overflow: the caller checked count * size against the address space.
    guard let base = system_mmapReserve(count: count &* size) else {
      throw MMapError(.map, path: path, errno: system_errno)
    }
    self.base = base
    self.size = size
    self.count = count
    precondition(count > 0, "a windowed reader has at least one slot")
    // One cache line per record: a slot that changes, or a first hit that marks it used,
    // doesn't disturb threads reading from its neighbours.
    records = UnsafeMutableRawPointer.allocate(
      byteCount: count &* MemoryLayout<SlotRecord>.stride, alignment: SlotRecord.alignment
    ).bindMemory(to: SlotRecord.self, capacity: count)
    recordsEnd = records + count
    for slot in 0..<count {
      // Can't overflow: inside the reservation.
      (records + slot).initialize(to: SlotRecord(address: base + slot &* size))
    }
  }

  /// Registers every slot with the truncation guard, reporting faults to `mark` (see
  /// ``faultSink(reportingTo:)``), until ``release()``. A slot is never unregistered while
  /// the reader exists: a lock-free copy may fault in it whenever it holds file pages.
  func guardFaults(reportingTo mark: borrowing TruncationMark) {
    let sink = faultSink(reportingTo: mark)
    for slot in 0..<count {
      FaultGuard.register(address(of: slot), count: size, readerOffset: 0, sink: sink)
    }
  }

  /// Unmaps every slot and frees the bookkeeping. Call it once, when nothing can read.
  func release() {
    for slot in 0..<count { FaultGuard.unregister(address(of: slot)) }
    _ = system_munmap(base, count: count &* size)  // Fails only for bad arguments.
    records.deinitialize(count: count)
    UnsafeMutableRawPointer(records).deallocate()
  }

  /// The first byte of `slot`.
  @inlinable
  func address(of slot: Int) -> UnsafeMutableRawPointer {
    records[slot].address
  }

  /// Copies `count` bytes (at least one) at reader offset `offset` to `destination`, if a
  /// slot's window holds them all and no change overlaps the copy; returns whether it did.
  /// No lock, no read-modify-write. Any `offset`, even a negative one, is safe to pass.
  @inlinable
  func copy(from offset: Int, count: Int, into destination: UnsafeMutableRawPointer) -> Bool {
    var record = records
    repeat {  // At least one slot.
      let sequence = record.pointee.sequence.load(ordering: .acquiring)
      let lower = record.pointee.lower.load(ordering: .relaxed)
      // Can't overflow: upper >= lower >= 0 and offset >= lower, so upper - offset is in
      // upper - Int.max ... upper.
      if sequence & Self.unusableBits == 0, offset >= lower,
        count <= record.pointee.upper.load(ordering: .relaxed) &- offset
      {
        // Where the read starts in the slot. A change racing with these loads can pair one
        // range's bound with another's shift, so the copy is made only if it stays inside
        // the slot, which is always readable; the second sequence load then rejects it.
        // Neither add overflows: offset, count and the shift are bounded by the file's size.
        let start = offset &+ record.pointee.shift.load(ordering: .relaxed)
        guard start >= 0, start &+ count <= size else { return false }
        destination.copyMemory(from: record.pointee.address + start, byteCount: count)
        atomicMemoryFence(ordering: .acquiring)
        guard record.pointee.sequence.load(ordering: .relaxed) == sequence else { return false }
        if record.pointee.referenced.load(ordering: .relaxed) == 0 {
          record.pointee.referenced.store(1, ordering: .relaxed)
        }
        return true
      }
      record += 1
    } while record < recordsEnd
    return false
  }

  /// The byte at reader offset `offset`, if a slot's window holds it and no change overlaps
  /// the load: ``copy(from:count:into:)`` for one byte.
  @inlinable
  func load(at offset: Int) -> UInt8? {
    var byte: UInt8 = 0
    let loaded = withUnsafeMutableBytes(of: &byte) { destination in
      // Not nil: the buffer of a UInt8.
      copy(from: offset, count: 1, into: destination.baseAddress.unsafelyUnwrapped)
    }
    return loaded ? byte : nil
  }

  /// Whether a lock-free read used `slot` since the last call, which clears the mark.
  func takeReferenced(_ slot: Int) -> Bool {
    guard records[slot].referenced.load(ordering: .relaxed) != 0 else { return false }
    records[slot].referenced.store(0, ordering: .relaxed)
    return true
  }

  /// Starts changing `slot`: lock-free reads stop using it.
  func beginChange(_ slot: Int) {
    records[slot].sequence.wrappingAdd(1, ordering: .relaxed)
    records[slot].lower.store(0, ordering: .relaxed)
    records[slot].upper.store(0, ordering: .relaxed)
    atomicMemoryFence(ordering: .sequentiallyConsistent)  // Odd before any remapping.
  }

  /// Ends a change of `slot`, which now serves the reader offsets `range` (empty for none),
  /// the first of them at `offsetInSlot` bytes into the slot.
  func endChange(_ slot: Int, serving range: Range<Int>, at offsetInSlot: Int) {
    records[slot].shift.store(offsetInSlot &- range.lowerBound, ordering: .relaxed)
    records[slot].lower.store(range.lowerBound, ordering: .relaxed)
    records[slot].upper.store(range.upperBound, ordering: .relaxed)
    records[slot].sequence.wrappingAdd(1, ordering: .releasing)
  }

  /// Closes every slot to lock-free reads for good, after the file was found truncated
  /// without a fault (a short `pread`). The caller has set the reader's mark first.
  func markTruncated() {
    for slot in 0..<count {
      records[slot].sequence.bitwiseOr(Self.truncatedBit, ordering: .sequentiallyConsistent)
    }
  }

  /// Where the truncation guard reports a fault in a window: `mark`'s sink, which also sets
  /// ``truncatedBit`` in every slot's sequence, before the zero pages go in. A lock-free read
  /// that copied zero pages then finds its slot's sequence changed.
  func faultSink(reportingTo mark: borrowing TruncationMark) -> FaultSink {
    var sink = mark.faultSink
    // The sequence is a record's first field, so the words lie a record's stride apart.
    sink.also = (
      UnsafeMutableRawPointer(records), count, MemoryLayout<SlotRecord>.stride, Self.truncatedBit
    )
    return sink
  }

  /// Closes every slot to lock-free reads for good, even one being changed now.
  func closeAll() {
    for slot in 0..<count {
      records[slot].sequence.bitwiseOr(Self.closedBit, ordering: .sequentiallyConsistent)
    }
  }

  /// Maps `count` bytes of `fd` at file offset `fileOffset` (page-aligned) into `slot`,
  /// replacing what it held, between ``beginChange(_:)`` and ``endChange(_:serving:at:)``
  /// calls the caller makes. On failure puts zero pages back. The slot stays registered with
  /// the truncation guard throughout; the caller rebases its registration afterwards.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/map`` and what `mmap` reported.
  func map(
    _ fd: CInt, fileOffset: Int, count: Int, into slot: Int, path: String?
  ) throws(MMapError) {
    let address = address(of: slot)
    // A racing copy that faults while the slot holds the old window, the new one, or a mix,
    // can't be told which: it flags the reader and records no offset.
    FaultGuard.rebase(address, readerOffset: FaultGuard.unknownOffset)
    Self.willRemap?(address)
    guard system_mmapFixed(fd, at: address, count: count, offset: fileOffset) else {
      let error = MMapError(.map, path: path, errno: system_errno)
      _ = system_mmapZeroPlaceholder(address, count: size)  // Keep the slot readable.
      throw error
    }
    // A short last window: the rest of the slot goes back to zero pages, so that no file
    // page of an earlier window stays behind at an offset the slot no longer serves.
    if count < size {
      // Can't overflow: inside the slot. Fails only for lack of memory: the pages stay.
      _ = system_mmapZeroPlaceholder(address + count, count: size &- count)
    }
  }

  /// Replaces every slot's pages with zero pages, releasing the file while lock-free reads
  /// that raced with closing still find readable memory.
  /// The slots stay registered with the truncation guard until ``release()``.
  func clearAll() {
    // Can't fail but for lack of memory; then the file stays mapped until `release()`.
    _ = system_mmapZeroPlaceholder(base, count: count &* size)
  }
}

extension WindowSlots {
  /// For tests: called with a slot's address just before a window is mapped into it, to
  /// touch the slot's old pages at the moment a racing copy could.
  nonisolated(unsafe) static var willRemap: ((UnsafeMutableRawPointer) -> Void)? = nil
}

/// What a lock-free read needs to know about one slot of ``WindowSlots``.
@usableFromInline
internal struct SlotRecord: ~Copyable {
  /// The slot's sequence number: odd while it changes; ``WindowSlots/closedBit`` once closed,
  /// ``WindowSlots/truncatedBit`` once truncated. The first field: the truncation guard's
  /// handler finds it at the record's address.
  @usableFromInline let sequence = Atomic<Int>(0)
  /// The first reader offset the slot's window serves.
  @usableFromInline let lower = Atomic<Int>(0)
  /// The reader offset just past the last one the slot's window serves: `lower` for none.
  @usableFromInline let upper = Atomic<Int>(0)
  /// What to add to a reader offset in the window to get its position in the slot: reader
  /// offset `k` lies at `address + k + shift`.
  @usableFromInline let shift = Atomic<Int>(0)
  /// `1` if a lock-free read used the slot since the table last looked.
  @usableFromInline let referenced = Atomic<Int>(0)
  /// The slot's first byte, inside the reservation: fixed for the reader's life.
  @usableFromInline let address: UnsafeMutableRawPointer
  /// Fills the record to a cache line (``alignment``).
  private let padding = (0, 0)
  /// The alignment of the records: a cache line on the machines we know.
  static let alignment = 64

  init(address: UnsafeMutableRawPointer) {
    self.address = address
  }
}
