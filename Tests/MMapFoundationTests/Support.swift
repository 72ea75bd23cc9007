import Foundation

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
    .deletingLastPathComponent()  // MMapFoundationTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // package root
    .appendingPathComponent("Fixtures").appendingPathComponent(name).path
}

/// Writes `contents` to a new file in a fresh temporary directory, calls `body` with its path,
/// and removes the directory.
@discardableResult
func withTemporaryFile<R>(
  contents: [UInt8], named name: String = "file.bin", _ body: (String) throws -> R
) throws -> R {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("mmap-foundation-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let path = directory.appendingPathComponent(name).path
  try Data(contents).write(to: URL(fileURLWithPath: path))
  return try body(path)
}

/// Deterministic bytes: a multiplicative hash of the index and the seed.
func generatedBytes(count: Int, seed: UInt64) -> [UInt8] {
  (0..<count).map { UInt8(truncatingIfNeeded: (UInt64($0) &+ seed) &* 0x9E37_79B9_7F4A_7C15 >> 56) }
}

/// How many mappings of this process are of the file at `path`, from `/proc/self/maps` read
/// with a raw `read(2)` loop.
func mappingCount(of path: String) -> Int {
  let fd = open("/proc/self/maps", O_RDONLY)
  precondition(fd >= 0)
  defer { close(fd) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
    if got <= 0 { break }
    bytes += chunk[..<got]
  }
  return String(decoding: bytes, as: UTF8.self).split(separator: "\n")
    .filter { $0.hasSuffix(" " + path) }.count
}

/// The system's page size.
let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

/// Truncates the file at `path` to `size` bytes from another process: `truncate(1)`, started
/// with `posix_spawn` and waited for. Returns whether it ran and succeeded.
func truncateFromAnotherProcess(_ path: String, to size: Int) -> Bool {
  let executable = "/usr/bin/truncate"
  let arguments = [executable, "-s", String(size), path]
  var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
  argv.append(nil)
  defer { argv.forEach { free($0) } }
  var environment: [UnsafeMutablePointer<CChar>?] = [nil]  // An empty one.
  var child: pid_t = 0
  guard posix_spawn(&child, executable, nil, nil, argv, &environment) == 0 else {
    return false
  }
  var status: CInt = 0
  while waitpid(child, &status, 0) == -1 {
    guard errno == EINTR else { return false }
  }
  return status == 0  // Exited, with status 0.
}
