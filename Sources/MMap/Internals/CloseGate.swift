import Synchronization

/// The open/closed state of a reader's resource (a mapping, or a file descriptor) shared by
/// its reads and `close()`, in one atomic word.
///
/// Copying reads from a mapping never write this word: they load it before and after their
/// copy (a plain load on x86-64 and a load-acquire on arm64), like the reader side of a
/// seqlock. An operation that needs the resource itself until it ends registers itself for
/// its duration with ``enter()`` and ``leave()`` (one atomic add each): a view, whose bytes
/// must stay the file's until its closure returns, or a `pread`, whose descriptor number must
/// not be closed and reused by another file while the call runs. `close()` sets the closed
/// bit; whoever sees "closed and nothing inside" first wins the right to release the resource
/// (the closing thread, or the last operation out), exactly once.
///
/// Bits: `closedBit`, `releasedBit`, then the number of operations inside, in units of
/// `insideUnit`.
@usableFromInline
internal struct CloseGate: ~Copyable, Sendable {
  @usableFromInline
  internal let state = Atomic<Int>(0)

  @usableFromInline internal static let closedBit = 1
  @usableFromInline internal static let releasedBit = 2
  @usableFromInline internal static let insideUnit = 4

  @inlinable
  internal init() {}

  /// Whether `close()` has begun. The acquire load orders this check after the bytes a read
  /// copied before it, so a read that sees "open" here copied the file's bytes.
  @inlinable
  internal var isClosed: Bool {
    state.load(ordering: .acquiring) & Self.closedBit != 0
  }

  /// Like ``isClosed``, for the check that follows a copy: the fence keeps every load of the
  /// copy before the load of the state.
  @inlinable
  internal var isClosedAfterCopy: Bool {
    atomicMemoryFence(ordering: .acquiring)
    return state.load(ordering: .relaxed) & Self.closedBit != 0
  }

  /// Registers an operation that uses the resource until it ends, and returns whether the
  /// gate was open. Either way the caller must call ``leave()`` once afterwards: an
  /// operation turned away may still be the last one out.
  internal func enter() -> Bool {
    let old = state.wrappingAdd(Self.insideUnit, ordering: .acquiring).oldValue
    return old & Self.closedBit == 0
  }

  /// Unregisters an operation. Returns `true` if the caller must now release the resource: the
  /// gate is closed, this was the last operation inside, and no one else has released it.
  internal func leave() -> Bool {
    let new = state.wrappingSubtract(Self.insideUnit, ordering: .acquiringAndReleasing).newValue
    return new == Self.closedBit && claimRelease()
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

  private func claimRelease() -> Bool {
    state.compareExchange(
      expected: Self.closedBit, desired: Self.closedBit | Self.releasedBit,
      ordering: .acquiringAndReleasing
    ).exchanged
  }
}
