import MMap

// `--reads-per-lookup N`: the `at` and `readat8` reads through a reloading reader, N in each
// lookup. The reads, their offsets and the checksum are the protocol's; only how many reads
// share one `withCurrentReader` call changes, which is what a lookup service's lookup does
// (a binary search, a record and its fields).

/// Opens a reloading reader of `options`' file and times its workload, `readsPerLookup`
/// reads per lookup.
func runGroupedLookups(
  _ options: BenchOptions, readsPerLookup: Int
) throws -> BenchResult {
  let reader = try ReloadingReader<MMapReader>.open(options)
  defer { try? reader.close() }
  let size = options.workload == .at ? 1 : 8
  guard reader.count >= size else {
    throw BenchError("\(options.path): file shorter than the read size")
  }
  // Can't overflow: 0 < size <= count.
  let offsetRange = UInt64(truncatingIfNeeded: reader.count &- size &+ 1)
  let ops = options.effectiveOps
  return options.workload == .at
    ? try timeGroupedBytes(
      reader, ops: ops, readsPerLookup: readsPerLookup, offsetRange: offsetRange,
      seed: options.seed)
    : try timeGroupedReads8(
      reader, ops: ops, readsPerLookup: readsPerLookup, offsetRange: offsetRange,
      seed: options.seed)
}

/// `at` with `readsPerLookup` bytes per lookup.
@inline(never)
func timeGroupedBytes(
  _ reader: ReloadingReader<MMapReader>, ops: Int, readsPerLookup: Int, offsetRange: UInt64,
  seed: UInt64
) throws(MMapError) -> BenchResult {
  var random = XorShift64Star(seed: seed)
  var sum: UInt64 = 0
  var done = 0
  let start = monotonicNanoseconds()
  while done < ops {
    let reads = min(readsPerLookup, ops &- done)
    try reader.withCurrentReader { (version) throws(MMapError) in
      for _ in 0..<reads {
        let offset = Int(truncatingIfNeeded: random.next() % offsetRange)
        sum &+= UInt64(try version.byte(at: offset))
      }
    }
    done &+= reads
  }
  let end = monotonicNanoseconds()
  return BenchResult(workload: .at, ops: ops, bytes: ops, nanoseconds: end &- start, checksum: sum)
}

/// `readat8` with `readsPerLookup` reads per lookup.
@inline(never)
func timeGroupedReads8(
  _ reader: ReloadingReader<MMapReader>, ops: Int, readsPerLookup: Int, offsetRange: UInt64,
  seed: UInt64
) throws -> BenchResult {
  // A buffer of its own, as in timeRandomReads, so that the copy's length folds to 8.
  try withUnsafeTemporaryAllocation(byteCount: 8, alignment: 64) { target in
    defer { blackHole(target.baseAddress) }  // The copies stay copies.
    var random = XorShift64Star(seed: seed)
    let first = UnsafeRawPointer(target.baseAddress.unsafelyUnwrapped)  // Can't be nil.
    var sum: UInt64 = 0
    var done = 0
    let start = monotonicNanoseconds()
    while done < ops {
      let reads = min(readsPerLookup, ops &- done)
      try reader.withCurrentReader { version in
        for _ in 0..<reads {
          let offset = Int(truncatingIfNeeded: random.next() % offsetRange)
          if try version.read(from: offset, into: target) != 8 { throw shortRead(version) }
          sum &+= load64(first)
        }
      }
      done &+= reads
    }
    let end = monotonicNanoseconds()
    return BenchResult(
      workload: .readat8, ops: ops, bytes: ops &* 8, nanoseconds: end &- start, checksum: sum)
  }
}
