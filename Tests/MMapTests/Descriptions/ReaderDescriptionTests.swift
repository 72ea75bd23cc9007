import Testing

@testable import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Printing a reader shows its type, file, size and state.
@Suite struct ReaderDescriptionTests {
  @Test func eachReaderPrintsItsFileSizeAndState() throws {
    let bytes = generatedBytes(count: 3 * pageSize + 5, seed: 3)
    try withTemporaryFile(contents: bytes) { path in
      let count = bytes.count
      let mapped = try MMapReader(path: path)
      #expect("\(mapped)" == "MMapReader(\"\(path)\", \(count) bytes, open)")
      try mapped.close()
      #expect("\(mapped)" == "MMapReader(\"\(path)\", \(count) bytes, closed)")

      let windowed = try MMapWindowReader(path: path, windowSize: pageSize, maxWindows: 2)
      defer { try? windowed.close() }
      #expect(
        "\(windowed)"
          == "MMapWindowReader(\"\(path)\", \(count) bytes, 2 windows of \(pageSize) bytes, open)")

      let fd = open(path, O_RDONLY)
      defer { close(fd) }
      let pread = try PReadReader(fileDescriptor: fd, offset: 5)
      defer { try? pread.close() }
      #expect("\(pread)" == "PReadReader(a descriptor, \(count - 5) bytes, open)")

      let memory = try InMemoryReader(path: path)
      #expect("\(memory)" == "InMemoryReader(\"\(path)\", \(count) bytes, open)")

      let file = try FileReader.open(path: path, options: .init(kind: .pread))
      try file.close()
      #expect("\(file)".hasPrefix("FileReader(pread, \"\(path)\", \(count) bytes: "))
      #expect("\(file)".hasSuffix(", closed)"))
    }
  }

  @Test func aReloadingReaderPrintsItsVersionAndCurrentReader() throws {
    try withTemporaryFile(contents: [1, 2, 3]) { path in
      let reloading = try ReloadingReader(path: path)
      defer { try? reloading.close() }
      #expect(
        "\(reloading)"
          == "ReloadingReader(\"\(path)\", version 1: MMapReader(\"\(path)\", 3 bytes, open))")
    }
  }
}
