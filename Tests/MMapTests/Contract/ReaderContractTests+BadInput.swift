import Foundation
import Testing

@testable import MMap

/// Bad input, every case on every reader: each gets its typed error (operation, path and
/// `errno`), never a crash, a hang, or a reader that silently reads the wrong thing.
extension ReaderContractTests {
  @Test(arguments: ReaderKind.allCases)
  func pathsThatNameNoReadableRegularFileThrowTheirErrno(kind: ReaderKind) throws {
    func expectOpen(_ path: String, fails errno: CInt, _ comment: Comment) {
      #expect(throws: MMapError(.open, path: path, errno: errno), comment) {
        try kind.open(path)
      }
    }
    expectOpen("/no/such/file", fails: ENOENT, "missing")
    expectOpen("", fails: ENOENT, "empty path")
    expectOpen("/tmp/" + String(repeating: "n", count: 300), fails: ENAMETOOLONG, "long name")
    expectOpen(String(repeating: "/tmp", count: 1100), fails: ENAMETOOLONG, "long path")
    expectOpen("/dev/null", fails: ENODEV, "character device")
    expectOpen("/dev/zero", fails: ENODEV, "character device")
    expectOpen("/dev/urandom", fails: ENODEV, "character device")
    // Pseudo files: their sizes say nothing of their contents (0 and 4096 here). Only the
    // in-memory reader, which reads them to their end, opens them.
    if kind != .memory {
      expectOpen("/proc/self/status", fails: ENODEV, "procfs")
      expectOpen("/sys/devices/system/cpu/online", fails: ENODEV, "sysfs")
    }
    try withTemporaryDirectory { directory in
      expectOpen(directory, fails: EISDIR, "directory")
      let fifo = directory + "/fifo"
      #expect(mkfifo(fifo, 0o600) == 0)
      expectOpen(fifo, fails: ENODEV, "FIFO: a non-blocking open fails at once")
      let socket = directory + "/socket"
      #expect(bindUnixSocket(at: socket))
      expectOpen(socket, fails: ENODEV, "socket: open(2) says ENXIO")
      let loop = directory + "/loop"
      #expect(symlink(loop, loop) == 0)
      expectOpen(loop, fails: ELOOP, "symbolic link loop")
      expectOpen(directory + "/fifo/x", fails: ENOTDIR, "a file used as a directory")
      // C would see only the part before the NUL, which names a readable file here.
      let real = directory + "/real"
      #expect(FileManager.default.createFile(atPath: real, contents: Data([1, 2, 3])))
      expectOpen(real + "\0.bak", fails: EINVAL, "embedded NUL")
      expectOpen("\0", fails: EINVAL, "only a NUL")
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func descriptorsThatCantBeReadAreRefusedAtOpen(kind: ReaderKind) throws {
    try withTemporaryFile(contents: [1, 2, 3]) { path in
      let notReadable = MMapError(.open, path: nil, errno: EACCES)
      let pathOnly: CInt = 0o10_000_000  // O_PATH, which Glibc declares only for _GNU_SOURCE.
      for flags in [O_WRONLY, pathOnly, pathOnly | O_RDWR] {
        let fd = open(path, flags)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(throws: notReadable, "flags \(flags)") { try kind.open(fileDescriptor: fd) }
      }
      for (bad, errno) in [(-1, EBADF), (Int32.max, EBADF), (100_000, EBADF)] {
        #expect(throws: MMapError(.open, path: nil, errno: errno)) {
          try kind.open(fileDescriptor: CInt(bad))
        }
      }
      let readWrite = open(path, O_RDWR)
      defer { close(readWrite) }
      let reader = try kind.open(fileDescriptor: readWrite)
      #expect(try reader.bytes(in: 0..<3) == [1, 2, 3], "read-write descriptors are fine")
      try reader.close()
    }
    // Pseudo files only the in-memory reader reads: to their end.
    let pseudoFiles = [
      ("/proc/self/status", "procfs"), ("/sys/devices/system/cpu/online", "sysfs"),
    ]
    for (path, kindOfFile) in (kind == .memory ? [] : pseudoFiles) + [("/dev/null", "device")] {
      let fd = open(path, O_RDONLY)
      #expect(fd >= 0)
      defer { close(fd) }
      #expect(throws: MMapError(.open, path: nil, errno: ENODEV), "\(kindOfFile)") {
        try kind.open(fileDescriptor: fd)
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func rangesNearIntMaxAndIntMinAtOpenThrowEINVAL(kind: ReaderKind) throws {
    try withTemporaryFile(contents: [1, 2, 3]) { path in
      let invalid = MMapError(kind.rangeOperation, path: path, errno: EINVAL)
      let ranges: [(offset: Int, count: Int?)] = [
        (4, nil), (-1, nil), (1, 3), (0, -1), (.max, .max), (.max, nil), (.min, nil),
        (0, .max), (0, .min), (1, .max), (.min, .max), (.max, 0), (3, 1), (2, .max - 1),
      ]
      for range in ranges {
        #expect(throws: invalid, "\(range)") {
          try kind.open(path, offset: range.offset, count: range.count)
        }
      }
      for (offset, count) in [(3, 0), (0, 3), (1, 2), (2, nil), (3, nil)] {
        let reader = try kind.open(path, offset: offset, count: count)
        #expect(reader.count == (count ?? 3 - offset))
        try reader.close()
      }
    }
  }

  /// Every access with an offset or range near the ends of `Int` throws, and nothing
  /// allocates or maps what a huge range asks for.
  @Test(arguments: ReaderKind.allCases)
  func accessesNearIntMaxAndIntMinThrowWithoutAllocating(kind: ReaderKind) throws {
    try withTemporaryFile(contents: Array(0..<36)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let invalid = MMapError(.read, path: path, errno: EINVAL)
      let endOfFile = MMapError(.read, path: path, errno: ENODATA)
      var buffer = [UInt8](repeating: 0, count: 8)
      var empty: [UInt8] = []
      for offset in [Int.min, Int.min + 1, -1, 37, Int.max - 1, Int.max] {
        #expect(throws: invalid) { try reader.read(from: offset, into: &buffer) }
        #expect(throws: invalid) { try reader.read(from: offset, into: &empty) }
        #expect(throws: invalid) { try reader.readExactly(from: offset, into: &buffer) }
        #expect(throws: invalid) { try reader.readExactly(from: offset, into: &empty) }
        #expect(throws: invalid) { try reader.byte(at: offset) }
      }
      #expect(throws: invalid) { try reader.byte(at: 36) }
      for offset in [Int.min, -1, 37, Int.max - 7, Int.max - 1, Int.max] {
        #expect(throws: invalid, "\(offset)") { try reader.integer(at: offset, as: UInt64.self) }
        #expect(throws: invalid, "\(offset)") { try reader.integer(at: offset, as: UInt8.self) }
      }
      for offset in [29, 33, 36] {
        #expect(throws: endOfFile, "\(offset)") { try reader.integer(at: offset, as: Int64.self) }
      }
      #expect(try reader.integer(at: 28, as: UInt64.self) == 0x2322_2120_1F1E_1D1C)
      let null = open("/dev/null", O_WRONLY)
      defer { close(null) }
      for range in [Int.min..<Int.max, Int.min..<0, (Int.max - 1)..<Int.max, 0..<(1 << 40)] {
        var writeError = MMapError(.write, path: path, errno: EINVAL)
        writeError.bytesWritten = 0
        #expect(throws: writeError, "\(range)") { try reader.write(in: range, to: null) }
      }
      for range in [Int.min..<0, Int.min..<Int.max, -1..<2, (Int.max - 1)..<Int.max, 37..<37] {
        #expect(throws: invalid, "\(range)") { try reader.bytes(in: range) }
        #expect(throws: invalid, "\(range)") {
          try reader.forEachChunk(in: range) { _, _ in .proceed }
        }
      }
      // A range past the end fails before anything is allocated for it: 1 TiB, and more.
      for range in [0..<(1 << 40), 0..<Int.max, 36..<Int.max, 30..<37] {
        #expect(throws: endOfFile, "\(range)") { try reader.bytes(in: range) }
      }
      // Empty ranges and buffers are checked like any other.
      #expect(try reader.bytes(in: 36..<36) == [])
      #expect(try reader.bytes(in: 0..<0) == [])
      try reader.readExactly(from: 36, into: &empty)
      #expect(try reader.read(from: 36, into: &buffer) == 0)
      #expect(try reader.bytes(in: 30..<36) == Array(30..<36))
      if kind != .pread {
        let reader = try kind.openZeroCopy(path)
        defer { try? reader.close() }
        for range in [Int.min..<Int.max, Int.min..<0, (Int.max - 1)..<Int.max, 0..<(1 << 40)] {
          #expect(throws: invalid, "\(range)") { try reader.withUnsafeBytes(in: range) { _ in } }
        }
        if ReaderKind.mapped.contains(kind) { try adviseEverywhere(reader, path: path) }
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func anEmptyFileReadsAsEmptyEverywhere(kind: ReaderKind) throws {
    try withTemporaryFile(contents: []) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      #expect(reader.count == 0)
      var buffer = [UInt8](repeating: 7, count: 4)
      #expect(try reader.read(from: 0, into: &buffer) == 0)
      #expect(buffer == [7, 7, 7, 7])
      #expect(try reader.bytes(in: 0..<0) == [])
      #expect(throws: MMapError(.read, path: path, errno: EINVAL)) { try reader.byte(at: 0) }
      #expect(throws: MMapError(.read, path: path, errno: ENODATA)) {
        try reader.readExactly(from: 0, into: &buffer)
      }
      var calls = 0
      try reader.forEachChunk { _, _ in
        calls += 1
        return .proceed
      }
      #expect(calls == 0)
      if let reader = reader as? any ZeroCopyReader {
        #expect(try reader.withUnsafeBytes { $0.count } == 0)
      }
      #expect(try reader.fileStatus() == FileStatus(sizeAtOpen: 0, size: 0, isAtPath: true))
    }
  }

  /// Settings that ask for absurd amounts (a terabyte of windows) cost nothing until used.
  @Test func hugeWindowCountsAndSizesAllocateNothingUpFront() throws {
    let contents = generatedBytes(count: 5 * pageSize + 1, seed: 71)
    try withTemporaryFile(contents: contents) { path in
      for (windowSize, maxWindows) in [
        (pageSize, 1 << 40), (pageSize, Int.max), (Int.max / 2, 1), (Int.max / 2, Int.max),
      ] {
        let reader = try MMapWindowReader(
          path: path, windowSize: windowSize, maxWindows: maxWindows)
        #expect(try reader.bytes(in: 0..<contents.count) == contents)
        try reader.withUnsafeBytes { #expect(sameBytes($0, contents[...])) }
        try reader.close()
      }
    }
  }

  /// Tests run as root, whom file modes don't stop: the check runs in a child process that
  /// gives up root's effective user ID first.
  @Test(arguments: ReaderKind.allCases)
  func unreadableFilesThrowEACCESForAnUnprivilegedUser(kind: ReaderKind) async {
    await #expect(processExitsWith: .success) { [kind] in
      let path = "/tmp/swift-mmap-unreadable-\(getpid())"
      let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o000)
      precondition(fd >= 0)
      _ = write(fd, "secret", 6)
      close(fd)
      defer { unlink(path) }
      let wasRoot = geteuid() == 0
      if wasRoot { precondition(seteuid(65534) == 0, "cannot drop privileges") }
      defer { if wasRoot { _ = seteuid(0) } }
      do throws(MMapError) {
        _ = try kind.open(path)
        fatalError("opened an unreadable file")
      } catch {
        precondition(error == MMapError(.open, path: path, errno: EACCES), "\(error)")
      }
    }
  }
}

/// Advice with every bad range throws EINVAL; the reader reads on afterwards.
private func adviseEverywhere(_ reader: any ZeroCopyReader, path: String) throws {
  let advise = { (range: Range<Int>?) throws(MMapError) in
    switch reader {
    case let reader as MMapReader: try reader.advise(.willNeed, in: range)
    case let reader as MMapWindowReader: try reader.advise(.willNeed, in: range)
    default: Issue.record("no advice")
    }
  }
  for range in [Int.min..<Int.max, Int.min..<0, (Int.max - 1)..<Int.max, 0..<(1 << 40)] {
    #expect(throws: MMapError(.advise, path: path, errno: EINVAL)) { try advise(range) }
  }
  try advise(nil)
}

/// Creates a Unix domain socket bound to `path`, and leaves it there.
private func bindUnixSocket(at path: String) -> Bool {
  let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
  guard fd >= 0 else { return false }
  defer { close(fd) }
  var address = sockaddr_un()
  address.sun_family = sa_family_t(AF_UNIX)
  let bytes = Array(path.utf8)
  guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
  withUnsafeMutableBytes(of: &address.sun_path) { field in
    field.copyBytes(from: bytes)
  }
  return withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
    }
  }
}
