import Foundation
import MMap
import MMapFoundation
import Testing

/// Writes to a mapped `Data` whose file was truncated: each fault replaces only pages not
/// replaced before, so what the program wrote after one fault survives the next.
@Suite struct TruncatedDataWriteTests {
  @Test func writesAfterOneFaultSurviveAFaultOnALowerPage() throws {
    let mebibyte = 1 << 20
    let contents = [UInt8](repeating: 0x11, count: 8 * mebibyte)
    try withTemporaryFile(contents: contents) { path in
      let reader = try MMapReader(path: path)
      var data = try reader.data()
      try reader.close()
      let base = data.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
      #expect(truncate(path, off_t(mebibyte)) == 0)
      #expect(data[7 * mebibyte] == 0, "the first fault: zeros from here")
      data[7 * mebibyte] = 0x55
      data[7 * mebibyte + 4096] = 0x66
      #expect(data[7 * mebibyte] == 0x55)
      #expect(data[2 * mebibyte] == 0, "a second fault, on a lower page")
      #expect(data[7 * mebibyte] == 0x55, "the write after the first fault survives")
      #expect(data[7 * mebibyte + 4096] == 0x66)
      data[3 * mebibyte] = 0x77
      #expect(data[mebibyte + 5] == 0, "a third fault, lower still")
      #expect(data[3 * mebibyte] == 0x77 && data[7 * mebibyte] == 0x55)
      #expect(data[..<mebibyte].allSatisfy { $0 == 0x11 }, "bytes still in the file")
      let baseAfter = data.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
      #expect(baseAfter == base, "written in place, in the mapping, not in a copy")
    }
  }
}
