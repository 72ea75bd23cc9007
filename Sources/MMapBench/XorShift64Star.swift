/// The benchmark protocol's PRNG, xorshift64*: every implementation draws the same offsets
/// from the same seed. The tests draw their random offsets and contents from it too, so one
/// generator serves both.
///
/// All arithmetic wraps. A value type kept in a local variable, so the timed loops pay no
/// exclusivity check and no memory traffic for its state.
public struct XorShift64Star: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// Starts the sequence at `seed`, which must not be `0` (the sequence would stay at zero).
  public init(seed: UInt64) {
    precondition(seed != 0, "xorshift64* needs a non-zero seed")
    state = seed
  }

  /// The next value of the sequence.
  @inline(__always)
  public mutating func next() -> UInt64 {
    var x = state
    x ^= x >> 12
    x ^= x << 25
    x ^= x >> 27
    state = x
    return x &* 0x2545_F491_4F6C_DD1D
  }
}
