/// The number of bytes equal to `0x0A` in `bytes`.
///
/// Compares 16 bytes at a time: each comparison adds one to the matching lanes of a vector
/// of byte counters, which are folded into the total every 255 blocks, before any can wrap.
/// The tail shorter than a block is counted a byte at a time.
func countNewlines(in bytes: UnsafeRawBufferPointer) -> UInt64 {
  guard let base = bytes.baseAddress else { return 0 }
  let newline = SIMD16<UInt8>(repeating: 0x0A)
  let blockCount = bytes.count / 16
  var total: UInt64 = 0
  var block = 0
  while block < blockCount {
    let end = block &+ min(255, blockCount &- block)  // A byte counter holds at most 255.
    var counters = SIMD16<UInt8>()
    while block < end {
      let lanes = base.loadUnaligned(fromByteOffset: block &* 16, as: SIMD16<UInt8>.self)
      counters &+= SIMD16<UInt8>().replacing(with: 1, where: lanes .== newline)
      block &+= 1
    }
    total &+= UInt64(SIMD16<UInt16>(truncatingIfNeeded: counters).wrappedSum())
  }
  for offset in (blockCount &* 16)..<bytes.count where bytes[offset] == 0x0A {
    total &+= 1
  }
  return total
}
