import Synchronization

/// The state of a reader's resource (a mapping, or a file descriptor) shared by its reads,
/// `close()` and the truncation guard, in one atomic word.
///
/// Copying reads from a mapping never write this word: they load it after their copy (a plain
/// load on x86-64 and a load-acquire on arm64), like the reader side of a seqlock, and fail
/// if it says closed or truncated. That one load is enough: the mapping stays addressable
/// until the owner's deinit (the file's pages, or zero pages after a close or a truncation),
/// so a copy never faults, and the check after it sees every close or truncation that began
/// before the copy ended. An operation that needs the resource
/// itself until it ends registers itself for its duration with ``enter()`` and ``leave()``
/// (one atomic add each): a view, whose bytes must stay the file's until its closure returns,
/// or a `pread`, whose descriptor number must not be closed and reused by another file while
/// the call runs. `close()` sets the closed bit; whoever sees "closed and nothing inside"
/// first wins the right to release the resource (the closing thread, or the last operation
/// out), exactly once. The truncation guard's signal handler sets the truncated bit (see
/// `FaultSink`), and records where in ``faultOffset``.
///
/// Bits: `closedBit`, `releasedBit`, `truncatedBit`, then the number of operations inside,
/// in units of `insideUnit`.
@usableFromInline
internal struct CloseGate: ~Copyable, Sendable {
  @usableFromInline
  internal let state = Atomic<Int>(0)

  /// The smallest reader offset of a page the guard found past the file's end, or `Int.max`.
  internal let faultOffset = Atomic<Int>(.max)

  @usableFromInline internal static let closedBit = 1
  @usableFromInline internal static let releasedBit = 2
  @usableFromInline internal static let truncatedBit = 4
  @usableFromInline internal static let insideUnit = 8
  /// The bits that make every read fail.
  @usableFromInline internal static let unreadableBits = closedBit | truncatedBit

  /// Why a fault happened, decided when its first error is built.
  internal let faultCause: FaultCause

  /// A gate for a reader whose reads never fault (no mapping).
  internal init() { faultCause = FaultCause() }

  /// A gate for a mapped reader, whose faults `faultCause` tells apart.
  internal init(faultCause: consuming FaultCause) { self.faultCause = faultCause }

  /// Whether `close()` has begun.
  @inlinable
  internal var isClosed: Bool {
    state.load(ordering: .acquiring) & Self.closedBit != 0
  }

  /// Whether reads must fail: the reader is closed, or its file was found truncated. The
  /// acquire load orders this check after the bytes a read copied before it, so a read that
  /// sees "readable" here copied the file's bytes.
  @inlinable
  internal var isUnreadable: Bool {
    state.load(ordering: .acquiring) & Self.unreadableBits != 0
  }

  /// Like ``isUnreadable``, for the check that follows a copy: the fence keeps every load of
  /// the copy before the load of the state.
  @inlinable
  internal var isUnreadableAfterCopy: Bool {
    atomicMemoryFence(ordering: .acquiring)
    return state.load(ordering: .relaxed) & Self.unreadableBits != 0
  }

  /// Whether the guard found the file truncated, checked after a view's closure: a view's
  /// bytes stay the file's through a concurrent `close()`, but not through a truncation.
  internal var isTruncatedAfterCopy: Bool {
    atomicMemoryFence(ordering: .acquiring)
    return state.load(ordering: .relaxed) & Self.truncatedBit != 0
  }

  /// The error for a page the guard found unreadable: the file was truncated (`ENODATA`), or
  /// reading it failed (`EIO`).
  internal func truncationError(path: String?) -> MMapError {
    faultCause.error(path: path, faultOffset: faultOffset.load(ordering: .relaxed))
  }

  /// The error a read that found the gate unreadable throws: closed, or truncated.
  @usableFromInline
  internal func failure(path: String?) -> MMapError {
    isClosed ? MMapError.closed(path: path) : truncationError(path: path)
  }

  /// Where the truncation guard reports a fault: this gate's state word and fault offset.
  /// Valid while the gate lives, at the fixed address of the object that holds it.
  internal var faultSink: FaultSink {
    FaultSink(
      word: withUnsafePointer(to: state) { UnsafeMutableRawPointer(mutating: $0) },
      flag: Self.truncatedBit,
      offset: withUnsafePointer(to: faultOffset) { UnsafeMutableRawPointer(mutating: $0) })
  }

  /// Registers an operation that uses the resource until it ends, and returns whether the
  /// gate was readable. Either way the caller must call ``leave()`` once afterwards: an
  /// operation turned away may still be the last one out.
  internal func enter() -> Bool {
    let old = state.wrappingAdd(Self.insideUnit, ordering: .acquiring).oldValue
    return old & Self.unreadableBits == 0
  }

  /// Unregisters an operation. Returns `true` if the caller must now release the resource: the
  /// gate is closed, this was the last operation inside, and no one else has released it.
  internal func leave() -> Bool {
    let new = state.wrappingSubtract(Self.insideUnit, ordering: .acquiringAndReleasing).newValue
    return new & Self.closedBit != 0 && new < Self.insideUnit && claimRelease()
  }

  /// Closes the gate. Returns `true` if the caller must now release the resource; `false` if
  /// it was closed before, or if operations are inside (the last one out releases it).
  internal func close() -> Bool {
    let old = state.bitwiseOr(Self.closedBit, ordering: .acquiringAndReleasing).oldValue
    guard old & Self.closedBit == 0 else { return false }
    return old < Self.insideUnit && claimRelease()
  }

  /// Whether the resource has been released (or the release is under way).
  internal var isReleased: Bool {
    state.load(ordering: .acquiring) & Self.releasedBit != 0
  }

  /// Sets the released bit if the gate is closed, empty and not released yet; returns whether
  /// this call set it. A loop, since the guard may set the truncated bit meanwhile.
  private func claimRelease() -> Bool {
    var old = state.load(ordering: .acquiring)
    while old & Self.closedBit != 0, old & Self.releasedBit == 0, old < Self.insideUnit {
      let (exchanged, current) = state.compareExchange(
        expected: old, desired: old | Self.releasedBit, ordering: .acquiringAndReleasing)
      if exchanged { return true }
      old = current
    }
    return false
  }
}
