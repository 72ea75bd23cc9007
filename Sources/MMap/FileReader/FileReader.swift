/// A file opened with the reader that reads it fastest: one call, whatever the file, and one
/// concrete type, which every generic helper and ``ReaderCursor`` takes.
///
/// ```swift
/// let reader = try FileReader.open(path: "/etc/hosts")
/// defer { try? reader.close() }
/// let text = try reader.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
/// print(reader.kind, reader.reason)          // memory, at most the memory threshold
/// var cursor = ReaderCursor(reader)
/// ```
///
/// A `FileReader` wraps the reader it chose, its ``base``: an ``InMemoryReader``, an
/// ``MMapReader``, an ``MMapWindowReader`` or a ``PReadReader``. Each call switches once on
/// it and runs that reader's own code, inlined: `byte(at:)`, `read(from:into:)`, the
/// subscript and ``integer(at:as:byteOrder:)`` of a mapped file stay plain loads. The mapped
/// readers' extras (``advise(_:in:)``, ``lock(in:)``, ``unlock(in:)``, ``residency(in:)``)
/// are here too, for every kind. The choice, made from what `fstat` reports at open:
///
/// - A file of at most ``Options/memoryThreshold`` bytes (64 KiB unless set) is read into
///   memory with one `pread`, as an ``InMemoryReader``. Opening and closing a mapping costs
///   more than reading that much (see ``defaultMemoryThreshold``), and the reads are the same
///   memory accesses afterwards.
/// - A file of a pseudo file system (`/proc`, `/sys`), whose size says nothing of its
///   contents, and a file that reports a size of `0` are read to their end, where the mapped
///   readers refuse them or would be empty; so is a file whose mapping the kernel refuses
///   (`ENODEV`, `EACCES`, `EPERM`, `EINVAL`, `ENOTSUP`), and a FIFO, a pipe, a socket or a
///   terminal, read until its writer closes it: `-` names standard input. Either way at most
///   ``Options/memoryLimit`` bytes, past which opening throws `EFBIG`.
/// - A file of a network or user-space file system (NFS, SMB, 9p, Lustre, Ceph, AFS, FUSE:
///   see ``FileSystemClass``) is read with `pread`, as a ``PReadReader``: a mapping there
///   turns every page fault into a round trip to the server, and a server that goes away
///   into `SIGBUS`.
/// - A file of at least ``Options/windowThreshold`` bytes, when that is set, is mapped in
///   windows, as an ``MMapWindowReader`` with ``Options/windowSize`` and
///   ``Options/maxWindows``.
/// - Any other file is mapped whole, as an ``MMapReader``.
///
/// ``Options/kind`` forces a choice instead (a forced mapping of a pseudo file throws
/// `ENODEV`, as the mapped readers do); ``kind`` tells which reader was chosen, and
/// ``reason`` why. Directories and devices other than terminals are refused as every reader
/// refuses them (`EISDIR`, `ENODEV`).
///
/// ## Views of a file read with pread
///
/// Every `FileReader` is a ``ZeroCopyReader``, so code that views bytes runs on any file. A
/// ``PReadReader`` holds no copy of the file to lend: there, a view reads its range into a
/// temporary buffer (one `pread`, `ENOMEM` if it can't be allocated) and frees it when the
/// closure returns. The lifetime rules are those of every view.
///
/// Close the reader with ``close()``, or with ``RandomAccessReader/release()`` to release a
/// mapping with a single `munmap` when no other reference to the reader exists.
///
/// The type is `@unchecked Sendable` for its second reference to the chosen reader, an
/// `AnyObject`, which is the `Sendable` reader of ``base`` and never changes.
///
/// ## Topics
///
/// ### Opening
/// - ``open(path:options:)``
/// - ``open(fileDescriptor:options:)``
/// - ``withReader(path:options:_:)``
/// - ``Options``
/// - ``defaultMemoryThreshold``
///
/// ### The chosen reader
/// - ``kind``
/// - ``reason``
/// - ``base``
/// - ``Kind``
/// - ``Reason``
/// - ``Base``
/// - ``FileSystemClass``
///
/// ### Size and path
/// - ``count``
/// - ``path``
///
/// ### Reading bytes
/// - ``subscript(_:)``
/// - ``byte(at:)``
/// - ``read(from:into:)``
///
/// ### Typed reads
/// - ``integer(at:as:byteOrder:)``
///
/// ### Views and chunks
/// - ``withUnsafeBytes(in:_:)``
/// - ``forEachChunk(in:_:)``
///
/// ### Advice and residency
/// - ``advise(_:in:)``
/// - ``residency(in:)``
///
/// ### Locking
/// - ``lock(in:)``
/// - ``unlock(in:)``
///
/// ### File status
/// - ``fileStatus()``
///
/// ### Closing
/// - ``isClosed``
/// - ``close()``
public final class FileReader: ZeroCopyReader, @unchecked Sendable {
  /// The reader a ``FileReader`` chose, and reads through.
  ///
  /// ## Topics
  ///
  /// ### Readers
  /// - ``memory(_:)``
  /// - ``mapped(_:)``
  /// - ``windowed(_:)``
  /// - ``pread(_:)``
  public enum Base: Sendable {
    /// The file read into memory.
    case memory(InMemoryReader)
    /// One mapping of the whole file.
    case mapped(MMapReader)
    /// A few windows of the file mapped at a time.
    case windowed(MMapWindowReader)
    /// One `pread` per read.
    case pread(PReadReader)
  }

