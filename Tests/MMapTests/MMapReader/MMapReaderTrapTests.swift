import Testing

@testable import MMap

/// Caller bugs trap, like indexing an array out of bounds; they are exit tests.
@Suite struct MMapReaderTrapTests {
  @Test func subscriptAtCountTraps() async {
    await #expect(processExitsWith: .failure) {
      let reader = try MMapReader(path: fixturePath("hello.txt"))
      _ = reader[reader.count]
    }
  }

  @Test func negativeSubscriptTraps() async {
    await #expect(processExitsWith: .failure) {
      let reader = try MMapReader(path: fixturePath("hello.txt"))
      _ = reader[-1]
    }
  }

  @Test func subscriptOfEmptyFileTraps() async {
    await #expect(processExitsWith: .failure) {
      let reader = try MMapReader(path: fixturePath("empty.bin"))
      _ = reader[0]
    }
  }

  @Test func subscriptAfterCloseTraps() async {
    await #expect(processExitsWith: .failure) {
      let reader = try MMapReader(path: fixturePath("hello.txt"))
      try reader.close()
      _ = reader[0]
    }
  }

  @Test func inBoundsAccessDoesNotTrap() async {
    await #expect(processExitsWith: .success) {
      let reader = try MMapReader(path: fixturePath("hello.txt"))
      precondition(reader[33] == 0x0A)
      _ = try reader.withUnsafeBytes(in: 30..<34) { $0.count }
      try reader.advise(.willNeed, in: 0..<34)
    }
  }
}
