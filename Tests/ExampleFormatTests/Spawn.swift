import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a child process ended, and what it printed.
struct Run {
  /// The exit status, or `nil` if a signal ended it.
  var status: CInt?
  var output: String
  var errors: String
  /// Whether it exited (rather than died of a signal).
  var exited: Bool { status != nil }
}

/// Runs `executable` with `arguments` and this process's environment, its standard output
/// and error sent to files in `directory`, and waits for it.
///
/// `posix_spawn` rather than Foundation's `Process`, which leaks under LeakSanitizer.
func run(_ executable: String, _ arguments: [String], in directory: String) throws -> Run {
  let outputPath = directory + "/child-output"
  let errorPath = directory + "/child-errors"
  #if canImport(Darwin)
    var actions: posix_spawn_file_actions_t?
  #else
    var actions = posix_spawn_file_actions_t()
  #endif
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) }
  argv.append(nil)
  defer { argv.forEach { free($0) } }
  var child: pid_t = 0
  let spawned = posix_spawn(&child, executable, &actions, nil, argv, environ)
  guard spawned == 0 else {
    throw ExampleTestFailure(description: "can't run \(executable): errno \(spawned)")
  }
  var status: CInt = 0
  while waitpid(child, &status, 0) == -1 {
    guard errno == EINTR else { throw ExampleTestFailure(description: "waitpid failed") }
  }
  // The wait status: the signal in the low 7 bits, else the exit status in the next 8.
  let signal = status & 0x7F
  return Run(
    status: signal == 0 ? (status >> 8) & 0xFF : nil,
    output: contentsOfFile(outputPath), errors: contentsOfFile(errorPath))
}

/// The contents of the file at `path` as UTF-8, read with `read(2)`: Foundation's readers
/// leak the buffer of an empty file under LeakSanitizer.
func contentsOfFile(_ path: String) -> String {
  let fd = open(path, O_RDONLY)
  guard fd >= 0 else { return "" }
  defer { close(fd) }
  var bytes: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 65536)
  while true {
    let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if got < 0 && errno == EINTR { continue }
    guard got > 0 else { break }
    bytes += buffer[..<got]
  }
  return String(decoding: bytes, as: UTF8.self)
}
