// record-lookup: binary search over a file of sorted fixed-width records, through typed
// big-endian reads at computed offsets: the lookup tools this library is for. Each record
// is 16 bytes, a big-endian UInt64 key and a big-endian UInt64 value, sorted by key.
//
//     record-lookup generate FILE COUNT   write COUNT records, key i * 3, value key * key
//     record-lookup FILE KEY...           print the value of each KEY, or "absent"

import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The size of a record: a key and a value, 8 bytes each.
let recordSize = 16

/// Writes `text` to standard error and exits with `status`.
func fail(_ text: String, status: Int32) -> Never {
  var text = text + "\n"
  text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
  exit(status)
}

/// Writes `count` records to `path`: key `i * 3` and value `key * key`, big-endian.
func generate(path: String, count: Int) {
  let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
  guard fd >= 0 else { fail("record-lookup: can't create \(path)", status: 1) }
  defer { close(fd) }
  var chunk: [UInt8] = []
  chunk.reserveCapacity(recordSize * 4096)
  for index in 0..<count {
    let key = UInt64(index) &* 3
    withUnsafeBytes(of: key.bigEndian) { chunk += $0 }
    withUnsafeBytes(of: (key &* key).bigEndian) { chunk += $0 }
    if chunk.count == chunk.capacity || index == count - 1 {
      let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      guard written == chunk.count else { fail("record-lookup: can't write \(path)", status: 1) }
      chunk.removeAll(keepingCapacity: true)
    }
  }
}

/// The value stored for `key`, found by binary search over the sorted records.
func value(for key: UInt64, in reader: some RandomAccessReader) throws(MMapError) -> UInt64? {
  var low = 0
  var high = reader.count / recordSize  // Records in low..<high may hold the key.
  while low < high {
    let middle = low + (high - low) / 2
    let stored = try reader.integer(at: middle * recordSize, as: UInt64.self, byteOrder: .bigEndian)
    if stored == key {
      return try reader.integer(
        at: middle * recordSize + 8, as: UInt64.self, byteOrder: .bigEndian)
    }
    if stored < key { low = middle + 1 } else { high = middle }
  }
  return nil
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "generate" {
  guard arguments.count == 3, let count = Int(arguments[2]), count >= 0 else {
    fail("usage: record-lookup generate FILE COUNT", status: 2)
  }
  generate(path: arguments[1], count: count)
  exit(0)
}
guard arguments.count >= 2 else { fail("usage: record-lookup FILE KEY...", status: 2) }
do {
  let reader = try MMapReader(path: arguments[0])
  defer { try? reader.close() }
  guard reader.count % recordSize == 0 else {
    fail("record-lookup: \(arguments[0]) is not a whole number of records", status: 1)
  }
  try reader.advise(.random)
  for argument in arguments.dropFirst() {
    guard let key = UInt64(argument) else { fail("record-lookup: bad key \(argument)", status: 2) }
    let found = try value(for: key, in: reader)
    print("\(key): \(found.map(String.init) ?? "absent")")
  }
} catch {
  fail("record-lookup: \(error)", status: 1)
}
