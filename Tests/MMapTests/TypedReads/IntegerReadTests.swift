import Foundation
import Testing

@testable import MMap

/// Typed reads: every integer width, both byte orders, at every alignment, against values
/// assembled byte by byte from the file's contents.
@Suite struct IntegerReadTests {
  /// The integer of type `T` whose bytes are `bytes[offset...]` in `byteOrder`, built with
  /// shifts: the ground truth.
  static func expected<T: FixedWidthInteger>(
    _ bytes: [UInt8], at offset: Int, as: T.Type, _ byteOrder: ByteOrder
  ) -> T {
    let size = MemoryLayout<T>.size
    var value = T.zero
    for index in 0..<size {
      let byte = bytes[offset + (byteOrder == .bigEndian ? index : size - 1 - index)]
      value = value << 8 | T(truncatingIfNeeded: byte)  // A smart shift: 0 for 8 bits.
    }
    return value
  }

  /// Checks `integer(at:)` for `T` at every offset of `offsets`, in both orders, through the
  /// generic path every reader has.
  static func checkEveryOffset<T: FixedWidthInteger>(
    _ type: T.Type, reader: some RandomAccessReader, contents: [UInt8], offsets: [Int]
  ) throws {
    let size = MemoryLayout<T>.size
    for offset in offsets where offset + size <= contents.count {
      for order in [ByteOrder.littleEndian, .bigEndian] {
        let value = try reader.integer(at: offset, as: T.self, byteOrder: order)
        #expect(value == expected(contents, at: offset, as: T.self, order), "\(T.self) @\(offset)")
      }
    }
  }

  /// Every width the standard library has, signed and unsigned.
  static func checkEveryWidth(
    reader: some RandomAccessReader, contents: [UInt8], offsets: [Int]
  ) throws {
    try checkEveryOffset(UInt8.self, reader: reader, contents: contents, offsets: offsets)
    try checkEveryOffset(Int8.self, reader: reader, contents: contents, offsets: offsets)
    try checkEveryOffset(UInt16.self, reader: reader, contents: contents, offsets: offsets)
    try checkEveryOffset(Int16.self, reader: reader, contents: contents, offsets: offsets)
    try checkEveryOffset(UInt32.self, reader: reader, contents: contents, offsets: offsets)
    try checkEveryOffset(Int32.self, reader: reader, contents: contents, offsets: offsets)
    try checkEveryOffset(UInt64.self, reader: reader, contents: contents, offsets: offsets)
    try checkEveryOffset(Int64.self, reader: reader, contents: contents, offsets: offsets)
    try checkEveryOffset(UInt.self, reader: reader, contents: contents, offsets: offsets)
    try checkEveryOffset(Int.self, reader: reader, contents: contents, offsets: offsets)
    try checkEveryOffset(UInt128.self, reader: reader, contents: contents, offsets: offsets)
    try checkEveryOffset(Int128.self, reader: reader, contents: contents, offsets: offsets)
  }

  /// The first 40 offsets (every alignment of every width), the ones around the first page
  /// edge (a window edge for the windowed reader), and the last 20.
  static func offsets(count: Int) -> [Int] {
    Array(0..<40) + Array(pageSize - 20..<pageSize + 4) + Array(count - 20..<count)
  }