  /// The largest file read into memory when no threshold is given: 64 KiB.
  ///
  /// Measured with the benchmark (`openclose`, `lines` and `readat8`, with `--reader auto
  /// --memory-threshold` against `--reader mmap`) on an x86-64 Linux virtual machine: opening
  /// and closing an ``InMemoryReader`` (`open`, `fstat`, one `pread`, `close`) costs about
  /// half as much as an ``MMapReader`` (`open`, `fstat`, `mmap`, `close`, `munmap`) for a
  /// 4 KiB file, four fifths at 64 KiB, as much at about 96 KiB, and more beyond, where the
  /// copy costs more than the mapping; with one pass over every byte, which takes a page
  /// fault per 16 mapped pages, reading stays the cheaper past 256 KiB. Random reads cost
  /// about the same on both once open. The threshold sits below both crossovers, and keeps
  /// the memory a reader holds small. On
  /// machines where system calls and page faults cost less (outside a virtual machine) the
  /// crossovers are lower: LLVM's `MemoryBuffer`, for one, stops reading at 16 KiB.
  public static let defaultMemoryThreshold = 64 << 10

  /// The reader chosen at open, which every call goes to. Switch on it to run code on the
  /// concrete reader, or to reach what only that reader has (such as
  /// ``MMapWindowReader/mappedWindowCount``).
  public let base: Base

  /// The number of bytes the reader exposes: its ``base``'s.
  public let count: Int

  /// The path the reader was opened with, or `nil` if it was made from a file descriptor
  /// or reads standard input.
  public let path: String?

  /// Why ``open(path:options:)`` chose ``kind`` for the file.
  public let reason: Reason

  /// The kind of reader chosen: that of ``base``.
  public let kind: Kind

  /// The chosen reader again, as an object of the type ``kind`` names, for ``chosen(_:)``.
  @usableFromInline
  internal let chosenReader: AnyObject

  /// The chosen reader, which must be of type `type`: the one ``kind`` names.
  @inlinable
  @inline(__always)
  internal func chosen<Reader: AnyObject>(_ type: Reader.Type) -> Reader {
    unsafeDowncast(chosenReader, to: Reader.self)
  }

  /// Calls `body` with the chosen reader, which must be of type `type`, lent unretained:
  /// taking it out of a property retains and releases it, two atomic operations per call,
  /// more than a small view costs. Safe: this reader holds `chosenReader`, and the caller
  /// holds this reader.
  @inlinable
  @inline(__always)
  internal func withChosen<Reader: AnyObject, Result>(
    _ type: Reader.Type, _ body: (Reader) throws -> Result
  ) rethrows -> Result {
    try Unmanaged.passUnretained(unsafeDowncast(chosenReader, to: Reader.self))
      ._withUnsafeGuaranteedRef(body)
  }

  /// Whether the chosen reader, a file in memory or mapped whole, is closed or found
  /// truncated: the check that follows the fast paths' load or copy from ``loadableBase``.
  ///
  /// Lent (``withChosen(_:_:)``), as it is read on every byte. Both kinds hold their gate
  /// first, at the same offset, so the two arms compile to one load.
  @inlinable
  @inline(__always)
  internal var loadedBytesAreUnreadable: Bool {
    kind == .memory
      ? withChosen(InMemoryReader.self) { $0.gate.isUnreadableAfterCopy }
      : withChosen(MMapReader.self) { $0.gate.isUnreadableAfterCopy }
  }

