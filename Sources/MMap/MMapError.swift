/// The one error the library throws: which operation failed, on which file, and why.
///
/// The description reads like a failed system call, for example
/// `map("/data/index.bin") failed: Cannot allocate memory (errno 12)`.
///
/// Errors the library detects itself use the `errno` the kernel would have chosen:
/// - a closed reader throws ``Operation/read`` with `EBADF`, as a closed descriptor would;
/// - an offset outside the file, or a sub-range past its end, gives `EINVAL`;
/// - a file that ends before an exact read is complete gives `ENODATA`;
/// - opening a directory gives `EISDIR`, and any other file that is not a regular file
///   (FIFO, socket, device) gives `ENODEV`, as `mmap(2)` would.
public struct MMapError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The step that failed. A struct rather than an enum, so that adding an operation later
  /// breaks no client `switch`.
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

    public var description: String { name }
  }

  /// The step that failed.
  public var operation: Operation
  /// The file's path, or `nil` for a reader made from a file descriptor.
  public var path: String?
  /// The error code, as `errno` reported it or as the kernel would have reported it.
  public var errno: CInt

  /// Creates an error for `operation` on `path` with the code `errno`.
  public init(_ operation: Operation, path: String?, errno: CInt) {
    self.operation = operation
    self.path = path
    self.errno = errno
  }

  /// The operation, the path, and the `strerror` text, such as
  /// `open("/missing") failed: No such file or directory (errno 2)`.
  public var description: String {
    let subject = path.map { "\"\($0)\"" } ?? ""
    return "\(operation)(\(subject)) failed: \(system_strerror(errno)) (errno \(errno))"
  }
}
