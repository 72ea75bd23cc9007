#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes `text` to standard error and exits with `status`.
func fail(_ text: String, status: Int32) -> Never {
  log(text)
  exit(status)
}

/// Writes `text` to standard error in one `write`, so that lines from threads don't mix.
func log(_ text: String) {
  var text = text
  text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}

/// Runs `body` on a new detached thread.
func startThread(_ body: @escaping @Sendable () -> Void) {
  final class Box: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }
  let box = Unmanaged.passRetained(Box(body)).toOpaque()
  var thread = pthread_t()
  let started = pthread_create(
    &thread, nil,
    { context in
      let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
      box.body()
      return nil
    }, box)
  if started == 0 {
    pthread_detach(thread)
  } else {
    Unmanaged<Box>.fromOpaque(box).takeRetainedValue().body()  // No thread: run it here.
  }
}

/// Writes all of `text` to `fd`; returns whether every byte went.
func writeAll(_ fd: CInt, _ text: String) -> Bool {
  var text = text
  return text.withUTF8 { bytes in
    var done = 0
    while done < bytes.count {
      let written = write(fd, bytes.baseAddress! + done, bytes.count - done)
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else { return false }
      done += written
    }
    return true
  }
}

/// A listening TCP socket.
struct Listener {
  let fd: CInt
  let port: UInt16

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  init(host: String, port: UInt16) throws(Failure) {
    #if canImport(Glibc)
      let stream = CInt(SOCK_STREAM.rawValue)
    #else
      let stream = SOCK_STREAM
    #endif
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
      throw Failure(description: "bad IPv4 address \(host)")
    }
    let fd = socket(AF_INET, stream, 0)
    guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
    var one: CInt = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<CInt>.size))
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let listening = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
        bind(fd, socketAddress, length) == 0 && listen(fd, 128) == 0
          && getsockname(fd, socketAddress, &length) == 0
      }
    }
    guard listening else {
      let text = String(cString: strerror(errno))
      close(fd)
      throw Failure(description: "cannot listen on \(host):\(port): \(text)")
    }
    self.fd = fd
    self.port = UInt16(bigEndian: address.sin_port)
  }

  /// The next connection (close-on-exec), or `nil` if accepting one failed.
  func nextClient() -> CInt? {
    let client = accept(fd, nil, nil)
    guard client >= 0 else { return nil }
    _ = fcntl(client, F_SETFD, FD_CLOEXEC)
    return client
  }
}
