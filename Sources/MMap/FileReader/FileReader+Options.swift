extension FileReader {
  /// The kinds of reader ``FileReader`` opens.
  ///
  /// ## Topics
  ///
  /// ### Kinds
  /// - ``memory``
  /// - ``mapped``
  /// - ``windowed``
  /// - ``pread``
  ///
  /// ### Naming a reader's kind
  /// - ``init(of:)``
  public enum Kind: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The file read into memory once: an ``InMemoryReader``.
    case memory
    /// One mapping of the whole file: an ``MMapReader``.
    case mapped
    /// A few windows of the file mapped at a time: an ``MMapWindowReader``.
    case windowed
    /// One `pread` per read, nothing mapped: a ``PReadReader``.
    case pread

    /// The kind of `reader`: a ``FileReader``'s ``FileReader/kind``, or the kind of reader
    /// it is; `nil` for a reader of another type.
    ///
    /// - Parameter reader: Any reader.
    public init?(of reader: any RandomAccessReader) {
      switch reader {
      case let reader as FileReader: self = reader.kind
      case is InMemoryReader: self = .memory
      case is MMapReader: self = .mapped
      case is MMapWindowReader: self = .windowed
      case is PReadReader: self = .pread
      default: return nil
      }
    }

    /// The kind's name: `memory`, `mapped`, `windowed` or `pread`.
    public var description: String {
      switch self {
      case .memory: "memory"
      case .mapped: "mapped"
      case .windowed: "windowed"
      case .pread: "pread"
      }
    }
  }

  /// Why ``FileReader`` chose a reader's ``Kind``: ``FileReader/reason``.
  ///
  /// ## Topics
  ///
  /// ### Read into memory
  /// - ``small``
  /// - ``sizeUnknown``
  /// - ``stream``
  /// - ``mappingRefused(errno:)``
  ///
  /// ### Read with pread
  /// - ``remoteFileSystem(_:)``
  ///
  /// ### Mapped
  /// - ``mappable``
  /// - ``large``
  ///
  /// ### Chosen by the options
  /// - ``forced``
  public enum Reason: Sendable, Hashable, CustomStringConvertible {
    /// ``Options/kind`` forced the kind.
    case forced
    /// The file holds at most ``Options/memoryThreshold`` bytes: read into memory.
    case small
    /// The file's size says nothing of its contents (a pseudo file system such as `/proc`,
    /// or a size of `0`): read into memory to its end.
    case sizeUnknown
    /// A FIFO, a pipe, a socket or a terminal, standard input included: read into memory
    /// until its writer closes it.
    case stream
    /// The kernel refused to map the file, with this `errno`: read into memory.
    case mappingRefused(errno: CInt)
    /// The file belongs to a network or user-space file system, where a mapping turns page
    /// faults into round trips: read with `pread`.
    case remoteFileSystem(FileSystemClass)
    /// The file holds at least ``Options/windowThreshold`` bytes: mapped in windows.
    case large
    /// A local file above the memory threshold: mapped whole.
    case mappable

    /// The reason in a few words, such as `on a network file system (nfs)`.
    public var description: String {
      switch self {
      case .forced: "forced by the options"
      case .small: "at most the memory threshold"
      case .sizeUnknown: "its size says nothing of its contents"
      case .stream: "a stream, read to its end"
      case .mappingRefused(let errno): "the kernel refused to map it (errno \(errno))"
      case .remoteFileSystem(let fileSystem): "on \(fileSystem)"
      case .large: "at least the window threshold"
      case .mappable: "larger than the memory threshold"
      }
    }
  }

  /// How ``FileReader`` chooses a reader: thresholds on the file's size, the limit on what it
  /// reads into memory, the window geometry, or a forced kind.
  ///
  /// ## Topics
  ///
  /// ### Creating options
  /// - ``init(kind:memoryThreshold:windowThreshold:windowSize:maxWindows:memoryLimit:)``
  ///
  /// ### Choosing the reader
  /// - ``kind``
  /// - ``memoryThreshold``
  /// - ``windowThreshold``
  /// - ``memoryLimit``
  ///
  /// ### Window geometry
  /// - ``windowSize``
  /// - ``maxWindows``
  public struct Options: Sendable, Hashable {
    /// The kind of reader to open whatever the file, or `nil` to choose from its size and
    /// its file system.
    ///
    /// A forced ``Kind/mapped``, ``Kind/windowed`` or ``Kind/pread`` reader of a file of a
    /// pseudo file system, or of a stream, throws `ENODEV`, as those readers do, and a forced
    /// mapping that the kernel refuses throws instead of falling back to reading the file.
    /// Force ``Kind/mapped`` to map a file of a network file system all the same.
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

    /// The kind for a regular file that reports `size` bytes, and why, on the file system
    /// `fileSystem` tells, which is asked only for a file that would be mapped.
    internal func kind(forFileOf size: Int, on fileSystem: () -> FileSystemClass)
      -> (Kind, Reason)
    {
      if let kind { return (kind, .forced) }
      if size == 0 { return (.memory, .sizeUnknown) }
      if size <= min(memoryThreshold, memoryLimit) { return (.memory, .small) }
      let fileSystem = fileSystem()
      if fileSystem.isRemote { return (.pread, .remoteFileSystem(fileSystem)) }
      if let windowThreshold, size >= windowThreshold { return (.windowed, .large) }
      return (.mapped, .mappable)
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
