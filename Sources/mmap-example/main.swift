// Maps a file and prints a few facts about it: mmap-example [FILE]
import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

let path = CommandLine.arguments.dropFirst().first ?? "Fixtures/hello.txt"
do {
  let reader = try MMapReader(path: path)
  defer { try? reader.close() }
  let newlines = try reader.withBytes { bytes in
    var lines = 0
    for index in bytes.byteOffsets
    where bytes.unsafeLoad(fromByteOffset: index, as: UInt8.self) == 0x0A {
      lines += 1
    }
    return lines
  }
  let head = try reader.bytes(in: 0..<min(16, reader.count))
  print("\(path): \(reader.count) bytes, \(newlines) newlines")
  print("first bytes: \(head.map { String($0, radix: 16) }.joined(separator: " "))")
  if reader.count > 0 { print("last byte: \(reader[reader.count - 1])") }
} catch {
  print("mmap-example: \(error)")
  exit(1)
}
