import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A file that a writer extends one fixed-size record at a time, each record's bytes derived
/// from its number, so that a reader can check any record it finds.
enum AppendedRecords {
  /// A record's size: a divisor of the page size, so that no record's write straddles a page
  /// and a reader never sees a record's size before its bytes.
  static let size = 64

  static func record(_ number: Int) -> [UInt8] {
    (0..<size).map { UInt8(truncatingIfNeeded: number &* 131 ^ $0 &* 7 ^ number >> 8) }
  }

  /// Appends records `numbers` to the file open for appending as `fd`, one `write` each.
  static func append(_ numbers: Range<Int>, to fd: CInt) {
    for number in numbers {
      let bytes = record(number)
      let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      precondition(written == size, "append failed: \(errno)")
    }
  }

  /// Opens `path` for appending, creating it.
  static func openForAppending(_ path: String) -> CInt {
    let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
    precondition(fd >= 0, "open failed: \(errno)")
    return fd
  }

  /// Whether `bytes`, which start at record `first`, are whole records, each the right one.
  static func areRecords(_ bytes: UnsafeRawBufferPointer, startingAt first: Int) -> Bool {
    guard bytes.count % size == 0 else { return false }
    for index in 0..<bytes.count / size {
      let expected = record(first + index)
      for offset in 0..<size where bytes[index * size + offset] != expected[offset] {
        return false
      }
    }
    return true
  }
}
