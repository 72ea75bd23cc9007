extension RandomAccessReader {
  /// Writes the bytes in `range` to `fileDescriptor`: the counterpart of Go's `WriteTo`, and
  /// of the `io.Copy` to a socket that serves a file.
  ///
  /// ``MMapReader`` and ``MMapWindowReader`` write straight from the mapping, with no
  /// buffer in between: one `write(2)` for the whole range (in pieces of at most 1 GiB), or
  /// one per window. ``PReadReader`` copies each chunk of
  /// ``RandomAccessReader/forEachChunk(in:_:)`` into its buffer first. The bytes are read
  /// as ``forEachChunk(in:_:)`` reads them, so ``close()`` racing with the write is as safe
  /// as with a view: the write completes, or throws `EBADF` from the next chunk on.
  ///
  /// Short writes and `EINTR` are retried until every byte is written.
  ///
  /// ## The path to each destination
  ///
  /// The destination is checked with `fstat`, and takes the fastest path measured to it. A
  /// socket is written with `send(MSG_NOSIGNAL)` where the platform has it, straight from
  /// the mapping. On Linux, a pipe is handed the mapped pages by reference with `vmsplice`,
  /// with no copy: the pipe holds the file's own pages, so a change written to the file
  /// before the reading end reads them may be what it reads, as with `splice`. Anything else
  /// gets `write(2)`. ``PReadReader``, which holds its file's descriptor and no mapping,
  /// lets the kernel move the bytes on Linux without a buffer: `sendfile` to a socket,
  /// `splice` to a pipe, `copy_file_range` to a regular file (falling back to copies where
  /// the kernel refuses the pair, such as `EXDEV`).
  ///
  /// ```swift
  /// let reader = try MMapReader(path: "/srv/www/index.html")
  /// try reader.write(to: connection)         // the whole file
  /// try reader.write(in: 0..<512, to: logFile)   // a range
  /// ```
  ///
  /// ## Broken pipes raise no SIGPIPE
  ///
  /// Writing to a pipe or socket whose reading end is closed normally raises `SIGPIPE`,
  /// whose default action ends the process. This method throws `EPIPE` instead, whatever
  /// the process's `SIGPIPE` disposition: sockets get `MSG_NOSIGNAL`; for other descriptors
  /// (and sockets on platforms without that flag) it blocks `SIGPIPE` in the calling thread
  /// for the duration of the call, takes a `SIGPIPE` the call raised before unblocking, and
  /// restores the thread's signal mask. A `SIGPIPE` pending before the call stays pending;
  /// other threads are unaffected.
  ///
  /// Darwin raises a broken pipe's `SIGPIPE` for the process, where blocking it in one thread
  /// doesn't stop it, and has no `MSG_NOSIGNAL`. There the descriptor is marked instead for
  /// the duration of the call, unless it already is: `SO_NOSIGPIPE` on a socket,
  /// `F_SETNOSIGPIPE` on anything else. The mark belongs to the open file description, so
  /// that while the call runs, writes through duplicates of the descriptor raise no `SIGPIPE`
  /// either. A socket shut down in both directions refuses the mark; the call then throws
  /// `EPIPE`, which is what writing to it would give.
  ///
  /// ## Truncated files
  ///
  /// If another process truncates the file, every reader throws the truncation error of its
  /// reads (``MMapError/Operation/read`` with `ENODATA` and ``MMapError/missingOffset``, see
  /// ``MMapError/isTruncation``), with ``MMapError/bytesWritten`` set. ``MMapReader`` and
  /// ``MMapWindowReader`` hand their pages to `write(2)` untouched: Linux copies what is
  /// left, up to the end of the page that holds the new end (zeros after it, which
  /// ``MMapError/bytesWritten`` counts), and fails the call with `EFAULT` rather than raise
  /// `SIGBUS`; the reader then finds the file's size (with `fstat`, or for an ``MMapReader``,
  /// which holds no descriptor, with `stat` on its path) below the range. An ``MMapReader``
  /// made from a descriptor, or whose path no longer names its file, can't, and throws
  /// ``MMapError/Operation/write`` with `EFAULT`. As for every read of a mapping, the bytes
  /// between the new end and the end of its page read as zeros without a fault: a write of
  /// only those succeeds.
  ///
  /// ## Non-blocking descriptors
  ///
  /// On a non-blocking descriptor that is full, the call throws `EAGAIN` (`EWOULDBLOCK`)
  /// with ``MMapError/bytesWritten`` set to the bytes already written: wait until the
  /// descriptor is writable (`poll`) and call again with the rest of the range. A
  /// ``ReaderCursor`` does this bookkeeping: its ``ReaderCursor/write(to:)`` moves its
  /// position past every byte written, also when it throws.
  ///
  /// - Parameters:
  ///   - range: The reader offsets to write, inside `0..<count`, or `nil` for all of them.
  ///   - fileDescriptor: An open descriptor to write to: a file, pipe, socket or device.
  ///     The caller keeps it and closes it. Where a file descriptor has a file offset, the
  ///     write starts there and moves it, as `write(2)` does.
  /// - Returns: The number of bytes written: `range.count`.
  /// - Throws: ``MMapError`` carrying ``MMapError/bytesWritten``: with
  ///   ``MMapError/Operation/write`` and `EINVAL` if `range` is not inside `0..<count`, with
  ///   `EBADF` if the reader is closed, and with what `write` or `send` reported, such as
  ///   `EPIPE`, `EAGAIN`, `ENOSPC`, or `EBADF` for a descriptor that isn't open for writing;
  ///   or with what the reader's own reads throw (`EBADF` with ``MMapError/Operation/read``
  ///   when ``close()`` races with the write, `ENODATA` for a file truncated under it).
  ///
  /// The corresponding C functions are `write`, `send`, `vmsplice`, `sendfile`, `splice` and
  /// `copy_file_range`.
  @discardableResult
  public func write(in range: Range<Int>? = nil, to fileDescriptor: CInt) throws(MMapError)
    -> Int
  {
    // The chosen reader's own paths (vmsplice from a mapping, sendfile from a descriptor).
    if let file = self as? FileReader {
      return try file.writeThroughBase(range, to: fileDescriptor)
    }
    let range = range ?? 0..<count
    var written = 0
    do throws(MMapError) {
      guard !isClosed else { throw MMapError.closed(.write, path: path) }
      try checkInside(range, count: count, .write, path: path)
      var writer = try DescriptorWriter(fd: fileDescriptor, path: path)
      writer.splicesPages = self is any MappedFilePages
      if let lender = self as? any DescriptorLending, let transfer = writer.kernelTransfer {
        let isDone = try writer.withoutSIGPIPE(writing: range.count, isKernelTransfer: true) {
          () throws(MMapError) in
          try lender.withFileDescriptor { source, startOffset throws(MMapError) in
            try writer.transferAll(
              transfer, from: source, startOffset: startOffset, range: range,
              written: &written)
          }
        }
        if isDone { return written }
      }
      try writer.withoutSIGPIPE(writing: range.count) { () throws(MMapError) in
        try forEachChunkTyped(in: range) { chunk throws(MMapError) in
          try writer.writeAll(chunk, written: &written)
        }
      }
    } catch {
      var error = explainingTruncation(error, in: range)
      error.bytesWritten = written
      throw error
    }
    return written
  }

  /// ``forEachChunk(in:_:)`` for a visitor that throws only ``MMapError`` and never stops
  /// early, as a typed throw: the reader's own scan throws nothing else.
  internal func forEachChunkTyped(
    in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws(MMapError) -> Void
  ) throws(MMapError) {
    do {
      try forEachChunk(in: range) { _, chunk in
        try body(chunk)
        return .proceed
      }
    } catch let error as MMapError {
      throw error
    } catch {
      preconditionFailure("forEachChunk threw \(error), which is not an MMapError")
    }
  }
}

extension RandomAccessReader {
  /// Writes the bytes of `range` to `fileDescriptor`: the name ``write(in:to:)`` had before
  /// every range parameter of the library was spelled `in:`.
  @available(*, deprecated, renamed: "write(in:to:)")
  @discardableResult
  public func write(_ range: Range<Int>, to fileDescriptor: CInt) throws(MMapError) -> Int {
    try write(in: range, to: fileDescriptor)
  }
}
