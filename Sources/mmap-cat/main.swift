// mmap-cat: writes files to standard output straight from their mappings, as cat(1) does
// with a buffer. An example of `RandomAccessReader.write(in:to:)`, and the program behind the
// README's figure for writing a 1 GiB file to a pipe. By default each file is opened with
// `FileReader`, which also reads `-` (standard input), pipes and FIFOs.
//
//     mmap-cat [--reader file|mmap|windowed|pread] FILE...

import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Opens `path` with the reader named `kind`, or returns `nil` for an unknown name.
func openReader(_ kind: String, path: String) throws(MMapError) -> (any RandomAccessReader)? {
  switch kind {
  case "file": try FileReader.open(path: path)
  case "mmap": try MMapReader(path: path)
  case "windowed": try MMapWindowReader(path: path)
  case "pread": try PReadReader(path: path)
  default: nil
  }
}

/// Writes `text` to standard error.
func printError(_ text: String) {
  var text = text
  text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var kind = "file"
if arguments.count >= 2, arguments[0] == "--reader" {
  kind = arguments[1]
  arguments.removeFirst(2)
}
let usage = "usage: mmap-cat [--reader file|mmap|windowed|pread] FILE... (- for standard input)\n"
if arguments.isEmpty || (arguments[0].hasPrefix("-") && arguments[0] != "-") {
  printError(usage)
  exit(2)
}
for path in arguments {
  do throws(MMapError) {
    guard let reader = try openReader(kind, path: path) else {
      printError(usage)
      exit(2)
    }
    defer { try? reader.close() }
    try reader.write(to: STDOUT_FILENO)
  } catch {
    // A reader that went away (EPIPE) ends the output quietly, as cat killed by SIGPIPE does.
    if error.errno != EPIPE { printError("mmap-cat: \(error)\n") }
    exit(1)
  }
}
