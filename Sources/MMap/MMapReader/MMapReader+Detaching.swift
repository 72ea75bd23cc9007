extension MMapReader: DetachableReader {
  /// A new private mapping of the bytes in `range`, made by opening the reader's path again
  /// and checking that it still names the mapped file; `nil` for a reader made from a
  /// descriptor, or whose path no longer names the file it mapped.
  ///
  /// The reader holds no descriptor, and its own mapping is shared and read-only, so it can't
  /// give a private one: the file is found again by its path, and its device and inode
  /// numbers must equal those taken at open.
  package func detachedMapping(in range: Range<Int>) throws(MMapError) -> DetachedMapping? {
    guard !gate.isUnreadable else { throw gate.failure(path: path) }
    try checkInside(range, count: count, path: path)
    guard let path else { return nil }
    guard let file = try? OpenedFile(path: path, offset: 0, count: nil, rangeOperation: .map),
      file.identity.isSameFile(as: identity)
    else { return nil }
    // Can't overflow: the reader's range was inside the file at open.
    let end = fileOffset &+ range.upperBound
    guard end <= file.range.upperBound else {  // The file shrank below the range since.
      throw MMapError.truncated(path: path, missingOffset: file.range.upperBound &- fileOffset)
    }
    return try DetachedMapping(
      fd: file.fd, fileOffset: fileOffset &+ range.lowerBound, count: range.count, path: path)
  }
}
