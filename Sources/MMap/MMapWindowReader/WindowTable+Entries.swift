// What the window table hands out and keeps: its slots, an operation's access to one, the
// plan for a copy across windows, and a pinned part of a slot.

extension WindowTable {
  /// One slot of an ``MMapWindowReader``'s address space, as the table sees it.
  struct Slot {
    /// The window's number (see ``WindowGeometry``), or `-1` for an empty slot.
    var window = -1
    /// Whether the window is mapped; `false` while an operation maps it.
    var isMapped = false
    /// How many locked operations are using the slot now. A pinned slot is never evicted.
    var pins = 0
    /// The table's clock at the slot's last use, for least-recently-used eviction.
    var lastUse: UInt64 = 0
    /// How many locked operations have used the window since it was mapped.
    var uses = 0
    /// Whether the window was mapped because its misses looked dense (see ``MissPolicy``).
    var isDenseGuess = false
    /// The pages of the slot a lock holds, as offsets into the slot: from the first to the
    /// last page locked (pages between may not be), or `nil` if none is locked. A locked
    /// slot is never evicted.
    var lockedPart: Range<Int>? = nil

    /// Whether the slot may be evicted to map another window: no operation pins it and no
    /// lock holds it.
    var isEvictable: Bool { pins == 0 && lockedPart == nil }
  }
}

/// Where one piece of an operation gets its bytes, as the window table decided it.
///
/// The caller must pass its `slot` to ``WindowTable/leave(slot:)`` exactly once.
internal struct WindowAccess {
  /// The slot pinned for the caller, or `-1` if no window serves the piece: the caller reads
  /// it with `pread` or maps it temporarily.
  let slot: Int
  /// Where the piece's first byte lies in the slot.
  let offsetInSlot: Int
  /// The number of bytes from there to the window's end.
  let available: Int
  /// How many accesses in a row the operation's stream has made, this one included, or `0`
  /// if it doesn't look sequential (see ``MissPolicy``).
  let streak: Int
  /// The advice to give a temporary mapping, if any.
  let advice: CInt?
}

/// A window the table reserved a slot for, which the reader maps after unlocking.
internal struct WindowPlan {
  /// The slot to map into, whose old window (if any) the mapping replaces.
  let slot: Int
  /// The window's number.
  let window: Int
  /// The reader offsets it covers.
  let bounds: Range<Int>
  /// The operation's streak, for its access.
  let streak: Int
  /// The advice to give the new window, if any.
  let advice: CInt?
  /// Whether to prefault the new window: its stream is well established, so its pages will
  /// all be read, and one `madvise(MADV_POPULATE_READ)` costs less than their page faults
  /// (about 10% of a scan's time).
  let prefault: Bool
}

/// A slot pinned for an operation that uses its mapping directly (advice, unlocking,
/// residency).
internal struct PinnedSlot {
  /// The slot, to unpin it.
  let slot: Int
  /// The number of the window the slot holds.
  let window: Int
  /// The offsets into the slot the operation concerns.
  let part: Range<Int>
}
