import Dispatch
import Foundation
import Synchronization
import Testing

@testable import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// One operation of a mixed workload on `reader`: a copy or a view, random or continuing a
/// sequential run, checked against `truth`. Returns whether the bytes were right; throws
/// what the reader threw.
func mixedOperation(
  _ reader: MMapWindowReader, truth: [UInt8], step: Int, offset: inout Int,
  random: inout SeededGenerator, buffer: inout [UInt8]
) throws -> Bool {
  let size = truth.count
  if step % 16 == 0 { offset = Int.random(in: 0..<size, using: &random) }
  let end = min(size, offset + Int.random(in: 1...3 * 4096, using: &random))
  let good: Bool
  if step % 3 == 0 {
    good = try reader.withUnsafeBytes(in: offset..<end) { sameBytes($0, truth[offset..<end]) }
  } else {
    let copied = try buffer.withUnsafeMutableBytes { bytes in
      try reader.read(
        from: offset, into: UnsafeMutableRawBufferPointer(rebasing: bytes[..<(end - offset)]))
    }
    good = copied == end - offset && sameBytes(buffer[..<copied], truth[offset..<end])
  }
  offset = end == size ? 0 : end
  return good
}

/// Several threads share one reader; close() may race with them.
@Suite struct MMapWindowReaderConcurrencyTests {
  @Test(arguments: [(4096, 1), (3 * 4096, 2), (1 << 20, 4)])
  func concurrentReadsAndViewsDeliverTheFilesBytes(windowSize: Int, maxWindows: Int) throws {
    let size = 2 << 20 + 5
    try withTemporaryFile(contents: generatedBytes(count: size, seed: 31)) { path in
      let truth = preadBytes(path: path, offset: 0, count: size)
      let reader = try MMapWindowReader(
        path: path, windowSize: windowSize, maxWindows: maxWindows)
      defer { try? reader.close() }
      let mismatches = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: 4) { thread in
        var random = SeededGenerator(seed: UInt64(thread + 1))
        var buffer = [UInt8](repeating: 0, count: 3 * 4096)
        var offset = 0
        for step in 0..<1500 {
          let good =
            (try? mixedOperation(
              reader, truth: truth, step: step, offset: &offset, random: &random,
              buffer: &buffer)) ?? false
          if !good { mismatches.add(1, ordering: .relaxed) }
        }
      }
      let mismatchCount = mismatches.load(ordering: .relaxed)
      #expect(mismatchCount == 0)
      #expect(reader.mappedWindowCount <= maxWindows)
    }
  }

  /// A view running on another thread when `close()` is called keeps its window and the
  /// descriptor until it returns; the view's thread then releases them.
  @Test func viewRunningAtCloseKeepsItsBytesAndTheLastOneOutReleases() throws {
    let contents = generatedBytes(count: 8 * pageSize, seed: 33)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapWindowReader(path: path, windowSize: 4 * pageSize, maxWindows: 1)
      let inside = DispatchSemaphore(value: 0)
      let closed = DispatchSemaphore(value: 0)
      let done = DispatchSemaphore(value: 0)
      let viewSawTheFile = Atomic<Bool>(false)
      DispatchQueue.global().async {
        let good = try? reader.withUnsafeBytes(in: 0..<(4 * pageSize)) { view in
          inside.signal()
          closed.wait()
          return sameBytes(view, contents[0..<(4 * pageSize)])
        }
        viewSawTheFile.store(good == true, ordering: .releasing)
        done.signal()
      }
      inside.wait()
      try reader.close()
      #expect(reader.isClosed)
      #expect(mappingCount(of: path) == 1, "the view's window was unmapped under it")
      #expect(descriptorCount(of: path) == 1)
      #expect(throws: MMapError(.read, path: path, errno: EBADF)) {
        try reader.bytes(in: 0..<4)
      }
      closed.signal()
      done.wait()
      let sawTheFile = viewSawTheFile.load(ordering: .acquiring)
      #expect(sawTheFile)
      #expect(mappingCount(of: path) == 0)
      #expect(descriptorCount(of: path) == 0)
    }
  }

}

extension MMapWindowReaderConcurrencyTests {
  /// Lock-free hits racing with windows being remapped under them: threads reading at random
  /// (copies and single bytes) while another scans sequentially and so remaps the slots all
  /// the time. Every byte must be the file's: a read that overlapped a remap retries.
  @Test func lockFreeReadsRacingWithContinuousEvictionGetTheFilesBytes() throws {
    let window = pageSize
    let size = 64 * window
    let contents = generatedBytes(count: size, seed: 61)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapWindowReader(path: path, windowSize: window, maxWindows: 2)
      defer { try? reader.close() }
      let wrong = Atomic<Int>(0)
      let reads = Atomic<Int>(0)
      let scanAt = Atomic<Int>(0)
      runOnThreads(3) { thread in
        var random = SeededGenerator(seed: UInt64(thread + 1))
        // The scanner reads a window per step, so every step remaps a slot; the readers copy
        // half a window near it, so that many copies overlap a remap of their slot.
        let length = thread == 0 ? window : window / 2
        var buffer = [UInt8](repeating: 0, count: length)
        for step in 0..<10_000 {
          let offset: Int
          if thread == 0 {
            offset = step % 64 * window
            scanAt.store(offset, ordering: .relaxed)
          } else {
            let near = scanAt.load(ordering: .relaxed) - window
            offset = min(max(0, near + Int.random(in: 0..<window, using: &random)), size - length)
          }
          do throws(MMapError) {
            if thread != 0, step % 4 == 3 {
              if try reader.byte(at: offset) != contents[offset] {
                wrong.add(1, ordering: .relaxed)
              }
            } else {
              _ = try reader.read(from: offset, into: &buffer)
              if buffer[...] != contents[offset..<(offset + length)] {
                wrong.add(1, ordering: .relaxed)
              }
            }
            if thread != 0 { reads.add(1, ordering: .relaxed) }
          } catch {
            wrong.add(1, ordering: .relaxed)
          }
        }
      }
      #expect(wrong.load(ordering: .relaxed) == 0)
      #expect(reads.load(ordering: .relaxed) == 20_000)
    }
  }
}
