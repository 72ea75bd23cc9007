import Foundation
import Testing

@testable import MMap

/// Nothing leaks: no mapping and no descriptor outlives the reader. The counts before and
/// after run in child processes (exit tests), where no parallel test opens or maps anything.
@Suite struct MMapReaderReleaseTests {
  @Test func openReaderHoldsOneMappingAndNoDescriptor() throws {
    try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize + 17, seed: 2)) { path in
      let reader = try MMapReader(path: path)
      #expect(mappingCount(of: path) == 1)
      #expect(!openDescriptorTargets().contains(path), "the descriptor is closed once mapped")
      try reader.close()
      #expect(mappingCount(of: path) == 0)
    }
  }

  @Test func closeKeepsTheAddressRangeReservedUntilDeinit() throws {
    try withTemporaryFile(contents: generatedBytes(count: 2 * pageSize, seed: 4)) { path in
      var reader: MMapReader? = try MMapReader(path: path)
      let address = try reader!.withUnsafeBytes { UInt(bitPattern: $0.baseAddress!) }
      try reader!.close()
      #expect(mappingCount(of: path) == 0, "the file is released at close")
      let covering = currentMappings().first { line in
        let bounds = line.prefix { $0 != " " }.split(separator: "-").compactMap {
          UInt($0, radix: 16)
        }
        return bounds.count == 2 && bounds[0] <= address && address < bounds[1]
      }
      #expect(covering != nil, "a racing read still finds readable zero pages")
      #expect(covering.map { !$0.contains("/") } == true, "the placeholder is anonymous")
      reader = nil
    }
  }

  @Test func mappingCountReturnsToBaselineAfterCloseAndAfterDeinit() async {
    await #expect(processExitsWith: .success) {
      let path = makeSparseFile(named: "release", size: 5 * pageSize + 3)
      defer { unlink(path) }
      let baseline = readerMappingCount(of: path)
      do {
        let reader = try MMapReader(path: path)
        precondition(readerMappingCount(of: path) == baseline + 1)
        try reader.close()
        precondition(mappingCount(of: path) == 0, "the file is released at close")
        precondition(readerMappingCount(of: path) == baseline + 1, "zero pages stand in")
      }
      precondition(readerMappingCount(of: path) == baseline, "closed reader released at deinit")
      do {
        let reader = try MMapReader(path: path, offset: 7)
        precondition(reader.count == 5 * pageSize - 4 && mappingCount(of: path) == 1)
      }
      precondition(readerMappingCount(of: path) == baseline, "open reader unmapped by deinit")
    }
  }

  /// Descriptors are counted by what they point to: the child inherits descriptors from the
  /// test runner that the runner may close at any time.
  @Test func tenThousandOpenCloseCyclesLeakNoDescriptorOrMapping() async {
    await #expect(processExitsWith: .success) {
      let path = "/tmp/swift-mmap-cycles-\(getpid())"
      let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
      precondition(fd >= 0 && write(fd, "0123456789", 10) == 10)
      close(fd)
      defer { unlink(path) }
      let opened = [path, "/dev/null", "/tmp"]
      let descriptorsBefore = openDescriptorTargets().filter(opened.contains).count
      let mappings = readerMappingCount(of: path)
      for cycle in 0..<10_000 {
        let reader = try MMapReader(path: path)
        precondition(reader[cycle % 10] == UInt8(ascii: "0") + UInt8(cycle % 10))
        if cycle % 2 == 0 { try reader.close() }
      }
      for _ in 0..<100 {
        _ = try? MMapReader(path: "/dev/null")
        _ = try? MMapReader(path: "/tmp")
        _ = try? MMapReader(path: path, offset: 11)
      }
      precondition(openDescriptorTargets().filter(opened.contains).count == descriptorsBefore)
      precondition(readerMappingCount(of: path) == mappings, "mappings leaked")
    }
  }

  /// At the process's mapping-count limit the kernel refuses the mapping that the zero-page
  /// swap needs: close() throws ENOMEM and the reader is closed but keeps the file mapped;
  /// a later close(), once mappings were freed, releases it, and so does deinit. Not under a
  /// sanitizer, whose allocator stops the process when it can't map memory.
  @Test(.disabled(if: TestScale.sanitizer != nil))
  func closeAtTheMappingLimitThrowsENOMEMThenALaterCloseOrDeinitReleases() async {
    await #expect(processExitsWith: .success) {
      let path = makeSparseFile(named: "limit", size: 4 * pageSize)
      defer { unlink(path) }
      let closedLater = try MMapReader(path: path)
      var releasedByDeinit: MMapReader? = try MMapReader(path: path, offset: 1)
      precondition(mappingCount(of: path) == 2)
      // Fill the process's mappings up to the limit, alternating protections so that the
      // kernel can't merge neighbours. Nothing below allocates until some are freed.
      var fillers: [UnsafeMutableRawPointer] = []
      fillers.reserveCapacity(1 << 20)
      while fillers.count < 1 << 20 {
        let protection = fillers.count % 2 == 0 ? PROT_READ : PROT_NONE
        let filler = mmap(nil, pageSize, protection, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let filler, filler != MAP_FAILED else { break }
        fillers.append(filler)
      }
      let atLimit = MMapError(.unmap, path: path, errno: ENOMEM)
      do throws(MMapError) {
        try closedLater.close()
        fatalError("close() swapped pages in at the mapping limit")
      } catch {
        precondition(error == atLimit, "\(error)")
      }
      precondition(closedLater.isClosed)
      let afterClose = Result { () throws(MMapError) in try closedLater.byte(at: 0) }
      precondition(afterClose == .failure(MMapError(.read, path: path, errno: EBADF)))
      do throws(MMapError) {
        try releasedByDeinit?.close()
        fatalError("close() swapped pages in at the mapping limit")
      } catch {
        precondition(error == atLimit, "\(error)")
      }
      releasedByDeinit = nil  // munmap needs no new mapping: it works at the limit.
      for filler in fillers.suffix(16) { munmap(filler, pageSize) }
      precondition(mappingCount(of: path) == 1, "the failed close kept the file mapped")
      try closedLater.close()  // Tries again, and succeeds now.
      precondition(mappingCount(of: path) == 0, "the second close released the file")
      try closedLater.close()
      for filler in fillers.dropLast(16) { munmap(filler, pageSize) }
    }
  }
}
