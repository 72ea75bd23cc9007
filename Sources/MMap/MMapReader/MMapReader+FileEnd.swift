extension MMapReader: FileEndChecking {
  /// The reader offset at which the file ends now, from `stat` on the reader's path while it
  /// names the mapped file: the reader holds no descriptor. `nil` once the reader is closed,
  /// for a reader made from a descriptor, and once the path names another file or none.
  internal func fileEndNow() -> Int? {
    guard !gate.isClosed, let size = identity.sizeNow(atPath: path) else { return nil }
    return size &- fileOffset  // Can't overflow: both are file offsets, not negative.
  }
}
