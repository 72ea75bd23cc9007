import Foundation
import Testing

@testable import MMap

/// LEB128 varints against a small encoder in Python run at test time, then the edges the
/// decoder must refuse: values past 64 bits and varints the file cuts short.
@Suite struct LEB128Tests {
  /// Writes the varints of many values to `argv[1]`, unsigned then signed, and prints
  /// `u|s OFFSET VALUE` for each.
  static let writer = """
    import random, sys
    def uleb(v):
        out = bytearray()
        while True:
            byte = v & 0x7F
            v >>= 7
            if v:
                out.append(byte | 0x80)
            else:
                out.append(byte)
                return bytes(out)
    def sleb(v):
        out = bytearray()
        while True:
            byte = v & 0x7F
            v >>= 7     # arithmetic shift: Python's integers keep their sign
            if (v == 0 and not byte & 0x40) or (v == -1 and byte & 0x40):
                out.append(byte)
                return bytes(out)
            out.append(byte | 0x80)
    rng = random.Random(19)
    unsigned = [0, 1, 63, 64, 127, 128, 255, 16383, 16384, 2**32 - 1, 2**63 - 1, 2**63, 2**64 - 1]
    unsigned += [rng.getrandbits(rng.randint(1, 64)) for _ in range(300)]
    signed = [0, 1, -1, 63, 64, -64, -65, 127, -128, 2**31, -2**31, 2**63 - 1, -2**63]
    signed += [rng.getrandbits(rng.randint(1, 63)) * rng.choice((1, -1)) for _ in range(300)]
    out = bytearray()
    lines = []
    for v in unsigned:
        lines.append("u %d %d" % (len(out), v)); out += uleb(v)
    for v in signed:
        lines.append("s %d %d" % (len(out), v)); out += sleb(v)
    open(sys.argv[1], "wb").write(out)
    print("\\n".join(lines))
    """

  @Test(
    .enabled(if: python3Path != nil, "python3 is missing: no independent LEB128 encoder"),
    arguments: ReaderKind.allCases)
  func varintsMatchAnIndependentEncoder(kind: ReaderKind) throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/varints.bin"
      let lines = try runPython(Self.writer, arguments: [path], in: directory).split(
        separator: "\n")
      #expect(lines.count == 626)
      let reader = try kind.open(path)
      defer { try? reader.close() }
      try Self.check(reader, lines: lines)
    }
  }

  /// Reads every varint the writer listed, at its offset and with a cursor.
  static func check(_ reader: some RandomAccessReader, lines: [Substring]) throws {
    var cursor = ReaderCursor(reader)
    for (index, line) in lines.enumerated() {
      let fields = line.split(separator: " ")
      let offset = Int(fields[1])!
      let next =
        index + 1 < lines.count ? Int(lines[index + 1].split(separator: " ")[1])! : reader.count
      #expect(cursor.position == offset)
      if fields[0] == "u" {
        let value = UInt64(fields[2])!
        #expect(try reader.unsignedLEB128(at: offset) == (value, next - offset), "\(line)")
        #expect(try cursor.readUnsignedLEB128() == value)
      } else {
        let value = Int64(fields[2])!
        #expect(try reader.signedLEB128(at: offset) == (value, next - offset), "\(line)")
        #expect(try cursor.readSignedLEB128() == value)
      }
    }
    #expect(cursor.isAtEnd)
  }

  /// The errno of decoding `bytes` from offset 0, unsigned or signed, or `nil` if it decoded.
  func errno(decoding bytes: [UInt8], signed: Bool) throws -> CInt? {
    try withTemporaryFile(contents: bytes) { path in
      let reader = try InMemoryReader(path: path)
      do throws(MMapError) {
        if signed {
          _ = try reader.signedLEB128(at: 0)
        } else {
          _ = try reader.unsignedLEB128(at: 0)
        }
        return nil
      } catch {
        return error.errno
      }
    }
  }

  @Test func valuesPast64BitsThrowEOVERFLOW() throws {
    let nine = [UInt8](repeating: 0xFF, count: 9)
    #expect(try errno(decoding: nine + [0x01], signed: false) == nil)  // 2^64 - 1
    #expect(try errno(decoding: nine + [0x02], signed: false) == EOVERFLOW)
    #expect(try errno(decoding: nine + [0x81, 0x00], signed: false) == EOVERFLOW)  // 11 bytes
    #expect(try errno(decoding: nine + [0x7F], signed: true) == nil)  // -1, padded
    #expect(try errno(decoding: nine + [0x01], signed: true) == EOVERFLOW)
    #expect(
      try errno(
        decoding: [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], signed: true)
        == EOVERFLOW)
    // Padding that adds nothing is read as the value: 0 in two bytes.
    #expect(try errno(decoding: [0x80, 0x00], signed: false) == nil)
  }

  @Test func varintsCutShortThrowENODATA() throws {
    #expect(try errno(decoding: [0x80, 0x80], signed: false) == ENODATA)
    #expect(try errno(decoding: [0xFF], signed: true) == ENODATA)
    try withTemporaryFile(contents: [0x05, 0x96, 0x01, 0x00]) { path in
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      #expect(try reader.unsignedLEB128(at: 1) == (150, 2))
      // The cursor's bounds end the varint as the file's end would; the position stays.
      var cursor = try ReaderCursor(reader, in: 0..<2)
      #expect(try cursor.readUnsignedLEB128() == 5)
      let error = #expect(throws: MMapError.self) { try cursor.readUnsignedLEB128() }
      #expect(error?.errno == ENODATA)
      #expect(cursor.position == 1)
      #expect(throws: MMapError.self) { try reader.unsignedLEB128(at: 5) }
    }
  }
}
