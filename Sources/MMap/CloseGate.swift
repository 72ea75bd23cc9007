import Synchronization

/// The open/closed state of a reader's resource (a mapping, or a file descriptor) shared by
/// its reads and `close()`, in one atomic word.
///
/// Copying reads from a mapping never write this word: they load it before and after their
/// copy (a plain load on x86-64 and a load-acquire on arm64), like the reader side of a
/// seqlock. An operation that needs the resource itself until it ends registers itself for
/// its duration (one atomic add on entry and one on exit): a view, whose bytes must stay the
/// file's until its closure returns, or a `pread`, whose descriptor number must not be
/// closed and reused by another file while the call runs. The methods say "view" for any
/// such operation. `close()` sets the closed bit; whoever sees "closed and no view inside"
/// first wins the right to release the resource (the closing thread, or the last view out),
/// exactly once.
///
/// Bits: `closedBit`, `releasedBit`, then the number of views inside, in units of `viewUnit`.
@usableFromInline
internal struct CloseGate: ~Copyable, Sendable {
  @usableFromInline
  internal let state = Atomic<Int>(0)

  @usableFromInline internal static let closedBit = 1
  @usableFromInline internal static let releasedBit = 2
  @usableFromInline internal static let viewUnit = 4

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

  /// Registers a view (any operation that uses the resource until it ends) and returns
  /// whether the gate was open. Either way the caller must call ``leaveView()`` once
  /// afterwards: a view turned away may still be the last one out.
  internal func enterView() -> Bool {
    let old = state.wrappingAdd(Self.viewUnit, ordering: .acquiring).oldValue
    return old & Self.closedBit == 0
  }

  /// Unregisters a view. Returns `true` if the caller must now release the resource: the gate
  /// is closed, this was the last view, and no one else has released it.
  internal func leaveView() -> Bool {
    let new = state.wrappingSubtract(Self.viewUnit, ordering: .acquiringAndReleasing).newValue
    return new == Self.closedBit && claimRelease()
  }

  /// Closes the gate. Returns `true` if the caller must now release the resource; `false` if
  /// it was closed before, or if views are inside (the last one out releases it).
  internal func close() -> Bool {
    let old = state.bitwiseOr(Self.closedBit, ordering: .acquiringAndReleasing).oldValue
    guard old & Self.closedBit == 0 else { return false }
    return old < Self.viewUnit && claimRelease()
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
