/// A reader that maps a file in page-aligned windows, a few at a time, for files too large
/// to map whole or to keep resident.
///
/// It answers every read ``MMapReader`` answers, with the same end-of-file and error rules,
/// while at most ``maxWindows`` windows of ``windowSize`` bytes are mapped at once: its
/// address space, and the file pages it keeps resident, stay bounded by
/// `maxWindows * windowSize` (the budget, which `maxMappedBytes` can set directly) whatever
/// the file's size. It keeps its own file descriptor open
/// until ``close()``.
///
/// ```swift
/// let reader = try MMapWindowReader(path: "/data/huge.bin", maxWindows: 2)
/// defer { try? reader.close() }
/// try reader.advise(.sequential)
/// try reader.forEachChunk { offset, bytes in
///   scan(bytes)
///   return .proceed
/// }
/// ```
///
/// ## Windows
///
/// Window `k` covers the bytes from the reader's first byte aligned down to a page plus
/// `k * windowSize`, so every window's file offset is page-aligned. Windows are mapped on
/// demand and the least recently used one no operation is using is unmapped to make room.
/// The default, ``defaultWindowSize`` (16 MiB) with ``defaultMaxWindows`` (4), is large
/// enough that the cost of mapping, prefaulting and unmapping a window (about 0.2 ms for
/// 16 MiB, most of it the prefault and the `munmap` of a fully faulted window) is spread over
/// a sequential scan of 4096 pages and the kernel's readahead runs at full stride, and
/// small enough that four windows use 64 MiB of address space. Use larger windows for long
/// scans on 64-bit systems, smaller ones when many readers are open at once or on 32-bit
/// systems; use more windows when that many regions are read in turn.
///
/// ## Misses
///
/// A read that finds its window mapped copies from it with no system call. A read that
/// misses maps the window only when the access looks sequential (it starts within a page
/// of where a recent access ended) or dense (several recent misses fell in the same
/// window); otherwise it is served by one `pread(2)`, so random small reads cost about one
/// system call each and never a map, a fault and an unmap. The full rule, and how it backs
/// off when its guesses don't pay, is in `MissPolicy`. A window mapped for the third or later
/// access of a sequential stream is prefaulted in one `madvise(MADV_POPULATE_READ)` on Linux,
/// rather than taking a page fault every 16 pages. The policy changes costs, never bytes.
///
/// ## Copies and views
///
/// A copy that crosses a window edge is split into one copy per window, transparently. A
/// view (``withUnsafeBytes(in:_:)``, ``withBytes(in:_:)``) inside one window uses that
/// window, pinned for the closure's duration; a view whose window isn't mapped and doesn't
/// qualify for mapping, or that crosses a window edge, gets a temporary mapping of exactly
/// its range, unmapped when the closure returns. So every view is zero-copy, including one
/// larger than the whole window budget, at the cost of that temporary mapping's pages being
/// resident while the closure runs. To scan a large range with bounded memory, use
/// ``forEachChunk(in:_:)``, which visits it one window at a time.
///
/// ## Concurrency
///
/// Concurrent reads from several threads are safe, and so is ``close()`` racing with them: a
/// racing read either delivers the file's bytes or throws the closed error; it never faults
/// and never returns bytes that are not the file's. A window in use by one thread is never
/// unmapped under it, and a view closure running when ``close()`` is called keeps its bytes
/// until it returns.
///
/// The mechanism has two paths. At open the reader reserves its whole window budget of
/// address space, ``maxWindows`` slots of ``windowSize`` bytes, as zero pages; a window is
/// mapped into a slot with `MAP_FIXED` and evicted by mapping the next window over it, so an
/// address in a slot is always readable. A read or a single byte that falls in a mapped
/// window copies from its slot with no lock and no atomic read-modify-write, and re-checks the
/// slot's sequence number afterwards, the reader side of a seqlock (`WindowSlots` gives the
/// memory-ordering argument); several threads hitting windows don't contend. Everything else
/// (misses, views, reads across a window edge, a read that overlapped a remap, advice and
/// closing) takes the locked path: one lock guards the table of slots (`WindowTable`), the
/// closed flag and a count of operations in flight. Such an operation enters under the lock
/// (failing with `EBADF` once closed), which pins the slot it uses or reserves one for it to
/// map; then, without the lock, it maps, copies, calls `pread` or runs its closure; then it
/// leaves under the lock. No system call runs under the lock. ``close()`` closes every slot to
/// lock-free reads and sets the flag; whichever of it and the last locked operation out finds
/// "closed and nothing in flight" replaces the windows with zero pages and closes the
/// descriptor, so no `pread` can run on a descriptor number that was closed and reused; the
/// reserved address space is unmapped at `deinit`. The type is `Sendable` because its
/// mutable state is behind that lock (a `pthread_mutex_t`, which ThreadSanitizer understands;
/// see `LockedValue`) or in the slots' atomic words.
///
/// ## Lifetimes
///
/// Bytes seen through the views of ``ZeroCopyReader`` are valid only inside the closure,
/// which that protocol describes once for every mapped reader.
///
/// ## Topics
///
/// ### Opening
/// - ``init(path:offset:count:windowSize:maxWindows:maxMappedBytes:)``
/// - ``init(fileDescriptor:offset:count:windowSize:maxWindows:maxMappedBytes:)``
/// - ``defaultWindowSize``
/// - ``defaultMaxWindows``
///
/// ### Windows
/// - ``windowSize``
/// - ``maxWindows``
/// - ``maxMappedBytes``
/// - ``mappedWindowCount``
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
/// ### Views and chunks
/// - ``withUnsafeBytes(in:_:)``
/// - ``forEachChunk(in:_:)``
/// - ``forEachWindow(in:_:)``
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
public final class MMapWindowReader: ZeroCopyReader {
  /// The window size used when none is given: 16 MiB.
  public static let defaultWindowSize = 16 << 20

