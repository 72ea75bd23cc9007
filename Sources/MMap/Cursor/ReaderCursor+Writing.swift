extension ReaderCursor {
  /// Writes the bytes from ``position`` to the end to `fileDescriptor`, and moves past every
  /// byte written: the counterpart of Go's `WriteTo` on an `io.SectionReader`.
  ///
  /// The rules of ``RandomAccessReader/write(in:to:)`` apply: no copy on the mapped readers,
  /// short writes and `EINTR` retried, `EPIPE` thrown rather than `SIGPIPE` raised. When it
  /// throws, the position has still moved past the bytes that were written
  /// (``MMapError/bytesWritten``), so that after `EAGAIN` on a non-blocking descriptor the
  /// next call, once the descriptor is writable, goes on from there:
  ///
  /// ```swift
  /// while !cursor.isAtEnd {
  ///   do throws(MMapError) {
  ///     try cursor.write(to: socket)
  ///   } catch {
  ///     guard error.errno == EAGAIN else { throw error }
  ///     waitUntilWritable(socket)                  // poll(2) for POLLOUT
  ///   }
  /// }
  /// ```
  ///
  /// - Parameter fileDescriptor: An open descriptor to write to. The caller keeps it.
  /// - Returns: The number of bytes written: those from ``position`` to the end, or `0` at
  ///   or past the end.
  /// - Throws: ``MMapError``, as ``RandomAccessReader/write(in:to:)`` does.
  ///
  /// The corresponding C functions are `write` and `send`.
  @discardableResult
  public mutating func write(to fileDescriptor: CInt) throws(MMapError) -> Int {
    let (offset, available) = readerOffsetAndRemainingCount
    do {
      // Can't overflow: the range lies inside the reader.
      let written = try reader.write(in: offset..<offset &+ available, to: fileDescriptor)
      _position &+= written  // Can't overflow: written <= available.
      return written
    } catch {
      _position &+= error.bytesWritten ?? 0  // Can't overflow: at most available.
      throw error
    }
  }
}
