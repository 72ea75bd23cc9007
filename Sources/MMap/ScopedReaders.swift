extension MMapReader {
  /// Maps the file at `path`, calls `body` with the reader, and releases it when `body`
  /// returns or throws: the scoped form of ``init(path:offset:count:prefault:)`` and
  /// ``RandomAccessReader/release()``.
  ///
  /// ```swift
  /// let header = try MMapReader.withReader(path: "/data/index.bin") { reader in
  ///   try reader.bytes(in: 0..<16)
  /// }
  /// ```
  ///
  /// The function holds the only reference it made, so when `body` keeps none, the mapping
  /// goes with one `munmap`, the cheap path of ``RandomAccessReader/release()`` that
  /// `defer { try? reader.close() }` can't take. If `body` stores the reader or hands it
  /// to another thread, it is closed as ``close()`` closes it, safely for those holders.
  ///
  /// - Parameters:
  ///   - path: The file to map.
  ///   - offset: The file offset of the first byte the reader exposes.
  ///   - count: How many bytes to expose, or `nil` for the rest of the file.
  ///   - prefault: Whether to fault the pages in at once, as in
  ///     ``init(path:offset:count:prefault:)``.
  ///   - body: Reads the file. The reader is closed once it returns.
  /// - Returns: What `body` returns.
  /// - Throws: The ``MMapError`` of opening or of closing, or what `body` throws (after
  ///   the reader is released).
  public static func withReader<Result>(
    path: String, offset: Int = 0, count: Int? = nil, prefault: Bool = false,
    _ body: (MMapReader) throws -> Result
  ) throws -> Result {
    let reader = try MMapReader(path: path, offset: offset, count: count, prefault: prefault)
    let result: Result
    do {
      result = try body(reader)
    } catch {
      try? (consume reader).release()
      throw error
    }
    try (consume reader).release()
    return result
  }
}

extension FileReader {
  /// Opens the file at `path` with ``open(path:options:)``, calls `body` with the reader,
  /// and releases it when `body` returns or throws, as
  /// ``MMapReader/withReader(path:offset:count:prefault:_:)`` does.
  ///
  /// - Parameters:
  ///   - path: The file to read, or `-` for standard input.
  ///   - options: How to choose and open the reader.
  ///   - body: Reads the file. The reader is closed once it returns.
  /// - Returns: What `body` returns.
  /// - Throws: The ``MMapError`` of opening or of closing, or what `body` throws (after
  ///   the reader is released).
  public static func withReader<Result>(
    path: String, options: Options = Options(), _ body: (FileReader) throws -> Result
  ) throws -> Result {
    let reader = try FileReader.open(path: path, options: options)
    let result: Result
    do {
      result = try body(reader)
    } catch {
      try? (consume reader).release()
      throw error
    }
    try (consume reader).release()
    return result
  }
}
