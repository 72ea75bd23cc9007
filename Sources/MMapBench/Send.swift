import Foundation
import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `send`: the whole file through `write(in:to:)` to a loopback TCP connection whose other
/// end a second thread reads into a 1 MiB buffer until end of stream, adding the stream's
/// little-endian `UInt64` words. `passes` connections, one after the other; only the
/// transfers are timed (from just before the first byte is written to the receiver's end of
/// stream), and the checksum is one pass's. With `rangeSize`, each pass is one
/// `write(in:to:)` per range of that many bytes, in order. With another `destination`, the
/// same to a pipe or a regular file (see ``SendDestination``).
func timeSend<Reader: BenchReader>(
  _ reader: Reader, passes: Int, rangeSize: Int? = nil, to destination: SendDestination = .tcp
) throws -> BenchResult {
  let count = reader.count
  guard count % 8 == 0 else {
    throw BenchError("\(reader.path ?? "file"): send needs a length that is a multiple of 8")
  }
  var nanoseconds: UInt64 = 0
  var checksum: UInt64 = 0
  for _ in 0..<passes {
    let target = try SendTarget(destination)
    let sender = target.descriptor
    let start = monotonicNanoseconds()
    do {
      if let rangeSize {
        var offset = 0
        while offset < count {
          let end = count - offset <= rangeSize ? count : offset + rangeSize
          try reader.write(in: offset..<end, to: sender)
          offset = end
        }
      } else {
        try reader.write(to: sender)
      }
    } catch {
      _ = try? target.finish()
      throw error
    }
    let received = try target.finish()
    guard received.count == count else {
      throw BenchError("send: the receiver got \(received.count) bytes, the file has \(count)")
    }
    nanoseconds &+= received.end &- start
    checksum = received.sum
  }
  return BenchResult(
    workload: .send, ops: passes, bytes: count &* passes, nanoseconds: nanoseconds,
    checksum: checksum)
}

/// The protocol's checksum of a stream of little-endian `UInt64` words, with the bytes
/// it counted.
struct StreamSum: Equatable {
  var sum: UInt64 = 0
  var count = 0
  /// When the end of stream was read, on the monotonic clock.
  var end: UInt64 = 0
}

/// Reads a socket to its end on a thread of its own, into a 1 MiB buffer, summing its words
/// as the protocol's `send` defines; ``wait()`` returns the result and closes the socket.
final class StreamReceiver: @unchecked Sendable {
  private let finished = DispatchSemaphore(value: 0)
  // Written by the receiving thread before it signals `finished`, read after the wait.
  private var result = StreamSum()

  init(_ fd: CInt) {
    let thread = Thread { [self] in
      result = Self.receive(fd)
      close(fd)
      finished.signal()
    }
    thread.start()
  }

  func wait() -> StreamSum {
    finished.wait()
    return result
  }

  /// A read can end inside a word: its first bytes move to the front of the buffer and the
  /// next read appends to them.
  static func receive(_ fd: CInt) -> StreamSum {
    let capacity = 1 << 20
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    defer { buffer.deallocate() }
    var stream = StreamSum()
    var have = 0
    while true {
      let got = read(fd, buffer + have, capacity &- have)
      if got < 0 && errno == EINTR { continue }
      if got <= 0 { break }
      stream.count &+= got
      let filled = have &+ got
      let whole = filled & ~7
      var offset = 0
      while offset < whole {
        stream.sum &+= load64(buffer + offset)
        offset &+= 8
      }
      have = filled &- whole
      if have > 0 { buffer.copyMemory(from: buffer + whole, byteCount: have) }
    }
    stream.end = monotonicNanoseconds()
    return stream
  }
}

/// A connected pair of TCP sockets over `127.0.0.1`: the connecting end, then the accepted
/// one. The listener binds port 0, so the kernel picks a free port.
func loopbackPair() throws(BenchError) -> (CInt, CInt) {
  #if canImport(Glibc)
    let stream = CInt(SOCK_STREAM.rawValue)
  #else
    let stream = SOCK_STREAM
  #endif
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  let listener = socket(AF_INET, stream, 0)
  guard listener >= 0 else { throw BenchError("cannot create a socket: \(errorText())") }
  defer { close(listener) }
  let bound = withUnsafeMutablePointer(to: &address) { pointer in
    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socket in
      bind(listener, socket, length) == 0 && listen(listener, 1) == 0
        && getsockname(listener, socket, &length) == 0
    }
  }
  guard bound else { throw BenchError("cannot listen on 127.0.0.1: \(errorText())") }
  let sender = socket(AF_INET, stream, 0)
  guard sender >= 0 else { throw BenchError("cannot create a socket: \(errorText())") }
  let connected = withUnsafePointer(to: &address) { pointer in
    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      connect(sender, $0, length) == 0
    }
  }
  let receiving = connected ? accept(listener, nil, nil) : -1
  guard receiving >= 0 else {
    let text = errorText()
    close(sender)
    throw BenchError("cannot connect over 127.0.0.1: \(text)")
  }
  return (sender, receiving)
}
