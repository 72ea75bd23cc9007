// zip-list: lists a ZIP archive's entries from its central directory, as `unzip -Z` does,
// with each entry's local header offset, compressed and uncompressed sizes, method and CRC.
//
//     zip-list ARCHIVE
//
// The end record is found backwards from the end of the file by its signature; every offset
// and size the archive gives goes through Range(offset:count:), so a corrupt archive ends in
// an error message and exit status 1, never a trap.

import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes `text` to standard error and exits with status 1.
func fail(_ text: String) -> Never {
  var text = "zip-list: " + text + "\n"
  text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
  exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else { fail("usage: zip-list ARCHIVE") }
let path = arguments[1]
do {
  let reader = try MMapReader(path: path)
  let archive = try ZipArchive(reader)
  let comment = archive.comment.isEmpty ? "" : ", comment \"\(archive.comment)\""
  print("Archive: \(path), \(reader.count) bytes, \(archive.entries.count) entries\(comment)")
  print(
    ["offset", "compressed", "size", "method", "crc32"].map { $0.leftPadded(to: 11) }
      .joined() + "  name")
  for entry in archive.entries {
    let columns = [
      String(entry.localHeaderOffset), String(entry.compressedSize),
      String(entry.uncompressedSize), entry.methodName,
      String(entry.crc32, radix: 16).leftPadded(to: 8, with: "0"),
    ]
    print(columns.map { $0.leftPadded(to: 11) }.joined() + "  " + entry.name)
  }
  // Wrapping: a hostile archive may claim sizes whose sum overflows.
  let size = archive.entries.reduce(0) { $0 &+ $1.uncompressedSize }
  let compressed = archive.entries.reduce(0) { $0 &+ $1.compressedSize }
  print("\(archive.entries.count) entries, \(size) bytes, \(compressed) bytes compressed")
} catch let error as ZipFormatError {
  fail("\(path): not a valid ZIP archive: \(error.reason)")
} catch let error as MMapError where error.operation == .open {
  fail("\(error)")
} catch {
  // An offset or a size that points outside the file, as MMapError with EINVAL or ENODATA.
  fail("\(path): not a valid ZIP archive: \(error)")
}

extension String {
  /// The string with `pad` added in front up to `width` characters.
  func leftPadded(to width: Int, with pad: Character = " ") -> String {
    String(repeating: pad, count: max(0, width - count)) + self
  }
}
