import Dispatch
import Foundation
import Synchronization
import Testing

@testable import MMap

/// Several threads share one reader; close() may race with them.
@Suite struct MMapReaderConcurrencyTests {
  @Test func concurrentReadsDeliverTheFilesBytes() throws {
    let size = 2 << 20 + 5
    try withTemporaryFile(contents: generatedBytes(count: size, seed: 12)) { path in
      let truth = preadBytes(path: path, offset: 0, count: size)
      let reader = try MMapReader(path: path)
      let mismatches = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: 8) { thread in
        var random = SeededGenerator(seed: UInt64(thread + 1))
        var buffer = [UInt8](repeating: 0, count: 512)
        for _ in 0..<2000 {
          let offset = Int.random(in: 0...size, using: &random)
          let copied = (try? reader.read(from: offset, into: &buffer)) ?? -1
          let good =
            copied == min(512, size - offset)
            && buffer[..<copied].elementsEqual(truth[offset..<offset + copied])
            && (offset == size || reader[offset] == truth[offset])
          if !good { mismatches.add(1, ordering: .relaxed) }
        }
      }
      let mismatchCount = mismatches.load(ordering: .relaxed)
      #expect(mismatchCount == 0)
    }
  }

  /// `byte(at:)` checks the gate only after its load: a load that saw the zero pages that
  /// replace the file at close must still throw. No byte of the file is zero, so a zero
  /// returned would be a wrong byte.
  @Test func byteAtRacingWithCloseGetsTheFilesByteOrEBADF() throws {
    let size = 64 * pageSize
    let contents = generatedBytes(count: size, seed: 22).map { $0 | 1 }
    try withTemporaryFile(contents: contents) { path in
      let closed = MMapError(.read, path: path, errno: EBADF)
      let outside = MMapError(.read, path: path, errno: EINVAL)
      let wrong = Atomic<Int>(0)
      let delivered = Atomic<Int>(0)
      let refused = Atomic<Int>(0)
      for round in 0..<50 {
        let reader = try MMapReader(path: path)
        let started = Atomic<Int>(0)
        runOnThreads(4) { thread in
          if thread == 0 {  // Closes once every reader is reading, after a varying delay.
            while started.load(ordering: .acquiring) < 3 {}
            usleep(UInt32(round % 7) * 20)
            try? reader.close()
            return
          }
          started.add(1, ordering: .releasing)
          var random = SeededGenerator(seed: UInt64(round * 4 + thread))
          while true {  // Until the close is seen: it comes, so this ends.
            let offset = Int.random(in: -1...size, using: &random)
            let inside = offset >= 0 && offset < size
            do throws(MMapError) {
              let byte = try reader.byte(at: offset)
              if inside && byte == contents[offset] {
                delivered.add(1, ordering: .relaxed)
              } else {
                wrong.add(1, ordering: .relaxed)
              }
            } catch {
              if error == closed {
                refused.add(1, ordering: .relaxed)
                break
              } else if inside || error != outside {
                wrong.add(1, ordering: .relaxed)
              }
            }
          }
        }
        #expect(throws: closed) { try reader.byte(at: 0) }
      }
      #expect(wrong.load(ordering: .relaxed) == 0)
      // Both outcomes happened, so the race was really run.
      #expect(delivered.load(ordering: .relaxed) > 0)
      #expect(refused.load(ordering: .relaxed) > 0)
    }
  }

  @Test func viewRunningDuringCloseKeepsItsBytesAndTheLastOneOutReleases() throws {
    let size = 8 * pageSize
    try withTemporaryFile(contents: generatedBytes(count: size, seed: 31)) { path in
      let truth = preadBytes(path: path, offset: 0, count: size)
      let reader = try MMapReader(path: path)
      let inside = DispatchSemaphore(value: 0)
      let closeDone = DispatchSemaphore(value: 0)
      let viewFinished = DispatchSemaphore(value: 0)
      let sawFileBytes = Atomic<Bool>(false)
      let mappedDuringView = Atomic<Int>(-1)
      DispatchQueue.global().async {
        let same = try? reader.withUnsafeBytes { bytes -> Bool in
          inside.signal()
          closeDone.wait()
          mappedDuringView.store(mappingCount(of: path), ordering: .relaxed)
          return Array(bytes) == truth
        }
        sawFileBytes.store(same == true, ordering: .relaxed)
        viewFinished.signal()
      }
      inside.wait()
      try reader.close()
      #expect(reader.isClosed)
      #expect(throws: MMapError(.read, path: path, errno: EBADF)) {
        try reader.withUnsafeBytes { $0.count }
      }
      closeDone.signal()
      viewFinished.wait()
      let sawFile = sawFileBytes.load(ordering: .relaxed)
      let mappedDuring = mappedDuringView.load(ordering: .relaxed)
      #expect(sawFile, "bytes stayed the file's until the view ended")
      #expect(mappedDuring == 1, "close waited for the view")
      #expect(mappingCount(of: path) == 0, "the last view out released the file")
    }
  }

  @Test func closeGateReleasesExactlyOnceUnderContention() {
    for _ in 0..<200 {
      let gate = CloseGate()
      let releases = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: 6) { thread in
        if thread == 0 {
          if gate.close() { releases.add(1, ordering: .relaxed) }
          return
        }
        for _ in 0..<50 {
          _ = gate.enter()
          if gate.leave() { releases.add(1, ordering: .relaxed) }
        }
      }
      let releaseCount = releases.load(ordering: .relaxed)
      #expect(releaseCount == 1)
      #expect(gate.isClosed && gate.isReleased)
    }
  }
}
