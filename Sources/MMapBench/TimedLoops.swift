import MMap

// The timed loops. State lives in locals: no class property, no global.

/// `at`, in a function of its own for the same reason as ``timeRandomReads8``: inlined into
/// the workload switch, a reader with several cases (``MMap/FileReader``) kept its sum on the
/// stack.
@inline(never)
func timeAt<Reader: BenchReader>(
  _ reader: Reader, ops: Int, offsetRange: UInt64, seed: UInt64
) throws(MMapError) -> BenchResult {
  var random = XorShift64Star(seed: seed)
  var sum: UInt64 = 0
  let start = monotonicNanoseconds()
  for _ in 0..<ops {
    let offset = Int(truncatingIfNeeded: random.next() % offsetRange)
    sum &+= UInt64(try reader.byte(at: offset))
  }
  let end = monotonicNanoseconds()
  return BenchResult(workload: .at, ops: ops, bytes: ops, nanoseconds: end &- start, checksum: sum)
}

/// `readat8`, in a function of its own: inlined into the workload switch, its loop shared
/// registers with every other workload's, and spilled its sum and bounds to the stack, which
/// made the loop long enough to halve the cache misses in flight at once on a large file.
@inline(never)
func timeRandomReads8<Reader: BenchReader>(
  _ reader: Reader, ops: Int, offsetRange: UInt64, seed: UInt64
) throws -> BenchResult {
  try timeRandomReads(
    reader, workload: .readat8, size: 8, ops: ops, offsetRange: offsetRange, seed: seed)
}

/// `readat4k`, in a function of its own for the same reason as ``timeRandomReads8``.
@inline(never)
func timeRandomReads4k<Reader: BenchReader>(
  _ reader: Reader, ops: Int, offsetRange: UInt64, seed: UInt64
) throws -> BenchResult {
  try timeRandomReads(
    reader, workload: .readat4k, size: 4096, ops: ops, offsetRange: offsetRange, seed: seed)
}

/// `readat8` and `readat4k`: `ops` copies of `size` bytes at random offsets into one reused
/// buffer of the calling thread's. Called with a literal `size`, so that after inlining the
/// copy has a constant length, as C's memcpy of a literal size does, and the checksum choice
/// folds away.
@inline(__always)
func timeRandomReads<Reader: BenchReader>(
  _ reader: Reader, workload: Workload, size: Int, ops: Int, offsetRange: UInt64, seed: UInt64
) throws -> BenchResult {
  // A buffer of its own, not one passed in: the optimizer knows its address isn't nil, so
  // its count folds to `size`, and so do the library's bounds test and copy. (A buffer's
  // count is 0 for a nil address, which a parameter's address might be.)
  try withUnsafeTemporaryAllocation(byteCount: size, alignment: 64) { target in
    defer { blackHole(target.baseAddress) }  // The copies stay copies.
    var random = XorShift64Star(seed: seed)
    // Can't be nil: size > 0.
    let first = UnsafeRawPointer(target.baseAddress.unsafelyUnwrapped)
    let last = first + (size &- 8)  // Can't overflow: size is 8 or 4096.
    var sum: UInt64 = 0
    let start = monotonicNanoseconds()
    for _ in 0..<ops {
      let offset = Int(truncatingIfNeeded: random.next() % offsetRange)
      let copied = try reader.read(from: offset, into: target)
      if copied != size { throw shortRead(reader) }
      // The protocol's checksums: readat8 adds its 8 bytes, readat4k its first and last 8 xored.
      sum &+= size == 8 ? load64(first) : load64(first) ^ load64(last)
    }
    let end = monotonicNanoseconds()
    return BenchResult(
      workload: workload, ops: ops, bytes: ops &* size, nanoseconds: end &- start,
      checksum: sum)
  }
}

