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
  let pid: pid_t
  let port: Int
  private let logPath: String

  init(root: String) throws {
    logPath = root + ".log-\(UUID().uuidString)"
    let log = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    defer { close(log) }
    let (pid, output) = try spawn(
      fileServerPath!, [root, "--port", "0", "--timeout", "3"], errorOutput: log)
    self.pid = pid
    defer { close(output) }
    // The first line names the address: "... on http://127.0.0.1:PORT/".
    var line: [UInt8] = []
    var byte: UInt8 = 0
    while !line.contains(UInt8(ascii: "\n")), read(output, &byte, 1) == 1 { line.append(byte) }
    let text = String(decoding: line, as: UTF8.self)
    guard let colon = text.lastIndex(of: ":"),
      let port = Int(text[text.index(after: colon)...].prefix { $0.isNumber })
    else {
      kill(pid, SIGKILL)
      _ = waitForExit(pid)
      throw ServerFailure(description: "file-server printed \(text)")
    }
    self.port = port
  }

  var base: String { "http://127.0.0.1:\(port)" }

  /// Everything the server wrote to standard error, once it has stopped.
  func stop() -> String {
    kill(pid, SIGTERM)
    _ = waitForExit(pid)
    defer { unlink(logPath) }
    return fileText(logPath)
  }

  /// The server's open descriptors, from `/proc/PID/fd`.
  var descriptorCount: Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
  }

  /// The server's mappings of files under `root`, from `/proc/PID/maps`.
  func mappingCount(under root: String) -> Int {
    let maps = fileText("/proc/\(pid)/maps")
    return maps.split(separator: "\n").filter { $0.contains(root) }.count
  }
}

/// Starts `executable` with `arguments`, standard input from `/dev/null`, standard output
/// into a new pipe (whose reading end is returned), standard error to `errorOutput`, and an
/// empty signal mask: a child would otherwise inherit the test process's blocked signals,
/// and `posix_spawn` rather than Foundation's `Process`, which leaks under LeakSanitizer.
func spawn(_ executable: String, _ arguments: [String], errorOutput: CInt = -1) throws -> (
  pid: pid_t, output: CInt
) {
  var ends: [CInt] = [0, 0]
  guard pipe(&ends) == 0 else { throw ServerFailure(description: "pipe: \(errno)") }
  // Close-on-exec, so that no other child holds the writing end and the end of file comes.
  for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
  if errorOutput >= 0 {
    posix_spawn_file_actions_adddup2(&actions, errorOutput, 2)
  } else {
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
  }
  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var noSignals = sigset_t()
  sigemptyset(&noSignals)
  posix_spawnattr_setsigmask(&attributes, &noSignals)
  var pipeSignal = sigset_t()
  sigemptyset(&pipeSignal)
  sigaddset(&pipeSignal, SIGPIPE)
  posix_spawnattr_setsigdefault(&attributes, &pipeSignal)
  posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
  var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) }
  argv.append(nil)
  defer { argv.forEach { free($0) } }
  var pid: pid_t = 0
  let started = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
  close(ends[1])
  guard started == 0 else {
    close(ends[0])
    throw ServerFailure(description: "cannot start \(executable): \(started)")
  }
  return (pid, ends[0])
}

/// Waits for `pid` to end; returns its exit status, or `-1` if it didn't exit normally.
func waitForExit(_ pid: pid_t) -> Int32 {
  var status: CInt = 0
  while waitpid(pid, &status, 0) == -1 {
    guard errno == EINTR else { return -1 }
  }
  return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
}

struct ServerFailure: Error, CustomStringConvertible {
  var description: String
}

/// Runs `executable` with `arguments`; returns its exit status and standard output.
@discardableResult
func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
  let (pid, output) = try spawn(executable, arguments)
  let data = Data(receiveRaw(output))
  close(output)
  return (waitForExit(pid), data)
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
  private let pid: pid_t
  private let finished = DispatchSemaphore(value: 0)
  // Written by the reading thread before it signals `finished`, read after the wait.
  private var isEqual = false

  init(_ executable: String, _ arguments: [String], expected: Data) throws {
    let (pid, output) = try spawn(executable, arguments)
    self.pid = pid
    Thread { [self] in
      var offset = 0
      var equal = true
      var chunk = [UInt8](repeating: 0, count: 1 << 16)
      while true {
        let got = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
        if got < 0 && errno == EINTR { continue }
        guard got > 0 else { break }
        let end = offset + got
        equal =
          equal && end <= expected.count
          && expected.withUnsafeBytes { file in
            chunk.withUnsafeBytes { memcmp(file.baseAddress! + offset, $0.baseAddress!, got) == 0 }
          }
        offset = end
      }
      close(output)
      isEqual = equal && offset == expected.count
      finished.signal()
    }.start()
  }

  func matches() -> Bool {
    finished.wait()
    return waitForExit(pid) == 0 && isEqual
  }
}

/// The text of the file at `path`, read with `read(2)` (Foundation's reading of an empty
/// file leaks under LeakSanitizer), or `""`.
func fileText(_ path: String) -> String {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else { return "" }
  defer { close(fd) }
  return String(decoding: receiveRaw(fd), as: UTF8.self)
}
