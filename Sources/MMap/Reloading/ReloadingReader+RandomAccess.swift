extension ReloadingReader: RandomAccessReader {
  // Each requirement is one lookup of its own, so that code written for any reader runs on
  // the current version. A helper that makes several calls (`bytes(in:)` asks `count`, then
  // reads) may see two versions across a reload: group such calls in `withCurrentReader`.

  /// The current version's count: one lookup. The next lookup may see another version.
  public var count: Int { withCurrentReader { $0.count } }

  /// The path the reader follows.
  public var path: String? { filePath }

  /// Copies bytes of the current version starting at `offset` into `buffer`: one lookup,
  /// with the rules of ``RandomAccessReader/read(from:into:)-(_,UnsafeMutableRawBufferPointer)``.
  @inlinable
  public func read(from offset: Int, into buffer: UnsafeMutableRawBufferPointer)
    throws(MMapError) -> Int
  {
    try withCurrentReader { (reader) throws(MMapError) in
      try reader.read(from: offset, into: buffer)
    }
  }

  /// Returns the current version's byte at `offset`: one lookup.
  @inlinable
  public func byte(at offset: Int) throws(MMapError) -> UInt8 {
    try withCurrentReader { (reader) throws(MMapError) in try reader.byte(at: offset) }
  }

  /// Visits the current version's bytes in `range` in chunks: one lookup, however many
  /// chunks.
  public func forEachChunk(
    in range: Range<Int>,
    _ body: (_ offset: Int, _ chunk: UnsafeRawBufferPointer) throws -> ScanStep
  ) throws {
    try withCurrentReader { reader in try reader.forEachChunk(in: range, body) }
  }

  /// The status of the current version's file: whether the path still names it (`false`
  /// once a new version waits for ``reloadIfReplaced()``), and its size.
  public func fileStatus() throws(MMapError) -> FileStatus {
    try withCurrentReader { (reader) throws(MMapError) in try reader.fileStatus() }
  }
}
