import Synchronization

/// A read-only memory mapping of a whole file, or of a byte range of it.
///
/// Opening maps the file and closes the descriptor at once: an open reader holds a mapping,
/// never a file descriptor. Reads are then plain memory accesses: no system call, no lock,
/// no allocation.
///
/// ```swift
/// let reader = try MMapReader(path: "/data/index.bin")
/// defer { try? reader.close() }
/// var header = [UInt8](repeating: 0, count: 16)
/// let copied = try reader.read(from: 0, into: &header)
/// ```
///
/// ## Concurrency
///
/// Concurrent reads from several threads are safe, and so is ``close()`` racing with them: a
/// racing read either delivers the file's bytes or throws the closed error; it never faults
/// and never returns bytes that are not the file's. A view closure already running when
/// ``close()`` is called keeps its bytes until it returns: the last view out releases the
/// file.
///
/// The mechanism (`CloseGate`): ``close()`` marks the reader closed and then replaces the
/// file's pages with zero-filled anonymous pages at the same addresses, in one `mmap` call
/// with `MAP_FIXED`, so the address range never becomes unmapped while the reader exists;
/// `deinit` unmaps it. A copying read checks the flag once, after its copy; if it is set,
/// the copy may have seen zero pages and the read throws. The cost per copying read is one
/// load of the flag (a plain load on x86-64), a test and a branch, and no atomic
/// read-modify-write. A view pays one atomic add on entry and one on exit, to count itself.
/// That is why the type is `@unchecked Sendable`: its only mutable state is that atomic word
/// (and a flag, itself atomic, recording a release that failed).
///
/// ## Lifetimes
///
/// Bytes seen through the views of ``ZeroCopyReader`` are valid only inside the closure,
/// which that protocol describes once for every mapped reader.
///
/// ## Topics
///
/// ### Opening
/// - ``init(path:offset:count:prefault:)``
/// - ``init(fileDescriptor:offset:count:prefault:)``
/// - ``withReader(path:offset:count:prefault:_:)``
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
/// - ``float(at:byteOrder:)``
/// - ``double(at:byteOrder:)``
/// - ``float16(at:byteOrder:)``
///
/// ### Views and chunks
/// - ``withUnsafeBytes(in:_:)``
/// - ``forEachChunk(in:_:)``
///
/// ### Advice and residency
/// - ``advise(_:in:)``
/// - ``prefetch(_:)``
/// - ``prefault(in:parallelism:)``
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
public final class MMapReader: ZeroCopyReader, @unchecked Sendable {
  // The gate first, as in InMemoryReader: FileReader's fast path then checks either reader's
  // gate at the same offset, and compiles to one path with no test of its kind.

  @usableFromInline
  internal let gate: CloseGate

  @usableFromInline
  internal let mapping: FileMapping

  /// The number of bytes the reader exposes: the file's size, or the requested range's.
  public let count: Int

  /// The path the reader was opened with, or `nil` if it was made from a file descriptor.
  public let path: String?

  /// The file's identity and size at open, for ``fileStatus()``.
  internal let identity: FileIdentity

  /// The file offset of the reader's byte `0`.
  internal let fileOffset: Int

  /// Set when the swap to zero pages failed (at the process's mapping-count limit), so that
  /// a later ``close()`` tries it again.
  private let releaseFailed = Atomic<Bool>(false)

  /// Maps the file at `path`, or the byte range of it starting at `offset`.
  ///
  /// Opens the file read-only and non-blocking (a FIFO fails at once rather than waiting for
  /// a writer), maps it, and closes the descriptor before returning. An empty file or range
  /// maps nothing and reads as empty.
  ///
  /// - Parameters:
  ///   - path: The file to map. It must be a regular file.
  ///   - offset: The file offset of the first byte the reader exposes; any offset works.
  ///   - count: How many bytes to expose, or `nil` for the rest of the file.
  ///   - prefault: Whether to read every page in before returning (`MAP_POPULATE`), so that
  ///     later reads take no page fault. Costs time at open in proportion to the size.
  /// - Throws: ``MMapError``: ``MMapError/Operation/open`` for a missing or unreadable path
  ///   (`ENOENT`, `EACCES`), a path with a NUL byte (`EINVAL`), a directory (`EISDIR`), or
  ///   another non-regular file or a file of a pseudo file system like `/proc` (`ENODEV`);
  ///   ``MMapError/Operation/map`` with `EINVAL` if the range is not inside the file, or with
  ///   what `mmap` reported.
  public convenience init(
    path: String, offset: Int = 0, count: Int? = nil, prefault: Bool = false
  ) throws(MMapError) {
    try self.init(
      mapping: OpenedFile(path: path, offset: offset, count: count, rangeOperation: .map),
      path: path, prefault: prefault)
  }

