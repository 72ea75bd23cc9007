import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where `send` writes the file: `--to` (an extension of the protocol, which defines `tcp`).
enum SendDestination: String, CaseIterable, Sendable {
  /// A loopback TCP connection, read by a second thread: the protocol's `send`.
  case tcp
  /// A pipe, read by a second thread into the same 1 MiB buffer.
  case pipe
  /// A new, unlinked regular file in the temporary directory, summed by reading it back
  /// once the transfer is timed.
  case file
}

/// One pass's destination: the descriptor the file is written to, and the end of the pass.
struct SendTarget {
  let descriptor: CInt
  private let finishing: () throws -> StreamSum

  /// Opens a destination of `kind` for one pass.
  init(_ kind: SendDestination) throws {
    switch kind {
    case .tcp:
      let (sender, receiving) = try loopbackPair()
      let receiver = StreamReceiver(receiving)
      descriptor = sender
      finishing = {
        shutdown(sender, CInt(SHUT_WR))
        defer { close(sender) }
        return receiver.wait()
      }
    case .pipe:
      var ends: [CInt] = [-1, -1]
      guard pipe(&ends) == 0 else { throw BenchError("cannot create a pipe: \(errorText())") }
      let receiver = StreamReceiver(ends[0])
      let writing = ends[1]
      descriptor = writing
      finishing = {
        close(writing)  // The reader's end of stream.
        return receiver.wait()
      }
    case .file:
      var template = Array(
        (FileManager.default.temporaryDirectory.path + "/mmap-bench-send-XXXXXX").utf8CString)
      let file = mkstemp(&template)
      guard file >= 0 else { throw BenchError("cannot create a file: \(errorText())") }
      unlink(template)
      descriptor = file
      finishing = {
        // The transfer ends when the last write returns; reading back is not timed.
        let end = monotonicNanoseconds()
        defer { close(file) }
        guard lseek(file, 0, SEEK_SET) == 0 else {
          throw BenchError("cannot read back the written file: \(errorText())")
        }
        var stream = StreamReceiver.receive(file)
        stream.end = end
        return stream
      }
    }
  }

  /// Ends the pass: the destination closed, the stream's sum and its end time.
  func finish() throws -> StreamSum { try finishing() }
}
