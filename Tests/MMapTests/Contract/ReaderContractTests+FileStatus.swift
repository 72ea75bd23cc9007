import Foundation
import Testing

@testable import MMap

/// `fileStatus()`: the file now against the file the reader opened, for readers of files that
/// others write (logs that grow, are truncated, or are rotated away).
extension ReaderContractTests {
  @Test(arguments: ReaderKind.allCases)
  func fileStatusTellsGrowthTruncationAndRotation(kind: ReaderKind) throws {
    let contents = generatedBytes(count: 3 * pageSize + 5, seed: 81)
    try withTemporaryDirectory { directory in
      let path = directory + "/app.log"
      try Data(contents).write(to: URL(fileURLWithPath: path))
      let reader = try kind.open(path, offset: 7)
      defer { try? reader.close() }
      let size = contents.count
      var status = try reader.fileStatus()
      #expect(status == FileStatus(sizeAtOpen: size, size: size, isAtPath: true))
      #expect(status.isUnchanged && !status.isTruncated && !status.hasGrown)
      #expect(status.pathState == .sameFile)

      let handle = try #require(FileHandle(forWritingAtPath: path))
      try handle.seekToEnd()
      try handle.write(contentsOf: Data([1, 2, 3]))
      try handle.close()
      status = try reader.fileStatus()
      #expect(status == FileStatus(sizeAtOpen: size, size: size + 3, isAtPath: true))
      #expect(status.hasGrown && !status.isUnchanged && !status.isTruncated)
      #expect(reader.count == size - 7, "the count stays what it was at open")

      #expect(truncate(path, 100) == 0)
      status = try reader.fileStatus()
      #expect(status == FileStatus(sizeAtOpen: size, size: 100, isAtPath: true))
      #expect(status.isTruncated && !status.isUnchanged && !status.hasGrown)

      // Rotation: the file moves away, and a new one takes its path.
      #expect(rename(path, path + ".1") == 0)
      try Data([9]).write(to: URL(fileURLWithPath: path))
      status = try reader.fileStatus()
      #expect(status.isAtPath == false && !status.isUnchanged)
      #expect(status.pathState == .otherFileOrNone)
      // A reader holding a descriptor still knows its own file's size; a mapping alone can't,
      // nor a copy in memory.
      #expect(status.size == (kind.holdsNoDescriptor ? nil : 100))

      #expect(unlink(path) == 0)
      status = try reader.fileStatus()
      #expect(status.isAtPath == false && !status.isUnchanged)

      try reader.close()
      #expect(throws: MMapError(.stat, path: path, errno: EBADF)) { try reader.fileStatus() }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func fileStatusOfAReaderMadeFromADescriptorHasNoPath(kind: ReaderKind) throws {
    try withTemporaryFile(contents: generatedBytes(count: 1000, seed: 83)) { path in
      let fd = open(path, O_RDONLY)
      #expect(fd >= 0)
      let reader = try kind.open(fileDescriptor: fd)
      close(fd)
      defer { try? reader.close() }
      #expect(truncate(path, 10) == 0)
      let status = try reader.fileStatus()
      #expect(status.isAtPath == nil && status.sizeAtOpen == 1000)
      #expect(status.pathState == .unknown)
      if kind.holdsNoDescriptor {
        #expect(status.size == nil && !status.isUnchanged && !status.isTruncated)
      } else {
        #expect(status.size == 10 && status.isTruncated)
      }
      try reader.close()
      #expect(throws: MMapError(.stat, path: nil, errno: EBADF)) { try reader.fileStatus() }
    }
  }

  /// A path that stops being a directory on the way (`ENOTDIR`) means the file is gone from
  /// it; any other failure of `stat` is reported.
  @Test(arguments: ReaderKind.allCases)
  func fileStatusOfAPathWhoseDirectoryWasReplaced(kind: ReaderKind) throws {
    try withTemporaryDirectory { directory in
      let folder = directory + "/logs"
      #expect(mkdir(folder, 0o700) == 0)
      let path = folder + "/x"
      try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
      let reader = try kind.open(path)
      defer { try? reader.close() }
      #expect(rename(folder, directory + "/old") == 0)
      try Data([4]).write(to: URL(fileURLWithPath: folder))  // A file where the folder was.
      let status = try reader.fileStatus()
      #expect(status.isAtPath == false)
      #expect(status.size == (kind.holdsNoDescriptor ? nil : 3))
    }
  }
}
