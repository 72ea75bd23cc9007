/// A reader that maps a file in page-aligned windows, a few at a time, for files too large
/// to map whole or to keep resident.
///
/// It answers every read ``MMapReader`` answers, with the same end-of-file and error rules,
/// while at most ``maxWindows`` windows of ``windowSize`` bytes are mapped at once: its
/// address space, and the file pages it keeps resident, stay bounded by
/// `maxWindows * windowSize` whatever the file's size. It keeps its own file descriptor open
/// until ``close()``.
///
/// ```swift
/// let reader = try MMapWindowReader(path: "/data/huge.bin", maxWindows: 2)
/// defer { reader.close() }
/// reader.advise(.sequential)
/// try reader.forEachWindow { offset, bytes in scan(bytes) }
/// ```
///
/// ## Windows
///
/// Window `k` covers the bytes from the reader's first byte aligned down to a page plus
/// `k * windowSize`, so every window's file offset is page-aligned. Windows are mapped on
/// demand and the least recently used one no operation is using is unmapped to make room.
/// The default, ``defaultWindowSize`` (16 MiB) with ``defaultMaxWindows`` (4), is large
/// enough that the cost of mapping and unmapping a window (microseconds) is spread over a
/// sequential scan of thousands of pages and the kernel's readahead runs at full stride, and
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
/// ``forEachWindow(in:_:)``.
///
/// ## Concurrency
///
/// Concurrent reads from several threads are safe, and so is ``close()`` racing with them: a
/// racing read either delivers the file's bytes or throws the closed error; it never faults
/// and never returns bytes that are not the file's. A window in use by one thread is never
/// unmapped under it, and a view closure running when ``close()`` is called keeps its bytes
/// until it returns.
///
/// The mechanism: one lock guards the table of windows, the closed flag and a count of
/// operations in flight. Every operation enters under the lock (failing with `EBADF` once
/// closed), pins the window it uses, copies or calls `pread` or runs its closure without
/// the lock, then leaves under the lock. ``close()`` only sets the flag; whichever of it and
/// the last operation out finds "closed and nothing in flight" unmaps the windows and closes
/// the descriptor, so no `pread` can run on a descriptor number that was closed and reused.
/// The cost is two uncontended lock round trips per read (tens of nanoseconds), small next
/// to a `pread` and to the page faults a window's first reads take. The type is `Sendable`
/// because all its mutable state is behind that lock (a `pthread_mutex_t`, which
/// ThreadSanitizer understands; see `LockedValue`).
///
/// ## Lifetimes
///
/// Bytes seen through the views are valid only inside the closure. If another process
/// truncates the file, touching a page past its new end raises `SIGBUS`; changes other
/// processes write to the file may be visible.
public final class MMapWindowReader: RandomAccessReader {
  /// The window size used when none is given: 16 MiB.
  public static let defaultWindowSize = 16 << 20

  /// The most windows mapped at once when no limit is given: 4.
  public static let defaultMaxWindows = 4

  /// The number of bytes the reader exposes: the file's size, or the requested range's.
  public var count: Int { geometry.count }

  /// The path the reader was opened with, or `nil` if it was made from a file descriptor.
  public let path: String?

  /// The size of each window: the requested size rounded up to a multiple of the page size.
  public var windowSize: Int { geometry.windowSize }

  /// The most windows mapped at once.
  public let maxWindows: Int

  /// The reader's own descriptor, closed when the reader is released.
  internal let fd: CInt

  internal let geometry: WindowGeometry

  internal let table: LockedValue<WindowTable>

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
  /// - Precondition: `windowSize` and `maxWindows` are in range; otherwise this traps with
  ///   the values.
  /// - Throws: ``MMapError``: ``MMapError/Operation/open`` for a missing or unreadable path
  ///   (`ENOENT`, `EACCES`), a directory (`EISDIR`) or another non-regular file (`ENODEV`);
  ///   ``MMapError/Operation/map`` with `EINVAL` if the range is not inside the file.
  public convenience init(
    path: String, offset: Int = 0, count: Int? = nil,
    windowSize: Int = MMapWindowReader.defaultWindowSize,
    maxWindows: Int = MMapWindowReader.defaultMaxWindows
  ) throws(MMapError) {
    let fd = try openReadOnly(path: path)
    try self.init(
      ownedDescriptor: fd, path: path, offset: offset, count: count, windowSize: windowSize,
      maxWindows: maxWindows)
  }

