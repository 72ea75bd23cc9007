import Foundation
import Testing

@testable import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Copies, views and errors of the windowed reader, checked against `pread`.
@Suite struct MMapWindowReaderTests {
  /// 3 MiB + 17 bytes: a partial last window for every window size below but 1 MiB's.
  static let fileSize = 3 << 20 + 17

  static let windowSizes = [4096, 3 * 4096, 1 << 20, 8 << 20]

  /// Random copies and views, in random runs of sequential ones (so that both the window
  /// path and the `pread` path serve reads), compared with `pread` of the same bytes.
  @Test(arguments: windowSizes, [1, 2, 4])
  func readsAndViewsMatchPread(windowSize: Int, maxWindows: Int) throws {
    let size = Self.fileSize
    try withTemporaryFile(contents: generatedBytes(count: size, seed: 4)) { path in
      let truth = preadBytes(path: path, offset: 0, count: size)
      let reader = try MMapWindowReader(
        path: path, windowSize: windowSize, maxWindows: maxWindows)
      defer { try? reader.close() }
      var random = SeededGenerator(seed: UInt64(windowSize + maxWindows))
      var buffer = [UInt8](repeating: 0, count: 3 * pageSize + 5)
      var offset = 0
      for step in 0..<1500 {
        if step % 8 == 0 { offset = Int.random(in: 0...size, using: &random) }
        let length = Int.random(in: 0...buffer.count, using: &random)
        let copied = try buffer.withUnsafeMutableBytes { bytes in
          try reader.read(
            from: offset, into: UnsafeMutableRawBufferPointer(rebasing: bytes[..<length]))
        }
        #expect(copied == min(length, size - offset), "read at \(offset) of \(length)")
        #expect(sameBytes(buffer[..<copied], truth[offset..<offset + copied]))
        let end = min(size, offset + Int.random(in: 0...2 * pageSize, using: &random))
        try reader.withUnsafeBytes(in: offset..<end) { view in
          #expect(sameBytes(view, truth[offset..<end]), "view of \(offset)..<\(end)")
        }
        offset = offset + copied == size ? 0 : offset + copied
      }
      #expect(reader.mappedWindowCount <= maxWindows)
      #expect(reader.table.withLock { $0.mapCount } > 0)
    }
  }