  /// The most windows mapped at once when no limit is given: 4.
  public static let defaultMaxWindows = 4

  /// The number of bytes the reader exposes: the file's size, or the requested range's.
  @inlinable
  public var count: Int { geometry.count }

  /// The path the reader was opened with, or `nil` if it was made from a file descriptor.
  public let path: String?

  /// The size of each window: the requested size rounded up to a multiple of the page size.
  public var windowSize: Int { geometry.windowSize }

  /// The most windows mapped at once: the `maxWindows` given at open, or fewer if
  /// `maxMappedBytes` allows fewer.
  public let maxWindows: Int

  /// The most bytes mapped at once: ``maxWindows`` windows of ``windowSize`` bytes, or
  /// `Int.max` if that product is larger.
  public var maxMappedBytes: Int {
    let (bytes, overflow) = maxWindows.multipliedReportingOverflow(by: windowSize)
    return overflow ? .max : bytes
  }

  /// The reader's own descriptor, closed when the reader is released.
  internal let fd: CInt

  @usableFromInline
  internal let geometry: WindowGeometry

  internal let table: LockedValue<WindowTable>

  /// The reserved address space the windows are mapped into, read without the lock on hits.
  @usableFromInline
  internal let slots: WindowSlots

  /// Set by the truncation guard, or by a `pread` that ended early, when the file shrinks.
  @usableFromInline
  internal let truncation: TruncationMark

  /// The file's identity and size at open, for ``fileStatus()``.
  internal let identity: FileIdentity

