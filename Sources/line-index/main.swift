// line-index: one pass over a file of any size builds an index of where every line starts;
// then any line prints at once, read straight from its offset. An example of a parallel line
// scan on MMapWindowReader: the file is cut into line-aligned parts, one per processor, each
// indexed on its own thread with `forEachLine`, and the parts' indexes joined in order; the
// reader keeps one 16 MiB window per thread (two at least) mapped however large the file.
//
//     line-index FILE [N...]     print lines N... (1-based); with none, print the line count

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

let arguments = Array(CommandLine.arguments.dropFirst())
guard let path = arguments.first else { fail("usage: line-index FILE [N...]", status: 2) }
let wanted = arguments.dropFirst().map { argument -> Int in
  guard let number = Int(argument), number >= 1 else {
    fail("line-index: \(argument) is not a line number", status: 2)
  }
  return number
}

do {
  let threads = Parallelism.availableProcessors
  let reader = try MMapWindowReader(path: path, maxWindows: max(2, threads))
  defer { try? reader.close() }
  try reader.advise(.sequential)
  // The index: the offset of each line's first byte, and one past the last line's end. Each
  // part starts at a line start, so its lines are whole and its index is the file's, in part.
  let parts = try reader.lineAlignedParts(count: threads)
  let indexes = try reader.mapParts(parts, parallelism: .threads(threads)) { part in
    var starts: [Int] = []
    var end = part.lowerBound
    try reader.forEachLine(in: part) { line in
      starts.append(line.lowerBound)
      end = line.upperBound
      return .proceed
    }
    return (starts: starts, end: end)
  }
  let starts = indexes.flatMap(\.starts)
  let end = indexes.last?.end ?? 0
  guard !wanted.isEmpty else {
    print("\(starts.count) lines")
    exit(0)
  }
  try reader.advise(.random)
  for number in wanted {
    guard number <= starts.count else {
      fail("line-index: line \(number) is past the last line, \(starts.count)", status: 1)
    }
    // A line ends where the next one starts, less its line feed.
    let lineEnd = number < starts.count ? starts[number] - 1 : end
    let bytes = try reader.bytes(in: starts[number - 1]..<lineEnd)
    print("\(number): \(String(decoding: bytes, as: UTF8.self))")
  }
} catch {
  fail("line-index: \(error)", status: 1)
}
