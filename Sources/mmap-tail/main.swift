// mmap-tail: prints the last lines of a file, then each line appended to it, as `tail -F`
// does. An example of following a file that changes: a `ReloadingReader` with
// `followsGrowth` maps the file anew when it grows and when another file is renamed over the
// path, and each batch of new, complete lines is written to standard output straight from
// the mapping. A file that is truncated in place ends the program with the typed error.
//
//     mmap-tail [-n LINES] FILE

import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes `text` to standard error and exits with `status`.
func fail(_ text: String, status: Int32) -> Never {
  var text = text + "\n"
  text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
  exit(status)
}

/// How long to wait between looks at the file.
let pollInterval = timespec(tv_sec: 0, tv_nsec: 100_000_000)

var arguments = Array(CommandLine.arguments.dropFirst())
var lastLines = 10
if arguments.count >= 2, arguments[0] == "-n" {
  guard let count = Int(arguments[1]), count >= 0 else {
    fail("mmap-tail: \(arguments[1]) is not a line count", status: 2)
  }
  lastLines = count
  arguments.removeFirst(2)
}
guard arguments.count == 1, !arguments[0].hasPrefix("-") else {
  fail("usage: mmap-tail [-n LINES] FILE", status: 2)
}
let path = arguments[0]

/// The file's first version; an empty or missing file is waited for, as a log not yet
/// written.
func firstVersion() -> ReloadingReader<MMapReader> {
  while true {
    do throws(ReloadError) {
      return try ReloadingReader(path: path, followsGrowth: true)
    } catch {
      switch error.reason {
      case .missing, .empty:
        var wait = pollInterval
        nanosleep(&wait, nil)
      default: fail("mmap-tail: \(error)", status: 1)
      }
    }
  }
}

/// The start of the last `lines` lines of `reader`'s bytes before `end`, which is a line's end.
func startOfLastLines(_ lines: Int, in reader: MMapReader, before end: Int) throws(MMapError)
  -> Int
{
  var start = end
  for _ in 0..<lines {
    // The line feed that ends the line before this one, if any.
    guard start > 0, let feed = try reader.lastOffset(of: UInt8(ascii: "\n"), in: 0..<start - 1)
    else { return 0 }
    start = feed + 1
  }
  return start
}

let file = firstVersion()
// The offset up to which lines were printed, or `nil` before the first lines.
var printed: Int? = nil
while true {
  do throws(MMapError) {
    try file.withCurrentReader { (reader) throws(MMapError) in
      // Only complete lines: a writer may be in the middle of one.
      guard let feed = try reader.lastOffset(of: UInt8(ascii: "\n")) else { return }
      let end = feed + 1
      var start = printed ?? 0
      if printed == nil { start = try startOfLastLines(lastLines, in: reader, before: end) }
      if end > start { try reader.write(in: start..<end, to: STDOUT_FILENO) }
      printed = max(start, end)
    }
  } catch {
    fail("mmap-tail: \(error)", status: error.errno == EPIPE ? 0 : 1)
  }
  var wait = pollInterval
  nanosleep(&wait, nil)
  do throws(ReloadError) {
    // A grown file goes on where the last lines ended; a new file starts at its beginning.
    if try file.reloadIfReplaced() == .reloaded { printed = 0 }
  } catch {
    switch error.reason {
    // Between a rotation's removal and its rename, or while a new file is empty: look again.
    case .missing, .empty: continue
    default: fail("mmap-tail: \(error)", status: 1)
    }
  }
}
