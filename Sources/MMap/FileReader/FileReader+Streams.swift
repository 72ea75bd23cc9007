/// The first allocation for a stream: as much as a pipe holds by default on Linux.
private let firstStreamCapacity = 64 << 10

extension FileReader {
  /// The reader of the FIFO or terminal at `path`, read to its end, or `nil` if `path` names
  /// another kind of file that is not a regular file (a device, a socket).
  ///
  /// A FIFO is opened again, blocking, so that the open waits for a writer: a non-blocking
  /// descriptor would find no writer yet and read as empty.
  ///
  /// - Throws: ``MMapError``, as ``readStream(_:path:options:)`` does, or with
  ///   ``MMapError/Operation/open`` and what `open` reported.
  internal static func openStream(path: String, options: Options) throws(MMapError)
    -> FileReader?
  {
    let type = path.withCString { system_streamType($0) }
    guard type == .fifo || type == .characterDevice else { return nil }
    let fd = try checkSystemCall(.open, path: path) {
      path.withCString { type == .fifo ? system_openReadOnlyBlocking($0) : system_openReadOnly($0) }
    }
    defer { _ = system_close(fd) }
    guard isStream(fd) else { return nil }  // A device that is not a terminal.
    return try readStream(fd, path: path, options: options)
  }

  /// Whether `fd` is a FIFO, a pipe, a socket or a terminal: a file read in order to its end.
  internal static func isStream(_ fd: CInt) -> Bool {
    switch system_streamType(fd) {
    case .fifo, .socket: true
    case .characterDevice: system_isatty(fd)
    case nil: false
    }
  }

  /// The stream open as `fd`, opened from `path` (`nil` for a descriptor), read from its
  /// file offset to its end into an ``InMemoryReader``, up to ``Options/memoryLimit`` bytes.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/open`` and `ENODEV` if `options`
  ///   force a kind other than ``Kind/memory`` (a stream can't be mapped or read at an
  ///   offset); with ``MMapError/Operation/stat`` if `fstat` fails; with
  ///   ``MMapError/Operation/read`` and `EFBIG` if the stream holds more than the limit,
  ///   `ENOMEM` if the memory can't be allocated, or what `read` or `poll` reported.
  internal static func readStream(_ fd: CInt, path: String?, options: Options)
    throws(MMapError) -> FileReader
  {
    guard options.kind == nil || options.kind == .memory else {
      throw MMapError(.open, path: path, errno: system_ENODEV)
    }
    guard let status = system_fstat(fd) else {
      throw MMapError(.stat, path: path, errno: system_errno)
    }
    let loaded = try readToEnd(fd, limit: options.memoryLimit, path: path)
    let reader = InMemoryReader(loaded, path: path, identity: FileIdentity(status))
    return FileReader(.memory(reader), reason: .stream)
  }

  /// Reads `fd` with `read` until it reports the end, in allocations that double, up to
  /// `limit` bytes; the caller owns the bytes.
  private static func readToEnd(_ fd: CInt, limit: Int, path: String?) throws(MMapError)
    -> LoadedBytes
  {
    var buffer = HeapBuffer.empty
    var filled = 0
    do throws(MMapError) {
      while true {
        if filled == buffer.bytes.count {  // Full: grow, or make sure the stream ends here.
          guard buffer.bytes.count < limit else {
            var probe: UInt8 = 0
            let more = try withUnsafeMutableBytes(of: &probe) { (byte) throws(MMapError) in
              try readSome(fd, into: byte, path: path)
            }
            guard more == 0 else { throw MMapError.tooLarge(path: path) }
            break
          }
          // Can't overflow: capacity < limit <= Int.max, and the product is compared first.
          let capacity = buffer.bytes.count
          let grown =
            capacity == 0
            ? min(limit, firstStreamCapacity) : capacity <= limit / 2 ? capacity &* 2 : limit
          buffer = try buffer.grown(to: grown, keeping: filled, path: path)
        }
        let got = try readSome(
          fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer.bytes[filled...]), path: path)
        guard got > 0 else { break }
        filled &+= got  // Can't overflow: got <= the rest of the buffer.
      }
    } catch {
      buffer.free()
      throw error
    }
    guard filled > 0 else {
      buffer.free()
      return LoadedBytes(buffer: .empty, count: 0)
    }
    return LoadedBytes(buffer: buffer, count: filled)
  }

  /// One `read` of up to `buffer.count` bytes (at most ``system_maxCountPerCall``) from `fd`,
  /// again after `EINTR`, and after `poll` while a non-blocking descriptor has nothing yet.
  ///
  /// - Returns: The count read, `0` at the end of the stream.
  /// - Throws: ``MMapError`` with ``MMapError/Operation/read`` and what `read` or `poll`
  ///   reported.
  private static func readSome(
    _ fd: CInt, into buffer: UnsafeMutableRawBufferPointer, path: String?
  ) throws(MMapError) -> Int {
    guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
    let count = min(buffer.count, system_maxCountPerCall)
    while true {
      do {
        return try checkSystemCall(.read, path: path) { system_read(fd, base, count) }
      } catch let error where error.errno == system_EAGAIN {
        _ = try checkSystemCall(.read, path: path) { system_pollReadable(fd) }
      }
    }
  }
}
