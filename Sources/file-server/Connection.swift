import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// One client connection: requests read and answered in turn until the client closes it,
/// asks to, stays silent past the timeout, or a response can't be completed.
struct Connection {
  let fd: CInt
  let root: ServedRoot
  let timeoutSeconds: Int

  /// The most bytes a request head may take, request line and fields together.
  static let maxHeadSize = 8192

  func serve() {
    var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
    let size = socklen_t(MemoryLayout<timeval>.size)
    // A client that sends nothing, or stops reading, frees its thread after the timeout.
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, size)
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, size)
    var pending: [UInt8] = []
    while let head = readHead(&pending) {
      guard let request = Request(head: head) else {
        respond(status: "400 Bad Request", keepAlive: false)
        return
      }
      guard answer(request) else { return }
    }
  }

  /// Reads until `pending` holds a whole request head; returns it and leaves what follows
  /// in `pending`. Returns `nil` when the connection is to end: closed, timed out, or a head
  /// over ``maxHeadSize`` (answered with 431).
  private func readHead(_ pending: inout [UInt8]) -> ArraySlice<UInt8>? {
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      if let end = headEnd(in: pending) {
        let head = pending[..<end]
        pending.removeFirst(end + 4)
        return Array(head)[...]
      }
      guard pending.count <= Self.maxHeadSize else {
        respond(status: "431 Request Header Fields Too Large", keepAlive: false)
        return nil
      }
      let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else {
        if got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !pending.isEmpty {
          respond(status: "408 Request Timeout", keepAlive: false)
        }
        return nil
      }
      pending += chunk[..<got]
    }
  }

  /// The offset of the `\r\n\r\n` that ends a head in `bytes`, or `nil`.
  private func headEnd(in bytes: [UInt8]) -> Int? {
    guard bytes.count >= 4 else { return nil }
    for index in 0...(bytes.count - 4)
    where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13
      && bytes[index + 3] == 10
    {
      return index
    }
    return nil
  }

  /// Answers `request`; returns whether the connection may carry another one.
  private func answer(_ request: Request) -> Bool {
    let keepAlive = request.keepsAlive
    // Requests with a body aren't served: the body would be read as the next request.
    if request.field("transfer-encoding") != nil || (request.field("content-length") ?? "0") != "0"
      || (request.minorVersion == 1 && request.field("host") == nil)
    {
      respond(status: "400 Bad Request", keepAlive: false)
      return false
    }
    guard request.method == "GET" || request.method == "HEAD" else {
      respond(status: "405 Method Not Allowed", extra: "Allow: GET, HEAD\r\n", keepAlive: keepAlive)
      return keepAlive
    }
    let file: CInt
    do throws(ServedRoot.Refusal) {
      file = try root.open(request.target)
    } catch {
      switch error {
      case .malformed: respond(status: "400 Bad Request", keepAlive: false)
      case .outside, .denied: respond(status: "403 Forbidden", keepAlive: keepAlive)
      case .notFound: respond(status: "404 Not Found", keepAlive: keepAlive)
      }
      return keepAlive && error != .malformed
    }
    defer { close(file) }  // The reader maps a duplicate of it.
    return send(file, for: request, keepAlive: keepAlive)
  }

  /// Sends the file open as `file`, mapped for this request only and unmapped after it.
  private func send(_ file: CInt, for request: Request, keepAlive: Bool) -> Bool {
    let reader: MMapReader
    do throws(MMapError) {
      #if os(Linux)
        // The same file, reopened through its descriptor's link: a reader with a path can ask
        // the file's size after a send fails, and so report a truncation as one.
        reader = try MMapReader(path: "/proc/self/fd/\(file)")
      #else
        reader = try MMapReader(fileDescriptor: file)
      #endif
    } catch {
      log("file-server: \(request.method) \(request.target): \(error)\n")
      let status = error.errno == EACCES ? "403 Forbidden" : "404 Not Found"
      respond(status: status, keepAlive: keepAlive)
      return keepAlive
    }
    defer { try? reader.close() }
    let count = reader.count
    let range: Range<Int>
    var status = "200 OK"
    var extra = "Accept-Ranges: bytes\r\n"
    switch RangeRequest(request.field("range"), count: count) {
    case .whole: range = 0..<count
    case .part(let part):
      range = part
      status = "206 Partial Content"
      extra += "Content-Range: bytes \(part.lowerBound)-\(part.upperBound - 1)/\(count)\r\n"
    case .unsatisfiable:
      respond(
        status: "416 Range Not Satisfiable", extra: extra + "Content-Range: bytes */\(count)\r\n",
        keepAlive: keepAlive)
      return keepAlive
    }
    let head = headText(
      status: status, contentLength: range.count,
      extra: extra + "Content-Type: application/octet-stream\r\n", keepAlive: keepAlive)
    guard writeAll(fd, head) else { return false }
    guard request.method == "GET" else { return keepAlive }
    do throws(MMapError) {
      try reader.write(in: range, to: fd)
    } catch {
      // The response can't be completed (a client gone, a file truncated under it): the
      // connection closes, so the client sees a body shorter than Content-Length.
      log("file-server: GET \(request.target): \(error)\n")
      return false
    }
    return keepAlive
  }

  /// Sends a response with no file: the status line as its text body.
  private func respond(status: String, extra: String = "", keepAlive: Bool) {
    let body = status + "\n"
    let head = headText(
      status: status, contentLength: body.utf8.count,
      extra: extra + "Content-Type: text/plain\r\n", keepAlive: keepAlive)
    _ = writeAll(fd, head + body)
  }

  private func headText(status: String, contentLength: Int, extra: String, keepAlive: Bool)
    -> String
  {
    "HTTP/1.1 \(status)\r\nContent-Length: \(contentLength)\r\n\(extra)"
      + (keepAlive ? "" : "Connection: close\r\n") + "\r\n"
  }
}
