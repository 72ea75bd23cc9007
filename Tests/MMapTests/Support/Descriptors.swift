// Pipes, socket pairs and files to write to, and readers that drain them.

import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A new pipe: its reading and its writing end.
func makePipe() -> (read: CInt, write: CInt) {
  var ends: [CInt] = [0, 0]
  precondition(pipe(&ends) == 0, "pipe failed: \(errno)")
  return (ends[0], ends[1])
}

/// A new pair of connected UNIX stream sockets.
func makeSocketPair() -> (CInt, CInt) {
  var ends: [CInt] = [0, 0]
  #if canImport(Glibc)
    let stream = CInt(SOCK_STREAM.rawValue)
  #else
    let stream = SOCK_STREAM
  #endif
  precondition(socketpair(AF_UNIX, stream, 0, &ends) == 0, "socketpair failed: \(errno)")
  return (ends[0], ends[1])
}

/// Makes `fd` non-blocking.
func setNonBlocking(_ fd: CInt) {
  let flags = fcntl(fd, F_GETFL)
  precondition(fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0, "fcntl failed: \(errno)")
}

/// Everything `fd` delivers until end of file, read with a raw `read(2)` loop. On a
/// non-blocking descriptor, stops when nothing more is available instead.
func readToEnd(_ fd: CInt) -> [UInt8] {
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
    if got < 0 && errno == EINTR { continue }
    if got <= 0 { break }
    bytes += chunk[..<got]
  }
  return bytes
}

/// Reads `fd` to its end on a thread of its own, so that a writer can fill a pipe or socket
/// larger than its buffer. ``bytes()`` waits for the end.
final class BackgroundDrain: @unchecked Sendable {
  private let finished = DispatchSemaphore(value: 0)
  // Written by the draining thread before it signals `finished`, read after the wait.
  private var received: [UInt8] = []

  /// Starts draining `fd`, which the drain closes when it reaches the end.
  init(_ fd: CInt) {
    let thread = Thread { [self] in
      received = readToEnd(fd)
      close(fd)
      finished.signal()
    }
    thread.start()
  }

  /// Everything the descriptor delivered, once its writing end is closed.
  func bytes() -> [UInt8] {
    finished.wait()
    return received
  }
}

/// The whole contents of the file at `path`.
func fileContents(_ path: String) -> [UInt8] {
  let fd = open(path, O_RDONLY)
  precondition(fd >= 0, "cannot open \(path)")
  defer { close(fd) }
  return readToEnd(fd)
}

/// Opens `path` for writing, created or truncated.
func openForWriting(_ path: String) -> CInt {
  let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  precondition(fd >= 0, "cannot create \(path)")
  return fd
}
