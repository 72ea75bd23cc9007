import Foundation
import Testing

@testable import MMap

/// `Float16`, `Float` and `Double` reads in both byte orders, at odd offsets, against a file
/// Python's `struct` writes at test time, with the bit patterns it expects.
@Suite(.enabled(if: python3Path != nil, "python3 is missing: no independent float encoder"))
struct FloatReadTests {
  /// Writes the file at `argv[1]` and prints one line per number: its struct format, its
  /// offset and its bit pattern in decimal, read back by `struct` as an integer.
  static let writer = """
    import struct, sys, math
    values = [0.0, -0.0, 1.0, -2.5, 3.14159265358979, 1e-7, 65504.0, 6.1e-05, 1e30, -1e300,
              math.inf, -math.inf, 5e-324, 1.1754943508222875e-38]
    out = bytearray(b"\\x01")   # every number starts at an odd offset
    lines = []
    for fmt, bits, size in (("e", "H", 2), ("f", "I", 4), ("d", "Q", 8)):
        for order in "<>":
            for value in values:
                try:
                    packed = struct.pack(order + fmt, value)
                except OverflowError:
                    continue
                lines.append("%s%s %d %d" % (order, fmt, len(out),
                             struct.unpack(order + bits, packed)[0]))
                out += packed
                out += b"\\x07"      # and the next at the other parity
    open(sys.argv[1], "wb").write(out)
    print("\\n".join(lines))
    """

  /// One number the writer stored.
  struct Stored {
    var format: String
    var offset: Int
    var bitPattern: UInt64
    var byteOrder: ByteOrder { format.hasPrefix("<") ? .littleEndian : .bigEndian }
  }

  static func stored(_ output: String) -> [Stored] {
    output.split(separator: "\n").map { line in
      let fields = line.split(separator: " ")
      return Stored(
        format: String(fields[0]), offset: Int(fields[1])!, bitPattern: UInt64(fields[2])!)
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func floatsMatchPythonsStruct(kind: ReaderKind) throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/floats.bin"
      let numbers = Self.stored(try runPython(Self.writer, arguments: [path], in: directory))
      #expect(numbers.count > 70)
      let reader = try kind.open(path)
      defer { try? reader.close() }
      for number in numbers {
        let bits: UInt64
        switch number.format.dropFirst() {
        case "e":
          bits = UInt64(
            try reader.float16(at: number.offset, byteOrder: number.byteOrder).bitPattern)
        case "f":
          bits = UInt64(try reader.float(at: number.offset, byteOrder: number.byteOrder).bitPattern)
        default: bits = try reader.double(at: number.offset, byteOrder: number.byteOrder).bitPattern
        }
        #expect(bits == number.bitPattern, "\(number.format) @\(number.offset)")
      }
      try Self.checkCursor(over: reader, numbers: numbers)
      let last = reader.count - 3
      #expect(throws: MMapError.self) { try reader.double(at: last) }
    }
  }

  /// The concrete `MMapReader`, whose float reads load straight from the mapping.
  @Test func floatsOnAConcreteMMapReaderMatchPythonsStruct() throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/floats.bin"
      let numbers = Self.stored(try runPython(Self.writer, arguments: [path], in: directory))
      let reader = try MMapReader(path: path)
      defer { try? reader.close() }
      for number in numbers {
        let order = number.byteOrder
        let bits: UInt64
        switch number.format.dropFirst() {
        case "e": bits = UInt64(try reader.float16(at: number.offset, byteOrder: order).bitPattern)
        case "f": bits = UInt64(try reader.float(at: number.offset, byteOrder: order).bitPattern)
        default: bits = try reader.double(at: number.offset, byteOrder: order).bitPattern
        }
        #expect(bits == number.bitPattern, "\(number.format) @\(number.offset)")
      }
      let error = #expect(throws: MMapError.self) { try reader.float(at: reader.count - 3) }
      #expect(error?.errno == ENODATA)
    }
  }

  /// The cursor reads the same numbers in order, each followed by the writer's marker byte.
  static func checkCursor(over reader: some RandomAccessReader, numbers: [Stored]) throws {
    var cursor = ReaderCursor(reader)
    #expect(try cursor.readByte() == 1)
    for number in numbers {
      #expect(cursor.position == number.offset)
      let bits: UInt64
      switch number.format.dropFirst() {
      case "e": bits = UInt64(try cursor.readFloat16(byteOrder: number.byteOrder).bitPattern)
      case "f": bits = UInt64(try cursor.readFloat(byteOrder: number.byteOrder).bitPattern)
      default: bits = try cursor.readDouble(byteOrder: number.byteOrder).bitPattern
      }
      #expect(bits == number.bitPattern, "cursor \(number.format) @\(number.offset)")
      #expect(try cursor.readByte() == 7)
    }
    #expect(cursor.isAtEnd)
    #expect(throws: MMapError.self) { try cursor.readFloat() }
  }
}