/// `seq64k`: copies of 64 KiB from offset 0 to the end, `passes` times over; the checksum is
/// one pass's.
@inline(__always)
func timeSequential<Reader: BenchReader>(
  _ reader: Reader, passes: Int, buffer: UnsafeMutableRawBufferPointer
) throws -> BenchResult {
  let count = reader.count
  let base = buffer.baseAddress.unsafelyUnwrapped
  var sum: UInt64 = 0
  var ops = 0
  let start = monotonicNanoseconds()
  for _ in 0..<passes {
    sum = 0
    var offset = 0
    while offset < count {
      let wanted = min(65536, count &- offset)  // Can't overflow: offset < count.
      let copied = try reader.read(
        from: offset, into: UnsafeMutableRawBufferPointer(start: base, count: wanted))
      if copied != wanted { throw shortRead(reader) }
      sum &+= load64(base) ^ load64(base + (copied &- 8))  // copied >= 8: count % 8 == 0.
      ops &+= 1
      offset &+= 65536
    }
  }
  let end = monotonicNanoseconds()
  return BenchResult(
    workload: .seq64k, ops: ops, bytes: count &* passes, nanoseconds: end &- start,
    checksum: sum)
}

/// `lines`: the library's count of line feeds over the whole file, `passes` times; `ops` is
/// the number of passes and the checksum the count.
@inline(__always)
func timeLineCount<Reader: BenchReader>(_ reader: Reader, passes: Int) throws -> BenchResult {
  var newlines = 0
  let start = monotonicNanoseconds()
  for _ in 0..<passes {
    newlines = try reader.count(of: 0x0A)
  }
  let end = monotonicNanoseconds()
  return BenchResult(
    workload: .lines, ops: passes, bytes: reader.count &* passes, nanoseconds: end &- start,
    checksum: UInt64(newlines))
}

/// `lineiter`: every line in order through the library's line iteration, as offset ranges,
/// `passes` times over; `ops` = the lines visited, checksum = checksum * 31 + line length, line
/// by line, over one pass.
@inline(__always)
func timeLineIteration<Reader: BenchReader>(_ reader: Reader, passes: Int) throws -> BenchResult {
  var sum: UInt64 = 0
  var lines = 0
  let start = monotonicNanoseconds()
  for _ in 0..<passes {
    sum = 0
    try reader.forEachLine { line in
      sum = sum &* 31 &+ UInt64(truncatingIfNeeded: line.count)
      lines &+= 1
      return .proceed
    }
  }
  let end = monotonicNanoseconds()
  return BenchResult(
    workload: .lineiter, ops: lines, bytes: reader.count &* passes, nanoseconds: end &- start,
    checksum: sum)
}

@inline(__always)
func timeOpenClose<Reader: BenchReader>(
  _: Reader.Type, _ options: BenchOptions, ops: Int
) throws(MMapError) -> BenchResult {
  var sum: UInt64 = 0
  let start = monotonicNanoseconds()
  for _ in 0..<ops {
    let reader = try Reader.open(options)
    sum &+= UInt64(truncatingIfNeeded: reader.count)
    try (consume reader).release()  // Unshared: the cheapest close each reader has.
  }
  let end = monotonicNanoseconds()
  return BenchResult(
    workload: .openclose, ops: ops, bytes: 0, nanoseconds: end &- start, checksum: sum)
}

/// `openclose` through ``MMap/FileReader``: the choice is part of every open.
@inline(__always)
func timeAutoOpenClose(_ options: BenchOptions, ops: Int) throws(MMapError) -> BenchResult {
  let path = options.path
  let choice = options.fileReaderOptions
  var sum: UInt64 = 0
  let start = monotonicNanoseconds()
  for _ in 0..<ops {
    let reader = try FileReader.open(path: path, options: choice)
    sum &+= UInt64(truncatingIfNeeded: reader.count)
    try (consume reader).release()
  }
  let end = monotonicNanoseconds()
  return BenchResult(
    workload: .openclose, ops: ops, bytes: 0, nanoseconds: end &- start, checksum: sum)
}

/// The error for a read that delivered fewer bytes than the file's size promised.
