import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether `bytes` holds exactly `expected`, compared with `memcmp` (an element loop is slow
/// in debug builds).
func sameBytes(_ bytes: UnsafeRawBufferPointer, _ expected: ArraySlice<UInt8>) -> Bool {
  expected.withUnsafeBytes { expected in
    bytes.count == expected.count
      && (bytes.isEmpty || memcmp(bytes.baseAddress!, expected.baseAddress!, bytes.count) == 0)
  }
}

/// Whether `bytes` equals `expected`, compared with `memcmp`.
func sameBytes(_ bytes: ArraySlice<UInt8>, _ expected: ArraySlice<UInt8>) -> Bool {
  bytes.withUnsafeBytes { sameBytes($0, expected) }
}
