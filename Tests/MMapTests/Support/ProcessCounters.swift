// What this process holds, read from /proc: mappings, descriptors, memory.

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The whole text of a `/proc` file, read with a raw `read(2)` loop: Foundation stops at the
/// first short read, which `/proc` files give routinely.
func readProcFile(_ path: String) -> String {
  let fd = open(path, O_RDONLY)
  precondition(fd >= 0, "cannot open \(path)")
  defer { close(fd) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
    if got <= 0 { break }
    bytes += chunk[..<got]
  }
  return String(decoding: bytes, as: UTF8.self)
}

/// The lines of `/proc/self/maps`: one per mapping of this process.
func currentMappings() -> [String] {
  readProcFile("/proc/self/maps").split(separator: "\n").map(String.init)
}

/// How many mappings of this process are of the file at `path`.
func mappingCount(of path: String) -> Int {
  currentMappings().filter { $0.hasSuffix(" " + path) }.count
}

/// How many mappings a reader of `path` could have left behind: those of the file, plus the
/// anonymous read-only private ones that stand in for a closed reader's pages. Counting these
/// rather than every mapping keeps the count still while the runtime (or a sanitizer) maps
/// memory of its own.
func readerMappingCount(of path: String) -> Int {
  currentMappings().filter { line in
    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
    let isZeroPagePlaceholder = fields.count == 5 && fields[1] == "r--p" && fields[4] == "0"
    return isZeroPagePlaceholder || line.hasSuffix(" " + path)
  }.count
}

/// What each open file descriptor of this process refers to, such as a path.
func openDescriptorTargets() -> [String] {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
  return names.compactMap {
    try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)
  }
}

/// A value of `/proc/self/status` in KiB, such as `RssFile`.
func statusKiB(_ key: String) -> Int? {
  for line in readProcFile("/proc/self/status").split(separator: "\n")
  where line.hasPrefix(key + ":") {
    // The value follows a tab and spaces: "RssFile:\t    1876 kB".
    return Int(line.dropFirst(key.count + 1).split(whereSeparator: \.isWhitespace).first ?? "")
  }
  return nil
}

/// How many of this process's descriptors are open on the file at `path`. Robust to other
/// tests opening files at the same time, unlike a count of all descriptors.
func descriptorCount(of path: String) -> Int {
  openDescriptorTargets().filter { $0 == path }.count
}

/// The `Locked:` memory, in KiB, of this process's mappings that overlap the addresses
/// `addresses`, summed over `/proc/self/smaps` (locking part of a mapping splits it in
/// several).
func lockedKiB(in addresses: Range<UInt>) -> Int {
  var total = 0
  var overlaps = false
  for line in readProcFile("/proc/self/smaps").split(separator: "\n") {
    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
    if let first = fields.first, first.contains("-"), !first.hasSuffix(":") {
      // A mapping's header: "7f12a000-7f12c000 r--s 00000000 fd:00 1234 /path".
      let bounds = first.split(separator: "-")
      if bounds.count == 2, let start = UInt(bounds[0], radix: 16),
        let end = UInt(bounds[1], radix: 16)
      {
        overlaps = start < addresses.upperBound && addresses.lowerBound < end
        continue
      }
    }
    if overlaps, fields.count >= 2, fields[0] == "Locked:" { total += Int(fields[1]) ?? 0 }
  }
  return total
}

/// The process's locked memory in KiB (`VmLck` in `/proc/self/status`).
func lockedProcessKiB() -> Int {
  statusKiB("VmLck") ?? 0
}

/// The line of `/proc/self/maps` for the mapping that holds `address`, or `nil` if none does.
func mapping(covering address: UInt) -> String? {
  currentMappings().first { line in
    let bounds = line.prefix { $0 != " " }.split(separator: "-").compactMap {
      UInt($0, radix: 16)
    }
    return bounds.count == 2 && bounds[0] <= address && address < bounds[1]
  }
}
