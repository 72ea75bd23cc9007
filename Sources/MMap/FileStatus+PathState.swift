extension FileStatus {
  /// What a reader's path names now, compared with the file the reader opened: the three
  /// answers ``isAtPath`` gives as `true`, `false` and `nil`, by name.
  public enum PathState: Hashable, Sendable {
    /// The path still names the reader's file.
    case sameFile
    /// The path names another file, or nothing: the file was replaced by a rename, renamed
    /// away or removed.
    case otherFileOrNone
    /// Not known: the reader was made from a descriptor and has no path.
    case unknown
  }

  /// What the reader's path names now; see ``PathState``.
  public var pathState: PathState {
    switch isAtPath {
    case true?: .sameFile
    case false?: .otherFileOrNone
    case nil: .unknown
    }
  }
}
