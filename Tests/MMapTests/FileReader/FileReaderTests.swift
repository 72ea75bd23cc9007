import Foundation
import Testing

@testable import MMap

/// The entry point that chooses: which reader each file gets, and that every choice reads the
/// file's bytes.
@Suite struct FileReaderTests {
  /// The contents of the file at `path`, read through `reader` whatever its kind.
  private func contents(_ reader: any ZeroCopyReader) throws -> [UInt8] {
    try reader.withUnsafeBytes { Array($0) }
  }

  /// Around the threshold: at most the threshold reads into memory, one byte more maps.
  @Test(arguments: [FileReader.defaultMemoryThreshold, 100, 1])
  func thresholdBoundariesChooseMemoryThenMapping(threshold: Int) throws {
    let options = FileReader.Options(memoryThreshold: threshold)
    for (size, kind) in [
      (threshold - 1, FileReader.Kind.memory), (threshold, .memory), (threshold + 1, .mapped),
    ] {
      let bytes = generatedBytes(count: size, seed: UInt64(size + 1))
      try withTemporaryFile(contents: bytes) { path in
        let reader =
          threshold == FileReader.defaultMemoryThreshold
          ? try FileReader.open(path: path) : try FileReader.open(path: path, options: options)
        defer { try? reader.close() }
        #expect(FileReader.Kind(of: reader) == kind, "size \(size)")
        #expect(reader.count == size)
        #expect(try contents(reader) == bytes)
      }
    }
  }

  @Test func procFilesAreReadToTheirEndThroughTheEntryPoint() throws {
    let status = try FileReader.open(path: "/proc/self/status")
    defer { try? status.close() }
    #expect(FileReader.Kind(of: status) == .memory)
    let text = String(decoding: try contents(status), as: UTF8.self)
    #expect(text.hasPrefix("Name:") && text.contains("\nPid:\t\(getpid())\n"))
    let cpuinfo = try FileReader.open(path: "/proc/cpuinfo")
    #expect(FileReader.Kind(of: cpuinfo) == .memory)
    // The clock speeds may change between two reads; everything else stays.
    func stableLines(_ text: String) -> [Substring] {
      text.split(separator: "\n").filter { !$0.hasPrefix("cpu MHz") }
    }
    let read = String(decoding: try contents(cpuinfo), as: UTF8.self)
    #expect(stableLines(read) == stableLines(readProcFile("/proc/cpuinfo")))
    #expect(read.contains("processor"))
  }

