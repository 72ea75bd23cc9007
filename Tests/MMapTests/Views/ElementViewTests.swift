import Foundation
import Testing

@testable import MMap

/// Typed views and copies: at every offset modulo 8 and for every reader, against values
/// loaded byte by byte; refused with the misfit named where a view can't be made; across
/// window edges of the windowed reader.
@Suite struct ElementViewTests {
  /// The value of `T` at `offset` of `contents`, by an unaligned load from an array: the
  /// ground truth.
  static func expected<T: BitwiseCopyable>(_ contents: [UInt8], _ range: Range<Int>, as: T.Type)
    -> [T]
  {
    let step = MemoryLayout<T>.stride
    return contents.withUnsafeBytes { bytes in
      stride(from: range.lowerBound, to: range.upperBound, by: step).map {
        bytes.loadUnaligned(fromByteOffset: $0, as: T.self)
      }
    }
  }

  /// Whether `a` and `b` hold the same bytes: equality that a NaN doesn't break.
  static func same<T: BitwiseCopyable>(_ a: [T], _ b: [T]) -> Bool {
    a.withUnsafeBytes { a in b.withUnsafeBytes { b in a.elementsEqual(b) } }
  }

  /// Views `count` elements of `T` at every offset from 0 through 8 past `base`: in place
  /// where the offset is aligned, refused with `EINVAL` and the misalignment where not.
  static func checkEveryOffset<T: BitwiseCopyable & Equatable>(
    _: T.Type, reader: some ZeroCopyReader, contents: [UInt8], base: Int, count: Int
  ) throws {
    let stride = MemoryLayout<T>.stride
    let alignment = MemoryLayout<T>.alignment
    for offset in base..<(base + 9) {
      let range = offset..<(offset + count * stride)
      let truth = expected(contents, range, as: T.self)
      #expect(same(try reader.elements(in: range, as: T.self), truth), "copy \(T.self) @\(offset)")
      if offset % alignment == 0 {
        let viewed = try reader.withUnsafeElements(in: range, as: T.self) { Array($0) }
        #expect(same(viewed, truth), "view \(T.self) @\(offset)")
        let spanned = try reader.withElements(in: range, as: T.self) { span in
          (0..<span.count).map { span[$0] }
        }
        #expect(same(spanned, truth), "span \(T.self) @\(offset)")
      } else {
        let error = #expect(throws: MMapError.self) {
          try reader.withUnsafeElements(in: range, as: T.self) { _ in
            Issue.record("body called for a misaligned view")
          }
        }
        #expect(error?.errno == EINVAL)
        #expect(error?.elementMisfit?.misalignment == offset % alignment, "\(T.self) @\(offset)")
        #expect(error?.elementMisfit?.trailingByteCount == 0)
      }
    }
  }

  @Test(arguments: ReaderKind.zeroCopy)
  func viewsAtEveryOffsetModulo8MatchUnalignedLoads(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 3 * pageSize, seed: 19)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.openZeroCopy(path)
      defer { try? reader.close() }
      for base in [0, 64, pageSize - 24] {
        try Self.checkEveryOffset(
          UInt16.self, reader: reader, contents: contents, base: base, count: 9)
        try Self.checkEveryOffset(
          UInt32.self, reader: reader, contents: contents, base: base, count: 9)
        try Self.checkEveryOffset(
          Float.self, reader: reader, contents: contents, base: base, count: 9)
        try Self.checkEveryOffset(
          UInt64.self, reader: reader, contents: contents, base: base, count: 9)
        try Self.checkEveryOffset(
          Double.self, reader: reader, contents: contents, base: base, count: 9)
      }
    }
  }

  @Test func viewsAcrossWindowEdgesUseATemporaryMapping() throws {
    let contents = generatedBytes(count: 6 * pageSize, seed: 23)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapWindowReader(path: path, windowSize: pageSize, maxWindows: 2)
      defer { try? reader.close() }
      // Straddling one edge, spanning three windows (more than the reader keeps), and the
      // whole file: each is compared element by element.
      for range in [(pageSize - 64)..<(pageSize + 64), 8..<(3 * pageSize + 8), 0..<contents.count] {
        let viewed = try reader.withUnsafeElements(in: range, as: UInt64.self) { Array($0) }
        #expect(viewed == Self.expected(contents, range, as: UInt64.self), "\(range)")
        let sum = try reader.withElements(in: range, as: UInt32.self) { span in
          var total: UInt32 = 0
          for index in span.indices { total &+= span[index] }
          return total
        }
        #expect(sum == Self.expected(contents, range, as: UInt32.self).reduce(0, &+))
      }
      try Self.checkEveryOffset(
        Double.self, reader: reader, contents: contents, base: 2 * pageSize - 12, count: 5)
    }
  }

  @Test(arguments: ReaderKind.zeroCopy)
  func aCountThatIsNotAWholeNumberOfElementsIsRefused(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 64, seed: 3)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.openZeroCopy(path)
      defer { try? reader.close() }
      let viewError = #expect(throws: MMapError.self) {
        try reader.withElements(in: 8..<19, as: Float.self) { _ in }
      }
      #expect(viewError?.errno == EINVAL)
      #expect(viewError?.elementMisfit?.trailingByteCount == 3)
      let copyError = #expect(throws: MMapError.self) {
        try reader.elements(in: 8..<19, as: Float.self)
      }
      #expect(copyError?.elementMisfit?.trailingByteCount == 3)
      #expect(try reader.withUnsafeElements(in: 8..<8, as: Double.self) { $0.count } == 0)
    }
  }

  @Test func theMisfitIsNamedInTheDescription() throws {
    try withTemporaryFile(contents: [UInt8](repeating: 0, count: 64)) { path in
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      let error = #expect(throws: MMapError.self) {
        try reader.withUnsafeElements(in: 9..<49, as: Float.self) { _ in }
      }
      #expect(
        error?.description
          == "read(\"\(path)\") failed: bytes 9..<49 can't be viewed as Float: their address is "
          + "1 byte past a 4-byte boundary (errno \(EINVAL))")
      let counted = #expect(throws: MMapError.self) {
        try reader.withUnsafeElements(in: 8..<18, as: UInt64.self) { _ in }
      }
      #expect(
        counted?.description
          == "read(\"\(path)\") failed: bytes 8..<18 can't be viewed as UInt64: 10 is not a "
          + "multiple of the 8-byte stride (errno \(EINVAL))")
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func copiesIntoACallerBufferMatchAtMisalignedOffsets(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 3 * pageSize, seed: 29)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: 600)
      defer { buffer.deallocate() }
      for offset in [1, 3, pageSize - 5] {
        try reader.readExactly(from: offset, into: buffer)
        let range = offset..<(offset + 600 * 8)
        #expect(
          Self.same(Array(buffer), Self.expected(contents, range, as: Double.self)), "@\(offset)")
        #expect(Self.same(try reader.elements(in: range, as: Double.self), Array(buffer)))
      }
      #expect(throws: MMapError.self) {
        try reader.elements(in: 0..<(contents.count + 4), as: Float.self)
      }
    }
  }

  /// What FileReader opens, a small file in memory and a large one mapped, lends its bytes
  /// as elements too, and a cursor over it reads the new types.
  @Test(arguments: [100, 3 * pageSize])
  func fileReaderViewsAndCursorReads(size: Int) throws {
    let contents = generatedBytes(count: size, seed: 31)
    try withTemporaryFile(contents: contents) { path in
      let reader = try FileReader.open(
        path: path, options: FileReader.Options(memoryThreshold: 2 * pageSize))
      defer { try? reader.close() }
      try Self.checkEveryOffset(UInt32.self, reader: reader, contents: contents, base: 8, count: 5)
      var cursor = ReaderCursor(reader)
      #expect(try cursor.readByte() == contents[0])
      let bits = (1...4).reduce(UInt32(0)) { $0 | UInt32(contents[$1]) << (8 * ($1 - 1)) }
      #expect(try cursor.readFloat().bitPattern == bits)
      #expect(try cursor.readRemainingBytes() == Array(contents[5...]))
    }
  }

  @Test(arguments: ReaderKind.zeroCopy)
  func aClosedReaderThrowsEBADF(kind: ReaderKind) throws {
    try withTemporaryFile(contents: [UInt8](repeating: 1, count: 64)) { path in
      let reader = try kind.openZeroCopy(path)
      try reader.close()
      let error = #expect(throws: MMapError.self) {
        try reader.withUnsafeElements(in: 0..<8, as: UInt32.self) { _ in }
      }
      #expect(error?.errno == EBADF)
    }
  }
}
