import Foundation
import MMap
import Synchronization

/// The protocol's `--threads N` for the random workloads: `threads` threads share `reader`,
/// thread `i` runs the workload `ops` times with its own generator seeded `seed + i`
/// (wrapping; a sum of 0 becomes 1) and its own buffer. The time is the wall clock from the
/// moment every thread is released to the moment the last one ends; the checksum is the
/// wrapping sum of theirs.
func timeOnThreads<Reader: BenchReader>(
  _ reader: Reader, workload: Workload, threads: Int, ops: Int, offsetRange: UInt64,
  seed: UInt64
) throws -> BenchResult {
  let ready = Atomic<Int>(0)
  let go = Atomic<Bool>(false)
  // Each thread stores its own result, then counts itself done with a release; the waiting
  // thread's acquire of that count orders the reads of the results after the stores (the
  // semaphore only lets it sleep meanwhile).
  let done = Atomic<Int>(0)
  let finished = DispatchSemaphore(value: 0)
  let results = UnsafeMutablePointer<Result<BenchResult, any Error>?>.allocate(capacity: threads)
  results.initialize(repeating: nil, count: threads)
  defer {
    results.deinitialize(count: threads)
    results.deallocate()
  }
  nonisolated(unsafe) let slots = results
  for index in 0..<threads {
    let thread = Thread {
      // Can't overflow: wrapping by the protocol's definition.
      let threadSeed = seed &+ UInt64(index) == 0 ? 1 : seed &+ UInt64(index)
      ready.add(1, ordering: .releasing)
      while !go.load(ordering: .acquiring) {}
      let result = Result { () throws -> BenchResult in
        switch workload {
        case .at:
          return try timeAt(reader, ops: ops, offsetRange: offsetRange, seed: threadSeed)
        case .readat8:
          return try timeRandomReads(
            reader, workload: .readat8, size: 8, ops: ops, offsetRange: offsetRange,
            seed: threadSeed)
        default:
          return try timeRandomReads(
            reader, workload: .readat4k, size: 4096, ops: ops, offsetRange: offsetRange,
            seed: threadSeed)
        }
      }
      slots[index] = result
      done.add(1, ordering: .releasing)
      finished.signal()
    }
    thread.start()
  }
  while ready.load(ordering: .acquiring) < threads {}
  let start = monotonicNanoseconds()
  go.store(true, ordering: .releasing)
  for _ in 0..<threads { finished.wait() }
  let end = monotonicNanoseconds()
  precondition(done.load(ordering: .acquiring) == threads)
  var total = BenchResult(
    workload: workload, ops: 0, bytes: 0, nanoseconds: end &- start, checksum: 0)
  for index in 0..<threads {
    let part = try slots[index].unsafelyUnwrapped.get()
    total.ops &+= part.ops
    total.bytes &+= part.bytes
    total.checksum &+= part.checksum
  }
  return total
}
