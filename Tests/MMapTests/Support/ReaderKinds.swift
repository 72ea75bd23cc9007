import MMap
import Testing

/// The library's readers, opened alike, so that one test checks the contract they share.
///
/// The windowed reader gets one-page windows, two at a time, so that every multi-page read,
/// view and scan crosses window edges and evicts.
enum ReaderKind: String, CaseIterable, Codable, Sendable, CustomTestStringConvertible {
  case mmap
  case windowed
  case pread
  case memory

  /// The readers that lend their bytes in place.
  static let zeroCopy: [ReaderKind] = [.mmap, .windowed, .memory]

  /// The readers that map the file: they take advice, lock and report residency, and a
  /// truncation faults in them.
  static let mapped: [ReaderKind] = [.mmap, .windowed]

  /// The readers that read the file at every access, and so see it change; the in-memory
  /// reader holds a copy made at open.
  static let readingTheFile: [ReaderKind] = [.mmap, .windowed, .pread]

  var testDescription: String { rawValue }

  /// The operation a range outside the file reports at open.
  var rangeOperation: MMapError.Operation {
    switch self {
    case .mmap, .windowed: .map
    case .pread, .memory: .open
    }
  }

  /// Whether the reader holds no descriptor once open, and so learns its file's size only
  /// through its path.
  var holdsNoDescriptor: Bool { self == .mmap || self == .memory }

  /// Opens `path`, or the range of it at `offset`.
  func open(_ path: String, offset: Int = 0, count: Int? = nil) throws(MMapError)
    -> any RandomAccessReader
  {
    switch self {
    case .mmap: try MMapReader(path: path, offset: offset, count: count)
    case .windowed:
      try MMapWindowReader(
        path: path, offset: offset, count: count, windowSize: pageSize, maxWindows: 2)
    case .pread: try PReadReader(path: path, offset: offset, count: count)
    case .memory: try InMemoryReader(path: path, offset: offset, count: count)
    }
  }

  /// Opens the file open as `fileDescriptor`.
  func open(fileDescriptor: CInt) throws(MMapError) -> any RandomAccessReader {
    switch self {
    case .mmap: try MMapReader(fileDescriptor: fileDescriptor)
    case .windowed:
      try MMapWindowReader(fileDescriptor: fileDescriptor, windowSize: pageSize, maxWindows: 2)
    case .pread: try PReadReader(fileDescriptor: fileDescriptor)
    case .memory: try InMemoryReader(fileDescriptor: fileDescriptor)
    }
  }

  /// Opens `path` as a zero-copy reader; only for the kinds in ``zeroCopy``.
  func openZeroCopy(_ path: String) throws(MMapError) -> any ZeroCopyReader {
    switch self {
    case .mmap: try MMapReader(path: path)
    case .windowed: try MMapWindowReader(path: path, windowSize: pageSize, maxWindows: 2)
    case .memory: try InMemoryReader(path: path)
    case .pread: preconditionFailure("PReadReader lends no bytes")
    }
  }
}
