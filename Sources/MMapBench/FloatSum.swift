import MMap

// `floatsum`: the file's bytes as little-endian `Float`s (a trailing partial one ignored),
// summed through the library's typed view; the C reference sums the same mapping with the
// same loop. The sum's order is fixed so that both give the same bits: 16 lanes, lane `j`
// adding the elements whose index is `j` modulo 16 in order, then the lanes added in order
// from 0, then the elements past the last whole 16 in order. The checksum is the sum's bit
// pattern.

/// The number of partial sums: enough independent additions to keep vector units busy.
let floatSumLanes = 16

/// The sum of `floats` in the lane order above.
@inline(never)
func laneSum(_ floats: UnsafeBufferPointer<Float>) -> Float {
  var lanes = InlineArray<16, Float>(repeating: 0)
  let whole = floats.count &- floats.count % floatSumLanes  // Can't overflow: a count.
  var index = 0
  while index < whole {
    for lane in 0..<16 { lanes[lane] += floats[index &+ lane] }  // Can't overflow: < whole.
    index &+= floatSumLanes
  }
  var total: Float = 0
  for lane in 0..<16 { total += lanes[lane] }
  while index < floats.count {
    total += floats[index]
    index &+= 1
  }
  return total
}

/// `floatsum` on `reader`, `passes` times over: in place through
/// ``MMap/ZeroCopyReader/withUnsafeElements(in:as:_:)`` on the readers that lend their bytes,
/// from an aligned copy (``MMap/RandomAccessReader/elements(in:as:)``) on the others.
@inline(__always)
func timeFloatSum<Reader: BenchReader>(_ reader: Reader, passes: Int) throws -> BenchResult {
  let floats = 0..<(reader.count &- reader.count % 4)  // Can't overflow: a count.
  var sum: Float = 0
  let start = monotonicNanoseconds()
  for _ in 0..<passes {
    // The concrete reader first, so that its view inlines; the others through the protocol.
    if let reader = reader as? MMapReader {
      sum = try reader.withUnsafeElements(in: floats, as: Float.self, laneSum)
    } else if let reader = reader as? any ZeroCopyReader {
      sum = try reader.withUnsafeElements(in: floats, as: Float.self, laneSum)
    } else {
      sum = try reader.elements(in: floats, as: Float.self).withUnsafeBufferPointer(laneSum)
    }
  }
  let end = monotonicNanoseconds()
  return BenchResult(
    workload: .floatsum, ops: passes, bytes: reader.count &* passes, nanoseconds: end &- start,
    checksum: UInt64(sum.bitPattern))
}