  /// Opens the file at `path`, or the byte range of it starting at `offset`, for reading in
  /// windows. Maps nothing until the first read.
  ///
  /// The file is opened read-only, close-on-exec and non-blocking (a FIFO fails at once
  /// rather than waiting for a writer), and the reader keeps that descriptor until
  /// ``close()``.
  ///
  /// - Parameters:
  ///   - path: The file to read. It must be a regular file.
  ///   - offset: The file offset of the first byte the reader exposes; any offset works.
  ///   - count: How many bytes to expose, or `nil` for the rest of the file.
  ///   - windowSize: The size of a window in bytes, rounded up to a multiple of the page
  ///     size. Must be positive and at most `Int.max / 2`.
  ///   - maxWindows: The most windows mapped at once. Must be at least 1.
  ///   - maxMappedBytes: The most bytes mapped at once, or `nil` for no limit beyond
  ///     `maxWindows`: the reader maps at most `maxMappedBytes / windowSize` windows (after
  ///     rounding the window size up to whole pages). Must be at least one window's size.
  /// - Precondition: `windowSize`, `maxWindows` and `maxMappedBytes` are in range; otherwise
  ///   this traps with the values, before opening anything.
  /// - Throws: ``MMapError``: ``MMapError/Operation/open`` for a missing or unreadable path
  ///   (`ENOENT`, `EACCES`), a path with a NUL byte (`EINVAL`), a directory (`EISDIR`), or
  ///   another non-regular file or a file of a pseudo file system like `/proc` (`ENODEV`);
  ///   ``MMapError/Operation/map`` with `EINVAL` if the range is not inside the file, or with
  ///   `ENOMEM` if the window budget's address space can't be reserved.
  public convenience init(
    path: String, offset: Int = 0, count: Int? = nil,
    windowSize: Int = MMapWindowReader.defaultWindowSize,
    maxWindows: Int = MMapWindowReader.defaultMaxWindows, maxMappedBytes: Int? = nil
  ) throws(MMapError) {
    let size = Self.checkedWindowSize(windowSize)
    let windows = Self.windowLimit(size: size, maxWindows: maxWindows, maxBytes: maxMappedBytes)
    try self.init(
      OpenedFile(path: path, offset: offset, count: count, rangeOperation: .map), path: path,
      windowSize: size, maxWindows: windows)
  }

  /// Opens the file open as `fileDescriptor`, or a byte range of it, for reading in windows.
  ///
  /// The reader duplicates the descriptor (close-on-exec) and reads through its duplicate,
  /// which it closes when released; it never closes `fileDescriptor`, and the caller may
  /// close that as soon as this returns. Duplicating rather than borrowing means that a
  /// caller closing its descriptor can never make the reader read another file that reused
  /// the number. Parameters and errors are those of
  /// ``init(path:offset:count:windowSize:maxWindows:maxMappedBytes:)``, with `nil` as the
  /// error's path, and
  /// ``MMapError/Operation/open`` with what `fcntl` reported if the descriptor can't be
  /// duplicated (`EBADF`, `EMFILE`), or with `EACCES` if it was not opened for reading
  /// (write-only, or `O_PATH`).
  public convenience init(
    fileDescriptor: CInt, offset: Int = 0, count: Int? = nil,
    windowSize: Int = MMapWindowReader.defaultWindowSize,
    maxWindows: Int = MMapWindowReader.defaultMaxWindows, maxMappedBytes: Int? = nil
  ) throws(MMapError) {
    let size = Self.checkedWindowSize(windowSize)
    let windows = Self.windowLimit(size: size, maxWindows: maxWindows, maxBytes: maxMappedBytes)
    try self.init(
      OpenedFile(
        duplicating: fileDescriptor, offset: offset, count: count, rangeOperation: .map),
      path: nil, windowSize: size, maxWindows: windows)
  }

  /// Takes `file`'s descriptor, opened from `path` (`nil` for a descriptor), which the reader
  /// keeps until it is released, and reserves the address space of its windows.
  internal init(_ file: consuming OpenedFile, path: String?, windowSize: Int, maxWindows: Int)
    throws(MMapError)
  {
    let geometry = WindowGeometry(
      start: file.range.lowerBound, count: file.range.count, windowSize: windowSize)
    let slotCount = min(maxWindows, geometry.windowCount)
    guard slotCount <= Int.max / geometry.slotSize else {  // More than any address space.
      throw MMapError(.map, path: path, errno: system_ENOMEM)
    }
    self.slots = try WindowSlots(count: slotCount, size: geometry.slotSize, path: path)
    self.geometry = geometry
    self.table = LockedValue(WindowTable(geometry: geometry, slotCount: slotCount))
    self.path = path
    self.maxWindows = maxWindows
    self.identity = file.identity
    let identity = file.identity
    let fd = file.takeDescriptor()
    self.fd = fd
    self.truncation = TruncationMark(
      faultCause: FaultCause(fileOffset: geometry.start) { identity.sizeNow(descriptor: fd) })
    // Every slot stays guarded from here to deinit, whatever window it holds: a lock-free
    // copy may touch a slot at any moment, even while it changes or the reader closes.
    slots.guardFaults(reportingTo: truncation)
  }

