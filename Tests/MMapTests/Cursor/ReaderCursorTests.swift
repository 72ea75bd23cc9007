import Foundation
import Testing

@testable import MMap

/// The cursor against a model: an array and an integer position, driven by the same random
/// seeks and reads; then its edges and errors.
@Suite struct ReaderCursorTests {
  /// A model of a cursor over `bytes`: what each operation must return, and the position.
  struct Model {
    let bytes: [UInt8]
    var position = 0

    var remaining: ArraySlice<UInt8> {
      position < bytes.count ? bytes[position...] : []
    }

    /// The position a seek lands on, or `nil` if it must throw.
    func target(of offset: Int, from origin: SeekOrigin) -> Int? {
      let base =
        switch origin {
        case .start: 0
        case .current: position
        case .end: bytes.count
        }
      let (target, overflow) = base.addingReportingOverflow(offset)
      return overflow || target < 0 ? nil : target
    }
  }

  /// Runs 2,000 random operations on `cursor` and on a model of `expected`, comparing every
  /// result, error and position.
  static func compareWithModel<Reader>(
    _ cursor: inout ReaderCursor<Reader>, expected: [UInt8], path: String, seed: UInt64
  ) throws {
    var model = Model(bytes: expected)
    var random = SeededGenerator(seed: seed)
    let endOfFile = MMapError(.read, path: path, errno: ENODATA)
    var buffer = [UInt8](repeating: 0, count: 3 * pageSize)
    for step in 0..<2_000 {
      let context = Comment(rawValue: "step \(step), position \(model.position)")
      switch Int.random(in: 0..<6, using: &random) {
      case 0:  // seek
        let origin = [SeekOrigin.start, .current, .end].randomElement(using: &random)!
        let offset = Int.random(in: -expected.count - 8...expected.count + 8, using: &random)
        if let target = model.target(of: offset, from: origin) {
          #expect(try cursor.seek(to: offset, from: origin) == target, context)
          model.position = target
        } else {
          #expect(throws: MMapError(.seek, path: path, errno: EINVAL), context) {
            try cursor.seek(to: offset, from: origin)
          }
        }
      case 1:  // read: short only at the end
        let length = Int.random(in: 0...buffer.count, using: &random)
        let copied = try buffer.withUnsafeMutableBytes { bytes in
          try cursor.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[..<length]))
        }
        let truth = model.remaining.prefix(length)
        #expect(copied == truth.count, context)
        #expect(sameBytes(buffer[..<copied], truth), context)
        model.position += copied
      case 2:  // read exactly, or throw and stay
        var bytes = [UInt8](repeating: 0, count: Int.random(in: 0...64, using: &random))
        if bytes.count <= model.remaining.count {
          try cursor.readExactly(into: &bytes)
          #expect(bytes[...] == model.remaining.prefix(bytes.count), context)
          model.position += bytes.count
        } else {
          #expect(throws: endOfFile, context) { try cursor.readExactly(into: &bytes) }
        }
      case 3:  // readBytes
        let count = Int.random(in: 0...2 * pageSize, using: &random)
        if count <= model.remaining.count {
          #expect(try cursor.readBytes(count: count)[...] == model.remaining.prefix(count))
          model.position += count
        } else {
          #expect(throws: endOfFile, context) { try cursor.readBytes(count: count) }
        }
      case 4:  // a typed read
        let order: ByteOrder = Bool.random(using: &random) ? .littleEndian : .bigEndian
        if model.remaining.count >= 4 {
          let value = try cursor.readInteger(as: UInt32.self, byteOrder: order)
          let truth = IntegerReadTests.expected(
            model.bytes, at: model.position, as: UInt32.self, order)
          #expect(value == truth, context)
          model.position += 4
        } else {
          #expect(throws: endOfFile, context) {
            try cursor.readInteger(as: UInt32.self, byteOrder: order)
          }
        }
      default:  // a 2-byte typed read, or a byte
        if model.remaining.count >= 2 {
          let value: Int16 = try cursor.readInteger(byteOrder: .bigEndian)
          #expect(
            value
              == IntegerReadTests.expected(
                model.bytes, at: model.position, as: Int16.self, .bigEndian),
            context)
          model.position += 2
        } else if model.remaining.count == 1 {
          #expect(try cursor.readInteger(as: UInt8.self) == model.remaining.first, context)
          model.position += 1
        } else {
          #expect(throws: endOfFile, context) { try cursor.readInteger(as: UInt8.self) }
        }
      }
      #expect(cursor.position == model.position, context)
      #expect(cursor.remainingCount == model.remaining.count, context)
      #expect(cursor.isAtEnd == model.remaining.isEmpty, context)
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func randomSeeksAndReadsMatchAModel(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 3 * pageSize + 17, seed: 31)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      func run(_ reader: some RandomAccessReader) throws {
        var cursor = ReaderCursor(reader)
        #expect(cursor.count == contents.count)
        try Self.compareWithModel(&cursor, expected: contents, path: path, seed: 1)
      }
      try run(reader)
    }
  }

  /// A section reads like a file of its own: positions from its start, its end as the end,
  /// though the reader goes on.
  @Test(arguments: ReaderKind.allCases)
  func sectionReadsOnlyItsRange(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 3 * pageSize + 17, seed: 32)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      func run(_ reader: some RandomAccessReader) throws {
        let section = pageSize - 5..<2 * pageSize + 3
        var cursor = try ReaderCursor(reader, in: section)
        #expect(cursor.bounds == section && cursor.count == section.count)
        try Self.compareWithModel(
          &cursor, expected: Array(contents[section]), path: path, seed: 2)
        var empty = try ReaderCursor(reader, in: 7..<7)
        #expect(empty.isAtEnd)
        var byte: [UInt8] = [0]
        #expect(try empty.read(into: &byte) == 0)
      }
      try run(reader)
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func sectionOutsideTheReaderThrowsEINVAL(kind: ReaderKind) throws {
    try withTemporaryFile(contents: Array(0..<10)) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      func run(_ reader: some RandomAccessReader) {
        for bounds in [-1..<3, 5..<11, 11..<11, Int.min..<0, 0..<Int.max] {
          #expect(throws: MMapError(.read, path: path, errno: EINVAL)) {
            try ReaderCursor(reader, in: bounds)
          }
        }
      }
      run(reader)
    }
  }

  @Test func seekingPastTheEndIsAllowedAndReadsFindNothing() throws {
    try withTemporaryFile(contents: Array(0..<10)) { path in
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      var cursor = ReaderCursor(reader)
      #expect(try cursor.seek(to: 5, from: .end) == 15)
      var buffer = [UInt8](repeating: 0xAA, count: 4)
      #expect(try cursor.read(into: &buffer) == 0)
      #expect(buffer == [0xAA, 0xAA, 0xAA, 0xAA], "nothing copied")
      #expect(try cursor.readBytes(count: 0) == [])
      #expect(throws: MMapError(.read, path: path, errno: ENODATA)) {
        try cursor.readInteger(as: UInt8.self)
      }
      #expect(cursor.position == 15 && cursor.remainingCount == 0 && cursor.isAtEnd)
      #expect(try cursor.seek(to: Int.max) == Int.max)
      #expect(try cursor.read(into: &buffer) == 0)
      #expect(throws: MMapError(.seek, path: path, errno: EINVAL)) {
        try cursor.seek(to: 1, from: .current)
      }
      #expect(cursor.position == Int.max, "a failed seek doesn't move")
      #expect(try cursor.seek(to: -3, from: .end) == 7)
      #expect(try cursor.readBytes(count: 3) == [7, 8, 9])
    }
  }

  @Test func seekBeforeTheStartThrowsEINVALAndStays() throws {
    try withTemporaryFile(contents: Array(0..<10)) { path in
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      var cursor = ReaderCursor(reader)
      try cursor.seek(to: 4)
      let invalid = MMapError(.seek, path: path, errno: EINVAL)
      #expect(throws: invalid) { try cursor.seek(to: -1) }
      #expect(throws: invalid) { try cursor.seek(to: -5, from: .current) }
      #expect(throws: invalid) { try cursor.seek(to: -11, from: .end) }
      #expect(throws: invalid) { try cursor.seek(to: Int.min, from: .end) }
      #expect(cursor.position == 4)
      #expect(try cursor.seek(to: -4, from: .current) == 0)
      #expect(try cursor.seek(to: -10, from: .end) == 0)
    }
  }

  @Test func negativeByteCountThrowsEINVAL() throws {
    try withTemporaryFile(contents: Array(0..<10)) { path in
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      var cursor = ReaderCursor(reader)
      #expect(throws: MMapError(.read, path: path, errno: EINVAL)) {
        try cursor.readBytes(count: -1)
      }
      #expect(cursor.position == 0)
    }
  }

  /// A copy has its own position: a parser can look ahead on a copy.
  @Test func copiesMoveIndependently() throws {
    try withTemporaryFile(contents: Array(0..<10)) { path in
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      var cursor = ReaderCursor(reader)
      _ = try cursor.readBytes(count: 2)
      var lookahead = cursor
      #expect(try lookahead.readBytes(count: 3) == [2, 3, 4])
      #expect(cursor.position == 2 && lookahead.position == 5)
      #expect(try cursor.readInteger(as: UInt8.self) == 2)
    }
  }

  /// Every read of a closed reader's cursor throws `EBADF`, at the end too, and stays.
  @Test(arguments: ReaderKind.allCases)
  func cursorOfAClosedReaderThrowsEBADF(kind: ReaderKind) throws {
    try withTemporaryFile(contents: Array(0..<10)) { path in
      let reader = try kind.open(path)
      func run(_ reader: some RandomAccessReader) throws {
        var cursor = ReaderCursor(reader)
        try cursor.seek(to: 2)
        try reader.close()
        let closed = MMapError(.read, path: path, errno: EBADF)
        var buffer = [UInt8](repeating: 0, count: 4)
        var many = [UInt8](repeating: 0, count: 40)
        #expect(throws: closed) { try cursor.read(into: &buffer) }
        #expect(throws: closed) { try cursor.readExactly(into: &buffer) }
        #expect(throws: closed) { try cursor.readExactly(into: &many) }
        #expect(throws: closed) { try cursor.readBytes(count: 4) }
        #expect(throws: closed) { try cursor.readBytes(count: 40) }
        #expect(throws: closed) { try cursor.readInteger(as: UInt64.self) }
        #expect(throws: closed) { try cursor.readInteger(as: UInt128.self) }
        try cursor.seek(to: 0, from: .end)
        #expect(throws: closed) { try cursor.read(into: &buffer) }
        #expect(cursor.position == 10)
      }
      try run(reader)
    }
  }
}
