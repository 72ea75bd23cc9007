// mmap-tail: prints the last lines of a file, then each line appended to it, as `tail -F`
// does. An example of following a file that others write: it holds the file open, and each
// time the file has grown it maps just the new bytes (`MMapReader(fileDescriptor:offset:
// count:)`), finds the last complete line with `lastOffset(of:)`, and writes the new lines to
// standard output straight from the mapping. When another file takes the path (a log
// rotated by rename), it first prints what the old file gained, then follows the new one from
// its start; a file truncated in place is followed from its new end.
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

/// Writes `text` to standard error.
func printError(_ text: String) {
  var text = text + "\n"
  text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}

/// Writes `text` to standard error and exits with `status`.
func fail(_ text: String, status: Int32) -> Never {
  printError(text)
  exit(status)
}

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

/// Sleeps between two looks at the file.
func waitBetweenLooks() {
  var wait = timespec(tv_sec: 0, tv_nsec: 100_000_000)
  nanosleep(&wait, nil)
}

/// The file open as `fd`: its device, inode and size.
func status(of fd: CInt) -> (device: UInt64, inode: UInt64, size: Int) {
  var info = stat()
  guard fstat(fd, &info) == 0 else { fail("mmap-tail: fstat failed: errno \(errno)", status: 1) }
  return (UInt64(info.st_dev), UInt64(info.st_ino), Int(info.st_size))
}

/// Whether `path` still names the file open as `fd`; `false` while nothing is at the path.
func pathNamesFile(_ fd: CInt) -> Bool {
  var info = stat()
  guard stat(path, &info) == 0 else { return false }
  let file = status(of: fd)
  return UInt64(info.st_dev) == file.device && UInt64(info.st_ino) == file.inode
}

/// Opens `path`, waiting for it to exist, as for a log not yet created.
func openWhenPresent() -> CInt {
  while true {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd >= 0 { return fd }
    guard errno == ENOENT else { fail("mmap-tail: can't open \(path): errno \(errno)", status: 1) }
    waitBetweenLooks()
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

/// Writes the lines of the file open as `fd` from `offset` to its last line feed (to its end
/// with `includingPartialLine`), straight from a mapping of those bytes; returns the offset
/// after them. The first call, with `lastLines` set, writes only the last that many lines.
func printLines(
  of fd: CInt, from offset: Int, lastLines: Int? = nil, includingPartialLine: Bool = false
)
  throws(MMapError) -> Int
{
  let size = status(of: fd).size
  guard size > offset else { return offset }
  let reader = try MMapReader(fileDescriptor: fd, offset: offset, count: size - offset)
  let feed = try reader.lastOffset(of: UInt8(ascii: "\n"))
  guard let end = includingPartialLine ? reader.count : feed.map({ $0 + 1 }) else {
    return offset  // No complete line yet: a writer may be in the middle of one.
  }
  let start =
    try lastLines.map { (count) throws(MMapError) in
      try startOfLastLines(count, in: reader, before: end)
    } ?? 0
  if end > start { try reader.write(in: start..<end, to: STDOUT_FILENO) }
  try (consume reader).release()
  return offset + end
}

var file = openWhenPresent()
var printed = 0
do throws(MMapError) {
  printed = try printLines(of: file, from: 0, lastLines: lastLines)
  while true {
    waitBetweenLooks()
    if status(of: file).size < printed {
      printError("mmap-tail: \(path): file truncated")
      printed = status(of: file).size
    }
    printed = try printLines(of: file, from: printed)
    guard !pathNamesFile(file) else { continue }
    // Rotated: what the old file gained before it was renamed away, then the new file.
    _ = try printLines(of: file, from: printed, includingPartialLine: true)
    close(file)
    file = openWhenPresent()
    printed = try printLines(of: file, from: 0)
  }
} catch {
  fail("mmap-tail: \(error)", status: error.errno == EPIPE ? 0 : 1)
}
