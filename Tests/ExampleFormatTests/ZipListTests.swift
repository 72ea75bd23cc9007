import Foundation
import Testing

/// `zip-list` against Python's `zipfile` and `unzip -Z1` on archives Python writes: stored
/// and deflated entries with a comment, a ZIP64 archive, and corrupted copies, which must
/// end in an error message and exit status 1, never a signal.
@Suite(.enabled(if: python3Path != nil, "python3 is missing: no archives to compare with"))
struct ZipListTests {
  /// Writes archives to `argv[1]` (plain) and `argv[2]` (ZIP64), then prints each one's
  /// entries as zipfile reads them back: JSON lists of name, offset, sizes, CRC, method.
  static let writer = """
    import json, sys, zipfile, importlib
    def write_plain(path):
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("readme.txt", "hello, zip\\n" * 40)
            z.writestr(zipfile.ZipInfo("data/table.bin"), bytes(range(256)) * 64,
                       compress_type=zipfile.ZIP_DEFLATED)
            z.writestr("empty", b"")
            z.writestr("dir/with space.txt", "PK\\x05\\x06 inside a file", zipfile.ZIP_DEFLATED)
            z.comment = b"an archive comment"
    def write_zip64(path):
        # Lowered limits make zipfile write ZIP64 extra fields and the ZIP64 end record for
        # small entries; then the end record's fields are set to "see ZIP64" as large
        # archives have them.
        zipfile.ZIP64_LIMIT = 64
        zipfile.ZIP_FILECOUNT_LIMIT = 1
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("big.txt", "x" * 500)
            z.writestr("second.bin", bytes(300), compress_type=zipfile.ZIP_DEFLATED)
            z.writestr("third", b"abc" * 50)
        importlib.reload(zipfile)
        data = bytearray(open(path, "rb").read())
        end = len(data) - 22
        data[end + 8:end + 20] = b"\\xff" * 12
        open(path, "wb").write(bytes(data))
    def entries(path):
        with zipfile.ZipFile(path) as z:
            return {"comment": z.comment.decode(), "entries": [
                [i.filename, i.header_offset, i.compress_size, i.file_size, i.CRC,
                 i.compress_type] for i in z.infolist()]}
    write_plain(sys.argv[1])
    write_zip64(sys.argv[2])
    print(json.dumps([entries(sys.argv[1]), entries(sys.argv[2])]))
    """

  /// One entry as zip-list prints it, or as zipfile reads it.
  struct Entry: Equatable, CustomStringConvertible {
    var name: String
    var offset: UInt64
    var compressed: UInt64
    var size: UInt64
    var crc32: UInt32
    var method: String
    var description: String { "\(name) @\(offset) \(compressed)/\(size) \(method) \(crc32)" }
  }

  /// The entries of zip-list's output: the rows between the column titles and the totals.
  static func parse(_ output: String) -> [Entry] {
    output.split(separator: "\n").dropFirst(2).dropLast().map { line in
      let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
      let name = line.components(separatedBy: "  ").last!
      return Entry(
        name: name, offset: UInt64(fields[0])!, compressed: UInt64(fields[1])!,
        size: UInt64(fields[2])!, crc32: UInt32(fields[4], radix: 16)!, method: String(fields[3]))
    }
  }

  /// zipfile's entries and comment, from the writer's JSON.
  static func expected(_ archive: Any) -> (comment: String, entries: [Entry]) {
    let archive = archive as! [String: Any]
    let entries = (archive["entries"] as! [[Any]]).map { fields in
      Entry(
        name: fields[0] as! String, offset: UInt64(fields[1] as! Int),
        compressed: UInt64(fields[2] as! Int), size: UInt64(fields[3] as! Int),
        crc32: UInt32(fields[4] as! Int), method: (fields[5] as! Int) == 8 ? "deflated" : "stored")
    }
    return (archive["comment"] as! String, entries)
  }

