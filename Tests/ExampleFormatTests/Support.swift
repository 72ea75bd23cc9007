import Foundation

/// The directory holding the built products, the examples among them: the one the test
/// bundle was built into.
func productsDirectory() -> String {
  var path = CommandLine.arguments[0]
  while !path.isEmpty, !path.hasSuffix(".xctest"), path != "/" {
    path = (path as NSString).deletingLastPathComponent
  }
  return (path.isEmpty || path == "/")
    ? (CommandLine.arguments[0] as NSString).deletingLastPathComponent
    : (path as NSString).deletingLastPathComponent
}

/// The path of `name` in the `PATH` directories, the usual ones included, or `nil`.
func toolPath(_ name: String) -> String? {
  let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
  let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
  return directories.map { $0 + "/" + name }.first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
}

let python3Path = toolPath("python3")
let unzipPath = toolPath("unzip")

/// How a child process ended, and what it printed.
struct Run {
  var status: Int32
  /// Whether it exited (rather than died of a signal).
  var exited: Bool
  var output: String
  var errors: String
}

/// Runs `executable` with `arguments` and waits for it.
func run(_ executable: String, _ arguments: [String]) throws -> Run {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  let output = Pipe()
  let errors = Pipe()
  process.standardOutput = output
  process.standardError = errors
  try process.run()
  // Read both to the end on two threads, so that neither pipe fills while the other waits.
  let errorData = LockedData()
  let errorReader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
  errorReader.start()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  while !errorData.isSet { usleep(1000) }
  return Run(
    status: process.terminationStatus, exited: process.terminationReason == .exit,
    output: String(decoding: data, as: UTF8.self),
    errors: String(decoding: errorData.value, as: UTF8.self))
}

/// Data handed from one thread to another.
final class LockedData: @unchecked Sendable {  // Every access holds `lock`.
  private let lock = NSLock()
  private var data: Data?
  func set(_ value: Data) { lock.withLock { data = value } }
  var isSet: Bool { lock.withLock { data != nil } }
  var value: Data { lock.withLock { data ?? Data() } }
}

/// Runs `script` with python3 and `arguments`, and returns its standard output.
func runPython(_ script: String, _ arguments: [String]) throws -> String {
  let result = try run(python3Path!, ["-c", script] + arguments)
  guard result.exited, result.status == 0 else {
    throw ExampleTestFailure(description: "python3 failed: \(result.errors)")
  }
  return result.output
}

/// The path of the example `name`, built next to the tests.
func examplePath(_ name: String) throws -> String {
  let path = productsDirectory() + "/" + name
  guard FileManager.default.isExecutableFile(atPath: path) else {
    throw ExampleTestFailure(description: "\(name) isn't built next to the tests: \(path)")
  }
  return path
}

struct ExampleTestFailure: Error, CustomStringConvertible {
  var description: String
}

/// A fresh temporary directory, removed after `body` returns.
func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("mmap-examples-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  return try body(directory.path)
}
