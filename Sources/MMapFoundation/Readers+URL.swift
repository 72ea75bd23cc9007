import Foundation
import MMap

/// The file-system path of a `file:` URL.
///
/// - Throws: `MMapError` with `MMapError/Operation/open` and `EINVAL`, naming the URL, if
///   it is not a file URL or has no file-system representation.
private func filePath(of url: URL) throws(MMapError) -> String {
  let path =
    url.isFileURL ? url.withUnsafeFileSystemRepresentation { $0.map(String.init(cString:)) } : nil
  guard let path else { throw MMapError(.open, path: url.absoluteString, errno: EINVAL) }
  return path
}

extension FileReader {
  /// Opens the file at `url` with the reader `FileReader/Options` chooses, or with the
  /// fastest for it: `FileReader/open(path:options:)` for a `file:` URL.
  ///
  /// - Parameters:
  ///   - url: A `file:` URL.
  ///   - options: The thresholds and limits of the choice, or a forced kind.
  /// - Returns: The reader; `FileReader/kind` tells which it chose.
  /// - Throws: `MMapError` with `MMapError/Operation/open` and `EINVAL` if `url` is not a
  ///   file URL, or what `FileReader/open(path:options:)` throws.
  public static func open(url: URL, options: Options = Options()) throws(MMapError)
    -> FileReader
  {
    try open(path: filePath(of: url), options: options)
  }
}

extension MMapReader {
  /// Maps the file at `url`, or a byte range of it: `init(path:offset:count:prefault:)` for
  /// a `file:` URL.
  ///
  /// - Parameters:
  ///   - url: A `file:` URL.
  ///   - offset: The file offset of the first byte the reader exposes.
  ///   - count: How many bytes to expose, or `nil` for the rest of the file.
  ///   - prefault: Whether to read every page in before returning.
  /// - Throws: `MMapError` with `MMapError/Operation/open` and `EINVAL` if `url` is not a
  ///   file URL, or what `init(path:offset:count:prefault:)` throws.
  public convenience init(url: URL, offset: Int = 0, count: Int? = nil, prefault: Bool = false)
    throws(MMapError)
  {
    try self.init(path: filePath(of: url), offset: offset, count: count, prefault: prefault)
  }
}

extension MMapWindowReader {
  /// Opens the file at `url`, or a byte range of it, for reading in windows:
  /// `init(path:offset:count:windowSize:maxWindows:maxMappedBytes:)` for a `file:` URL.
  ///
  /// - Parameters:
  ///   - url: A `file:` URL.
  ///   - offset: The file offset of the first byte the reader exposes.
  ///   - count: How many bytes to expose, or `nil` for the rest of the file.
  ///   - windowSize: The size of a window in bytes.
  ///   - maxWindows: The most windows mapped at once.
  ///   - maxMappedBytes: The most bytes mapped at once, or `nil` for no limit beyond
  ///     `maxWindows`.
  /// - Throws: `MMapError` with `MMapError/Operation/open` and `EINVAL` if `url` is not a
  ///   file URL, or what the path form throws.
  public convenience init(
    url: URL, offset: Int = 0, count: Int? = nil,
    windowSize: Int = MMapWindowReader.defaultWindowSize,
    maxWindows: Int = MMapWindowReader.defaultMaxWindows, maxMappedBytes: Int? = nil
  ) throws(MMapError) {
    try self.init(
      path: filePath(of: url), offset: offset, count: count, windowSize: windowSize,
      maxWindows: maxWindows, maxMappedBytes: maxMappedBytes)
  }
}

extension PReadReader {
  /// Opens the file at `url`, or a byte range of it, for reading with `pread`:
  /// `init(path:offset:count:)` for a `file:` URL.
  ///
  /// - Parameters:
  ///   - url: A `file:` URL.
  ///   - offset: The file offset of the first byte the reader exposes.
  ///   - count: How many bytes to expose, or `nil` for the rest of the file.
  /// - Throws: `MMapError` with `MMapError/Operation/open` and `EINVAL` if `url` is not a
  ///   file URL, or what `init(path:offset:count:)` throws.
  public convenience init(url: URL, offset: Int = 0, count: Int? = nil) throws(MMapError) {
    try self.init(path: filePath(of: url), offset: offset, count: count)
  }
}

extension InMemoryReader {
  /// Reads the file at `url` into memory, or a byte range of it:
  /// `init(path:offset:count:limit:)` for a `file:` URL.
  ///
  /// - Parameters:
  ///   - url: A `file:` URL.
  ///   - offset: The file offset of the first byte the reader holds.
  ///   - count: How many bytes to hold, or `nil` for the rest of the file.
  ///   - limit: The most bytes to read into memory.
  /// - Throws: `MMapError` with `MMapError/Operation/open` and `EINVAL` if `url` is not a
  ///   file URL, or what `init(path:offset:count:limit:)` throws.
  public convenience init(
    url: URL, offset: Int = 0, count: Int? = nil, limit: Int = InMemoryReader.defaultLimit
  ) throws(MMapError) {
    try self.init(path: filePath(of: url), offset: offset, count: count, limit: limit)
  }
}
