internal import CMMapGuard

/// Where the truncation guard reports a fault in a reader's mappings: the atomic word in
/// which it sets `flag`, the atomic `Int` in which it keeps the smallest reader offset of
/// a faulting page, and more words in which it sets a flag of their own, if any. All must
/// outlive every mapping registered with them.
internal struct FaultSink {
  let word: UnsafeMutableRawPointer
  let flag: Int
  let offset: UnsafeMutableRawPointer
  /// Words the guard also flags, `stride` bytes apart: for ``WindowSlots``, the slots'
  /// sequence numbers, so that a lock-free read sees a fault without another check.
  var also: (words: UnsafeMutableRawPointer, count: Int, stride: Int, flag: Int)? = nil
}

/// The library's side of the truncation guard (the C target `CMMapGuard`): installing the
/// `SIGBUS` handler once, and registering mappings with it.
internal enum FaultGuard {
  /// Installs the handler unless the application opted out; returns whether it is installed.
  /// Called before every mapping is registered; after the first call it costs one load.
  static func installIfEnabled() -> Bool {
    if mmap_guard_is_installed() != 0 { return true }
    guard TruncationGuard.isEnabled else { return false }
    return mmap_guard_install() == 0
  }

  /// Guards the `count` bytes of address space at `start`, which map the reader offsets from
  /// `readerOffset` on, reporting faults to `sink`. The zero pages that replace a truncated
  /// part are writable if `writable` (for a private mapping its owner may write), else
  /// read-only. Does nothing if the guard is off.
  static func register(
    _ start: UnsafeMutableRawPointer, count: Int, readerOffset: Int, sink: FaultSink,
    writable: Bool = false
  ) {
    guard installIfEnabled() else { return }
    // A registry that can't grow (out of memory) leaves this mapping unguarded, as if the
    // application had opted out: reads stay correct, a truncation stays fatal.
    _ = mmap_guard_register(
      start, count, sink.word.assumingMemoryBound(to: Int.self), sink.flag,
      sink.offset.assumingMemoryBound(to: Int.self), readerOffset, writable ? 1 : 0,
      sink.also?.words.assumingMemoryBound(to: Int.self), sink.also?.count ?? 0,
      sink.also?.stride ?? 0, sink.also?.flag ?? 0)
  }

  /// Points the guarded range at `start` at a new window, whose first page is reader offset
  /// `readerOffset`: the range stays guarded while a window is mapped over it.
  static func rebase(_ start: UnsafeMutableRawPointer, readerOffset: Int) {
    mmap_guard_rebase(start, readerOffset)
  }

  /// The reader offset to rebase a range to while a new window is mapped over it: faults
  /// then flag the reader but record no offset, since the range's file pages are unknown.
  static let unknownOffset = Int.max

  /// Whether `address` lies in a guarded range.
  static func isGuarding(_ address: UnsafeRawPointer) -> Bool {
    mmap_guard_is_registered(address) != 0
  }

  /// Stops guarding the mapping at `start`, before it is unmapped.
  static func unregister(_ start: UnsafeMutableRawPointer) {
    mmap_guard_unregister(start)
  }
}

extension FaultGuard {
  /// Whether the handler is installed.
  static var isInstalled: Bool { mmap_guard_is_installed() != 0 }
}
