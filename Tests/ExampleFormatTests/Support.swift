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

/// The path of `name` in the usual directories or the `PATH` ones, or `nil`.
func toolPath(_ name: String) -> String? {
  let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
  let directories = ["/usr/bin", "/usr/local/bin"] + path.split(separator: ":").map(String.init)
  return directories.map { $0 + "/" + name }.first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
}

let python3Path = toolPath("python3")
let unzipPath = toolPath("unzip")

/// Runs `script` with python3 and `arguments` (its files in `directory`), and returns its
/// standard output.
func runPython(_ script: String, _ arguments: [String], in directory: String) throws -> String {
  let result = try run(python3Path!, ["-c", script] + arguments, in: directory)
  guard result.status == 0 else {
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
