import Foundation
import Testing

@testable import MMap

/// NUL-terminated and counted strings on every reader: found, too long, cut short by the
/// file or the cursor's bounds, and invalid UTF-8 under both policies, checked against
/// the standard library's own decoding.
@Suite struct StringReadTests {
  static let contents: [UInt8] =
    Array(".text\0héllo\0".utf8) + [0x61, 0xFF, 0x62, 0xC3, 0x00] + Array("no end".utf8)

  @Test(arguments: ReaderKind.allCases)
  func nulTerminatedStringsStopAtTheirNUL(kind: ReaderKind) throws {
    try withTemporaryFile(contents: Self.contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      try Self.checkNulTerminatedStringsStopAtTheirNUL(reader)
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func aMissingNULThrowsEOVERFLOWWithinTheMaximumAndENODATAAtTheEnd(kind: ReaderKind) throws {
    try withTemporaryFile(contents: Self.contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      try Self.checkAMissingNULThrowsEOVERFLOWWithinTheMaximumAndENODATAAtTheEnd(reader)
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func invalidUTF8FailsOrIsRepairedAsAsked(kind: ReaderKind) throws {
    try withTemporaryFile(contents: Self.contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      try Self.checkInvalidUTF8FailsOrIsRepairedAsAsked(reader)
    }
  }

  static func checkNulTerminatedStringsStopAtTheirNUL(_ reader: some RandomAccessReader) throws {
    #expect(try reader.cString(at: 0, maxCount: 5) == ".text")
    #expect(try reader.cString(at: 1, maxCount: 100) == "text")
    #expect(try reader.cString(at: 6, maxCount: 6) == "héllo")
    #expect(try reader.cString(at: 5, maxCount: 0) == "")
    var cursor = ReaderCursor(reader)
    #expect(try cursor.readCString(maxCount: 16) == ".text")
    #expect(try cursor.readCString(maxCount: 16) == "héllo")
    #expect(cursor.position == 13)
  }

  static func checkAMissingNULThrowsEOVERFLOWWithinTheMaximumAndENODATAAtTheEnd(
    _ reader: some RandomAccessReader
  ) throws {
    let tooLong = #expect(throws: MMapError.self) { try reader.cString(at: 0, maxCount: 4) }
    #expect(tooLong?.errno == EOVERFLOW)
    let unended = #expect(throws: MMapError.self) {
      try reader.cString(at: reader.count - 6, maxCount: 100)
    }
    #expect(unended?.errno == ENODATA)
    #expect(throws: MMapError.self) { try reader.cString(at: 0, maxCount: -1) }
    #expect(throws: MMapError.self) { try reader.cString(at: reader.count + 1, maxCount: 1) }
    // The cursor's bounds end the search as the file's end would; the position stays.
    var cursor = try ReaderCursor(reader, in: 6..<10)
    let cut = #expect(throws: MMapError.self) { try cursor.readCString(maxCount: 100) }
    #expect(cut?.errno == ENODATA)
    #expect(cursor.position == 0)
  }

  static func checkInvalidUTF8FailsOrIsRepairedAsAsked(_ reader: some RandomAccessReader) throws {
    let invalid = 13..<17  // a, 0xFF, b, and a lead byte without its continuation
    let error = #expect(throws: MMapError.self) { try reader.string(in: invalid) }
    #expect(error?.errno == EILSEQ)
    let repaired = try reader.string(in: invalid, invalidUTF8: .repair)
    #expect(repaired == String(decoding: Self.contents[invalid], as: UTF8.self))
    #expect(repaired == "a\u{FFFD}b\u{FFFD}")
    #expect(throws: MMapError.self) { try reader.cString(at: 13, maxCount: 10) }
    #expect(try reader.cString(at: 13, maxCount: 10, invalidUTF8: .repair) == repaired)
    var cursor = try ReaderCursor(reader, in: 13..<reader.count)
    #expect(throws: MMapError.self) { try cursor.readString(count: 4) }
    #expect(cursor.position == 0)
    #expect(try cursor.readString(count: 4, invalidUTF8: .repair) == repaired)
    #expect(try cursor.readByte() == 0)
    #expect(try cursor.readRemainingBytes() == Array("no end".utf8))
    #expect(cursor.isAtEnd)
    #expect(try cursor.readRemainingBytes() == [])
    let end = #expect(throws: MMapError.self) { try cursor.readByte() }
    #expect(end?.errno == ENODATA)
  }
}
