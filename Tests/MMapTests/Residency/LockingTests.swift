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

/// `lock(in:)` and `unlock(in:)` on both mapped readers, checked where the kernel reports
/// locked memory: `Locked:` of the reader's mappings in `/proc/self/smaps`, and the process's
/// `VmLck`. Serialized, since `VmLck` counts the whole process: no other test locks memory.
@Suite(.serialized) struct LockingTests {
  static let pageKiB = pageSize / 1024
  static let unobservable: Comment = "mlock does nothing here (under a sanitizer)"

  /// The addresses a reader maps: the whole file's mapping, or every window slot.
  static func addresses(of reader: any ResidencyControlled) throws -> Range<UInt> {
    if let windowed = reader as? MMapWindowReader {
      let base = UInt(bitPattern: windowed.slots.base)
      return base..<(base + UInt(windowed.slots.count * windowed.slots.size))
    }
    let base = try reader.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
    return base..<(base + UInt(reader.count))
  }

  /// The locked KiB of `reader`'s mappings.
  static func lockedKiB(of reader: any ResidencyControlled) throws -> Int {
    MMapTests.lockedKiB(in: try addresses(of: reader))
  }

  /// Locks and unlocks ranges, widened to whole pages: an unaligned range inside, the whole
  /// reader, a range already unlocked, an empty one, and one byte of a locked range.
  @Test(.enabled(if: lockingIsObservable, Self.unobservable), arguments: ReaderKind.mapped)
  func lockAndUnlockRoundTripInSmapsAndVmLck(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 64 * pageSize + 100, seed: 21)
    try withTemporaryFile(contents: contents) { path in
      let baseline = lockedProcessKiB()
      let reader = try kind.openControlled(path, windowPages: 16, maxWindows: 5)
      defer { try? reader.close() }
      #expect(try Self.lockedKiB(of: reader) == 0)

      let inside = (pageSize + 10)..<(3 * pageSize + 1)  // Pages 1, 2 and 3.
      try reader.lock(in: inside)
      #expect(try Self.lockedKiB(of: reader) == 3 * Self.pageKiB)
      #expect(lockedProcessKiB() == baseline + 3 * Self.pageKiB)
      try reader.unlock(in: inside)
      #expect(try Self.lockedKiB(of: reader) == 0)
      #expect(lockedProcessKiB() == baseline)
      try reader.unlock(in: inside)  // Not locked: nothing to do.
      try reader.unlock(in: nil)

      try reader.lock(in: nil)  // 65 pages, the last one partial.
      #expect(try Self.lockedKiB(of: reader) == 65 * Self.pageKiB)
      #expect(lockedProcessKiB() == baseline + 65 * Self.pageKiB)
      try reader.lock(in: 9..<9)
      #expect(try Self.lockedKiB(of: reader) == 65 * Self.pageKiB)
      try reader.unlock(in: (64 * pageSize + 99)..<(64 * pageSize + 100))  // The last page.
      #expect(try Self.lockedKiB(of: reader) == 64 * Self.pageKiB)
      #expect(try reader.bytes(in: 0..<contents.count) == contents)
      try reader.unlock(in: nil)
      #expect(try Self.lockedKiB(of: reader) == 0)
      #expect(lockedProcessKiB() == baseline)
    }
  }

  /// `close()` releases the locks, and so does `deinit` of a reader never closed.
  @Test(.enabled(if: lockingIsObservable, Self.unobservable), arguments: ReaderKind.mapped)
  func closeAndDeinitReleaseLocks(kind: ReaderKind) throws {
    try withTemporaryFile(contents: generatedBytes(count: 40 * pageSize, seed: 4)) { path in
      let baseline = lockedProcessKiB()
      let closed = try kind.openControlled(path, windowPages: 8, maxWindows: 5)
      try closed.lock(in: nil)
      let region = try Self.addresses(of: closed)
      #expect(lockedProcessKiB() == baseline + 40 * Self.pageKiB)
      try closed.close()
      #expect(MMapTests.lockedKiB(in: region) == 0)
      #expect(lockedProcessKiB() == baseline)

      do {
        let dropped = try kind.openControlled(path, windowPages: 8, maxWindows: 5)
        try dropped.lock(in: (3 * pageSize)..<(20 * pageSize))
        #expect(lockedProcessKiB() == baseline + 17 * Self.pageKiB)
      }
      #expect(lockedProcessKiB() == baseline)
    }
  }

  /// A locked window is never evicted, and counts against the window budget: a lock that
  /// needs more windows than the unlocked slots is refused with ENOMEM and locks nothing;
  /// with every slot locked, reads and views elsewhere go around the windows and still give
  /// the file's bytes; unlocking a window's pages lets it be evicted again.
  @Test func lockedWindowsStayMappedAndCountAgainstTheBudget() throws {
    let contents = generatedBytes(count: 40 * pageSize, seed: 8)
    try withTemporaryFile(contents: contents) { path in
      let window = 4 * pageSize
      let reader = try MMapWindowReader(path: path, windowSize: window, maxWindows: 3)
      defer { try? reader.close() }
      func lockedWindows() -> [Int] {
        reader.table.withLock { table in
          table.slots.filter { $0.lockedPart != nil && $0.isMapped }.map(\.window).sorted()
        }
      }
      // The locked memory, where it can be seen; the table's bookkeeping is checked anyway.
      func expectLockedPages(
        _ pages: Int, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
      ) throws {
        guard lockingIsObservable else { return }
        let kiB = try Self.lockedKiB(of: reader)
        #expect(kiB == pages * Self.pageKiB, comment, sourceLocation: sourceLocation)
      }

      try reader.lock(in: (window + 100)..<(window + pageSize))  // Window 1, its first page.
      #expect(lockedWindows() == [1] && reader.table.withLock { $0.lockedWindowCount } == 1)
      var scanned: [UInt8] = []
      try reader.forEachChunk { _, chunk in
        scanned += chunk
        return .proceed
      }
      #expect(scanned == contents)
      #expect(lockedWindows() == [1], "the scan evicted the other windows only")
      try expectLockedPages(1)

      try reader.lock(in: (5 * window)..<(6 * window))
      try reader.lock(in: (9 * window)..<(10 * window))
      #expect(lockedWindows() == [1, 5, 9])
      try expectLockedPages(9)
      let refusals = [
        (7 * window)..<(7 * window + 1), (5 * window)..<(6 * window + 1), 0..<40,
        0..<contents.count,
      ]
      for refused in refusals {
        let error = #expect(throws: MMapError.self, "\(refused)") { try reader.lock(in: refused) }
        #expect(error?.operation == .lock && error?.errno == ENOMEM && error?.path == path)
      }
      try expectLockedPages(9, "a refused lock locks nothing")
      try reader.lock(in: (window + 2 * pageSize)..<(window + 3 * pageSize))  // Window 1 again.
      try expectLockedPages(10)

      // Every slot is locked: misses go around, and every byte is still the file's.
      var random = SeededGenerator(seed: 3)
      for _ in 0..<300 {
        let offset = Int(random.next() % UInt64(contents.count))
        let end = min(contents.count, offset + 1 + Int(random.next() % UInt64(3 * pageSize)))
        #expect(try reader.bytes(in: offset..<end) == Array(contents[offset..<end]))
        try reader.withUnsafeBytes(in: offset..<end) { view in
          #expect(sameBytes(view, contents[offset..<end]))
        }
      }
      #expect(lockedWindows() == [1, 5, 9] && reader.mappedWindowCount == 3)

      try reader.unlock(in: (5 * window)..<(6 * window))
      #expect(lockedWindows() == [1, 9])
      try expectLockedPages(6)
      try reader.unlock(in: (window + 2 * pageSize)..<(window + 2 * pageSize + 1))
      try expectLockedPages(5)
      #expect(lockedWindows() == [1, 9], "window 1 keeps a locked page")
      scanned = []
      try reader.forEachChunk { _, chunk in
        scanned += chunk
        return .proceed
      }
      #expect(scanned == contents)
      #expect(lockedWindows() == [1, 9])
      try reader.unlock(in: nil)
      #expect(lockedWindows() == [])
      try expectLockedPages(0)
    }
  }

  /// Locking, unlocking and asking residency on several threads while others read and one
  /// closes: each call succeeds or throws a documented error, every byte read is the file's,
  /// and once closed nothing stays locked.
  @Test(arguments: ReaderKind.mapped)
  func lockingRacesWithReadsAndClose(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 64 * pageSize, seed: 15)
    try withTemporaryFile(contents: contents) { path in
      let baseline = lockedProcessKiB()
      let reader = try kind.openControlled(path, windowPages: 4, maxWindows: 3)
      let unexpected = Atomic<Int>(0)
      let started = Atomic<Int>(0)
      runOnThreads(5) { thread in
        var random = SeededGenerator(seed: UInt64(thread + 1))
        if thread == 4 {
          while started.load(ordering: .acquiring) < 4 {}
          for _ in 0..<200 { _ = try? reader.residency(in: nil) }
          do { try reader.close() } catch { unexpected.add(1, ordering: .relaxed) }
          return
        }
        started.add(1, ordering: .releasing)
        for step in 0..<2000 {
          let lower = Int(random.next() % UInt64(contents.count))
          let upper = min(contents.count, lower + Int(random.next() % UInt64(9 * pageSize)))
          do {
            switch (thread + step) % 4 {
            case 0: try reader.lock(in: lower..<upper)
            case 1: try reader.unlock(in: lower..<upper)
            case 2:
              let residency = try reader.residency(in: lower..<upper)
              if residency.byteCount != upper - lower { unexpected.add(1, ordering: .relaxed) }
            default:
              if try reader.bytes(in: lower..<upper) != Array(contents[lower..<upper]) {
                unexpected.add(1, ordering: .relaxed)
              }
            }
          } catch let error as MMapError {
            if error.errno == EBADF { return }
            if error.errno != ENOMEM && error.errno != EAGAIN {
              unexpected.add(1, ordering: .relaxed)
            }
          } catch {
            unexpected.add(1, ordering: .relaxed)
          }
        }
      }
      #expect(unexpected.load(ordering: .relaxed) == 0)
      #expect(reader.isClosed)
      #expect(lockedProcessKiB() == baseline)
    }
  }

  /// Beyond `RLIMIT_MEMLOCK`, without `CAP_IPC_LOCK` (a child that drops root), a lock throws
  /// ENOMEM naming the operation and the path, and a lock within the limit still works;
  /// with a limit of 0 it throws EPERM.
  @Test(.enabled(if: lockingIsObservable, Self.unobservable), arguments: ReaderKind.mapped)
  func lockBeyondTheMemlockLimitThrows(kind: ReaderKind) async {
    await #expect(processExitsWith: .success) { [name = kind.rawValue as String] in
      let kind = ReaderKind(rawValue: name)!
      let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("mmap-lock-limit-\(getpid())").path
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
      let path = directory + "/file.bin"
      try Data(generatedBytes(count: 64 * pageSize, seed: 1)).write(
        to: URL(fileURLWithPath: path))
      let reader = try kind.openControlled(path, windowPages: 64, maxWindows: 1)
      try FileManager.default.removeItem(atPath: directory)  // The reader keeps the file.

      var limit = rlimit(rlim_cur: rlim_t(4 * pageSize), rlim_max: rlim_t(4 * pageSize))
      precondition(setLockedMemoryLimit(&limit) == 0, "setrlimit: \(errno)")
      if getuid() == 0 {  // Root has CAP_IPC_LOCK, which ignores the limit: drop it.
        precondition(setgid(65534) == 0 && setuid(65534) == 0, "dropping root: \(errno)")
      }
      do throws(MMapError) {
        try reader.lock(in: nil)
        preconditionFailure("locking 64 pages under a limit of 4 succeeded")
      } catch {
        precondition(error.operation == .lock, "operation \(error.operation)")
        precondition(error.errno == ENOMEM && error.path == path, "\(error)")
      }
      try reader.lock(in: 0..<(2 * pageSize))
      precondition(lockedProcessKiB() == 2 * pageSize / 1024, "VmLck \(lockedProcessKiB())")
      try reader.unlock(in: nil)

      limit = rlimit(rlim_cur: 0, rlim_max: 0)
      precondition(setLockedMemoryLimit(&limit) == 0, "setrlimit: \(errno)")
      do throws(MMapError) {
        try reader.lock(in: 0..<1)
        preconditionFailure("locking under a limit of 0 succeeded")
      } catch {
        precondition(error.operation == .lock && error.errno == EPERM, "\(error)")
      }
      let head = try reader.bytes(in: 0..<8)
      precondition(head == generatedBytes(count: 8, seed: 1), "the reader still reads")
    }
  }
}

/// Sets this process's `RLIMIT_MEMLOCK` to `limit`; returns what `setrlimit` returned.
func setLockedMemoryLimit(_ limit: inout rlimit) -> CInt {
  #if canImport(Glibc)
    setrlimit(__rlimit_resource_t(__RLIMIT_MEMLOCK.rawValue), &limit)
  #else
    setrlimit(RLIMIT_MEMLOCK, &limit)
  #endif
}
