import Foundation
import Synchronization
import Testing

@testable import MMap

/// `release()`: the cheap close of a reader nobody else holds, and `close()` for one that is
/// shared.
@Suite struct ReleaseTests {
  /// The unshared path releases the mapping with one `munmap`: right after `release()`,
  /// nothing is mapped at the reader's address, where `close()` leaves zero pages until
  /// `deinit`. In a child process, where no parallel test maps anything at that address.
  @Test func unsharedReleaseLeavesNothingMappedWhereCloseLeavesZeroPages() async {
    await #expect(processExitsWith: .success) {
      let path = makeSparseFile(named: "release-unshared", size: 5 * pageSize + 3)
      defer { unlink(path) }
      let baseline = readerMappingCount(of: path)
      let reader = try MMapReader(path: path)
      let address = try reader.withUnsafeBytes { UInt(bitPattern: $0.baseAddress!) }
      precondition(mapping(covering: address)?.hasSuffix(path) == true)
      weak let watcher = reader
      try (consume reader).release()
      precondition(watcher == nil, "the reader was deinitialized by release()")
      precondition(mapping(covering: address) == nil, "no zero pages stand in")
      precondition(readerMappingCount(of: path) == baseline)
      // Without `consume`, the caller's variable still holds the reader: release() is close().
      let kept = try MMapReader(path: path)
      let keptAddress = try kept.withUnsafeBytes { UInt(bitPattern: $0.baseAddress!) }
      try kept.release()
      withExtendedLifetime(kept) {
        precondition(kept.isClosed && mappingCount(of: path) == 0)
        let placeholder = mapping(covering: keptAddress)
        precondition(placeholder != nil && !placeholder!.contains("/"), "zero pages stand in")
      }
    }
  }

  /// Every reader, released through the last reference, is deinitialized at once and holds
  /// nothing of the file afterwards.
  @Test(arguments: ReaderKind.allCases)
  func unsharedReaderIsDeinitializedByRelease(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 3 * pageSize + 1, seed: 81)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      #expect(try reader.bytes(in: 0..<reader.count) == contents)
      weak let watcher = reader
      try (consume reader).release()
      #expect(watcher == nil)
      #expect(mappingCount(of: path) == 0)
      #expect(descriptorCount(of: path) == 0)
    }
  }

  /// A shared reader is closed for every holder: the others get `EBADF`, and the file is
  /// released now, not when they let go.
  @Test(arguments: ReaderKind.allCases)
  func sharedReleaseClosesTheReaderForTheOtherHolders(kind: ReaderKind) throws {
    try withTemporaryFile(contents: generatedBytes(count: 2 * pageSize, seed: 83)) { path in
      let reader = try kind.open(path)
      let other = reader
      _ = try other.byte(at: 0)
      try (consume reader).release()
      #expect(other.isClosed)
      #expect(throws: MMapError(.read, path: path, errno: EBADF)) { try other.byte(at: 0) }
      #expect(mappingCount(of: path) == 0, "the file is released at once")
      #expect(descriptorCount(of: path) == 0)
    }
  }

  /// Reads racing with a release by another holder deliver the file's bytes or `EBADF`,
  /// never anything else, and never fault: the shared path keeps `close()`'s guarantee.
  @Test(arguments: ReaderKind.allCases)
  func readsRacingWithASharedReleaseGetTheFilesBytesOrEBADF(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 8 * pageSize, seed: 85)
    try withTemporaryFile(contents: contents) { path in
      let outcome = try raceReadsWithEnding(
        kind: kind, path: path, contents: contents, rounds: 50
      ) { reader in
        try? reader.release()  // Its own reference: the reading threads hold others.
      }
      #expect(outcome.wrong == 0)
      #expect(outcome.refused == 150, "every reader saw the release")
      #expect(descriptorCount(of: path) == 0)
    }
  }
}