  /// Maps the file open as `fileDescriptor`, or a byte range of it, without closing it.
  ///
  /// The reader keeps no reference to the descriptor: the caller may close it as soon as
  /// this returns. Parameters and errors are those of ``init(path:offset:count:prefault:)``,
  /// with `nil` as the error's path, and ``MMapError/Operation/open`` with what `fcntl`
  /// reported if the descriptor can't be duplicated for the mapping (`EBADF`, `EMFILE`), or
  /// with `EACCES` if it was not opened for reading (write-only, or `O_PATH`).
  public convenience init(
    fileDescriptor: CInt, offset: Int = 0, count: Int? = nil, prefault: Bool = false
  ) throws(MMapError) {
    try self.init(
      mapping: OpenedFile(
        duplicating: fileDescriptor, offset: offset, count: count, rangeOperation: .map),
      path: nil, prefault: prefault)
  }

  /// Maps `file`'s range, opened from `path` (`nil` for a descriptor). The mapping outlives
  /// the descriptor, which `file` closes when its owner drops it.
  internal init(mapping file: borrowing OpenedFile, path: String?, prefault: Bool)
    throws(MMapError)
  {
    self.mapping = try FileMapping(
      fd: file.fd, offset: file.range.lowerBound, count: file.range.count, populate: prefault,
      path: path)
    self.count = file.range.count
    self.path = path
    self.identity = file.identity
    self.fileOffset = file.range.lowerBound
    let identity = file.identity
    self.gate = CloseGate(
      faultCause: FaultCause(fileOffset: file.range.lowerBound) { identity.sizeNow(atPath: path) })
    mapping.guardFaults(reportingTo: gate.faultSink, readerOffset: 0)
  }

  deinit {
    // Nothing can be reading now: every read holds a reference to the reader.
    mapping.unmap()
  }

  /// Whether ``close()`` has been called.
  public var isClosed: Bool { gate.isClosed }

  /// Releases the file. Calling it again does nothing, unless releasing failed.
  ///
  /// Reads and views begun afterwards throw ``MMapError`` with `EBADF`. A view closure
  /// running on another thread keeps its bytes until it returns; the file is released when
  /// the last such closure ends. The address range stays reserved, backed by zero pages that
  /// use no memory, until the reader is deinitialized (see the type's concurrency notes).
  ///
  /// Releasing takes one new mapping for an instant, which the kernel refuses when the
  /// process is at its mapping-count limit (`vm.max_map_count` on Linux). The reader is then
  /// closed all the same, but keeps the file mapped, for the file's pages can't be unmapped
  /// while a copying read on another thread may still be touching them, and copying reads
  /// are never counted. The file is released when the reader is deinitialized, or by a
  /// later call of `close()` once the process has fewer mappings: each call after a failed
  /// release tries again.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/unmap`` and `ENOMEM` if the kernel
  ///   refuses to replace the mapping, at the process's mapping-count limit.
  public func close() throws(MMapError) {
    guard gate.close() || releaseFailed.load(ordering: .acquiring) else { return }
    try releaseFile()
  }

  /// Swaps the file's pages for zero pages, once no view uses them: the release that
  /// ``close()`` or the last view out makes. Records a failure, so that the next `close()`
  /// tries again. Swapping twice is harmless: the second swap replaces zero pages.
  internal func releaseFile() throws(MMapError) {
    do {
      try mapping.replaceWithZeroPages(path: path)
      releaseFailed.store(false, ordering: .releasing)
    } catch {
      releaseFailed.store(true, ordering: .releasing)
      throw error
    }
  }

  /// Marks the reader closed and leaves the mapping to `deinit`, which unmaps it with one
  /// `munmap`: the cheap close of ``RandomAccessReader/release()``, for a reader whose last
  /// reference is about to go.
  ///
  /// Always safe: the file's pages stay mapped until `deinit`, so a read on another thread
  /// (through a reference that ``RandomAccessReader/release()`` can't count, such as a weak
  /// one made strong meanwhile) copies the file's bytes, then finds the mark and throws.
  internal func closeLeavingUnmapToDeinit() {
    _ = gate.close()
  }

  /// Compares the file now with the file the reader mapped, by its path: the reader holds
  /// no descriptor.
  ///
  /// While the path names the file the reader mapped (the same device and inode as at
  /// open), the status has its size now. Once the file was renamed, deleted or replaced at
  /// its path, the reader can no longer learn its size: ``FileStatus/isAtPath`` is `false`
  /// and ``FileStatus/size`` `nil`. A reader made from a file descriptor has no path, and
  /// knows only the size at open.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/stat``: `EBADF` if the reader is
  ///   closed, or what `stat` reported other than `ENOENT` and `ENOTDIR`.
  public func fileStatus() throws(MMapError) -> FileStatus {
    guard !gate.isClosed else { throw MMapError.closed(.stat, path: path) }
    return try identity.status(path: path)
  }
}
