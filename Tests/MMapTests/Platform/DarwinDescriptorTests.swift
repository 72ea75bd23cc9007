// What only Darwin does with descriptors: descriptors opened for execution only. Linux's
// counterparts are in the contract suite.

#if canImport(Darwin)
  import Darwin
  import Foundation
  import Testing

  @testable import MMap

  @Suite struct DarwinDescriptorTests {
    /// `O_EXEC` clears the access mode, which then reads as `O_RDONLY`: such a descriptor is
    /// refused at open as a write-only one is.
    @Test func executeOnlyDescriptorIsRefusedWithEACCES() throws {
      try withTemporaryFile(contents: [1, 2, 3]) { path in
        #expect(chmod(path, 0o700) == 0)
        let fd = open(path, O_EXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(throws: MMapError(.open, path: nil, errno: EACCES)) {
          try MMapReader(fileDescriptor: fd)
        }
      }
    }
  }
#endif
