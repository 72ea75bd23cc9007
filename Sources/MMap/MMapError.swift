/// The one error the library throws: which operation failed, on which file, and why.
///
/// The description reads like a failed system call, for example
/// `map("/data/index.bin") failed: Cannot allocate memory (errno 12)`.
///
/// Errors the library detects itself use the `errno` the kernel would have chosen:
/// - a closed reader throws ``Operation/read`` with `EBADF`, as a closed descriptor would;
/// - an offset or a range outside the reader (a read, a view, a scan, advice), or a sub-range
///   outside the file at open, gives `EINVAL`;
/// - a file that ends before an exact read is complete gives `ENODATA`, and so does a typed
///   read of an integer that doesn't fit before the end, and a file truncated under a reader,
///   with ``missingOffset`` set (see ``isTruncation``). Compare it with the platform's `ENODATA`,
///   whose number and text differ: 61, "No data available" on Linux; 96, "No message
///   available on STREAM" on Darwin;
/// - a seek to a position before the start gives `EINVAL`;
/// - opening a directory gives `EISDIR`, and any other file that is not a regular file
///   (FIFO, socket, device) gives `ENODEV`, as `mmap(2)` would; so does a file of a pseudo
///   file system such as `/proc` or `/sys`, whose size says nothing of its contents;
/// - a path with a NUL byte in it gives `EINVAL`, and a file descriptor that was not opened
///   for reading (write-only, or `O_PATH`) gives `EACCES` at open;
/// - a file larger than the limit on reading it into memory (``InMemoryReader``,
///   ``FileReader``) gives ``Operation/read`` with `EFBIG`.
///
/// ## Topics
///
/// ### Creating an error
/// - ``init(_:path:errno:bytesWritten:missingOffset:)``
///
/// ### What failed
/// - ``operation``
/// - ``Operation``
/// - ``path``
/// - ``errno``
///
/// ### Details
/// - ``isTruncation``
/// - ``missingOffset``
/// - ``bytesWritten``
/// - ``elementMisfit``
public struct MMapError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The step that failed. A struct rather than an enum, so that adding an operation later
  /// breaks no client `switch`.
  ///
  /// ## Topics
  ///
  /// ### Opening
  /// - ``open``
  /// - ``stat``
  ///
  /// ### Mapping and memory
  /// - ``map``
  /// - ``unmap``
  /// - ``advise``
  /// - ``lock``
  /// - ``unlock``
  /// - ``residency``
  ///
  /// ### Reading and writing
  /// - ``read``
  /// - ``write``
  /// - ``seek``
  ///
  /// ### Naming an operation
  /// - ``name``
  public struct Operation: Hashable, Sendable, CustomStringConvertible {
    /// The name used in descriptions, such as `open` or `map`.
    public let name: String

    private init(_ name: String) { self.name = name }

    /// Opening the file, or checking that it can be mapped at all.
    public static let open = Operation("open")
    /// Asking the file's size and type with `fstat`.
    public static let stat = Operation("stat")
    /// Mapping the file or a window of it with `mmap`.
    public static let map = Operation("map")
    /// Releasing a mapping at ``MMapReader/close()``.
    public static let unmap = Operation("unmap")
    /// Giving access-pattern advice with `madvise`.
    public static let advise = Operation("advise")
    /// Reading bytes, by copy or through a view.
    public static let read = Operation("read")
    /// Writing a reader's bytes to a file descriptor.
    public static let write = Operation("write")
    /// Moving a ``ReaderCursor``'s position.
    public static let seek = Operation("seek")
    /// Locking pages in memory with `mlock`.
    public static let lock = Operation("lock")
    /// Unlocking pages with `munlock`.
    public static let unlock = Operation("unlock")
    /// Asking which pages are resident with `mincore`.
    public static let residency = Operation("residency")

    /// The operation's name, as ``name`` gives it.
    public var description: String { name }
  }

  /// The step that failed.
  public var operation: Operation
  /// The file's path, or `nil` for a reader made from a file descriptor.
  public var path: String?
  /// The error code, as `errno` reported it or as the kernel would have reported it.
  public var errno: CInt
  /// For a failed ``Operation/write``, how many bytes reached the descriptor before it
  /// failed (`0` if none did); `nil` for every other operation.
  ///
  /// A write to a non-blocking descriptor that would block throws `EAGAIN` with the count
  /// written so far, so that the caller can wait for the descriptor and resume there.
  public var bytesWritten: Int?
  /// For a file truncated under the reader: the reader offset of a byte the file no longer
  /// holds, so that the file now ends at or before it. `nil` for every other error.
  ///
  /// It is where the reader found the file short, not the file's new size: the start of the
  /// page whose access faulted, for a read or a view of a mapping (every byte from the new
  /// end to that page is missing too, but wasn't touched), and the offset where `pread`
  /// found the end, or the size `stat` reports, for the readers that ask. A read of that
  /// offset, and of everything after it, fails; the bytes before it may still be there.
  /// Ask ``RandomAccessReader/fileStatus()`` for the size now.
  public var missingOffset: Int?

  /// The offset of a byte the file no longer holds: ``missingOffset``, under the name that
  /// read like the file's new size.
  @available(*, deprecated, renamed: "missingOffset")
  public var fileEnd: Int? {
    get { missingOffset }
    set { missingOffset = newValue }
  }
  /// For a typed view refused because its range doesn't fit the element type: which way it
  /// doesn't (see ``ElementMisfit``). `nil` for every other error.
  public var elementMisfit: ElementMisfit?

  /// Creates an error for `operation` on `path` with the code `errno`.
  ///
  /// - Parameters:
  ///   - operation: The step that failed.
  ///   - path: The reader's path, or `nil` for a reader made from a file descriptor.
  ///   - errno: The error code.
  ///   - bytesWritten: For a failed write, the bytes written before it failed.
  ///   - missingOffset: For a file truncated under the reader, the offset of a byte it no
  ///     longer holds.
  public init(
    _ operation: Operation, path: String?, errno: CInt, bytesWritten: Int? = nil,
    missingOffset: Int? = nil
  ) {
    self.operation = operation
    self.path = path
    self.errno = errno
    self.bytesWritten = bytesWritten
    self.missingOffset = missingOffset
  }

  /// Creates an error for `operation` on `path` with the code `errno`, and for a truncation
  /// the offset of a byte the file no longer holds: ``init(_:path:errno:bytesWritten:missingOffset:)``
  /// under the old name of its last argument.
  @available(*, deprecated, renamed: "init(_:path:errno:bytesWritten:missingOffset:)")
  public init(
    _ operation: Operation, path: String?, errno: CInt, bytesWritten: Int? = nil,
    fileEnd: Int?
  ) {
    self.init(
      operation, path: path, errno: errno, bytesWritten: bytesWritten, missingOffset: fileEnd)
  }

  /// Whether the error reports a file truncated under the reader: another process shrank
  /// it below bytes the reader was asked for.
  public var isTruncation: Bool { missingOffset != nil }

  /// The operation, the path, and the `strerror` text, such as
  /// `open("/missing") failed: No such file or directory (errno 2)`, with the bytes written
  /// before a failed write: `write("/data/a.bin") failed after 65536 bytes: Broken pipe
  /// (errno 32)`, or for a truncation `read("/log") failed: file truncated: it now ends at or
  /// before offset 4096 (errno 61)`, where 61 is Linux's `ENODATA` (Darwin's is 96).
  public var description: String {
    let subject = path.map { "\"\($0)\"" } ?? ""
    let progress = bytesWritten.map { " after \($0) bytes" } ?? ""
    let reason =
      missingOffset.map { "file truncated: it now ends at or before offset \($0)" }
      ?? elementMisfit.map(\.description) ?? system_strerror(errno)
    return "\(operation)(\(subject)) failed\(progress): \(reason) (errno \(errno))"
  }
}

