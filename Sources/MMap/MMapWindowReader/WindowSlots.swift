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
/// Each slot has a sequence number and the number of the window it holds (`-1` for none). A
/// change of the slot (``beginChange(_:)`` … ``endChange(_:window:)``, made only by the one
/// operation that owns the slot under the reader's lock) makes the sequence odd, remaps, stores
/// the new window number, and makes the sequence even again with a release store. A reader
/// (``copy(window:from:count:into:)``) loads the sequence with acquire ordering, skips the slot
/// if it is odd or holds another window, copies, issues an acquire fence, and loads the
/// sequence again: the reader side of a seqlock. If both loads agree, no change overlapped
/// the copy, since any change stores an odd sequence before its `mmap` and the copy could
/// only see the new mapping's bytes after that `mmap` returned, and the fence orders the
/// copy's loads before the second load of the sequence; so the bytes are the window's. If
/// they differ, the caller falls back to the locked path. No read-modify-write happens on a
/// hit: a slot's "recently used" flag is stored only when it is found clear.
@usableFromInline
internal struct WindowSlots: @unchecked Sendable {
  /// The first slot's address.
  @usableFromInline let base: UnsafeMutableRawPointer
  /// The size of a slot: the window size, or less for a reader smaller than one window.
  @usableFromInline let size: Int
  /// The number of slots: the most windows mapped at once.
  @usableFromInline let count: Int
  /// Per slot: its sequence number (odd while it changes; ``closedBit`` once closed).
  @usableFromInline let sequences: UnsafeMutablePointer<Atomic<Int>>
  /// Per slot: the number of the window it holds, or `-1`.
  @usableFromInline let windows: UnsafeMutablePointer<Atomic<Int>>
  /// Per slot: `1` if a lock-free read used it since the table last looked.
  @usableFromInline let referenced: UnsafeMutablePointer<Atomic<Int>>

  /// Set in every sequence by ``closeAll()``: no lock-free read uses a slot again.
  @usableFromInline static let closedBit = 1 << 62
  /// The sequence bits that turn lock-free reads away: changing, or closed.
  @usableFromInline static let unusableBits = 1 | closedBit

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
    sequences = .allocate(capacity: count)
    windows = .allocate(capacity: count)
    referenced = .allocate(capacity: count)
    for slot in 0..<count {
      (sequences + slot).initialize(to: Atomic(0))
      (windows + slot).initialize(to: Atomic(-1))
      (referenced + slot).initialize(to: Atomic(0))
    }
  }

  /// Unmaps every slot and frees the bookkeeping. Call it once, when nothing can read.
  func release() {
    for slot in 0..<count { FaultGuard.unregister(address(of: slot)) }
    _ = system_munmap(base, count: count &* size)  // Fails only for bad arguments.
    sequences.deinitialize(count: count)
    sequences.deallocate()
    windows.deinitialize(count: count)
    windows.deallocate()
    referenced.deinitialize(count: count)
    referenced.deallocate()
  }

  /// The first byte of `slot`.
  @inlinable
  func address(of slot: Int) -> UnsafeMutableRawPointer {
    base + slot &* size  // Can't overflow: inside the reservation.
  }

  /// Copies `count` bytes at `offset` into window `window` to `destination`, if a slot holds
  /// that window and no change overlaps the copy; returns whether it did. No lock, no
  /// read-modify-write.
  @inlinable
  func copy(
    window: Int, from offset: Int, count: Int, into destination: UnsafeMutableRawPointer
  ) -> Bool {
    for slot in 0..<self.count {
      let sequence = sequences[slot].load(ordering: .acquiring)
      guard sequence & Self.unusableBits == 0, windows[slot].load(ordering: .relaxed) == window
      else {
        continue
      }
      destination.copyMemory(from: address(of: slot) + offset, byteCount: count)
      atomicMemoryFence(ordering: .acquiring)
      guard sequences[slot].load(ordering: .relaxed) == sequence else { return false }
      if referenced[slot].load(ordering: .relaxed) == 0 {
        referenced[slot].store(1, ordering: .relaxed)
      }
      return true
    }
    return false
  }

  /// The byte at `offset` into window `window`, if a slot holds that window and no change
  /// overlaps the load: ``copy(window:from:count:into:)`` for one byte.
  @inlinable
  func load(window: Int, at offset: Int) -> UInt8? {
    var byte: UInt8 = 0
    let loaded = withUnsafeMutableBytes(of: &byte) { destination in
      // Not nil: the buffer of a UInt8.
      copy(window: window, from: offset, count: 1, into: destination.baseAddress.unsafelyUnwrapped)
    }
    return loaded ? byte : nil
  }

  /// Whether a lock-free read used `slot` since the last call, which clears the mark.
  func takeReferenced(_ slot: Int) -> Bool {
    guard referenced[slot].load(ordering: .relaxed) != 0 else { return false }
    referenced[slot].store(0, ordering: .relaxed)
    return true
  }

  /// Starts changing `slot`: lock-free reads stop using it.
  func beginChange(_ slot: Int) {
    sequences[slot].wrappingAdd(1, ordering: .relaxed)
    windows[slot].store(-1, ordering: .relaxed)
    atomicMemoryFence(ordering: .sequentiallyConsistent)  // Odd before any remapping.
  }

  /// Ends a change of `slot`, which now holds `window` (or `-1`).
  func endChange(_ slot: Int, window: Int) {
    windows[slot].store(window, ordering: .relaxed)
    sequences[slot].wrappingAdd(1, ordering: .releasing)
  }

  /// Closes every slot to lock-free reads for good, even one being changed now.
  func closeAll() {
    for slot in 0..<count {
      sequences[slot].bitwiseOr(Self.closedBit, ordering: .sequentiallyConsistent)
    }
  }

  /// Maps `count` bytes of `fd` at file offset `fileOffset` (page-aligned) into `slot`,
  /// replacing what it held, between ``beginChange(_:)`` and ``endChange(_:window:)``
  /// calls the caller makes. On failure puts zero pages back.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/map`` and what `mmap` reported.
  func map(
    _ fd: CInt, fileOffset: Int, count: Int, into slot: Int, path: String?
  ) throws(MMapError) {
    let address = address(of: slot)
    FaultGuard.unregister(address)
    guard system_mmapFixed(fd, at: address, count: count, offset: fileOffset) else {
      let error = MMapError(.map, path: path, errno: system_errno)
      _ = system_mmapZeroPlaceholder(address, count: size)  // Keep the slot readable.
      throw error
    }
  }

  /// Replaces every slot's pages with zero pages, releasing the file while lock-free reads
  /// that raced with closing still find readable memory.
  func clearAll() {
    for slot in 0..<count { FaultGuard.unregister(address(of: slot)) }
    // Can't fail but for lack of memory; then the file stays mapped until `release()`.
    _ = system_mmapZeroPlaceholder(base, count: count &* size)
  }
}