  @Test func readToEndLimitThrowsEFBIGWithThePath() throws {
    let options = FileReader.Options(memoryLimit: 16)
    #expect(throws: MMapError(.read, path: "/proc/self/status", errno: EFBIG)) {
      try FileReader.open(path: "/proc/self/status", options: options)
    }
    // A regular file above the limit is mapped instead, even below the memory threshold.
    let bytes = generatedBytes(count: 100, seed: 71)
    try withTemporaryFile(contents: bytes) { path in
      let reader = try FileReader.open(path: path, options: options)
      #expect(FileReader.Kind(of: reader) == .mapped)
      #expect(try contents(reader) == bytes)
    }
  }

  /// A forced kind is what opens, whatever the file's size.
  @Test(arguments: FileReader.Kind.allCases)
  func forcedKindOpensThatReader(kind: FileReader.Kind) throws {
    for size in [10, 3 * pageSize + 5, FileReader.defaultMemoryThreshold * 3] {
      let bytes = generatedBytes(count: size, seed: UInt64(size))
      try withTemporaryFile(contents: bytes) { path in
        let reader = try FileReader.open(path: path, options: FileReader.Options(kind: kind))
        defer { try? reader.close() }
        #expect(FileReader.Kind(of: reader) == kind)
        #expect(try contents(reader) == bytes)
      }
    }
  }

  /// Forced onto a pseudo file, a mapping is refused, as the mapped readers refuse it.
  @Test(arguments: [FileReader.Kind.mapped, .windowed])
  func forcedMappingOfAPseudoFileThrowsENODEV(kind: FileReader.Kind) throws {
    for path in ["/proc/self/status", "/sys/devices/system/cpu/online"] {
      #expect(throws: MMapError(.open, path: path, errno: ENODEV)) {
        try FileReader.open(path: path, options: FileReader.Options(kind: kind))
      }
    }
  }

  @Test func forcedMemoryAboveTheLimitThrowsEFBIG() throws {
    try withTemporaryFile(contents: generatedBytes(count: 1000, seed: 73)) { path in
      #expect(throws: MMapError(.read, path: path, errno: EFBIG)) {
        try FileReader.open(
          path: path, options: FileReader.Options(kind: .memory, memoryLimit: 999))
      }
    }
  }

  @Test func filesFromTheWindowThresholdOnAreMappedInWindows() throws {
    let options = FileReader.Options(
      memoryThreshold: pageSize, windowThreshold: 8 * pageSize, windowSize: 2 * pageSize,
      maxWindows: 3)
    for (size, kind) in [
      (8 * pageSize - 1, FileReader.Kind.mapped), (8 * pageSize, .windowed),
    ] {
      let bytes = generatedBytes(count: size, seed: 75)
      try withTemporaryFile(contents: bytes) { path in
        let reader = try FileReader.open(path: path, options: options)
        defer { try? reader.close() }
        #expect(FileReader.Kind(of: reader) == kind)
        if case .windowed(let windowed) = reader.base {
          #expect(windowed.windowSize == 2 * pageSize && windowed.maxWindows == 3)
        }
        #expect(try contents(reader) == bytes)
      }
    }
  }

  /// A pseudo file larger than the threshold (the kernel's BTF data, several MiB, which the
  /// mapped readers refuse) is read into memory whole all the same, up to the limit.
  @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/sys/kernel/btf/vmlinux")))
  func largePseudoFileIsReadWhole() throws {
    let path = "/sys/kernel/btf/vmlinux"
    #expect(throws: MMapError(.open, path: path, errno: ENODEV)) { try MMapReader(path: path) }
    let reader = try FileReader.open(path: path)
    defer { try? reader.close() }
    #expect(FileReader.Kind(of: reader) == .memory)
    #expect(reader.count > FileReader.defaultMemoryThreshold)
    #expect(try contents(reader) == preadBytes(path: path, offset: 0, count: reader.count))
    #expect(throws: MMapError(.read, path: path, errno: EFBIG)) {
      try FileReader.open(path: path, options: FileReader.Options(memoryLimit: 1 << 20))
    }
  }

  /// A `/sys` attribute reports a page and holds less: it reads as what it holds.
  @Test func sysAttributeReadsAsWhatItHolds() throws {
    let path = "/sys/devices/system/cpu/online"
    let reader = try FileReader.open(path: path)
    let truth = Array(readProcFile(path).utf8)
    #expect(reader.count == truth.count && reader.count < 4096)
    #expect(try contents(reader) == truth)
  }

  @Test func readerFromADescriptorNeitherClosesNorMovesIt() throws {
    let bytes = generatedBytes(count: 2 * FileReader.defaultMemoryThreshold, seed: 77)
    try withTemporaryFile(contents: bytes) { path in
      let fd = open(path, O_RDONLY)
      defer { close(fd) }
      #expect(lseek(fd, 5, SEEK_SET) == 5)
      for kind in FileReader.Kind.allCases {
        let reader = try FileReader.open(
          fileDescriptor: fd, options: FileReader.Options(kind: kind))
        #expect(reader.path == nil)
        #expect(try contents(reader) == bytes)
        try reader.close()
      }
      #expect(lseek(fd, 0, SEEK_CUR) == 5)
    }
  }

  @Test func directoriesAndDevicesAreRefusedAsEveryReaderRefusesThem() throws {
    #expect(throws: MMapError(.open, path: "/dev/null", errno: ENODEV)) {
      try FileReader.open(path: "/dev/null")
    }
    #expect(throws: MMapError(.open, path: "/", errno: EISDIR)) { try FileReader.open(path: "/") }
    #expect(throws: MMapError(.open, path: "/no/such/file", errno: ENOENT)) {
      try FileReader.open(path: "/no/such/file")
    }
  }

  @Test func kindOfEachReaderTypeAndOfAFileReader() throws {
    try withTemporaryFile(contents: [1, 2, 3]) { path in
      #expect(FileReader.Kind(of: try PReadReader(path: path)) == .pread)
      #expect(FileReader.Kind(of: try MMapWindowReader(path: path)) == .windowed)
      #expect(FileReader.Kind(of: try MMapReader(path: path)) == .mapped)
      #expect(FileReader.Kind(of: try InMemoryReader(path: path)) == .memory)
      let opened: any RandomAccessReader = try FileReader.open(path: path)
      #expect(FileReader.Kind(of: opened) == .memory)
    }
  }

  @Test func optionsOutOfRangeTrap() async {
    await #expect(processExitsWith: .failure) {
      _ = try? FileReader.open(path: "/proc/self/status", options: .init(windowSize: 0))
    }
    await #expect(processExitsWith: .failure) {
      _ = try? FileReader.open(path: "/proc/self/status", options: .init(memoryThreshold: -1))
    }
  }
}
