import Synchronization
import Testing

@testable import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// `ReloadingReader` with `followsGrowth`: a file appended to becomes a new version at its
/// new size, mapped anew, while lookups on the old size finish on theirs.
///
/// Serialized, like the other reloading tests: a lookup held open delays the release of
/// every reloading reader's old versions, which these tests count.
@Suite(.serialized) struct ReloadingGrowthTests {
  @Test func aGrownFileIsANewVersionOnlyWhenFollowingGrowth() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/log"
      let writer = AppendedRecords.openForAppending(path)
      defer { close(writer) }
      AppendedRecords.append(0..<3, to: writer)
      let following = try ReloadingReader(path: path, followsGrowth: true)
      let fixed = try ReloadingReader(path: path)
      defer {
        try? following.close()
        try? fixed.close()
      }
      #expect(try following.reloadIfReplaced() == .unchanged)
      AppendedRecords.append(3..<5, to: writer)
      #expect(try fixed.reloadIfReplaced() == .unchanged)
      #expect(fixed.withCurrentReader { $0.count } == 3 * 64)
      #expect(try following.reloadIfReplaced() == .grew)
      #expect(following.generation == 2)
      #expect(
        try following.withCurrentReader { try $0.bytes(in: 4 * 64..<5 * 64) }
          == AppendedRecords.record(4))
      // A rename over the path is still a replacement, and says so.
      let next = directory + "/log.next"
      let other = AppendedRecords.openForAppending(next)
      AppendedRecords.append(50..<51, to: other)
      close(other)
      #expect(rename(next, path) == 0)
      #expect(try following.reloadIfReplaced() == .reloaded)
      #expect(
        try following.withCurrentReader { try $0.bytes(in: 0..<64) } == AppendedRecords.record(50))
    }
  }

  /// The file grows, and then, between the check and the open, another file is renamed over
  /// the path: the new version is that file, and the outcome says it was replaced.
  @Test func aFileRenamedOverTheGrownOneBeforeTheOpenIsAReplacement() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/log"
      let other = directory + "/other"
      let writer = AppendedRecords.openForAppending(path)
      defer { close(writer) }
      AppendedRecords.append(0..<4, to: writer)
      let replacement = AppendedRecords.openForAppending(other)
      AppendedRecords.append(90..<91, to: replacement)
      close(replacement)
      let renameBeforeOpening = Atomic<Bool>(false)
      let log = try ReloadingReader(path: path, followsGrowth: true) { (path) throws(MMapError) in
        if renameBeforeOpening.exchange(false, ordering: .relaxed) {
          #expect(rename(other, path) == 0)
        }
        return try MMapReader(path: path)
      }
      defer { try? log.close() }
      AppendedRecords.append(4..<6, to: writer)
      renameBeforeOpening.store(true, ordering: .relaxed)
      #expect(try log.reloadIfReplaced() == .reloaded)
      #expect(
        try log.withCurrentReader { try $0.bytes(in: 0..<$0.count) } == AppendedRecords.record(90))
    }
  }

  /// A writer appends records while two threads follow the file through lookups, each
  /// checking that every record of its version is right and that the size it sees never
  /// goes backwards; the old versions are all released and nothing is left after close.
  @Test func followersOfAGrowingFileSeeEveryRecordAndNothingLeaks() throws {
    let records = TestScale.count(normal: 2_000, long: 20_000, sanitized: 500)
    try withTemporaryDirectory { directory in
      let path = directory + "/log"
      let writer = AppendedRecords.openForAppending(path)
      AppendedRecords.append(0..<1, to: writer)
      let wrong = Atomic<Int>(0)
      let failures = Atomic<Int>(0)
      let versionsSeen = Atomic<Int>(0)
      let writerDone = Atomic<Bool>(false)
      do {
        let log = try ReloadingReader(path: path, followsGrowth: true)
        runOnThreads(3) { thread in
          if thread == 0 {
            for number in 1..<records {
              AppendedRecords.append(number..<number + 1, to: writer)
              if number % 8 == 0 { _ = try? log.reloadIfReplaced() }
            }
            _ = try? log.reloadIfReplaced()
            writerDone.store(true, ordering: .releasing)
            return
          }
          var seen = 0
          while !writerDone.load(ordering: .acquiring) || seen < records {
            do {
              let count = try log.withCurrentReader { reader in
                try reader.withUnsafeBytes(in: 0..<reader.count) { bytes in
                  AppendedRecords.areRecords(bytes, startingAt: 0) ? bytes.count / 64 : -1
                }
              }
              if count < seen {
                wrong.add(1, ordering: .relaxed)
                return
              }
              if count > seen { versionsSeen.add(1, ordering: .relaxed) }
              seen = count
            } catch {
              failures.add(1, ordering: .relaxed)
              return
            }
          }
        }
        for _ in 0..<1_000 where log.retiredCount > 0 {
          _ = log.withCurrentReader { $0.count }
          usleep(1_000)
        }
        #expect(log.retiredCount == 0)
        #expect(log.withCurrentReader { $0.count } == records * 64)
        #expect(currentMappings().filter { $0.contains(directory) }.count == 1)
        try log.close()
      }
      close(writer)
      #expect(wrong.load(ordering: .relaxed) == 0)
      #expect(failures.load(ordering: .relaxed) == 0)
      #expect(versionsSeen.load(ordering: .relaxed) >= 2)
      #expect(currentMappings().filter { $0.contains(directory) }.isEmpty)
      #expect(openDescriptorTargets().filter { $0.contains(directory) }.isEmpty)
    }
  }
}
