import Synchronization

/// Whether a reader's file was found truncated, for a reader whose close state lives
/// elsewhere (``MMapWindowReader`` keeps it under its lock): the truncation guard's handler
/// sets a bit here, and reads check it after their copies.
///
/// ``MMapReader`` and ``PReadReader`` keep the same bit in their ``CloseGate`` word instead,
/// so that their copies check closing and truncation with one load.
@usableFromInline
internal struct TruncationMark: ~Copyable, Sendable {
  @usableFromInline let word = Atomic<Int>(0)
  /// The smallest reader offset known to lie past the file's end, or `Int.max`.
  private let offset = Atomic<Int>(.max)

  /// Why a fault happened, decided when its first error is built.
  private let faultCause: FaultCause

  /// A mark whose faults all count as truncations.
  init() { faultCause = FaultCause() }

  /// A mark whose faults `faultCause` tells apart.
  init(faultCause: consuming FaultCause) { self.faultCause = faultCause }

  /// Whether a truncation was found.
  var isSet: Bool { word.load(ordering: .acquiring) != 0 }

  /// Like ``isSet``, for the check that follows a copy: the fence keeps every load of the
  /// copy before the load of the mark.
  @inlinable
  var isSetAfterCopy: Bool {
    atomicMemoryFence(ordering: .acquiring)
    return word.load(ordering: .relaxed) != 0
  }

  /// Records a truncation found without a fault: a `pread` that ended early at `fileEnd`.
  func set(fileEnd: Int) {
    var seen = offset.load(ordering: .relaxed)
    while fileEnd < seen {
      let (exchanged, current) = offset.compareExchange(
        expected: seen, desired: fileEnd, ordering: .relaxed)
      if exchanged { break }
      seen = current
    }
    faultCause.noteTruncation()
    word.store(1, ordering: .releasing)
  }

  /// The error for the truncation found: `ENODATA`, or `EIO` if the file turned out not
  /// to have shrunk (see ``FaultCause``).
  func error(path: String?) -> MMapError {
    faultCause.error(path: path, faultOffset: offset.load(ordering: .acquiring))
  }

  /// Where the guard reports a fault. Valid while the mark lives, at the fixed address of
  /// the object that holds it.
  var faultSink: FaultSink {
    FaultSink(
      word: withUnsafePointer(to: word) { UnsafeMutableRawPointer(mutating: $0) }, flag: 1,
      offset: withUnsafePointer(to: offset) { UnsafeMutableRawPointer(mutating: $0) })
  }
}