  @Test(arguments: windowSizes)
  func copiesAndViewsAcrossEveryWindowEdgeMatchPread(windowSize: Int) throws {
    let size = Self.fileSize
    try withTemporaryFile(contents: generatedBytes(count: size, seed: 5)) { path in
      let truth = preadBytes(path: path, offset: 0, count: size)
      let reader = try MMapWindowReader(path: path, windowSize: windowSize, maxWindows: 2)
      defer { try? reader.close() }
      var edge = windowSize
      var checked = 0
      while edge < size && checked < 200 {
        let range = max(0, edge - 5)..<min(size, edge + 11)
        #expect(try reader.bytes(in: range) == Array(truth[range]), "copy across \(edge)")
        try reader.withBytes(in: range) { span in
          #expect(span.byteCount == range.count)
          for index in 0..<span.byteCount {
            #expect(
              span.unsafeLoad(fromByteOffset: index, as: UInt8.self)
                == truth[range.lowerBound + index])
          }
        }
        edge += windowSize
        checked += 1
      }
      // The last, partial window, and its last byte.
      let tail = (size - 100)..<size
      #expect(try reader.bytes(in: tail) == Array(truth[tail]))
      #expect(try reader.byte(at: size - 1) == truth[size - 1])
      #expect(reader[size - 1] == truth[size - 1])
    }
  }

  /// A view across a window edge is still a view of the file, not a copy: its bytes lie
  /// in a mapping of the file while the closure runs, and that mapping is gone afterwards.
  @Test func viewAcrossAnEdgeIsATemporaryMappingOfTheFile() throws {
    try withTemporaryFile(contents: generatedBytes(count: 8 * pageSize, seed: 6)) { path in
      let reader = try MMapWindowReader(path: path, windowSize: pageSize, maxWindows: 1)
      defer { try? reader.close() }
      let range = (pageSize - 10)..<(3 * pageSize + 10)
      try reader.withUnsafeBytes(in: range) { view in
        let address = UInt(bitPattern: view.baseAddress)
        let mapped = currentMappings().contains { line in
          guard line.hasSuffix(" " + path) else { return false }
          let bounds = line.prefix { $0 != " " }.split(separator: "-")
          guard let low = UInt(bounds[0], radix: 16), let high = UInt(bounds[1], radix: 16)
          else { return false }
          return low <= address && address + UInt(range.count) <= high
        }
        #expect(mapped, "the view's bytes are not in a mapping of the file")
      }
      #expect(mappingCount(of: path) == reader.mappedWindowCount)
    }
  }

  @Test(arguments: [1, 17, 4095, 4097, 5 * 4096 + 17])
  func unalignedSubRangeStartsAtRequestedByte(offset: Int) throws {
    let size = 40 * pageSize + 3
    try withTemporaryFile(contents: generatedBytes(count: size, seed: 7)) { path in
      let truth = preadBytes(path: path, offset: 0, count: size)
      for count in [nil, size - offset - 9] as [Int?] {
        for windowSize in [pageSize, 3 * pageSize] {
          let reader = try MMapWindowReader(
            path: path, offset: offset, count: count, windowSize: windowSize, maxWindows: 2)
          defer { try? reader.close() }
          let exposed = Array(truth[offset..<(offset + (count ?? size - offset))])
          #expect(reader.count == exposed.count)
          #expect(try reader.byte(at: 0) == exposed[0])
          var random = SeededGenerator(seed: UInt64(offset))
          for _ in 0..<200 {
            let start = Int.random(in: 0..<exposed.count, using: &random)
            let end = min(exposed.count, start + Int.random(in: 1...9000, using: &random))
            #expect(try reader.bytes(in: start..<end) == Array(exposed[start..<end]))
            try reader.withUnsafeBytes(in: start..<end) { view in
              #expect(sameBytes(view, exposed[start..<end]))
            }
          }
          var scanned: [UInt8] = []
          try reader.forEachWindow { at, bytes in
            #expect(at == scanned.count)
            for index in 0..<bytes.byteCount {
              scanned.append(bytes.unsafeLoad(fromByteOffset: index, as: UInt8.self))
            }
          }
          #expect(scanned == exposed)
        }
      }
    }
  }

  @Test func emptyFileReadsAsEmptyAndMapsNothing() throws {
    try withTemporaryFile(contents: []) { path in
      let reader = try MMapWindowReader(path: path)
      defer { try? reader.close() }
      var buffer = [UInt8](repeating: 0, count: 8)
      #expect(reader.count == 0)
      #expect(try reader.read(from: 0, into: &buffer) == 0)
      try reader.withUnsafeBytes { #expect($0.isEmpty) }
      try reader.forEachWindow { _, _ in Issue.record("an empty file has no windows") }
      #expect(mappingCount(of: path) == 0)
    }
  }

  @Test func windowSizeIsRoundedUpToWholePages() throws {
    try withTemporaryFile(contents: [1, 2, 3]) { path in
      let reader = try MMapWindowReader(path: path, windowSize: 1, maxWindows: 1)
      defer { try? reader.close() }
      #expect(reader.windowSize == pageSize)
      #expect(reader.maxWindows == 1)
      let defaults = try MMapWindowReader(path: path)
      defer { try? defaults.close() }
      #expect(defaults.windowSize == 16 << 20)
      #expect(defaults.maxWindows == 4)
    }
  }

  /// Small random reads over many windows are served by `pread`: they map almost no window
  /// (a plain LRU of windows would map one per read), and sequential reads do map them.
  @Test func randomSmallReadsDoNotMapWindowsButSequentialReadsDo() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/sparse.bin"
      let size = 1 << 30
      let fd = open(path, O_RDWR | O_CREAT, 0o600)
      #expect(ftruncate(fd, off_t(size)) == 0)
      close(fd)
      let reader = try MMapWindowReader(path: path, windowSize: 16 << 20, maxWindows: 4)
      defer { try? reader.close() }
      var random = SeededGenerator(seed: 11)
      var buffer = [UInt8](repeating: 1, count: 8)
      for _ in 0..<20000 {
        let offset = Int.random(in: 0...(size - 8), using: &random)
        #expect(try reader.read(from: offset, into: &buffer) == 8)
      }
      #expect(buffer == [0, 0, 0, 0, 0, 0, 0, 0])
      let randomMaps = reader.table.withLock { $0.mapCount }
      #expect(randomMaps <= 8, "\(randomMaps) windows mapped for 20,000 random reads")
      var chunk = [UInt8](repeating: 0, count: 65536)
      var offset = 100 << 20
      for _ in 0..<1024 {
        offset += try reader.read(from: offset, into: &chunk)
      }
      let scanMaps = reader.table.withLock { $0.mapCount } - randomMaps
      #expect(scanMaps >= 4 && scanMaps <= 5, "\(scanMaps) windows for a 64 MiB scan")
    }
  }

  @Test func adviceIsRememberedAndGivenToEveryWindow() throws {
    let contents = generatedBytes(count: 10 * pageSize, seed: 12)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapWindowReader(path: path, windowSize: 2 * pageSize, maxWindows: 2)
      defer { try? reader.close() }
      try reader.advise(.sequential)
      _ = try reader.bytes(in: 0..<100)
      try reader.advise(.willNeed)
      #expect(reader.table.withLock { $0.advice } == Advice.willNeed.systemValue)
      #expect(try reader.bytes(in: 0..<contents.count) == contents)
      try reader.withUnsafeBytes { #expect($0.elementsEqual(contents)) }
    }
  }

  @Test func subscriptOutOfBoundsTraps() async {
    await #expect(processExitsWith: .failure) {
      try withTemporaryFile(contents: [1, 2, 3]) { path in
        _ = try MMapWindowReader(path: path)[3]
      }
    }
  }

  @Test func zeroWindowSizeTraps() async {
    await #expect(processExitsWith: .failure) {
      try withTemporaryFile(contents: [1, 2, 3]) { path in
        _ = try MMapWindowReader(path: path, windowSize: 0)
      }
    }
  }
}

