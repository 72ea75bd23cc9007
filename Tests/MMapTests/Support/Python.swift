import Foundation

/// The path of `python3`, or `nil` where it is missing: the independent encoder of the
/// typed-read tests, which skip without it.
let python3Path: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"]
  .first { FileManager.default.isExecutableFile(atPath: $0) }

/// Runs `script` with `python3`, its arguments `arguments`, and returns its standard output.
///
/// - Throws: `PythonFailure` if python3 is missing or the script fails.
func runPython(_ script: String, arguments: [String] = []) throws -> String {
  guard let python3Path else { throw PythonFailure(message: "python3 is missing") }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: python3Path)
  process.arguments = ["-c", script] + arguments
  let output = Pipe()
  let errors = Pipe()
  process.standardOutput = output
  process.standardError = errors
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  let errorData = errors.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else {
    throw PythonFailure(message: String(decoding: errorData, as: UTF8.self))
  }
  return String(decoding: data, as: UTF8.self)
}

/// A python3 script that could not run, with its standard error.
struct PythonFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { "python3 failed: \(message)" }
}