  /// `windowSize` rounded up to whole pages; traps if it is out of range.
  internal static func checkedWindowSize(_ windowSize: Int) -> Int {
    if windowSize <= 0 || windowSize > Int.max / 2 {
      trapCallerBug(
        "MMapWindowReader", .setting("window size \(windowSize) is outside 1...\(Int.max / 2)"))
    }
    // Can't overflow: windowSize <= Int.max / 2, so rounding up adds less than a page.
    return (windowSize &- 1) / system_pageSize &* system_pageSize &+ system_pageSize
  }

  /// The most windows mapped at once under both limits; traps if either is out of range.
  private static func windowLimit(size: Int, maxWindows: Int, maxBytes: Int?) -> Int {
    if maxWindows < 1 {
      trapCallerBug("MMapWindowReader", .setting("maxWindows \(maxWindows) is less than 1"))
    }
    guard let maxBytes else { return maxWindows }
    if maxBytes < size {
      trapCallerBug(
        "MMapWindowReader",
        .setting("maxMappedBytes \(maxBytes) is less than one window of \(size) bytes"))
    }
    return min(maxWindows, maxBytes / size)
  }

  deinit {
    // Nothing can be in flight now: every operation holds a reference to the reader.
    if table.withLock({ $0.releaseAll() }) { _ = system_close(fd) }
    slots.release()
  }

  /// Whether ``close()`` has been called.
  public var isClosed: Bool { table.withLock { $0.isClosed } }

  /// The number of windows mapped now, at most ``maxWindows``. Temporary mappings made for
  /// views are not counted.
  public var mappedWindowCount: Int { table.withLock { $0.mappedWindowCount } }

  /// Unmaps every window and closes the reader's descriptor. Calling it again does nothing.
  ///
  /// Reads and views begun afterwards throw ``MMapError`` with `EBADF`. Operations already
  /// running on other threads finish first, with the file's bytes: a view closure keeps its
  /// bytes until it returns, and the last operation out releases the windows and the
  /// descriptor.
  ///
  /// - Throws: Nothing in practice: unmapping whole mappings and closing a descriptor don't
  ///   fail. The signature is that of ``RandomAccessReader/close()``.
  public func close() throws(MMapError) {
    // Lock-free reads stop first, before the table says closed: from then on the last locked
    // operation out may release the windows, and no lock-free read may still trust a slot.
    slots.closeAll()
    if table.withLock({ $0.close() }) { release() }
  }

  /// Compares the file now with the file the reader opened: its size from `fstat` on the
  /// reader's descriptor (the file the reader reads, wherever it has been moved), and
  /// whether the reader's path still names it.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/stat``: `EBADF` if the reader is
  ///   closed (also when ``close()`` races with this call), or what `fstat` or `stat`
  ///   reported (other than `ENOENT` and `ENOTDIR` for the path, which mean the file is no
  ///   longer there).
  public func fileStatus() throws(MMapError) -> FileStatus {
    guard table.withLock({ $0.enterWithoutWindow() }) else {
      throw MMapError.closed(.stat, path: path)
    }
    defer {
      leave(WindowAccess(slot: -1, offsetInSlot: 0, available: 0, streak: 0, advice: nil))
    }
    return try identity.status(descriptor: fd, path: path)
  }

  /// Replaces the windows with zero pages and closes the descriptor. Runs once, when no
  /// locked operation is in flight; lock-free reads still find readable memory, and fail.
  internal func release() {
    slots.clearAll()
    _ = system_close(fd)  // Never retried: the descriptor is gone even on EINTR.
  }
}
