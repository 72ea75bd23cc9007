import Foundation
import MMap
import MMapFoundation
import Testing

/// Errors and URLs across the bridge.
@Suite struct BridgingTests {
  @Test func localizedDescriptionKeepsTheOperationPathAndErrno() throws {
    do {
      _ = try MMapReader(path: "/no/such/file.bin")
      Issue.record("opening a missing file must throw")
    } catch {
      let expected = "open(\"/no/such/file.bin\") failed: No such file or directory (errno 2)"
      #expect(error.localizedDescription == expected)
      let bridged = error as NSError
      #expect(bridged.domain == NSPOSIXErrorDomain && bridged.code == Int(ENOENT))
      #expect(bridged.userInfo[NSFilePathErrorKey] as? String == "/no/such/file.bin")
      #expect(bridged.localizedDescription == expected)
      let posix = try #require(error.posixError)
      #expect(posix.code == .ENOENT)
      #expect(error.failureReason == "No such file or directory")
    }
  }

  @Test func readersOpenFromFileURLs() throws {
    let contents = generatedBytes(count: 5000, seed: 9)
    try withTemporaryFile(contents: contents, named: "a file%20with spaces.bin") { path in
      let url = URL(fileURLWithPath: path)
      let readers: [any RandomAccessReader] = [
        try MMapReader(url: url), try MMapWindowReader(url: url), try PReadReader(url: url),
        try InMemoryReader(url: url), try FileReader.open(url: url),
      ]
      for reader in readers {
        #expect(reader.path == path)
        #expect(try reader.bytes(in: 0..<reader.count) == contents)
      }
      let range = try MMapReader(url: url, offset: 10, count: 20)
      #expect(try range.bytes(in: 0..<20) == Array(contents[10..<30]))
    }
  }

  @Test func aURLThatIsNotAFileURLThrowsEINVAL() {
    let url = URL(string: "https://example.com/data.json")!
    let invalid = MMapError(.open, path: "https://example.com/data.json", errno: EINVAL)
    #expect(throws: invalid) { try MMapReader(url: url) }
    #expect(throws: invalid) { try FileReader.open(url: url) }
    #expect(throws: invalid) { try InMemoryReader(url: url) }
  }
}