  /// ``count`` for a file in memory or mapped whole, whose bytes the fast paths of
  /// ``byte(at:)`` and ``read(from:into:)`` load themselves, and `0` for the other kinds: one
  /// compare against it tests the kind and the bounds at once.
  @usableFromInline
  internal let loadableCount: Int

  /// The first byte of a file in memory or mapped whole, or `nil` for the other kinds: the
  /// fast paths load from it without first loading the chosen reader. Valid while this
  /// reader lives, since it holds the chosen reader, whose bytes stay allocated or mapped
  /// until its deinit (a closed mapping reads zeros until then). Each fast path reads `self`
  /// again after its load or copy, for the gate check, so `self` outlives the access even
  /// where the path is inlined into a caller holding the only reference.
  @usableFromInline
  internal let loadableBase: UnsafeRawPointer?

  /// Wraps `base`, chosen for `reason`.
  internal init(_ base: Base, reason: Reason) {
    self.base = base
    self.reason = reason
    switch base {
    case .memory(let reader):
      (count, path, kind) = (reader.count, reader.path, .memory)
      chosenReader = reader
    case .mapped(let reader):
      (count, path, kind) = (reader.count, reader.path, .mapped)
      chosenReader = reader
    case .windowed(let reader):
      (count, path, kind) = (reader.count, reader.path, .windowed)
      chosenReader = reader
    case .pread(let reader):
      (count, path, kind) = (reader.count, reader.path, .pread)
      chosenReader = reader
    }
    loadableCount = kind == .memory || kind == .mapped ? count : 0
    loadableBase =
      switch base {
      case .memory(let reader): reader.bytes.baseAddress
      case .mapped(let reader): UnsafeRawPointer(reader.mapping.bytes.baseAddress)
      case .windowed, .pread: nil
      }
  }

  /// Whether ``close()`` has been called.
  @inlinable
  @inline(__always)
  public var isClosed: Bool {
    switch kind {
    case .memory: chosen(InMemoryReader.self).isClosed
    case .mapped: chosen(MMapReader.self).isClosed
    case .windowed: chosen(MMapWindowReader.self).isClosed
    case .pread: chosen(PReadReader.self).isClosed
    }
  }

  /// Closes the chosen reader, as its own `close()` does. Calling it again does nothing.
  ///
  /// - Throws: What the chosen reader's `close()` throws: only a mapped reader can fail, at
  ///   the process's mapping-count limit (see ``MMapReader/close()``); it is closed even then.
  public func close() throws(MMapError) {
    switch base {
    case .memory(let reader): try reader.close()
    case .mapped(let reader): try reader.close()
    case .windowed(let reader): try reader.close()
    case .pread(let reader): try reader.close()
    }
  }

  /// The cheap close of ``RandomAccessReader/release()``, for a reader whose last reference
  /// is about to go: a mapping is left to the chosen reader's `deinit`, which unmaps it with
  /// one `munmap`, rather than replaced with zero pages first.
  ///
  /// Always safe, as ``MMapReader``'s own: its pages stay mapped until its `deinit`, which
  /// runs only once nothing holds it (this reader, or a reference taken from ``base``).
  internal func closeForRelease() throws(MMapError) {
    if case .mapped(let reader) = base {
      reader.closeLeavingUnmapToDeinit()
    } else {
      try close()
    }
  }

  /// Compares the file now with the file the reader opened, as the chosen reader's
  /// `fileStatus()` does (see ``RandomAccessReader/fileStatus()``).
  ///
  /// For a FIFO, a pipe, a socket or a terminal, the sizes are those `fstat` reports, which
  /// say nothing of what was read.
  public func fileStatus() throws(MMapError) -> FileStatus {
    switch base {
    case .memory(let reader): try reader.fileStatus()
    case .mapped(let reader): try reader.fileStatus()
    case .windowed(let reader): try reader.fileStatus()
    case .pread(let reader): try reader.fileStatus()
    }
  }
}

extension FileReader: CustomStringConvertible {
  /// The kind, the file, the reason and the state, such as `FileReader(mapped,
  /// "/data/index.bin", 1073741824 bytes: larger than the memory threshold, open)`.
  public var description: String {
    let file = path.map { "\"\($0)\"" } ?? "a descriptor"
    return
      "FileReader(\(kind), \(file), \(count) bytes: \(reason), \(isClosed ? "closed" : "open"))"
  }
}