  @Test(arguments: ReaderKind.allCases)
  func everyWidthAndByteOrderAtEveryAlignmentEqualsTheBytes(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 2 * pageSize + 9, seed: 21)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      try Self.checkEveryWidth(
        reader: reader, contents: contents, offsets: Self.offsets(count: contents.count))
    }
  }

  /// `MMapReader`'s own load from the mapping, which a call on the concrete type selects.
  @Test func mmapReaderLoadsFromTheMappingAtEveryAlignment() throws {
    let contents = generatedBytes(count: 2 * pageSize + 9, seed: 22)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapReader(path: path, offset: 3)
      defer { try? reader.close() }
      let shifted = Array(contents[3...])
      for offset in Self.offsets(count: shifted.count) where offset + 16 <= shifted.count {
        for order in [ByteOrder.littleEndian, .bigEndian] {
          #expect(
            try reader.integer(at: offset, as: UInt64.self, byteOrder: order)
              == Self.expected(shifted, at: offset, as: UInt64.self, order))
          #expect(
            try reader.integer(at: offset, as: Int16.self, byteOrder: order)
              == Self.expected(shifted, at: offset, as: Int16.self, order))
          #expect(
            try reader.integer(at: offset, as: UInt128.self, byteOrder: order)
              == Self.expected(shifted, at: offset, as: UInt128.self, order))
        }
        let byte: UInt8 = try reader.integer(at: offset)
        #expect(byte == shifted[offset])
      }
    }
  }

  @Test func knownValuesInBothOrders() throws {
    try withTemporaryFile(contents: [0x01, 0x02, 0x03, 0x04, 0xFF, 0xFE]) { path in
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      #expect(try reader.integer(at: 0, as: UInt32.self) == 0x0403_0201)
      #expect(try reader.integer(at: 0, as: UInt32.self, byteOrder: .bigEndian) == 0x0102_0304)
      #expect(try reader.integer(at: 4, as: Int16.self) == -257)  // 0xFEFF
      #expect(try reader.integer(at: 4, as: Int16.self, byteOrder: .bigEndian) == -2)
      #expect(ByteOrder.host == .littleEndian || ByteOrder.host == .bigEndian)
      #expect(ByteOrder.host == (1.littleEndian == 1 ? .littleEndian : .bigEndian))
    }
  }

  /// An offset outside the reader throws `EINVAL`; an integer that runs past the end,
  /// `ENODATA`, down to the last byte; closed, `EBADF`. The concrete `MMapReader` path and the
  /// generic one agree.
  @Test(arguments: ReaderKind.allCases)
  func integersPastTheEndThrowENODATAAndOffsetsOutsideThrowEINVAL(kind: ReaderKind) throws {
    try withTemporaryFile(contents: Array(0..<10)) { path in
      let reader = try kind.open(path)
      let invalid = MMapError(.read, path: path, errno: EINVAL)
      let endOfFile = MMapError(.read, path: path, errno: ENODATA)
      let closed = MMapError(.read, path: path, errno: EBADF)
      func check(_ reader: some RandomAccessReader) throws {
        for offset in [-1, 11, Int.min, Int.max] {
          #expect(throws: invalid) { try reader.integer(at: offset, as: UInt32.self) }
        }
        for offset in 7...10 {
          #expect(throws: endOfFile) { try reader.integer(at: offset, as: UInt32.self) }
        }
        #expect(throws: endOfFile) { try reader.integer(at: 10, as: UInt8.self) }
        #expect(try reader.integer(at: 6, as: UInt32.self) == 0x0908_0706)
        #expect(try reader.integer(at: 9, as: UInt8.self) == 9)
      }
      try check(reader)
      if let mapped = reader as? MMapReader {
        #expect(throws: invalid) { try mapped.integer(at: -1, as: UInt32.self) }
        #expect(throws: invalid) { try mapped.integer(at: 11, as: UInt32.self) }
        #expect(throws: endOfFile) { try mapped.integer(at: 7, as: UInt32.self) }
        #expect(throws: endOfFile) { try mapped.integer(at: 10, as: UInt8.self) }
        try mapped.close()
        #expect(throws: closed) { try mapped.integer(at: 0, as: UInt32.self) }
      }
      try reader.close()
      func checkClosed(_ reader: some RandomAccessReader) {
        #expect(throws: closed) { try reader.integer(at: 0, as: UInt32.self) }
      }
      checkClosed(reader)
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func emptyReaderHasNoIntegers(kind: ReaderKind) throws {
    try withTemporaryFile(contents: []) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      func check(_ reader: some RandomAccessReader) {
        #expect(throws: MMapError(.read, path: path, errno: ENODATA)) {
          try reader.integer(at: 0, as: UInt8.self)
        }
      }
      check(reader)
      let mapped = try MMapReader(path: path)
      #expect(throws: MMapError(.read, path: path, errno: ENODATA)) {
        try mapped.integer(at: 0, as: UInt8.self)
      }
    }
  }
}
