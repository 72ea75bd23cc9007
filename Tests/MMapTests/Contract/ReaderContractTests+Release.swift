import Dispatch
import Foundation
import Synchronization
import Testing

@testable import MMap

extension ReaderContractTests {
  /// Counted by the file's path, so that other tests opening and mapping files meanwhile
  /// can't disturb the counts.
  @Test(arguments: ReaderKind.allCases)
  func openReadCloseCyclesLeakNoDescriptorOrMapping(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 3 * pageSize + 1, seed: 23)
    try withTemporaryFile(contents: contents) { path in
      for cycle in 0..<2_000 {
        let reader = try kind.open(path)
        let offset = cycle % contents.count
        #expect(try reader.byte(at: offset) == contents[offset])
        // Half are closed, half released by deinit alone.
        if cycle % 2 == 0 { try reader.close() }
      }
      for _ in 0..<100 {  // Failed opens release what they took.
        _ = try? kind.open(path, offset: contents.count + 1)
        _ = try? kind.open(path, count: contents.count + 1)
      }
      #expect(descriptorCount(of: path) == 0, "descriptors leaked")
      #expect(mappingCount(of: path) == 0, "mappings leaked")
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func closedReaderHoldsNothingOfTheFile(kind: ReaderKind) throws {
    try withTemporaryFile(contents: generatedBytes(count: 4 * pageSize, seed: 29)) { path in
      let reader = try kind.open(path)
      _ = try reader.bytes(in: 0..<reader.count)  // Maps windows, for the windowed reader.
      try reader.close()
      #expect(descriptorCount(of: path) == 0)
      #expect(mappingCount(of: path) == 0)
    }
  }

  /// Reads racing with `close()` deliver the file's bytes or `EBADF`, never anything else,
  /// and never fault.
  @Test(arguments: ReaderKind.allCases)
  func readsRacingWithCloseGetTheFilesBytesOrEBADF(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 8 * pageSize, seed: 31)
    try withTemporaryFile(contents: contents) { path in
      let outcome = try raceReadsWithEnding(
        kind: kind, path: path, contents: contents, rounds: 100
      ) { reader in
        try? reader.close()
      }
      #expect(outcome.wrong == 0)
      // Both outcomes happened to every reader in every round: the race was really run.
      #expect(outcome.delivered >= 300)
      #expect(outcome.refused == 300)
      #expect(descriptorCount(of: path) == 0)
    }
  }
}
