import Foundation
import MMapBench

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The path of a checked-in file under `Fixtures/`.
func fixturePath(_ name: String) -> String {
  URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Support
    .deletingLastPathComponent()  // MMapTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // package root
    .appendingPathComponent("Fixtures").appendingPathComponent(name).path
}

/// A fresh temporary directory, removed after `body` returns.
@discardableResult
func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("mmap-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  return try body(directory.path)
}

/// Writes `contents` to a new temporary file and calls `body` with its path.
@discardableResult
func withTemporaryFile<R>(contents: [UInt8], _ body: (String) throws -> R) throws -> R {
  try withTemporaryDirectory { directory in
    let path = directory + "/file.bin"
    try Data(contents).write(to: URL(fileURLWithPath: path))
    return try body(path)
  }
}

/// Deterministic pseudo-random bytes (xorshift64*), so a failing case can be reproduced.
func generatedBytes(count: Int, seed: UInt64) -> [UInt8] {
  var generator = SeededGenerator(seed: seed)
  return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
}

/// The seeded generator of the tests: the benchmark protocol's xorshift64*, so a failing
/// case can be reproduced from its seed. Seeds must not be `0`.
typealias SeededGenerator = XorShift64Star

/// The ground truth: up to `count` bytes at `offset` of the file at `path`, read with `pread`.
func preadBytes(path: String, offset: Int, count: Int) -> [UInt8] {
  let fd = open(path, O_RDONLY)
  precondition(fd >= 0, "cannot open \(path)")
  defer { close(fd) }
  var bytes = [UInt8](repeating: 0, count: count)
  var filled = 0
  while filled < count {
    let got = bytes.withUnsafeMutableBytes { buffer in
      pread(fd, buffer.baseAddress! + filled, count - filled, off_t(offset + filled))
    }
    precondition(got >= 0, "pread failed on \(path)")
    if got == 0 { break }
    filled += got
  }
  return Array(bytes[..<filled])
}

/// The system's page size.
let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

/// Makes a sparse file of `size` bytes at `path` holding `marks` at their offsets, or
/// returns `false` if the file system can't.
func makeSparseFile(at path: String, size: Int, marks: [Int: [UInt8]] = [:]) -> Bool {
  let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
  guard fd >= 0 else { return false }
  defer { close(fd) }
  guard ftruncate(fd, off_t(size)) == 0 else { return false }
  for (offset, bytes) in marks {
    let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, off_t(offset)) }
    guard written == bytes.count else { return false }
  }
  return true
}

/// Makes `/tmp/swift-mmap-NAME-PID`, a sparse file of `size` zero bytes, and returns its
/// path; the caller unlinks it. For tests in a child process, where a failure must stop the
/// process: it traps if the file can't be made.
func makeSparseFile(named name: String, size: Int) -> String {
  let path = "/tmp/swift-mmap-\(name)-\(getpid())"
  precondition(makeSparseFile(at: path, size: size), "can't make \(path)")
  return path
}
