/// What printing a reader shows: its type, its file, its size and whether it is open, such as
/// `MMapReader("/data/index.bin", 4096 bytes, open)`. A reader made from a descriptor shows
/// `a descriptor` for its file.
private func readerDescription(
  _ type: String, path: String?, count: Int, details: String = "", isClosed: Bool
) -> String {
  let file = path.map { "\"\($0)\"" } ?? "a descriptor"
  return "\(type)(\(file), \(count) bytes\(details), \(isClosed ? "closed" : "open"))"
}

extension MMapReader: CustomStringConvertible {
  /// The file, the size and the state, such as `MMapReader("/data/index.bin", 4096 bytes,
  /// open)`.
  public var description: String {
    readerDescription("MMapReader", path: path, count: count, isClosed: isClosed)
  }
}

extension MMapWindowReader: CustomStringConvertible {
  /// The file, the size, the window budget and the state, such as
  /// `MMapWindowReader("/data/huge.bin", 68719476736 bytes, 4 windows of 16777216 bytes,
  /// open)`.
  public var description: String {
    readerDescription(
      "MMapWindowReader", path: path, count: count,
      details: ", \(maxWindows) windows of \(windowSize) bytes", isClosed: isClosed)
  }
}

extension PReadReader: CustomStringConvertible {
  /// The file, the size and the state, such as `PReadReader("/data/index.bin", 4096 bytes,
  /// open)`.
  public var description: String {
    readerDescription("PReadReader", path: path, count: count, isClosed: isClosed)
  }
}

extension InMemoryReader: CustomStringConvertible {
  /// The file, the size and the state, such as `InMemoryReader("/proc/self/status",
  /// 1432 bytes, open)`.
  public var description: String {
    readerDescription("InMemoryReader", path: path, count: count, isClosed: isClosed)
  }
}

extension ReloadingReader: CustomStringConvertible {
  /// The path, the version and the current version's reader, such as
  /// `ReloadingReader("/data/geo.db", version 3: MMapReader("/data/geo.db", 4096 bytes,
  /// open))`.
  public var description: String {
    let current = withCurrentReader { String(describing: $0) }
    return "ReloadingReader(\"\(filePath)\", version \(generation): \(current))"
  }
}
