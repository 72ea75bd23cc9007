/// Why a ``ReloadingReader`` kept serving the version it had: the file now at its path could
/// not be opened, was empty, or failed the caller's validation.
///
/// The reader that was current before the attempt stays current, so lookups go on reading a
/// consistent, older file; the error says what to fix.
///
/// ## Topics
///
/// ### Creating an error
/// - ``init(path:reason:)``
///
/// ### What failed
/// - ``path``
/// - ``reason``
/// - ``Reason``
///
/// ### Errors of the readers
/// - ``mmapError``
public struct ReloadError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What was wrong with the file at the path.
  ///
  /// ## Topics
  ///
  /// ### Reasons
  /// - ``missing``
  /// - ``empty``
  /// - ``unreadable(_:)``
  /// - ``rejected(_:)``
  /// - ``closed``
  public enum Reason: Hashable, Sendable {
    /// Nothing is at the path (`ENOENT` or `ENOTDIR`), as between a deletion and the rename
    /// that publishes the next version.
    case missing
    /// The file at the path is empty: a writer that truncated it and hasn't written yet, or
    /// a file created in place rather than renamed over the path.
    case empty
    /// Opening the file, or asking the current one's status, failed with this error
    /// (`EACCES`, `EISDIR`, `ENODEV`, `EMFILE`, ...).
    case unreadable(MMapError)
    /// The caller's validation closure threw; its error's description.
    case rejected(String)
    /// The ``ReloadingReader`` was closed.
    case closed
  }

  /// The path of the ``ReloadingReader``.
  public var path: String
  /// What was wrong.
  public var reason: Reason

  /// Creates an error for `path`.
  public init(path: String, reason: Reason) {
    self.path = path
    self.reason = reason
  }

  /// The failure as an ``MMapError`` of ``MMapError/Operation/open``, for code that handles
  /// only those: the open's own error, `ENOENT` for a missing file, `ENODATA` for an empty
  /// one, `EINVAL` for a rejected one, and `EBADF` once the reader is closed.
  public var mmapError: MMapError {
    switch reason {
    case .unreadable(let error): error
    case .missing: MMapError(.open, path: path, errno: system_ENOENT)
    case .empty: MMapError(.open, path: path, errno: system_ENODATA)
    case .rejected: MMapError(.open, path: path, errno: system_EINVAL)
    case .closed: MMapError.closed(.open, path: path)
    }
  }

  /// The path and the reason, such as `reload("/data/geo.db") kept the old version: the new
  /// file is empty`.
  public var description: String {
    let why =
      switch reason {
      case .missing: "no file at the path"
      case .empty: "the new file is empty"
      case .unreadable(let error): error.description
      case .rejected(let message): "the new file failed validation: \(message)"
      case .closed: "the reader is closed"
      }
    return "reload(\"\(path)\") kept the old version: \(why)"
  }

  /// The reason an open failed with `error`.
  internal static func opening(_ path: String, _ error: MMapError) -> ReloadError {
    let missing = error.errno == system_ENOENT || error.errno == system_ENOTDIR
    return ReloadError(path: path, reason: missing ? .missing : .unreadable(error))
  }
}

/// What a call of ``ReloadingReader/reloadIfReplaced()`` did.
///
/// ## Topics
///
/// ### Outcomes
/// - ``unchanged``
/// - ``reloaded``
/// - ``grew``
public enum ReloadOutcome: Hashable, Sendable {
  /// The path still names the file of the current version: nothing to do.
  case unchanged
  /// Another file took the path, and a reader of it is now the current version.
  case reloaded
  /// The file grew (with ``ReloadingReader/followsGrowth``), and a reader of it at its new
  /// size is now the current version.
  case grew
}