  /// Opens the file open as `fileDescriptor`, or a byte range of it, for reading in windows.
  ///
  /// The reader duplicates the descriptor (close-on-exec) and reads through its duplicate,
  /// which it closes when released; it never closes `fileDescriptor`, and the caller may
  /// close that as soon as this returns. Duplicating rather than borrowing means that a
  /// caller closing its descriptor can never make the reader read another file that reused
  /// the number. Parameters and errors are those of
  /// ``init(path:offset:count:windowSize:maxWindows:)``, with `nil` as the error's path, and
  /// ``MMapError/Operation/open`` with what `fcntl` reported if the descriptor can't be
  /// duplicated (`EBADF`, `EMFILE`).
  public convenience init(
    fileDescriptor: CInt, offset: Int = 0, count: Int? = nil,
    windowSize: Int = MMapWindowReader.defaultWindowSize,
    maxWindows: Int = MMapWindowReader.defaultMaxWindows
  ) throws(MMapError) {
    let fd = try checkSystemCall(.open, path: nil) { system_dupCloseOnExec(fileDescriptor) }
    try self.init(
      ownedDescriptor: fd, path: nil, offset: offset, count: count, windowSize: windowSize,
      maxWindows: maxWindows)
  }

  /// Takes ownership of `fd`: on failure closes it, on success keeps it until released.
  private init(
    ownedDescriptor fd: CInt, path: String?, offset: Int, count: Int?, windowSize: Int,
    maxWindows: Int
  ) throws(MMapError) {
    if windowSize <= 0 || windowSize > Int.max / 2 {
      _ = system_close(fd)
      fatalError("MMapWindowReader: window size \(windowSize) is outside 1...\(Int.max / 2)")
    }
    if maxWindows < 1 {
      _ = system_close(fd)
      fatalError("MMapWindowReader: maxWindows \(maxWindows) is less than 1")
    }
    let range: Range<Int>
    do {
      let size = try regularFileSize(fd: fd, path: path)
      range = try fileRange(offset: offset, count: count, fileSize: size, path: path)
    } catch {
      _ = system_close(fd)
      throw error
    }
    // Can't overflow: windowSize <= Int.max / 2, so rounding up adds less than a page.
    let rounded = (windowSize &- 1) / system_pageSize &* system_pageSize &+ system_pageSize
    let geometry = WindowGeometry(start: range.lowerBound, count: range.count, windowSize: rounded)
    self.geometry = geometry
    self.table = LockedValue(WindowTable(geometry: geometry, maxWindows: maxWindows))
    self.fd = fd
    self.path = path
    self.maxWindows = maxWindows
  }

  deinit {
    // Nothing can be in flight now: every operation holds a reference to the reader.
    if let released = table.withLock({ $0.releaseAll() }) { release(released) }
  }

  /// Whether ``close()`` has been called.
  public var isClosed: Bool { table.withLock { $0.isClosed } }

  /// The number of windows mapped now, at most ``maxWindows``. Temporary mappings made for
  /// views are not counted.
  public var mappedWindowCount: Int { table.withLock { $0.windows.count } }

  /// Unmaps every window and closes the reader's descriptor. Calling it again does nothing.
  ///
  /// Reads and views begun afterwards throw ``MMapError`` with `EBADF`. Operations already
  /// running on other threads finish first, with the file's bytes: a view closure keeps its
  /// bytes until it returns, and the last operation out releases the windows and the
  /// descriptor. Unlike ``MMapReader/close()`` it can't fail, so it doesn't throw.
  public func close() {
    if let released = table.withLock({ $0.close() }) { release(released) }
  }

  /// Unmaps `released` and closes the descriptor. Runs once, when nothing is in flight.
  internal func release(_ released: ReleasedWindows) {
    for mapping in released.mappings { mapping.unmap() }
    _ = system_close(fd)  // Never retried: the descriptor is gone even on EINTR.
  }

  /// Starts an operation on `offset..<offset + count` under the lock (see ``WindowTable``),
  /// then, with the lock released, unmaps any window it evicted and prefaults the window it
  /// mapped for a well-established stream.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed.
  internal func enter(at offset: Int, count: Int, kind: WindowTable.Kind) throws(MMapError)
    -> WindowAccess
  {
    let access = table.withLock { table in
      table.enter(at: offset, count: count, kind: kind, fd: fd, path: path)
    }
    guard let access else { throw closedError() }
    access.evicted?.unmap()
    #if os(Linux) || os(Android)
      if let window = access.toPrefault {  // Linux 5.14 and later; earlier ones fault later.
        try? window.advise(system_MADV_POPULATE_READ, in: 0..<window.bytes.count, path: path)
      }
    #endif
    return access
  }

  /// Ends an operation begun with ``enter(at:count:kind:)``, releasing the reader if it was
  /// closed meanwhile and this was the last operation out.
  internal func leave(_ access: WindowAccess) {
    let window = access.window
    if let released = table.withLock({ $0.leave(window: window) }) { release(released) }
  }

  /// The error every read and view of a closed reader throws.
  internal func closedError() -> MMapError {
    MMapError(.read, path: path, errno: system_EBADF)
  }
}
