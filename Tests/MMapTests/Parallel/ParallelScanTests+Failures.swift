import Foundation
import Synchronization
import Testing

@testable import MMap

/// A body's error that names the part it came from.
private struct PartError: Error, Equatable {
  var offset: Int
}

/// The calling thread's kernel thread id: `/proc/thread-self` links to `PID/task/TID`.
private func currentThreadID() -> Int {
  let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")
  return link.flatMap { $0.split(separator: "/").last.flatMap { Int($0) } } ?? -1
}

/// The kernel thread ids of this process's threads now.
private func liveThreadIDs() -> Set<Int> {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
  return Set(names.compactMap { Int($0) })
}

extension ParallelScanTests {
  /// A body that throws in one part stops the others, and the caller gets the error of the
  /// first part in reader order that threw: here every part throws at its first chunk, and
  /// several may throw before they see the stop.
  @Test(arguments: ReaderKind.allCases)
  func theFirstPartsErrorReachesTheCallerAndStopsTheOthers(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 256 * 1024, seed: 81)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let plan = ParallelPlan(
        of: 0..<contents.count, on: reader, parallelism: Self.parallelism(3))
      let firstOffsets = Set(plan.parts.map(\.lowerBound))
      let calls = Atomic<Int>(0)
      let thrown = LockedValue<[Int]>([])
      do {
        try reader.forEachChunk(parallelism: Self.parallelism(3)) { offset, _ in
          calls.add(1, ordering: .relaxed)
          if firstOffsets.contains(offset) {
            thrown.withLock { $0.append(offset) }
            throw PartError(offset: offset)
          }
          return .proceed
        }
        Issue.record("the scan must throw")
      } catch let error as PartError {
        #expect(error.offset == thrown.withLock { $0.min() })
      }
      // Each thread stops at its first part: nothing like the whole file was visited.
      let visited = calls.load(ordering: .relaxed)
      #expect(visited >= 1 && visited <= plan.workers)
      // A stop ends the scan without an error, each thread at its first part.
      let stopCalls = Atomic<Int>(0)
      try reader.forEachChunk(parallelism: Self.parallelism(3)) { offset, _ in
        stopCalls.add(1, ordering: .relaxed)
        return firstOffsets.contains(offset) ? .stop : .proceed
      }
      let stopVisited = stopCalls.load(ordering: .relaxed)
      #expect(stopVisited >= 1 && stopVisited <= plan.workers)
      // The same through the parallel line scan.
      #expect(throws: PartError(offset: -1)) {
        try reader.forEachLine(parallelism: Self.parallelism(3)) { line in
          if line.lowerBound == 0 { throw PartError(offset: -1) }
          return .proceed
        }
      }
    }
  }

  /// The threads really run at once: the first part's body waits until a body of another
  /// part has run, which happens only if another thread scans meanwhile. No thread, no
  /// descriptor and no mapping outlives the call.
  @Test(arguments: ReaderKind.allCases)
  func workersRunAtOnceAndNothingOutlivesTheCall(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 256 * 1024, seed: 83)
    try withTemporaryFile(contents: contents) { path in
      // The file's mappings, by path: a closed reader with no view left unmaps them, and the
      // anonymous placeholders other suites' readers hold meanwhile would make a count of
      // placeholders move.
      let descriptors = descriptorCount(of: path)
      let mappings = mappingCount(of: path)
      try scanOnThreeThreads(kind: kind, path: path)
      #expect(descriptorCount(of: path) == descriptors)
      #expect(mappingCount(of: path) == mappings)
    }
  }

  /// Scans `path` with a fresh reader of `kind` on three threads, checking that they run at
  /// once and that none outlives the scan; closes the reader.
  private func scanOnThreeThreads(kind: ReaderKind, path: String) throws {
    do {
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let threadsBefore = liveThreadIDs()
      let caller = currentThreadID()
      let workers = LockedValue<Set<Int>>([])
      let otherPartRan = Atomic<Bool>(false)
      let sawOtherPart = Atomic<Bool>(false)
      try reader.forEachChunk(parallelism: Self.parallelism(3)) { offset, _ in
        workers.withLock { _ = $0.insert(currentThreadID()) }
        if offset == 0 {
          for _ in 0..<10_000 where !otherPartRan.load(ordering: .acquiring) { usleep(1000) }
          sawOtherPart.store(otherPartRan.load(ordering: .acquiring), ordering: .relaxed)
        } else {
          otherPartRan.store(true, ordering: .releasing)
        }
        return .proceed
      }
      let ran = sawOtherPart.load(ordering: .relaxed)
      #expect(ran, "the other threads never scanned while part 0 waited")
      let started = workers.withLock { $0 }.subtracting([caller])
      #expect(!started.isEmpty)
      // pthread_join returns once the kernel clears the thread's ID, a step of its exit that
      // comes before its /proc entry goes: allow the rest of that exit a moment (slow under
      // ASan), not a worker that is still parked or running, which would stay.
      var live = liveThreadIDs()
      for _ in 0..<200 where !started.isDisjoint(with: live) {
        usleep(5000)
        live = liveThreadIDs()
      }
      #expect(started.isDisjoint(with: live), "a worker thread is still alive")
      #expect(live.subtracting(threadsBefore).isDisjoint(with: started))
    }
  }

  /// A range too small to share stays on the calling thread with the default share, and
  /// `.automatic` asks for the processors of the affinity mask.
  @Test func smallRangesStayOnTheCallingThread() throws {
    let contents = Self.text(count: 4096, seed: 85)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      let caller = currentThreadID()
      let elsewhere = Atomic<Int>(0)
      for parallelism in [Parallelism.automatic, .threads(64)] {
        try reader.forEachChunk(parallelism: parallelism) { _, _ in
          if currentThreadID() != caller { elsewhere.add(1, ordering: .relaxed) }
          return .proceed
        }
        #expect(ParallelPlan(of: 0..<4096, on: reader, parallelism: parallelism).workers == 1)
      }
      let callsElsewhere = elsewhere.load(ordering: .relaxed)
      #expect(callsElsewhere == 0)
    }
    // Cpus_allowed_list is the affinity mask: "0-1" or "0,2-5".
    let allowed = readProcFile("/proc/self/status").split(separator: "\n")
      .first { $0.hasPrefix("Cpus_allowed_list:") }
    let list = try #require(allowed).split(separator: "\t").last ?? ""
    let processors = list.split(separator: ",").map { item -> Int in
      let bounds = item.split(separator: "-").compactMap {
        Int($0.trimmingCharacters(in: .whitespaces))
      }
      return bounds.count == 2 ? bounds[1] - bounds[0] + 1 : 1
    }.reduce(0, +)
    #expect(Parallelism.availableProcessors == processors)
    #expect(Parallelism.automatic.threadCount == processors)
    #expect(Parallelism.serial.threadCount == 1)
    #expect(
      ParallelPlan(
        of: 0..<(64 << 20), on: try MMapReader(path: "/proc/self/exe"),
        parallelism: .threads(3)
      ).workers == 3)
  }

  /// The shortcut every parallel helper takes first, to its one-thread form, keeps exactly the
  /// ranges the plan would not share out: a range it kept that the plan shares would lose the
  /// parallel scan, and one it let through would pay the plan's cost on a small range.
  @Test func theSerialShortcutKeepsExactlyTheRangesThePlanWouldNotShare() throws {
    var random = SeededGenerator(seed: 5)
    for _ in 0..<2000 {
      let minimum = Int.random(in: 1...(1 << 22), using: &random)
      let threads = Int.random(in: 1...9, using: &random)
      let parallelism = Parallelism.threads(threads, minimumBytesPerThread: minimum)
      let length = Int.random(in: 0...(5 * minimum), using: &random)
      let lower = Int.random(in: 0...1000, using: &random)
      let shared = parallelism.workers(forBytes: length, parts: .max) > 1
      #expect(
        parallelism.mayShare(lower..<(lower + length)) == shared,
        "\(threads) threads, \(minimum) bytes each, \(length) bytes")
    }
    // The threads a scan of so many bytes uses, for cutting that many parts.
    let three = Parallelism.threads(3, minimumBytesPerThread: 10)
    #expect([0, 19, 20, 29, 30, 1000].map(three.threadCount(forBytes:)) == [1, 1, 2, 2, 3, 3])
    #expect(Parallelism.serial.threadCount(forBytes: .max) == 1)
    let share = Parallelism.defaultMinimumBytesPerThread
    #expect(!Parallelism.serial.mayShare(0..<Int.max))
    #expect(!Parallelism.automatic.mayShare(0..<(2 * share - 1)))
    #expect(Parallelism.automatic.mayShare(0..<(2 * share)))
    // A count that overflows takes the full path, which rejects it.
    #expect(Parallelism.serial.mayShare(Int.min..<Int.max))
    // The one-thread forms the shortcut hands ranges to throw what the full path throws.
    try withTemporaryFile(contents: Self.text(count: 4096, seed: 86)) { path in
      let reader = try MMapReader(path: path)
      #expect(throws: MMapError.outsideReader(path: path)) {
        try reader.count(of: 0x0A, in: -3..<5, parallelism: .threads(4))
      }
      #expect(throws: MMapError.outsideReader(path: path)) {
        try reader.firstOffset(of: [0x0A, 0x0B], in: 4000..<4100, parallelism: .threads(4))
      }
      try reader.close()
      #expect(throws: MMapError.closed(path: path)) {
        try reader.lastOffset(of: 0x0A, parallelism: .threads(4))
      }
    }
  }

  /// `close()` racing with parallel scans: each scan gives the one-thread count or `EBADF`,
  /// never another error, a wrong count or a fault.
  @Test(arguments: ReaderKind.allCases)
  func closeRacingWithAParallelScanGivesEBADF(kind: ReaderKind) throws {
    let contents = Self.text(count: 512 * 1024, seed: 87)
    let expected = contents.count { $0 == 0x0A }
    try withTemporaryFile(contents: contents) { path in
      let wrong = Atomic<Int>(0)
      let refused = Atomic<Int>(0)
      for round in 0..<TestScale.count(normal: 12, long: 60, sanitized: 4) {
        let reader = try kind.open(path)
        runOnThreads(2) { thread in
          if thread == 0 {
            usleep(UInt32(round % 5) * 300)
            try? reader.close()
            return
          }
          while true {  // Until the close is seen, which comes.
            do throws(MMapError) {
              let count = try reader.count(of: 0x0A, parallelism: Self.parallelism(3))
              if count != expected { wrong.add(1, ordering: .relaxed) }
            } catch {
              if error.errno == EBADF {
                refused.add(1, ordering: .relaxed)
              } else {
                wrong.add(1, ordering: .relaxed)
              }
              return
            }
          }
        }
      }
      let wrongScans = wrong.load(ordering: .relaxed)
      let refusedScans = refused.load(ordering: .relaxed)
      #expect(wrongScans == 0)
      #expect(refusedScans > 0)
    }
  }

  /// A file truncated by another process during a parallel scan: the scan throws the typed
  /// truncation error (every worker that reaches the lost pages gets it), never a fault.
  @Test(arguments: ReaderKind.readingTheFile)
  func truncationDuringAParallelScanThrowsTheTruncationError(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 1 << 20, seed: 89)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let truncated = Atomic<Bool>(false)
      do {
        // Part 0 truncates the file while the other parts wait; then every part reads its
        // chunks, as a real scan does, and those past the new end are gone.
        try reader.forEachChunk(parallelism: Self.parallelism(3)) { offset, chunk in
          if offset == 0 {
            truncated.store(
              truncateFromAnotherProcess(path, to: 3 * pageSize), ordering: .releasing)
          } else {
            for _ in 0..<10_000 where !truncated.load(ordering: .acquiring) { usleep(1000) }
          }
          var sum: UInt8 = 0
          for byte in chunk { sum &+= byte }
          return sum == 0 && chunk.count == Int.max ? .stop : .proceed
        }
        Issue.record("a scan past the new end must throw")
      } catch let error as MMapError {
        #expect(error.errno == ENODATA && error.path == path && error.operation == .read)
      }
      let didTruncate = truncated.load(ordering: .acquiring)
      #expect(didTruncate)
      for threads in Self.threadCounts {
        #expect(throws: MMapError.self) {
          try reader.count(of: 0x0A, parallelism: Self.parallelism(threads))
        }
        do throws(MMapError) {
          _ = try reader.firstOffset(of: "absent".utf8, parallelism: Self.parallelism(threads))
        } catch {
          #expect(error.errno == ENODATA, "\(threads) threads")
        }
      }
    }
  }
}

extension ParallelScanTests {
  /// From an async function, a detached scan gives the scan's result or its error.
  @Test func aDetachedScanReturnsTheScansResultAndError() async throws {
    let contents = Self.text(count: 300_000, seed: 91)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "detached-\(getpid()).txt"
    ).path
    #expect(FileManager.default.createFile(atPath: path, contents: Data(contents)))
    defer { unlink(path) }
    let reader = try MMapReader(path: path)
    let count = try await Parallelism.detachedScan {
      try reader.count(of: 0x0A, parallelism: Self.parallelism(3))
    }
    #expect(count == contents.count { $0 == 0x0A })
    try reader.close()
    await #expect(throws: MMapError(.read, path: path, errno: EBADF)) {
      try await Parallelism.detachedScan { try reader.count(of: 0x0A, parallelism: .automatic) }
    }
  }
}
