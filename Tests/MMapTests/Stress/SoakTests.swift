import Foundation
import Testing

@testable import MMap

/// Open, read and close, over and over: descriptors, mappings and resident memory stay flat.
/// Each soak runs in a child process (an exit test), where nothing else opens or maps files
/// meanwhile, so whole-process counts can be compared.
@Suite struct SoakTests {
  /// Cycles per reader and per way of releasing it (by `close()`, and by `deinit` alone):
  /// 20,000 by default, 1,000,000 with `SWIFT_MMAP_LONG_TESTS=1`, 2,000 under a sanitizer.
  static let cycles = TestScale.count(normal: 20_000, long: 1_000_000, sanitized: 2_000)

  @Test(arguments: ReaderKind.allCases)
  func openReadCloseCyclesKeepDescriptorsMappingsAndMemoryFlat(kind: ReaderKind) async {
    let result = await #expect(
      processExitsWith: .success, observing: [\.standardErrorContent]
    ) { [kind] in
      let path = "/tmp/swift-mmap-soak-\(getpid())"
      let contents = generatedBytes(count: 3 * pageSize + 11, seed: 97)
      try Data(contents).write(to: URL(fileURLWithPath: path))
      defer { unlink(path) }
      var random = SeededGenerator(seed: 99)
      var buffer = [UInt8](repeating: 0, count: 64)
      func cycle(closing: Bool) throws {
        let reader = try kind.open(path)
        let offset = Int.random(in: 0..<contents.count, using: &random)
        let byte = try reader.byte(at: offset)
        precondition(byte == contents[offset])
        let copied = try reader.read(from: offset, into: &buffer)
        precondition(sameBytes(buffer[..<copied], contents[offset..<(offset + copied)]))
        if let reader = reader as? any ZeroCopyReader {
          try reader.withUnsafeBytes(in: offset..<(offset + copied)) { bytes in
            precondition(sameBytes(bytes, contents[offset..<(offset + copied)]))
          }
        }
        if closing { try reader.close() }
      }
      for index in 0..<1_000 { try cycle(closing: index % 2 == 0) }  // Warm up the heap.
      let before = ProcessFootprint(path)
      for _ in 0..<Self.cycles { try cycle(closing: true) }
      let afterClose = ProcessFootprint(path)
      for _ in 0..<Self.cycles { try cycle(closing: false) }
      let afterDeinit = ProcessFootprint(path)
      let report =
        "soak \(kind.rawValue): \(Self.cycles) cycles closed, then \(Self.cycles) released by"
        + " deinit: descriptors \(before.descriptors) \(afterClose.descriptors)"
        + " \(afterDeinit.descriptors), mappings \(before.mappings) \(afterClose.mappings)"
        + " \(afterDeinit.mappings), resident KiB \(before.residentKiB)"
        + " \(afterClose.residentKiB) \(afterDeinit.residentKiB)\n"
      FileHandle.standardError.write(Data(report.utf8))
      for after in [afterClose, afterDeinit] {
        precondition(after.descriptors == before.descriptors, "descriptors leaked")
        precondition(after.readerMappings == before.readerMappings, "mappings leaked")
        // A sanitizer's allocator maps memory as its quarantine grows: there, only the
        // mappings a reader could have left behind are compared, and memory isn't.
        guard TestScale.sanitizer == nil else { continue }
        precondition(after.mappings == before.mappings, "mappings leaked")
        // A leak of even 16 bytes a cycle shows in the long mode (16 MB); the bound leaves
        // room for the allocator's own growth.
        precondition(after.residentKiB - before.residentKiB < 4096, "resident memory grew")
      }
    }
    if let result, TestScale.isLong {  // `nil` when the child failed.
      print(String(decoding: result.standardErrorContent, as: UTF8.self), terminator: "")
    }
  }

  /// With no descriptor left (`ulimit -n`), opening throws EMFILE, by path and by
  /// descriptor, and the process reads on once one is free.
  @Test(arguments: ReaderKind.allCases)
  func runningOutOfDescriptorsThrowsEMFILE(kind: ReaderKind) async {
    await #expect(processExitsWith: .success) { [kind] in
      let path = "/tmp/swift-mmap-emfile-\(getpid())"
      try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
      defer { unlink(path) }
      let source = open(path, O_RDONLY)
      var limit = rlimit()
      precondition(getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0)
      limit.rlim_cur = 256
      precondition(setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0)
      var readers: [any RandomAccessReader] = []
      var fillers: [CInt] = []
      // Readers that hold a descriptor run out themselves; then plain descriptors fill up.
      while readers.count < 1_000 {
        do throws(MMapError) {
          readers.append(try kind.open(path))
        } catch {
          precondition(error == MMapError(.open, path: path, errno: EMFILE), "\(error)")
          break
        }
      }
      while true {
        let fd = open("/dev/null", O_RDONLY)
        guard fd >= 0 else { break }
        fillers.append(fd)
      }
      let byPath = Result { () throws(MMapError) in try kind.open(path) }
      precondition(byPath.map { _ in 0 } == .failure(MMapError(.open, path: path, errno: EMFILE)))
      let byDescriptor = Result { () throws(MMapError) in try kind.open(fileDescriptor: source) }
      precondition(
        byDescriptor.map { _ in 0 } == .failure(MMapError(.open, path: nil, errno: EMFILE)))
      for reader in readers {
        let bytes = try reader.bytes(in: 0..<3)
        precondition(bytes == [1, 2, 3])
      }
      if let filler = fillers.popLast() {  // Free one descriptor.
        close(filler)
      } else {
        try readers.removeLast().close()
      }
      let reader = try kind.open(path)
      let bytes = try reader.bytes(in: 0..<3)
      precondition(bytes == [1, 2, 3])
      for fd in fillers { close(fd) }
    }
  }

  /// With little address space left (`ulimit -v`), a mapping that doesn't fit throws ENOMEM,
  /// and so does a windowed reader whose window budget doesn't fit. Not under a sanitizer, whose shadow
  /// memory needs more address space than any such limit leaves.
  @Test(.disabled(if: TestScale.sanitizer != nil), arguments: ReaderKind.allCases)
  func runningOutOfAddressSpaceThrowsENOMEM(kind: ReaderKind) async {
    await #expect(processExitsWith: .success) { [kind] in
      let path = makeSparseFile(named: "enomem", size: 1 << 30)  // 1 GiB, sparse.
      defer { unlink(path) }
      guard let sizeKiB = statusKiB("VmSize") else { fatalError("no VmSize") }
      let size = sizeKiB << 10
      var limit = rlimit()
      precondition(getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0)
      limit.rlim_cur = rlim_t(size + (128 << 20))
      precondition(setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0)
      let outOfMemory = MMapError(.map, path: path, errno: ENOMEM)
      switch kind {
      case .mmap:
        let opened = Result { () throws(MMapError) in try MMapReader(path: path) }
        precondition(opened.map { _ in 0 } == .failure(outOfMemory))
      case .windowed:
        // The window budget's address space is reserved at open: one that doesn't fit fails.
        let tooLarge = Result { () throws(MMapError) in
          try MMapWindowReader(path: path, windowSize: 256 << 20, maxWindows: 2)
        }
        precondition(tooLarge.map { _ in 0 } == .failure(outOfMemory))
        let reader = try MMapWindowReader(path: path, windowSize: 16 << 20, maxWindows: 2)
        let bytes = try reader.bytes(in: 0..<4096)
        precondition(bytes == [UInt8](repeating: 0, count: 4096))
        do {
          _ = try reader.withUnsafeBytes(in: 0..<(512 << 20)) { $0.count }
          fatalError("mapped 512 MiB with 128 MiB of address space left")
        } catch let error as MMapError {
          precondition(error == outOfMemory, "\(error)")
        }
      case .memory:
        // Past the limit it throws EFBIG before allocating; an allocation the address space
        // can't hold throws ENOMEM.
        let overLimit = Result { () throws(MMapError) in try InMemoryReader(path: path) }
        precondition(
          overLimit.map { _ in 0 } == .failure(MMapError(.read, path: path, errno: EFBIG)))
        let noRoom = Result { () throws(MMapError) in try InMemoryReader(path: path, limit: .max) }
        precondition(noRoom.map { _ in 0 } == .failure(MMapError(.read, path: path, errno: ENOMEM)))
      case .pread:
        let reader = try PReadReader(path: path)
        var zeros = 0
        try reader.forEachChunk(in: 0..<(16 << 20)) { _, chunk in
          zeros += chunk.count { $0 == 0 }
          return .proceed
        }
        precondition(zeros == 16 << 20)
      }
    }
  }
}

/// What a process holds, whole: open descriptors, mappings, resident memory; and the
/// mappings a reader of one file could leave behind.
struct ProcessFootprint {
  let descriptors: Int
  let mappings: Int
  let residentKiB: Int
  /// The mappings of the file, and the anonymous read-only ones that stand in for a closed
  /// reader's pages (see `readerMappingCount(of:)`).
  let readerMappings: Int

  init(_ path: String) {
    descriptors =
      (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? -1
    mappings = currentMappings().count
    residentKiB = statusKiB("VmRSS") ?? -1
    readerMappings = readerMappingCount(of: path)
  }
}
