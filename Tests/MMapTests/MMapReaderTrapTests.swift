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

  @Test func viewOutsideBoundsTraps() async {
    await #expect(processExitsWith: .failure) {
      let reader = try MMapReader(path: fixturePath("hello.txt"))
      _ = try reader.withUnsafeBytes(in: 30..<35) { $0.count }
    }
  }

  @Test func spanOutsideBoundsTraps() async {
    await #expect(processExitsWith: .failure) {
      let reader = try MMapReader(path: fixturePath("hello.txt"))
      _ = try reader.withBytes(in: -1..<3) { $0.byteCount }
    }
  }

  @Test func adviceOutsideBoundsTraps() async {
    await #expect(processExitsWith: .failure) {
      let reader = try MMapReader(path: fixturePath("hello.txt"))
      try reader.advise(.willNeed, in: 0..<35)
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