// The errors the library detects itself, built in one place so that every reader reports
// them alike.
extension MMapError {
  /// `operation` on a closed reader: `EBADF`, as a closed descriptor gives.
  @usableFromInline
  internal static func closed(_ operation: Operation = .read, path: String?) -> MMapError {
    MMapError(operation, path: path, errno: system_EBADF)
  }

  /// An offset or a range outside the reader (or, at open, outside the file): `EINVAL`.
  @usableFromInline
  internal static func outsideReader(_ operation: Operation = .read, path: String?)
    -> MMapError
  {
    MMapError(operation, path: path, errno: system_EINVAL)
  }

  /// A file truncated under the reader, found missing the byte at reader offset
  /// `missingOffset`: `ENODATA`, as a file that ends first gives.
  @usableFromInline
  internal static func truncated(path: String?, missingOffset: Int) -> MMapError {
    // A fault in the first page of a reader that starts inside a page gives that page's
    // reader offset, below 0; the file then ends at or before the reader's first byte.
    MMapError(.read, path: path, errno: system_ENODATA, missingOffset: max(0, missingOffset))
  }

  /// A file that holds more bytes than a reader may read into memory: `EFBIG`.
  internal static func tooLarge(path: String?) -> MMapError {
    MMapError(.read, path: path, errno: system_EFBIG)
  }

  /// A file that ended before an exact read was complete: `ENODATA`.
  @usableFromInline
  internal static func endOfFile(path: String?) -> MMapError {
    MMapError(.read, path: path, errno: system_ENODATA)
  }
}

/// A caller bug that stops the process: the few accesses that trap rather than throw (the
/// subscripts, like an array's, and out-of-range configuration), with the values involved.
@usableFromInline
internal enum CallerBug {
  /// An offset outside `0..<count`.
  case offsetOutside(Int, count: Int)
  /// A read of `offset` from a closed reader, or one whose file was truncated.
  case readingClosed(offset: Int)
  /// A setting outside what the reader accepts, described.
  case setting(String)
  /// A conforming type that breaks its protocol's contract, described.
  case brokenContract(String)
}

/// Stops the process for `bug`, with a message naming `type` and the values: the counterpart
/// of `precondition`. Kept out of line so that the callers' fast paths stay small.
@usableFromInline
@inline(never)
internal func trapCallerBug(_ type: StaticString, _ bug: CallerBug) -> Never {
  switch bug {
  case .offsetOutside(let offset, let count):
    fatalError("\(type): offset \(offset) is outside 0..<\(count)")
  case .readingClosed(let offset):
    fatalError("\(type): reading offset \(offset) of a closed reader or a truncated file")
  case .setting(let description), .brokenContract(let description):
    fatalError("\(type): \(description)")
  }
}
