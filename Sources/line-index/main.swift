// line-index: one pass over a file of any size builds an index of where every line starts;
// then any line prints at once, read straight from its offset. An example of `forEachLine`
// on MMapWindowReader, which keeps at most two 16 MiB windows mapped however large the file.
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
  let reader = try MMapWindowReader(path: path, maxWindows: 2)
  defer { try? reader.close() }
  try reader.advise(.sequential)
  // The index: the offset of each line's first byte, and one past the last line's end.
  var starts: [Int] = []
  var end = 0
  try reader.forEachLine { line in
    starts.append(line.lowerBound)
    end = line.upperBound
    return .proceed
  }
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
