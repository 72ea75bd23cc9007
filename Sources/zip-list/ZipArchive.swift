import MMap

/// A ZIP archive's central directory: its entries and its comment.
///
/// The layout is PKWARE's APPNOTE.TXT: the end of central directory record (22 bytes and a
/// comment) at the end of the file; for ZIP64, a locator just before it that points to a
/// ZIP64 end record with 64-bit counts; then the central directory, one header per entry.
struct ZipArchive {
  var entries: [ZipEntry] = []
  var comment = ""

  /// The signatures that begin each record, little-endian.
  static let endRecordSignature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]  // "PK\5\6"
  static let zip64LocatorSignature: UInt32 = 0x0706_4B50
  static let zip64EndRecordSignature: UInt32 = 0x0606_4B50
  static let centralHeaderSignature: UInt32 = 0x0201_4B50

  init(_ reader: MMapReader) throws {
    let end = try Self.findEndRecord(reader)
    var cursor = try ReaderCursor(reader, in: end..<reader.count)
    try cursor.seek(to: 10)
    var entryCount = UInt64(try cursor.readInteger(as: UInt16.self))
    var directorySize = UInt64(try cursor.readInteger(as: UInt32.self))
    var directoryOffset = UInt64(try cursor.readInteger(as: UInt32.self))
    let commentLength = try cursor.readInteger(as: UInt16.self)
    comment = try cursor.readString(count: Int(commentLength), invalidUTF8: .repair)

    // ZIP64: a locator 20 bytes before the end record points to the 64-bit end record.
    if end >= 20, try reader.integer(at: end - 20, as: UInt32.self) == Self.zip64LocatorSignature {
      let recordOffset = try reader.integer(at: end - 12, as: UInt64.self)
      var record = try ReaderCursor(reader, in: Range(offset: recordOffset, count: 56))
      guard try record.readInteger(as: UInt32.self) == Self.zip64EndRecordSignature else {
        throw ZipFormatError("no ZIP64 end record at offset \(recordOffset)")
      }
      try record.seek(to: 32)
      entryCount = try record.readInteger()
      directorySize = try record.readInteger()
      directoryOffset = try record.readInteger()
    }

    let directory = try Range(offset: directoryOffset, count: directorySize)
    guard directory.upperBound <= end else {
      throw ZipFormatError("central directory \(directory) runs past the end record at \(end)")
    }
    var headers = try ReaderCursor(reader, in: directory)
    while !headers.isAtEnd {
      entries.append(try ZipEntry(&headers))
    }
    guard entries.count == entryCount else {
      throw ZipFormatError(
        "\(entries.count) entries in the central directory, \(entryCount) in the end record")
    }
  }

  /// The offset of the end of central directory record: the last signature whose record's
  /// comment ends exactly at the end of the file.
  static func findEndRecord(_ reader: MMapReader) throws -> Int {
    // The record is 22 bytes and a comment of at most 65,535.
    let searched = max(0, reader.count - 22 - 65_535)..<reader.count
    var candidates = searched
    while let offset = try reader.lastOffset(of: endRecordSignature, in: candidates) {
      if offset + 22 <= reader.count {
        let commentLength = try reader.integer(at: offset + 20, as: UInt16.self)
        if offset + 22 + Int(commentLength) == reader.count { return offset }
      }
      // The signature inside a comment: look before it. Can't underflow: offset >= lower.
      candidates = searched.lowerBound..<(offset + endRecordSignature.count - 1)
    }
    throw ZipFormatError("no end of central directory record")
  }
}

/// One entry of the central directory.
struct ZipEntry {
  var name: String
  var method: UInt16
  var crc32: UInt32
  var compressedSize: UInt64
  var uncompressedSize: UInt64
  var localHeaderOffset: UInt64

  /// Reads the central directory header at `cursor`'s position and moves past it.
  init(_ cursor: inout ReaderCursor<MMapReader>) throws {
    let start = cursor.position
    guard try cursor.readInteger(as: UInt32.self) == ZipArchive.centralHeaderSignature else {
      throw ZipFormatError("no central directory header at directory offset \(start)")
    }
    try cursor.seek(to: 6, from: .current)  // versions and flags
    method = try cursor.readInteger()
    try cursor.seek(to: 4, from: .current)  // time and date
    crc32 = try cursor.readInteger()
    compressedSize = UInt64(try cursor.readInteger(as: UInt32.self))
    uncompressedSize = UInt64(try cursor.readInteger(as: UInt32.self))
    let nameLength = Int(try cursor.readInteger(as: UInt16.self))
    let extraLength = Int(try cursor.readInteger(as: UInt16.self))
    let commentLength = Int(try cursor.readInteger(as: UInt16.self))
    try cursor.seek(to: 8, from: .current)  // disk, attributes
    localHeaderOffset = UInt64(try cursor.readInteger(as: UInt32.self))
    name = try cursor.readString(count: nameLength, invalidUTF8: .repair)
    let extraStart = cursor.bounds.lowerBound + cursor.position
    try readZip64Fields(try Range(offset: extraStart, count: extraLength), of: cursor.reader)
    try cursor.seek(to: extraLength + commentLength, from: .current)
    guard cursor.position <= cursor.count else {
      throw ZipFormatError("central directory header at directory offset \(start) is cut short")
    }
  }

  /// Replaces the 32-bit fields that hold 0xFFFFFFFF with the 64-bit values of the ZIP64
  /// extra field (ID 0x0001), which lists only those, in this order.
  mutating func readZip64Fields(_ extra: Range<Int>, of reader: MMapReader) throws {
    var fields = try ReaderCursor(reader, in: extra)
    while fields.remainingCount >= 4 {
      let id = try fields.readInteger(as: UInt16.self)
      let size = Int(try fields.readInteger(as: UInt16.self))
      guard id == 0x0001 else {
        try fields.seek(to: size, from: .current)
        continue
      }
      var values = try ReaderCursor(
        reader, in: Range(offset: extra.lowerBound + fields.position, count: size))
      if uncompressedSize == 0xFFFF_FFFF { uncompressedSize = try values.readInteger() }
      if compressedSize == 0xFFFF_FFFF { compressedSize = try values.readInteger() }
      if localHeaderOffset == 0xFFFF_FFFF { localHeaderOffset = try values.readInteger() }
      return
    }
  }

  /// The method as `unzip -Z` names it, or its number.
  var methodName: String {
    switch method {
    case 0: "stored"
    case 8: "deflated"
    case 12: "bzip2"
    case 14: "lzma"
    case 93: "zstd"
    default: "method-\(method)"
    }
  }
}

/// An archive whose structure is wrong, described.
struct ZipFormatError: Error {
  var reason: String
  init(_ reason: String) { self.reason = reason }
}