  /// Writes the two archives into `directory` and returns their paths with zipfile's view.
  static func writeArchives(in directory: String) throws -> [(
    path: String, comment: String, entries: [Entry]
  )] {
    let paths = [directory + "/plain.zip", directory + "/zip64.zip"]
    let json = try runPython(Self.writer, paths, in: directory)
    let archives = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [Any]
    return zip(paths, archives).map { path, archive in
      let (comment, entries) = Self.expected(archive)
      return (path, comment, entries)
    }
  }

  @Test func listsWhatZipfileReads() throws {
    let zipList = try examplePath("zip-list")
    try withTemporaryDirectory { directory in
      let archives = try Self.writeArchives(in: directory)
      #expect(archives.count == 2)
      for (path, comment, entries) in archives {
        let listed = try run(zipList, [path], in: directory)
        #expect(listed.status == 0, "\(listed.errors)")
        #expect(Self.parse(listed.output) == entries, "\(path)")
        let title = listed.output.split(separator: "\n").first.map(String.init) ?? ""
        let described = comment.isEmpty ? "" : ", comment \"\(comment)\""
        #expect(title.hasSuffix("\(entries.count) entries" + described), "\(title)")
      }
    }
  }

  @Test(.enabled(if: unzipPath != nil, "unzip is missing (.ci/run installs it)"))
  func namesMatchUnzip() throws {
    let zipList = try examplePath("zip-list")
    try withTemporaryDirectory { directory in
      for (path, _, _) in try Self.writeArchives(in: directory) {
        let names = try run(unzipPath!, ["-Z1", path], in: directory)
        #expect(names.status == 0, "\(names.errors)")
        let listed = Self.parse(try run(zipList, [path], in: directory).output)
        #expect(listed.map(\.name) == names.output.split(separator: "\n").map(String.init))
        #expect(listed.count >= 3)
      }
    }
  }

  /// Corruptions of the plain archive, each by a patch at an offset from the end (the end
  /// record is its last 22 bytes and the comment), or a truncation.
  @Test func corruptedArchivesEndInAnErrorNotATrap() throws {
    let zipList = try examplePath("zip-list")
    try withTemporaryDirectory { directory in
      let plain = directory + "/plain.zip"
      _ = try Self.writeArchives(in: directory)
      let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: plain)))
      let comment = Array("an archive comment".utf8)
      let end = original.count - 22 - comment.count
      var corruptions: [(String, [UInt8])] = []
      func patched(_ offset: Int, _ bytes: [UInt8]) -> [UInt8] {
        var copy = original
        copy.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        return copy
      }
      corruptions.append(("truncated", Array(original[..<(original.count / 2)])))
      corruptions.append(("directory past the end", patched(end + 16, [0xF0, 0xFF, 0xFF, 0xFF])))
      corruptions.append(("directory size huge", patched(end + 12, [0xFF, 0xFF, 0xFF, 0x7F])))
      corruptions.append(("entry count wrong", patched(end + 10, [0x09, 0x00])))
      let directoryStart = Int(original[end + 16]) | Int(original[end + 17]) << 8
      corruptions.append(("name runs past", patched(directoryStart + 28, [0xFF, 0xFF])))
      corruptions.append(("bad header signature", patched(directoryStart, [0x00])))
      corruptions.append(
        (
          "zip64 locator to nowhere",
          patched(
            end - 20,
            [0x50, 0x4B, 0x06, 0x07, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        ))
      for (name, bytes) in corruptions {
        let path = directory + "/corrupt.zip"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let listed = try run(zipList, [path], in: directory)
        #expect(listed.exited, "\(name): killed by a signal")
        #expect(listed.status == 1, "\(name): status \(listed.status)")
        #expect(listed.errors.hasPrefix("zip-list: \(path)"), "\(name): \(listed.errors)")
        #expect(listed.errors.split(separator: "\n").count == 1, "\(name): \(listed.errors)")
      }
    }
  }
}
