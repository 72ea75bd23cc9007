// What only Darwin does with descriptors: the no-SIGPIPE mark that `write(in:to:)` sets and
// restores, and descriptors opened for execution only. Linux's counterparts are in the
// contract and writing suites.

#if canImport(Darwin)
  import Darwin
  import Foundation
  import Testing

  @testable import MMap

  @Suite struct DarwinDescriptorTests {
    /// A write to a broken pipe throws `EPIPE` and leaves the pipe's `F_GETNOSIGPIPE` as it
    /// was: clear if it was clear, set if the caller had set it.
    @Test func brokenPipeLeavesTheNoSIGPIPEMarkAsItWas() throws {
      try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize, seed: 60)) { path in
        let reader = try MMapReader(path: path)
        defer { try? reader.close() }
        let (readEnd, writeEnd) = makePipe()
        close(readEnd)
        defer { close(writeEnd) }
        for marked: CInt in [0, 1] {
          #expect(fcntl(writeEnd, F_SETNOSIGPIPE, marked) == 0)
          #expect(throws: MMapError(.write, path: path, errno: EPIPE, bytesWritten: 0)) {
            try reader.write(to: writeEnd)
          }
          #expect(fcntl(writeEnd, F_GETNOSIGPIPE) == marked)
        }
      }
    }

    /// A socket keeps its `SO_NOSIGPIPE` as it was after a write that arrives.
    @Test func socketWriteLeavesSO_NOSIGPIPEAsItWas() throws {
      let contents = generatedBytes(count: 3 * pageSize, seed: 61)
      try withTemporaryFile(contents: contents) { path in
        let reader = try MMapReader(path: path)
        defer { try? reader.close() }
        let (near, far) = makeSocketPair()
        let drain = BackgroundDrain(far)
        #expect(try reader.write(to: near) == contents.count)
        var value: CInt = -1
        var length = socklen_t(MemoryLayout<CInt>.size)
        #expect(getsockopt(near, SOL_SOCKET, SO_NOSIGPIPE, &value, &length) == 0)
        #expect(value == 0)
        close(near)
        #expect(drain.bytes() == contents)
      }
    }

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
