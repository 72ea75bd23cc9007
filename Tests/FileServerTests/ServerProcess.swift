import Foundation

/// The `file-server` built next to the test bundle, or `nil` if it isn't there.
let fileServerPath: String? = {
  let candidates = [CommandLine.arguments[0], "/proc/self/exe"].map {
    URL(fileURLWithPath: $0).resolvingSymlinksInPath().deletingLastPathComponent()
      .appendingPathComponent("file-server").path
  }
  return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// `curl`, if the machine has it.
let curlPath: String? = ["/usr/bin/curl", "/usr/local/bin/curl", "/bin/curl"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}

/// A `file-server` process serving `root` on a port the kernel chose.
final class ServerProcess {
  let process = Process()
  let port: Int
  private let errors = Pipe()

  init(root: String) throws {
    let output = Pipe()
    process.executableURL = URL(fileURLWithPath: fileServerPath!)
    process.arguments = [root, "--port", "0", "--timeout", "3"]
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // The first line names the address: "... on http://127.0.0.1:PORT/".
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let byte = output.fileHandleForReading.readData(ofLength: 1)
      guard !byte.isEmpty else { break }
      line += byte
    }
    let text = String(decoding: line, as: UTF8.self)
    guard let colon = text.lastIndex(of: ":"),
      let port = Int(text[text.index(after: colon)...].prefix { $0.isNumber })
    else { throw ServerFailure(description: "file-server printed \(text)") }
    self.port = port
  }

  var pid: Int32 { process.processIdentifier }
  var base: String { "http://127.0.0.1:\(port)" }

  /// Everything the server wrote to standard error, once it has stopped.
  func stop() -> String {
    process.terminate()
    process.waitUntilExit()
    return String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  }

  /// The server's open descriptors, from `/proc/PID/fd`.
  var descriptorCount: Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
  }

  /// The server's mappings of files under `root`, from `/proc/PID/maps`.
  func mappingCount(under root: String) -> Int {
    let maps = (try? String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8)) ?? ""
    return maps.split(separator: "\n").filter { $0.contains(root) }.count
  }
}

struct ServerFailure: Error, CustomStringConvertible {
  var description: String
}

/// Runs `executable` with `arguments`; returns its exit status and standard output.
@discardableResult
func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
  let process = Process()
  let output = Pipe()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  process.standardOutput = output
  process.standardError = FileHandle.nullDevice
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, data)
}

/// `curl -s` with `arguments`, writing the body to `body` and printing the status code.
func curlStatus(_ arguments: [String], body: String = "/dev/null") throws -> Int {
  let result = try run(curlPath!, ["-s", "-o", body, "-w", "%{http_code}"] + arguments)
  return Int(String(decoding: result.output, as: UTF8.self)) ?? -1
}

/// A TCP connection to `127.0.0.1:port`, as a raw client that misbehaves would use it.
func connectRaw(port: Int) throws -> Int32 {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_port = UInt16(port).bigEndian
  address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
  let connected = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
    }
  }
  guard connected else { throw ServerFailure(description: "connect failed: \(errno)") }
  return fd
}

/// Sends `text` on `fd`.
func sendRaw(_ fd: Int32, _ text: String) {
  var text = text
  text.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
}

/// Reads from `fd` until `count` bytes have arrived or the stream ends.
func receiveRaw(_ fd: Int32, atMost count: Int = .max) -> [UInt8] {
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 65536)
  while bytes.count < count {
    let got = chunk.withUnsafeMutableBytes {
      read(fd, $0.baseAddress, min($0.count, count - bytes.count))
    }
    if got < 0 && errno == EINTR { continue }
    guard got > 0 else { break }
    bytes += chunk[..<got]
  }
  return bytes
}

/// A process whose standard output a thread of its own compares with `expected` as it
/// arrives; ``matches()`` waits for the end.
final class StreamingDownload: @unchecked Sendable {
  private let process = Process()
  private let finished = DispatchSemaphore(value: 0)
  // Written by the reading thread before it signals `finished`, read after the wait.
  private var isEqual = false

  init(_ executable: String, _ arguments: [String], expected: Data) throws {
    let output = Pipe()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let handle = output.fileHandleForReading
    Thread { [self] in
      var offset = 0
      var equal = true
      while true {
        let chunk = handle.availableData
        if chunk.isEmpty { break }
        let end = offset + chunk.count
        equal = equal && end <= expected.count && expected[offset..<end] == chunk
        offset = end
      }
      isEqual = equal && offset == expected.count
      finished.signal()
    }.start()
  }

  func matches() -> Bool {
    finished.wait()
    process.waitUntilExit()
    return isEqual && process.terminationStatus == 0
  }
}
