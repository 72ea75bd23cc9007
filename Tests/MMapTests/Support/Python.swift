import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The path of `python3`, or `nil` where it is missing: the independent encoder of the
/// typed-read tests, which skip without it.
let python3Path: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"]
  .first { FileManager.default.isExecutableFile(atPath: $0) }

/// Runs `script` with `python3` and `arguments`, and returns its standard output, which goes
/// through a file in `directory`.
///
/// `posix_spawn` rather than Foundation's `Process`, which leaks under LeakSanitizer.
///
/// - Throws: `PythonFailure` if python3 is missing or the script fails.
func runPython(_ script: String, arguments: [String], in directory: String) throws -> String {
  guard let python3Path else { throw PythonFailure(message: "python3 is missing") }
  let outputPath = directory + "/python-output"
  #if canImport(Darwin)
    var actions: posix_spawn_file_actions_t?
  #else
    var actions = posix_spawn_file_actions_t()
  #endif
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  var argv: [UnsafeMutablePointer<CChar>?] = ([python3Path, "-c", script] + arguments).map {
    strdup($0)
  }
  argv.append(nil)
  defer { argv.forEach { free($0) } }
  var child: pid_t = 0
  guard posix_spawn(&child, python3Path, &actions, nil, argv, environ) == 0 else {
    throw PythonFailure(message: "can't start \(python3Path)")
  }
  var status: CInt = 0
  while waitpid(child, &status, 0) == -1 {
    guard errno == EINTR else { throw PythonFailure(message: "waitpid failed") }
  }
  guard status == 0 else { throw PythonFailure(message: "wait status \(status)") }
  return contentsOfFile(outputPath)
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

/// A python3 script that could not run.
struct PythonFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { "python3 failed: \(message)" }
}
