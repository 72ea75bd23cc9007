/// The file behind a reader now, against the file the reader opened: whether the reader's path
/// still names it, and what size it has.
///
/// A reader keeps the size its file had at open (``RandomAccessReader/count`` never changes),
/// so a program that reads a file others write, such as a log, asks
/// ``RandomAccessReader/fileStatus()`` between reads to learn that the file has grown (open a
/// new reader to read the rest), shrunk (reads past the new end fail), or been rotated away
/// (the path now names another file, or none), or been written in place
/// (``isModified``).
///
/// Only a file published by rename (written under another name, then renamed over the path)
/// gives readers a consistent file: they keep the old one, and a new reader (or a
/// ``ReloadingReader``) gets the new one. A file rewritten in place (`cp` over it, `wget -O`,
/// a program that truncates and writes) is neither replaced nor necessarily truncated, but
/// its bytes change under every reader's mapping, even halfway through a read: ``isModified``
/// tells it happened, it can't undo it.
///
/// ```swift
/// let status = try reader.fileStatus()
/// if status.isAtPath == false || status.isTruncated {
///   // Rotated or truncated: start over with a new reader of the path.
/// } else if status.hasGrown {
///   // Open a new reader for the bytes after the old end.
/// }
/// ```
///
/// ## Topics
///
/// ### Creating a status
/// - ``init(sizeAtOpen:size:isAtPath:isModified:)``
/// - ``init(sizeAtOpen:size:isAtPath:)``
///
/// ### Sizes
/// - ``sizeAtOpen``
/// - ``size``
///
/// ### Identity
/// - ``pathState``
/// - ``PathState``
/// - ``isAtPath``
/// - ``isModified``
///
/// ### Verdicts
/// - ``isUnchanged``
/// - ``isTruncated``
/// - ``hasGrown``
public struct FileStatus: Hashable, Sendable {
  /// The file's size in bytes when the reader opened it: the whole file's, also for a reader
  /// of a byte range of it.
  public var sizeAtOpen: Int

  /// The size in bytes of the file the reader opened, now; `nil` if the reader can't tell.
  ///
  /// A reader that holds a descriptor (``MMapWindowReader``, ``PReadReader``) always can.
  /// ``MMapReader`` holds only a mapping, so it learns the size from its path, and only while
  /// the path still names the file it mapped: `nil` once the file was renamed, deleted or
  /// replaced, and for a reader made from a file descriptor.
  public var size: Int?

  /// Whether the reader's path still names the file the reader opened (the same device and
  /// inode): `false` once that file was renamed or deleted, or another file took its path,
  /// as when a log is rotated; `nil` for a reader made from a file descriptor, which has no
  /// path.
  public var isAtPath: Bool?

  /// Whether the file the reader opened was written since: its modification time or its
  /// size differs from the one at open. `nil` when the reader can't tell (as for
  /// ``size``).
  ///
  /// A file rewritten in place at the same size shows only in its modification time, which
  /// file systems keep to a few milliseconds (a write in the same tick as the open may not
  /// show), and which a writer can set back (`touch -d`, `cp -p`). So `false` is a strong
  /// hint, not a proof, that the bytes are the ones the reader opened.
  public var isModified: Bool?

  /// Creates a status from its parts.
  public init(sizeAtOpen: Int, size: Int?, isAtPath: Bool?, isModified: Bool?) {
    self.sizeAtOpen = sizeAtOpen
    self.size = size
    self.isAtPath = isAtPath
    self.isModified = isModified
  }

  /// Creates a status from its parts, with ``isModified`` known only from the size: `true`
  /// when it changed, `false` when it didn't, `nil` when ``size`` is `nil`.
  public init(sizeAtOpen: Int, size: Int?, isAtPath: Bool?) {
    self.init(
      sizeAtOpen: sizeAtOpen, size: size, isAtPath: isAtPath,
      isModified: size.map { $0 != sizeAtOpen })
  }

  /// Whether the file is known to be as the reader opened it: still at its path (for a
  /// reader that has one) and of the same size.
  ///
  /// `false` also when the reader can't tell (``size`` is `nil`), and when the file was
  /// written since (``isModified``), which a rewrite at the same size shows only through
  /// its modification time.
  public var isUnchanged: Bool { isAtPath != false && size == sizeAtOpen && isModified != true }

  /// Whether the file is known to have shrunk since the reader opened it. Reads of the
  /// bytes past its new end throw ``MMapError`` with `ENODATA` (see ``MMapError/isTruncation``).
  public var isTruncated: Bool { size.map { $0 < sizeAtOpen } ?? false }

  /// Whether the file is known to have grown since the reader opened it. The reader still
  /// exposes ``RandomAccessReader/count`` bytes; a new reader sees the rest, and so does a
  /// ``PReadReader`` after ``PReadReader/extendToFileEnd()`` (this stays `true` then: it
  /// compares with the size at open).
  public var hasGrown: Bool { size.map { $0 > sizeAtOpen } ?? false }
}
