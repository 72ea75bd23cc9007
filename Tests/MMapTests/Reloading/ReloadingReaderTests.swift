import Foundation
import Synchronization
import Testing

@testable import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A file published by rename, version after version, under a ``ReloadingReader``.
///
/// Serialized: a lookup one test holds open delays the release of every reloading reader's
/// old versions, which other tests count.
@Suite(.serialized) struct ReloadingReaderTests {
  /// Version `version` of the test database: its number in the first 8 bytes (little
  /// endian), then bytes derived from the version and the offset, and a size that changes
  /// with the version, so that a lookup can tell from any byte which version it read.
  static func contents(version: Int) -> [UInt8] {
    let count = 2 * pageSize + (version % 7) * 512 + 8
    var bytes = (0..<count).map { versionByte(version: version, offset: $0) }
    withUnsafeBytes(of: UInt64(version).littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
    return bytes
  }

  static func versionByte(version: Int, offset: Int) -> UInt8 {
    UInt8(truncatingIfNeeded: (version &* 131) ^ (offset &* 7) ^ (offset >> 8))
  }

  static func count(version: Int) -> Int { 2 * pageSize + (version % 7) * 512 + 8 }

  /// Writes `bytes` under a temporary name and renames it over `path`: one publication.
  static func publish(_ bytes: [UInt8], at path: String) throws {
    let next = path + ".next"
    try Data(bytes).write(to: URL(fileURLWithPath: next))
    #expect(rename(next, path) == 0)
  }

  /// The version a lookup on `reader` reads, after checking that all its bytes (a copy of
  /// the header, one view of the whole file, single bytes, the count) belong to it; `nil`
  /// if any doesn't.
  static func checkedVersion(of reader: MMapReader) throws -> Int? {
    var header = [UInt8](repeating: 0, count: 8)
    try reader.readExactly(from: 0, into: &header)
    let version = Int(header.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian)
    guard version >= 0, version < 1 << 20, reader.count == count(version: version) else {
      return nil
    }
    let viewed = try reader.withUnsafeBytes(in: 8..<reader.count) { view in
      view.indices.allSatisfy { view[$0] == versionByte(version: version, offset: $0 + 8) }
    }
    let last = reader.count - 1
    guard viewed, try reader.byte(at: last) == versionByte(version: version, offset: last)
    else { return nil }
    return version
  }

  final class StormTally: Sendable {
    let lookups = Atomic<Int>(0)
    let wrong = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
    let highestSeen = Atomic<Int>(0)
    let versionChanges = Atomic<Int>(0)
    let mostRetired = Atomic<Int>(0)
    let writerDone = Atomic<Bool>(false)
  }

  /// The rename storm: a writer publishes 1,000 versions by rename and reloads after each,
  /// while two threads make lookups that check every byte they read belongs to one version
  /// (and that versions never go backwards). Afterwards nothing of any version is left:
  /// no descriptor, no mapping.
  @Test func renameStormLookupsSeeOneVersionAndNothingLeaks() throws {
    let versions = TestScale.count(normal: 1_000, long: 10_000, sanitized: 200)
    try withTemporaryDirectory { directory in
      let path = directory + "/db.bin"
      try Self.publish(Self.contents(version: 0), at: path)
      let tally = StormTally()
      let started = ContinuousClock.now
      do {
        let database = try ReloadingReader(path: path, checkInterval: .zero)
        runOnThreads(3) { thread in
          if thread == 0 {
            for version in 1...versions {
              try? Self.publish(Self.contents(version: version), at: path)
              _ = try? database.reloadIfReplaced()
              tally.mostRetired.max(database.retiredCount, ordering: .relaxed)
            }
            tally.writerDone.store(true, ordering: .releasing)
            return
          }
          var previous = 0
          while !tally.writerDone.load(ordering: .acquiring) || previous < versions {
            do {
              guard let version = try database.withCurrentReader(Self.checkedVersion(of:)) else {
                tally.wrong.add(1, ordering: .relaxed)
                continue
              }
              if version < previous { tally.wrong.add(1, ordering: .relaxed) }
              if version != previous { tally.versionChanges.add(1, ordering: .relaxed) }
              previous = version
              tally.highestSeen.max(version, ordering: .relaxed)
            } catch {
              tally.failures.add(1, ordering: .relaxed)
            }
            tally.lookups.add(1, ordering: .relaxed)
            if tally.wrong.load(ordering: .relaxed) > 0 { break }
          }
        }
        // The last lookup out released every old version, unless a lookup of another test
        // was running then; the next lookups release them.
        for _ in 0..<1_000 where database.retiredCount > 0 {
          _ = database.withCurrentReader { $0.count }
          usleep(1_000)
        }
        #expect(database.retiredCount == 0)
        #expect(currentMappings().filter { $0.contains(directory) }.count == 1)
        #expect(database.generation > 1)
        try database.close()
      }
      let elapsed = ContinuousClock.now - started
      let wrong = tally.wrong.load(ordering: .relaxed)
      let failures = tally.failures.load(ordering: .relaxed)
      #expect(wrong == 0)
      #expect(failures == 0)
      #expect(tally.highestSeen.load(ordering: .relaxed) == versions)
      let leakedMappings = currentMappings().filter { $0.contains(directory) }.count
      let leakedDescriptors = openDescriptorTargets().filter { $0.contains(directory) }.count
      #expect(leakedMappings == 0)
      #expect(leakedDescriptors == 0)
      print(
        "rename storm: \(versions) versions published, \(tally.lookups.load(ordering: .relaxed))"
          + " lookups on 2 threads, \(tally.versionChanges.load(ordering: .relaxed)) version"
          + " changes seen, \(wrong) wrong, \(failures) failed, \(leakedDescriptors) descriptors"
          + " and \(leakedMappings) mappings left, at most"
          + " \(tally.mostRetired.load(ordering: .relaxed)) old versions awaiting release, \(elapsed)"
      )
    }
  }

  @Test func reloadFindsNothingToDoWhileThePathNamesTheSameFile() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/db.bin"
      try Self.publish(Self.contents(version: 1), at: path)
      let database = try ReloadingReader(path: path)
      defer { try? database.close() }
      #expect(try database.reloadIfReplaced() == .unchanged)
      // Rewritten in place: the same inode, so no new version (its bytes change under it).
      let fd = open(path, O_WRONLY)
      #expect(fd >= 0)
      #expect(pwrite(fd, [UInt8(0xEE)], 1, 100) == 1)
      close(fd)
      #expect(try database.reloadIfReplaced() == .unchanged)
      #expect(database.generation == 1)
      try Self.publish(Self.contents(version: 2), at: path)
      #expect(try database.reloadIfReplaced() == .reloaded)
      #expect(database.generation == 2)
      #expect(try database.withCurrentReader(Self.checkedVersion(of:)) == 2)
    }
  }

  /// Each kind of bad file at the path: the error names it, lookups keep reading the old
  /// version, and the next good file is taken.
  @Test func failedReopensKeepTheOldVersionAndSayWhy() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/db.bin"
      try Self.publish(Self.contents(version: 1), at: path)
      let database = try ReloadingReader(path: path) { reader in
        guard try reader.byte(at: 0) != 0xFF else { throw MMapError.endOfFile(path: "bad") }
      }
      defer { try? database.close() }

      func expectFailure(_ expected: ReloadError.Reason) {
        #expect(throws: ReloadError(path: path, reason: expected)) {
          try database.reloadIfReplaced()
        }
        #expect(database.lastReloadError?.reason == expected)
        #expect((try? database.withCurrentReader(Self.checkedVersion(of:))) == 1)
        #expect(database.generation == 1)
      }

      #expect(unlink(path) == 0)
      expectFailure(.missing)
      try Self.publish([], at: path)
      expectFailure(.empty)
      #expect(unlink(path) == 0)
      #expect(mkdir(path, 0o700) == 0)
      expectFailure(.unreadable(MMapError(.open, path: path, errno: EISDIR)))
      #expect(rmdir(path) == 0)
      var rejected = Self.contents(version: 2)
      rejected[0] = 0xFF
      try Self.publish(rejected, at: path)
      let message = String(describing: MMapError.endOfFile(path: "bad"))
      expectFailure(.rejected(message))

      try Self.publish(Self.contents(version: 3), at: path)
      #expect(try database.reloadIfReplaced() == .reloaded)
      #expect(database.lastReloadError == nil)
      #expect(try database.withCurrentReader(Self.checkedVersion(of:)) == 3)
    }
  }

  @Test func firstOpenFailureThrowsTheReason() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/db.bin"
      #expect(throws: ReloadError(path: path, reason: .missing)) {
        try ReloadingReader(path: path)
      }
      try Self.publish([], at: path)
      #expect(throws: ReloadError(path: path, reason: .empty)) {
        try ReloadingReader(path: path)
      }
      #expect(ReloadError(path: path, reason: .empty).mmapError.errno == ENODATA)
    }
  }

  /// Without an interval lookups never check; with one of zero they check within a few
  /// hundred lookups; with an hour's they don't check in thousands.
  @Test(arguments: [(nil, false), (Duration.zero, true), (Duration.seconds(3600), false)])
  func lookupsCheckThePathOnlyAtTheInterval(interval: Duration?, reloads: Bool) throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/db.bin"
      try Self.publish(Self.contents(version: 1), at: path)
      let database = try ReloadingReader(path: path, checkInterval: interval)
      defer { try? database.close() }
      try Self.publish(Self.contents(version: 2), at: path)
      var seen: Set<Int> = []
      for _ in 0..<2_000 {
        if let version = try database.withCurrentReader(Self.checkedVersion(of:)) {
          seen.insert(version)
        }
      }
      #expect(seen == (reloads ? [1, 2] : [1]))
      #expect(database.generation == (reloads ? 2 : 1))
    }
  }

  /// A lookup in flight keeps reading its version after two reloads, the old files stay
  /// mapped until it ends, and its end releases both: only the current file stays mapped.
  @Test func lookupInFlightFinishesOnItsVersionAndReleasesItLast() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/db.bin"
      try Self.publish(Self.contents(version: 1), at: path)
      let database = try ReloadingReader(path: path)
      defer { try? database.close() }
      let inLookup = DispatchSemaphore(value: 0)
      let mayFinish = DispatchSemaphore(value: 0)
      let finished = DispatchSemaphore(value: 0)
      let versions = Mutex<[Int?]>([])
      Thread {
        let seen = try? database.withCurrentReader { reader in
          let before = try Self.checkedVersion(of: reader)
          inLookup.signal()
          mayFinish.wait()
          return [before, try Self.checkedVersion(of: reader)]
        }
        versions.withLock { $0 = seen ?? [] }
        finished.signal()
      }.start()
      inLookup.wait()
      let oldFile = preadBytes(path: path, offset: 0, count: 8)
      try Self.publish(Self.contents(version: 2), at: path)
      #expect(try database.reloadIfReplaced() == .reloaded)
      #expect(try database.withCurrentReader(Self.checkedVersion(of:)) == 2)
      #expect(currentMappings().filter { $0.contains(directory) }.count == 2)
      try Self.publish(Self.contents(version: 3), at: path)
      #expect(try database.reloadIfReplaced() == .reloaded)
      #expect(try database.withCurrentReader(Self.checkedVersion(of:)) == 3)
      // Versions 1 and 2 wait for the lookup that began before both reloads.
      #expect(database.retiredCount == 2)
      #expect(currentMappings().filter { $0.contains(directory) }.count == 3)
      mayFinish.signal()
      finished.wait()
      #expect(versions.withLock { $0 } == [1, 1])
      #expect(oldFile.count == 8)
      // The last lookup out released versions 1 and 2: only version 3 is mapped.
      #expect(database.retiredCount == 0)
      #expect(currentMappings().filter { $0.contains(directory) }.count == 1)
    }
  }

  @Test func closedReaderRefusesReloadsAndItsLookupsThrowEBADF() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/db.bin"
      try Self.publish(Self.contents(version: 1), at: path)
      let database = try ReloadingReader(path: path)
      try database.close()
      try database.close()
      #expect(database.isClosed)
      #expect(throws: ReloadError(path: path, reason: .closed)) {
        try database.reloadIfReplaced()
      }
      #expect(throws: MMapError.closed(path: path)) { try database.byte(at: 0) }
      #expect(currentMappings().filter { $0.hasSuffix(path) }.isEmpty)
    }
  }
}
