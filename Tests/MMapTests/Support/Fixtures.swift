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

/// xorshift64*: a small seeded generator for reproducible random offsets and contents.
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

  mutating func next() -> UInt64 {
    state ^= state >> 12
    state ^= state << 25
    state ^= state >> 27
    return state &* 0x2545_F491_4F6C_DD1D
  }
}

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

/// The whole text of a `/proc` file, read with a raw `read(2)` loop: Foundation stops at the
/// first short read, which `/proc` files give routinely.
func readProcFile(_ path: String) -> String {
  let fd = open(path, O_RDONLY)
  precondition(fd >= 0, "cannot open \(path)")
  defer { close(fd) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
    if got <= 0 { break }
    bytes += chunk[..<got]
  }
  return String(decoding: bytes, as: UTF8.self)
}

/// The lines of `/proc/self/maps`: one per mapping of this process.
func currentMappings() -> [String] {
  readProcFile("/proc/self/maps").split(separator: "\n").map(String.init)
}

/// How many mappings of this process are of the file at `path`.
func mappingCount(of path: String) -> Int {
  currentMappings().filter { $0.hasSuffix(" " + path) }.count
}

/// How many mappings a reader of `path` could have left behind: those of the file, plus the
/// anonymous read-only private ones that stand in for a closed reader's pages. Counting these
/// rather than every mapping keeps the count still while the runtime (or a sanitizer) maps
/// memory of its own.
func readerMappingCount(of path: String) -> Int {
  currentMappings().filter { line in
    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
    let isZeroPagePlaceholder = fields.count == 5 && fields[1] == "r--p" && fields[4] == "0"
    return isZeroPagePlaceholder || line.hasSuffix(" " + path)
  }.count
}

/// What each open file descriptor of this process refers to, such as a path.
func openDescriptorTargets() -> [String] {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
  return names.compactMap {
    try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)
  }
}

/// A value of `/proc/self/status` in KiB, such as `RssFile`.
func statusKiB(_ key: String) -> Int? {
  for line in readProcFile("/proc/self/status").split(separator: "\n")
  where line.hasPrefix(key + ":") {
    // The value follows a tab and spaces: "RssFile:\t    1876 kB".
    return Int(line.dropFirst(key.count + 1).split(whereSeparator: \.isWhitespace).first ?? "")
  }
  return nil
}

/// The system's page size.
let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
