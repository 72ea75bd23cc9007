import Foundation
import Testing

/// `tensor-list` against safetensors files a small Python writer makes, with tensors at
/// aligned and deliberately misaligned offsets: each one's dtype, shape, byte range and sum
/// as Python computes them, and whether it was viewed in place or copied.
@Suite(.enabled(if: python3Path != nil, "python3 is missing: no safetensors writer"))
struct TensorListTests {
  /// Writes a safetensors file to `argv[1]` whose data starts `argv[2]` bytes past an 8-byte
  /// boundary, and prints one line per tensor: name, dtype, shape, absolute byte range, the
  /// sum of its values in order as a double, and "view" or "copy" by its alignment.
  static let writer = """
    import json, random, struct, sys
    path, skew = sys.argv[1], int(sys.argv[2])
    rng = random.Random(19)
    def floats(n):
        return [rng.uniform(-100, 100) for _ in range(n)]
    # (name, dtype, shape, values, padding before): U8 bytes shift what follows.
    plan = [("embed.weight", "F32", [3, 4], floats(12), 0),
            ("tokens", "U8", [3], [1, 2, 3], 0),
            ("shifted.f32", "F32", [5], floats(5), 0),
            ("norm.f16", "F16", [2, 3], floats(6), 0),
            ("pad", "U8", [1], [9], 0),
            ("after.pad.f16", "F16", [8], floats(8), 0),
            ("aligned.f32", "F32", [2, 2, 2], floats(8), 1),
            ("empty", "F32", [0], [], 0)]
    data = bytearray()
    header = {"__metadata__": {"format": "pt"}}
    lines = []
    packed = []
    for name, dtype, shape, values, padding in plan:
        while padding and len(data) % 4: data.append(0)
        code = {"F32": "f", "F16": "e", "U8": "B"}[dtype]
        raw = struct.pack("<%d%s" % (len(values), code), *values)
        stored = struct.unpack("<%d%s" % (len(values), code), raw)
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(data), len(data) + len(raw)]}
        packed.append((name, dtype, shape, stored, len(data), len(raw)))
        data += raw
    text = json.dumps(header).encode()
    # Pad the header with spaces so that the data starts `skew` bytes past an 8-byte boundary.
    while (8 + len(text)) % 8 != skew: text += b" "
    start = 8 + len(text)
    for name, dtype, shape, stored, offset, size in packed:
        total = 0.0
        for value in stored: total += float(value)
        alignment = {"F32": 4, "F16": 2, "U8": 1}[dtype]
        how = "view" if (start + offset) % alignment == 0 else "copy"
        lines.append("%s %s %s %d %d %r %s" % (name, dtype, ",".join(map(str, shape)),
                     start + offset, start + offset + size, total, how))
    open(path, "wb").write(struct.pack("<Q", len(text)) + text + bytes(data))
    print("\\n".join(lines))
    """

  /// One tensor line, as tensor-list prints it or the writer expects it.
  struct Listed: Equatable, CustomStringConvertible {
    var name: String
    var dtype: String
    var shape: String
    var bytes: Range<Int>
    var sum: Double?
    var how: String?
    var description: String {
      let summed = sum.map { "\($0)" } ?? "-"
      return "\(name) \(dtype) [\(shape)] \(bytes) \(summed) \(how ?? "-")"
    }
  }

  static func expected(_ output: String) -> [Listed] {
    output.split(separator: "\n").map { line -> Listed in
      let fields = line.split(separator: " ").map(String.init)
      let summed = fields[1] == "F32" || fields[1] == "F16"
      return Listed(
        name: fields[0], dtype: fields[1], shape: fields[2],
        bytes: Int(fields[3])!..<Int(fields[4])!, sum: summed ? Double(fields[5])! : nil,
        how: summed ? fields[6] : nil)
    }
  }

  /// tensor-list's lines: `name  dtype  [shape]  lo..<hi  sum=S (how)`.
  static func parse(_ output: String) -> [Listed] {
    output.split(separator: "\n").dropFirst().map { line -> Listed in
      let fields = line.components(separatedBy: "  ")
      let bounds = fields[3].components(separatedBy: "..<").map { Int($0)! }
      var listed = Listed(
        name: fields[0], dtype: fields[1], shape: String(fields[2].dropFirst().dropLast()),
        bytes: bounds[0]..<bounds[1])
      if fields.count > 4 {
        let sum = fields[4].dropFirst(4).split(separator: " ")
        listed.sum = Double(sum[0])
        listed.how = String(sum[1].dropFirst().dropLast())
      }
      return listed
    }
  }

  @Test(arguments: [0, 1, 2])
  func listsAndSumsWhatTheWriterWrote(skew: Int) throws {
    let tensorList = try examplePath("tensor-list")
    try withTemporaryDirectory { directory in
      let path = directory + "/model.safetensors"
      let expected = Self.expected(try runPython(Self.writer, [path, String(skew)], in: directory))
      let listed = try run(tensorList, [path], in: directory)
      #expect(listed.status == 0, "\(listed.errors)")
      #expect(Self.parse(listed.output) == expected)
      // Whatever the skew, the U8 tensors leave some float tensors aligned and others not.
      #expect(Set(expected.compactMap(\.how)) == ["view", "copy"])
    }
  }

  @Test func corruptHeadersEndInAnErrorNotATrap() throws {
    let tensorList = try examplePath("tensor-list")
    try withTemporaryDirectory { directory in
      let path = directory + "/model.safetensors"
      _ = try runPython(Self.writer, [path, "0"], in: directory)
      let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
      var corruptions: [(String, [UInt8])] = []
      var huge = original
      huge.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
      corruptions.append(("header length past Int.max", huge))
      var long = original
      long.replaceSubrange(0..<8, with: [0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00])
      corruptions.append(("header length past the end", long))
      corruptions.append(("truncated data", Array(original.dropLast(10))))
      corruptions.append(("no header", Array(original.prefix(5))))
      var json = original
      json[8] = 0x5B  // "[": the header is no longer a JSON object
      corruptions.append(("broken JSON", json))
      // Offsets whose difference overflows, and a range that ends before it starts.
      for offsets in ["[-1, 9223372036854775807]", "[16, 8]", "[0, 9223372036854775807]"] {
        let header = Array(
          "{\"t\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": \(offsets)}}".utf8)
        let length = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) }
        corruptions.append(
          ("data_offsets \(offsets)", length + header + [UInt8](repeating: 0, count: 16)))
      }
      for (name, bytes) in corruptions {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let listed = try run(tensorList, [path], in: directory)
        #expect(listed.exited, "\(name): killed by a signal")
        #expect(listed.status == 1, "\(name): status \(listed.status)")
        #expect(listed.errors.hasPrefix("tensor-list: \(path)"), "\(name): \(listed.errors)")
      }
    }
  }
}