extension MMapWindowReaderTests {
  @Test func aByteBudgetBoundsTheWindowsMappedAtOnce() throws {
    let contents = generatedBytes(count: 32 * pageSize, seed: 63)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapWindowReader(
        path: path, windowSize: pageSize, maxWindows: 100, maxMappedBytes: 3 * pageSize + 100)
      defer { try? reader.close() }
      #expect(reader.maxWindows == 3 && reader.maxMappedBytes == 3 * pageSize)
      var most = 0
      try reader.forEachChunk { offset, chunk in
        most = max(most, reader.mappedWindowCount)
        #expect(sameBytes(chunk, contents[offset..<(offset + chunk.count)]))
        return .proceed
      }
      #expect(most == 3)
      #expect(mappingCount(of: path) <= 3)
    }
  }

  /// A limit far beyond the file reserves only what the file needs.
  @Test func aHugeWindowLimitReservesOnlyWhatTheFileNeeds() throws {
    try withTemporaryFile(contents: generatedBytes(count: 5 * pageSize, seed: 65)) { path in
      let reader = try MMapWindowReader(path: path, windowSize: pageSize, maxWindows: 1 << 40)
      defer { try? reader.close() }
      #expect(reader.maxMappedBytes == (1 << 40) * pageSize)
      #expect(try reader.bytes(in: 0..<reader.count).count == 5 * pageSize)
    }
  }
}
