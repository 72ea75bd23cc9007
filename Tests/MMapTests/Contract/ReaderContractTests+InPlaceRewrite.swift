import Foundation
import Testing

@testable import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// `fileStatus().isModified`: a file rewritten in place, at the same size, keeps its inode
/// and size; only its modification time tells.
extension ReaderContractTests {
  @Test(arguments: ReaderKind.allCases)
  func fileStatusTellsARewriteInPlaceAtTheSameSize(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 2 * pageSize + 3, seed: 83)
    try withTemporaryFile(contents: contents) { path in
      // A known modification time at open, so that the rewrite's time differs from it
      // whatever the file system's timestamp granularity.
      var times = [
        timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0),
      ]
      #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
      let reader = try kind.open(path)
      defer { try? reader.close() }
      var status = try reader.fileStatus()
      #expect(status.isModified == false && status.isUnchanged)

      let fd = open(path, O_WRONLY)
      #expect(fd >= 0)
      #expect(pwrite(fd, [UInt8](repeating: 0xAB, count: 16), 16, 100) == 16)
      close(fd)
      status = try reader.fileStatus()
      #expect(status.size == contents.count && status.isAtPath == true)
      #expect(status.isModified == true)
      #expect(!status.isUnchanged && !status.hasGrown && !status.isTruncated)

      // A writer that sets the time back hides the rewrite: a hint, not a proof.
      #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
      #expect(try reader.fileStatus().isModified == false)
    }
  }

  @Test func sizeOnlyStatusDerivesModificationFromTheSize() {
    #expect(FileStatus(sizeAtOpen: 5, size: 6, isAtPath: true).isModified == true)
    #expect(FileStatus(sizeAtOpen: 5, size: 5, isAtPath: true).isModified == false)
    #expect(FileStatus(sizeAtOpen: 5, size: nil, isAtPath: false).isModified == nil)
  }
}
