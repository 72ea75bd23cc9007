import Foundation
import Synchronization
import Testing

/// A flag threads set and read.
private final class Flag: Sendable {
  private let value = Mutex(false)
  var isSet: Bool { value.withLock { $0 } }
  func set() { value.withLock { $0 = true } }
}

/// The `file-server` example, started on an ephemeral port and driven by `curl` and by raw
/// sockets: downloads checked with `cmp`, ranges, methods, traversal attempts, many clients,
/// clients that leave, files truncated mid-response, and the descriptors and mappings left.
@Suite(
  .serialized,
  .enabled(if: curlPath != nil, "curl is not installed: the file-server tests need it"),
  .enabled(if: fileServerPath != nil, "file-server is not built next to the tests"))
final class FileServerTests {
  let directory: String
  let root: String
  /// A file outside the root, which no response may contain.
  let secret = "swift-mmap-file-server-secret-\(UUID().uuidString)"
  let sizes = [0, 1, 4096, 1 << 20, 64 << 20]

  init() throws {
    directory = NSTemporaryDirectory() + "file-server-tests-\(UUID().uuidString)"
    root = directory + "/root"
    let files = FileManager.default
    try files.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
    try Data(secret.utf8).write(to: URL(fileURLWithPath: directory + "/secret"))
    try files.createDirectory(atPath: directory + "/outside", withIntermediateDirectories: true)
    try Data(secret.utf8).write(to: URL(fileURLWithPath: directory + "/outside/secret"))
    try files.createSymbolicLink(atPath: root + "/out", withDestinationPath: directory + "/secret")
    try files.createSymbolicLink(
      atPath: root + "/outdir", withDestinationPath: directory + "/outside")
    try files.createSymbolicLink(atPath: root + "/in", withDestinationPath: root + "/f1")
    var random = SystemRandomNumberGenerator()
    let block = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &random) }
    for size in sizes {
      var data = Data(capacity: size)
      while data.count < size { data += block.prefix(size - data.count) }
      try data.write(to: URL(fileURLWithPath: root + "/f\(size)"))
    }
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }

  func contents(_ name: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: root + "/" + name))
  }

  @Test func downloadsAreByteExactAndHeadSendsOnlyTheHead() throws {
    let server = try ServerProcess(root: root)
    defer { _ = server.stop() }
    for size in sizes {
      let out = directory + "/download"
      #expect(try curlStatus(["\(server.base)/f\(size)"], body: out) == 200)
      #expect(try run("/usr/bin/cmp", [out, root + "/f\(size)"]).status == 0, "\(size) bytes")
      let head = try run(curlPath!, ["-s", "-I", "\(server.base)/f\(size)"])
      let text = String(decoding: head.output, as: UTF8.self)
      #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
      #expect(text.contains("Content-Length: \(size)\r\n"))
      #expect(text.hasSuffix("\r\n\r\n"), "no body after the head")
    }
    #expect(try curlStatus(["\(server.base)/in"]) == 200, "a link inside the root is served")
  }

  @Test func rangesAnswer206WithTheirBytesAnd416WhenUnsatisfiable() throws {
    let server = try ServerProcess(root: root)
    defer { _ = server.stop() }
    let file = try contents("f1048576")
    let count = file.count
    let cases: [(String, Int, Range<Int>)] = [
      ("0-99", 206, 0..<100),
      ("0-0", 206, 0..<1),
      ("500000-504095", 206, 500_000..<504_096),
      ("\(count - 100)-", 206, count - 100..<count),
      ("\(count - 1)-\(count + 500)", 206, count - 1..<count),
      ("-100", 206, count - 100..<count),
      ("-\(count + 5)", 206, 0..<count),
      ("\(count)-", 416, 0..<0),
      ("\(count + 10)-\(count + 20)", 416, 0..<0),
      ("-0", 416, 0..<0),
      ("9-3", 200, 0..<count),  // Invalid: ignored, the whole file.
    ]
    let out = directory + "/range"
    for (spec, status, range) in cases {
      #expect(
        try curlStatus(["-H", "Range: bytes=\(spec)", "\(server.base)/f1048576"], body: out)
          == status, "\(spec)")
      if status != 416 {
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == file[range], "\(spec)")
      }
    }
    #expect(try curlStatus(["-H", "Range: bytes=0-", "\(server.base)/f0"]) == 416)
  }

  @Test func everyTraversalAttemptIsRefusedWithoutReadingOutside() throws {
    let server = try ServerProcess(root: root)
    defer { _ = server.stop() }
    let attempts = [
      "/../secret", "/%2e%2e/secret", "/%2E%2E%2Fsecret", "/sub/../../secret",
      "/sub/%2e%2e/%2e%2e/secret", "/sub/..%2f..%2fsecret", "/out", "/outdir/secret",
      "/f1%00.txt", "/f1%00", "/%00", "//etc/passwd", "/etc/passwd", "/\(directory)/secret",
      "/sub", "/", "/missing",
    ]
    let out = directory + "/attempt"
    for attempt in attempts {
      let status = try curlStatus(["--path-as-is", server.base + attempt], body: out)
      #expect(status == 403 || status == 404, "\(attempt): \(status)")
      let body = String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self)
      #expect(!body.contains(secret), "\(attempt)")
    }
    // The same, sent raw, where no client can normalize the path first.
    for target in ["/../secret", "/sub/../../secret", "../secret"] {
      let fd = try connectRaw(port: server.port)
      defer { close(fd) }
      sendRaw(fd, "GET \(target) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
      let reply = String(decoding: receiveRaw(fd), as: UTF8.self)
      #expect(reply.hasPrefix("HTTP/1.1 403") || reply.hasPrefix("HTTP/1.1 400"), "\(target)")
      #expect(!reply.contains(secret))
    }
  }

  /// A directory of the root flips with a link to a directory outside while requests for a
  /// file in it arrive: a server that resolved the path and then opened it could send the
  /// secret when the flip lands between the two; the check on the opened descriptor never does.
  @Test func aDirectorySwappedForALinkDuringRequestsNeverLeadsOut() throws {
    let server = try ServerProcess(root: root)
    defer { _ = server.stop() }
    let (flip, asDirectory, asLink) = (root + "/flip", root + "/flip.dir", root + "/flip.link")
    try FileManager.default.createDirectory(atPath: flip, withIntermediateDirectories: false)
    try Data("harmless".utf8).write(to: URL(fileURLWithPath: flip + "/secret"))
    symlink(directory + "/outside", asLink)
    let stop = Flag()
    let stopped = Flag()
    // Each step moves one name: `flip` is the directory, then missing, then the link, then
    // missing, then the directory again.
    let flipper = Thread {
      while !stop.isSet {
        rename(flip, asDirectory)
        rename(asLink, flip)
        rename(flip, asLink)
        rename(asDirectory, flip)
      }
      stopped.set()
    }
    flipper.start()
    defer {
      stop.set()
      while !stopped.isSet { usleep(1000) }
    }
    var served = 0
    var refused = 0
    for _ in 0..<1000 {
      let fd = try connectRaw(port: server.port)
      defer { close(fd) }
      sendRaw(fd, "GET /flip/secret HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
      let reply = String(decoding: receiveRaw(fd), as: UTF8.self)
      #expect(!reply.contains(secret))
      if reply.hasPrefix("HTTP/1.1 200") { served += 1 }
      if reply.hasPrefix("HTTP/1.1 403") { refused += 1 }
    }
    #expect(served > 0 && refused > 0, "both directions seen: \(served) served, \(refused) refused")
  }

  @Test func methodsMalformedRequestsLongHeadsAndKeepAlive() throws {
    let server = try ServerProcess(root: root)
    defer { _ = server.stop() }
    #expect(try curlStatus(["-X", "POST", "\(server.base)/f1"]) == 405)
    #expect(try curlStatus(["-X", "DELETE", "\(server.base)/f1"]) == 405)
    for request in [
      "GARBAGE\r\n\r\n", "GET /f1 HTTP/9.9\r\n\r\n", "GET /f1 HTTP/1.1\r\nno colon\r\n\r\n",
    ] {
      let fd = try connectRaw(port: server.port)
      defer { close(fd) }
      sendRaw(fd, request)
      #expect(String(decoding: receiveRaw(fd), as: UTF8.self).hasPrefix("HTTP/1.1 400"))
    }
    let long = try connectRaw(port: server.port)
    defer { close(long) }
    sendRaw(
      long,
      "GET /f1 HTTP/1.1\r\nHost: x\r\nX-Long: \(String(repeating: "a", count: 20_000))\r\n\r\n")
    #expect(String(decoding: receiveRaw(long), as: UTF8.self).hasPrefix("HTTP/1.1 431"))
    // Two requests in one write on one connection: two answers, in order.
    let alive = try connectRaw(port: server.port)
    defer { close(alive) }
    sendRaw(
      alive,
      "GET /f1 HTTP/1.1\r\nHost: x\r\n\r\nGET /f4096 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    let replies = receiveRaw(alive)
    let text = String(decoding: replies, as: UTF8.self)
    #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
    #expect(replies.suffix(4096) == Array(try contents("f4096")))
    // A client that sends half a head and then nothing is dropped after the timeout.
    let silent = try connectRaw(port: server.port)
    defer { close(silent) }
    sendRaw(silent, "GET /f1 HTTP/1.1\r\n")
    #expect(String(decoding: receiveRaw(silent), as: UTF8.self).hasPrefix("HTTP/1.1 408"))
  }

  @Test func fiftyConcurrentDownloadsAreAllByteExact() throws {
    let server = try ServerProcess(root: root)
    defer { _ = server.stop() }
    let name = "f\(64 << 20)"
    let expected = try contents(name)
    // Fifty curl processes at once, each read by a thread of its own that compares as the
    // bytes arrive (no shell: a child of the test process inherits its blocked signals).
    let downloads = try (0..<50).map { _ in
      try StreamingDownload(curlPath!, ["-s", "\(server.base)/\(name)"], expected: expected)
    }
    let matched = downloads.map { $0.matches() }
    #expect(matched.allSatisfy { $0 }, "\(matched.filter { !$0 }.count) of 50 differ")
  }

  @Test func clientsLeavingAndFilesTruncatedMidResponseLeaveNothingOpen() throws {
    let server = try ServerProcess(root: root)
    let descriptorsBefore = server.descriptorCount
    #expect(server.mappingCount(under: root) == 0)
    // A client that reads 64 KiB of 64 MiB and closes.
    for _ in 0..<3 {
      let fd = try connectRaw(port: server.port)
      sendRaw(fd, "GET /f\(64 << 20) HTTP/1.1\r\nHost: x\r\n\r\n")
      #expect(receiveRaw(fd, atMost: 65536).count == 65536)
      close(fd)
    }
    // A file truncated after the first MiB went out: the response ends short and the
    // connection closes.
    let victim = root + "/victim"
    try FileManager.default.copyItem(atPath: root + "/f\(64 << 20)", toPath: victim)
    let fd = try connectRaw(port: server.port)
    sendRaw(fd, "GET /victim HTTP/1.1\r\nHost: x\r\n\r\n")
    let first = receiveRaw(fd, atMost: 1 << 20)
    #expect(truncate(victim, 2 << 20) == 0)
    let all = first + receiveRaw(fd)
    close(fd)
    #expect(all.count < 64 << 20, "the response ended early")
    // The server lives on, and in the end holds what it held before.
    #expect(try curlStatus(["\(server.base)/f4096"]) == 200)
    var settled = false
    for _ in 0..<50 where !settled {
      settled = server.descriptorCount == descriptorsBefore && server.mappingCount(under: root) == 0
      if !settled { usleep(100_000) }
    }
    #expect(server.descriptorCount == descriptorsBefore)
    #expect(server.mappingCount(under: root) == 0)
    let log = server.stop()
    #expect(log.contains("GET /victim") && log.contains("errno \(ENODATA)"), "\(log)")
  }
}
