import Foundation
import MMap
import MMapFoundation
import Testing

/// A `Data` copied into more memory than the process has left (`ulimit -v`): `ENOMEM`, not a
/// crash. In a child process (an exit test), which the limit can't outlive. Not under a
/// sanitizer, whose shadow memory needs more address space than the limit leaves.
@Suite(.disabled(if: ProcessInfo.processInfo.environment["SWIFT_MMAP_SANITIZER"] != nil))
struct OutOfMemoryTests {
  /// The readers whose `Data` is always a copy.
  enum CopyingSource: String, CaseIterable, Codable, Sendable {
    case pread, mmapDescriptor
  }

  @Test(arguments: CopyingSource.allCases)
  func copyingMoreThanTheMemoryLeftIntoDataThrowsENOMEM(source: CopyingSource) async {
    setenv("SWIFT_BACKTRACE", "enable=no", 1)  // A child that crashes must not hang in it.
    await #expect(processExitsWith: .success) { [source] in
      let path = "/tmp/swift-mmap-nomem-data-\(source.rawValue)-\(getpid())"
      let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
      precondition(fd >= 0 && ftruncate(fd, 1 << 30) == 0, "can't make \(path)")  // Sparse.
      defer { unlink(path) }
      let reader: any RandomAccessReader =
        switch source {
        case .pread: try PReadReader(path: path)
        case .mmapDescriptor: try MMapReader(fileDescriptor: fd)
        }
      close(fd)
      limitAddressSpaceToCurrentSize(plus: 128 << 20)
      let copied = Result { () throws(MMapError) in try reader.data(in: 0..<(512 << 20)) }
      let expected = MMapError(.read, path: reader.path, errno: ENOMEM)
      precondition(copied.map(\.count) == .failure(expected), "\(copied)")
      let small = try reader.data(in: 4096..<8192)
      precondition(small == Data(count: 4096), "a small copy still works")
    }
  }
}

/// Limits this process's address space to its size now plus `headroom` bytes
/// (`RLIMIT_AS`, `ulimit -v`). For a child process: the limit stays until it exits.
private func limitAddressSpaceToCurrentSize(plus headroom: Int) {
  let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
  let line = status.split(separator: "\n").first { $0.hasPrefix("VmSize:") }
  guard let line, let kiB = Int(line.split(whereSeparator: \.isWhitespace)[1]) else {
    fatalError("no VmSize")
  }
  var limit = rlimit()
  precondition(getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0)
  limit.rlim_cur = rlim_t((kiB << 10) + headroom)
  precondition(setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0)
}
