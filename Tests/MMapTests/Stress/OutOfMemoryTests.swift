import Foundation
import Testing

@testable import MMap

/// Reads that allocate memory for the caller, in a process whose address space is nearly
/// used up (`ulimit -v`): each throws `ENOMEM` rather than stopping the process, and smaller
/// reads go on. Each runs in a child process (an exit test), which the limit can't outlive.
/// Not under a sanitizer, whose shadow memory needs more address space than the limit leaves.
@Suite(.disabled(if: TestScale.sanitizer != nil)) struct OutOfMemoryTests {
  /// More than the 128 MiB the limit leaves, less than the 1 GiB file.
  static let tooMuch = 512 << 20

  @Test(arguments: [ReaderKind.mmap, .windowed, .pread])
  func copiesLargerThanTheMemoryLeftThrowENOMEM(kind: ReaderKind) async {
    setenv("SWIFT_BACKTRACE", "enable=no", 1)  // A child that crashes must not hang in it.
    await #expect(processExitsWith: .success) { [kind] in
      let path = makeSparseFile(named: "nomem-\(kind.rawValue)", size: 1 << 30)
      defer { unlink(path) }
      let reader = try kind.open(path)
      limitAddressSpaceToCurrentSize(plus: 128 << 20)
      let outOfMemory = MMapError(.read, path: path, errno: ENOMEM)
      let copied = Result { () throws(MMapError) in try reader.bytes(in: 0..<Self.tooMuch) }
      precondition(copied.map(\.count) == .failure(outOfMemory), "bytes: \(copied)")
      try expectCursorReadThrowsENOMEM(over: reader, count: Self.tooMuch, path: path)
      let small = try reader.bytes(in: (1 << 29)..<((1 << 29) + 4096))
      precondition(small == [UInt8](repeating: 0, count: 4096), "a small copy still works")
    }
  }

  /// An in-memory reader, whatever opens it, allocates its bytes with `malloc` and owns them:
  /// a file larger than the memory left throws `ENOMEM` at open.
  @Test func readingAFileIntoMoreMemoryThanIsLeftThrowsENOMEM() async {
    setenv("SWIFT_BACKTRACE", "enable=no", 1)  // A child that crashes must not hang in it.
    await #expect(processExitsWith: .success) {
      let path = makeSparseFile(named: "nomem-open", size: 1 << 30)
      defer { unlink(path) }
      limitAddressSpaceToCurrentSize(plus: 128 << 20)
      let outOfMemory = MMapError(.read, path: path, errno: ENOMEM)
      let opened = Result { () throws(MMapError) in
        try InMemoryReader(path: path, count: Self.tooMuch, limit: .max)
      }
      precondition(opened.map(\.count) == .failure(outOfMemory), "InMemoryReader: \(opened)")
      let chosen = Result { () throws(MMapError) in
        try FileReader.open(path: path, options: .init(kind: .memory, memoryLimit: .max))
      }
      precondition(chosen.map(\.count) == .failure(outOfMemory), "FileReader: \(chosen)")
      let reader = try InMemoryReader(path: path, count: 4096)
      precondition(reader.count == 4096, "a small file still reads")
    }
  }
}

/// Expects a cursor over `reader`, of the file at `path`, to throw `ENOMEM` for `count`
/// bytes, and to stay where it was.
private func expectCursorReadThrowsENOMEM<Reader: RandomAccessReader>(
  over reader: Reader, count: Int, path: String
) throws {
  var cursor = ReaderCursor(reader)
  let read = Result { () throws(MMapError) in try cursor.readBytes(count: count) }
  precondition(
    read.map(\.count) == .failure(MMapError(.read, path: path, errno: ENOMEM)), "cursor: \(read)")
  precondition(cursor.position == 0)
  let next = try cursor.readBytes(count: 16)
  precondition(next == [UInt8](repeating: 0, count: 16) && cursor.position == 16)
}

/// Limits this process's address space to its size now plus `headroom` bytes
/// (`RLIMIT_AS`, `ulimit -v`). For a child process: the limit stays until it exits.
private func limitAddressSpaceToCurrentSize(plus headroom: Int) {
  guard let sizeKiB = statusKiB("VmSize") else { fatalError("no VmSize") }
  var limit = rlimit()
  precondition(getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0)
  limit.rlim_cur = rlim_t((sizeKiB << 10) + headroom)
  precondition(setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0)
}
