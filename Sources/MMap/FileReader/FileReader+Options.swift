extension FileReader {
  /// The kinds of reader ``FileReader`` opens.
  public enum Kind: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The file read into memory once: an ``InMemoryReader``.
    case memory
    /// One mapping of the whole file: an ``MMapReader``.
    case mapped
    /// A few windows of the file mapped at a time: an ``MMapWindowReader``.
    case windowed

    /// The kind of `reader`, or `nil` for a reader ``FileReader`` doesn't open (such as a
    /// ``PReadReader``).
    ///
    /// - Parameter reader: Any reader.
    public init?(of reader: any RandomAccessReader) {
      switch reader {
      case is InMemoryReader: self = .memory
      case is MMapReader: self = .mapped
      case is MMapWindowReader: self = .windowed
      default: return nil
      }
    }

    /// The kind's name: `memory`, `mapped` or `windowed`.
    public var description: String {
      switch self {
      case .memory: "memory"
      case .mapped: "mapped"
      case .windowed: "windowed"
      }
    }
  }

  /// How ``FileReader`` chooses a reader: thresholds on the file's size, the limit on what it
  /// reads into memory, the window geometry, or a forced kind.
  public struct Options: Sendable, Hashable {
    /// The kind of reader to open whatever the file, or `nil` to choose from its size.
    ///
    /// A forced ``Kind/mapped`` or ``Kind/windowed`` reader of a file of a pseudo file system
    /// throws `ENODEV`, as those readers do, and a forced mapping that the kernel refuses
    /// throws instead of falling back to reading the file.
    public var kind: Kind?

    /// Files of at most this many bytes are read into memory. Must not be negative.
    public var memoryThreshold: Int

    /// Files of at least this many bytes are mapped in windows, or `nil` to map every file
    /// above ``memoryThreshold`` whole. Must be positive.
    public var windowThreshold: Int?

    /// The window size of a windowed reader, as ``MMapWindowReader`` takes it. Must be
    /// positive and at most `Int.max / 2`.
    public var windowSize: Int

    /// The most windows a windowed reader maps at once. Must be at least 1.
    public var maxWindows: Int

    /// The most bytes read into memory: a file read whole that holds more throws `EFBIG`.
    /// Files above it are never chosen for reading into memory, unless they can't be mapped.
    /// Must not be negative.
    public var memoryLimit: Int

    /// Creates options; the defaults choose by size alone and never map in windows.
    ///
    /// - Parameters:
    ///   - kind: A kind to force, or `nil` to choose.
    ///   - memoryThreshold: Files of at most this many bytes are read into memory.
    ///   - windowThreshold: Files of at least this many bytes are mapped in windows, or
    ///     `nil` for never.
    ///   - windowSize: The window size of a windowed reader.
    ///   - maxWindows: The most windows a windowed reader maps at once.
    ///   - memoryLimit: The most bytes read into memory.
    public init(
      kind: Kind? = nil, memoryThreshold: Int = FileReader.defaultMemoryThreshold,
      windowThreshold: Int? = nil, windowSize: Int = MMapWindowReader.defaultWindowSize,
      maxWindows: Int = MMapWindowReader.defaultMaxWindows,
      memoryLimit: Int = InMemoryReader.defaultLimit
    ) {
      self.kind = kind
      self.memoryThreshold = memoryThreshold
      self.windowThreshold = windowThreshold
      self.windowSize = windowSize
      self.maxWindows = maxWindows
      self.memoryLimit = memoryLimit
    }

    /// The kind for a regular file that reports `size` bytes.
    internal func kind(forFileOf size: Int) -> Kind {
      if size == 0 || size <= min(memoryThreshold, memoryLimit) { return .memory }
      if let windowThreshold, size >= windowThreshold { return .windowed }
      return .mapped
    }

    /// Traps, with the values, if a setting is out of range.
    internal func checkRanges() {
      if memoryThreshold < 0 || memoryLimit < 0 {
        trapCallerBug(
          "FileReader",
          .setting("memoryThreshold \(memoryThreshold) or memoryLimit \(memoryLimit) is negative"))
      }
      if let windowThreshold, windowThreshold <= 0 {
        trapCallerBug("FileReader", .setting("windowThreshold \(windowThreshold) is not positive"))
      }
      if windowSize <= 0 || windowSize > Int.max / 2 || maxWindows < 1 {
        trapCallerBug(
          "FileReader",
          .setting("windowSize \(windowSize) or maxWindows \(maxWindows) is out of range"))
      }
    }
  }
}
