/// How bytes go to a file descriptor: with `send(MSG_NOSIGNAL)` for a socket where the
/// platform has that flag (Linux), which never raises `SIGPIPE`; by reference with
/// `vmsplice` for a pipe, when the bytes are a file's mapped pages (``splicesPages``); and
/// with `write(2)` otherwise: under ``withNoSIGPIPEMark(on:isSocket:path:_:)`` where
/// descriptors can be marked to raise none (Darwin), else under
/// ``withSIGPIPESuppressed(_:)``. A reader that holds its file's descriptor may skip the
/// bytes altogether with a kernel transfer (see `DescriptorWriter+KernelTransfer.swift`).
internal struct DescriptorWriter {
  /// The descriptor written to. The caller keeps it open and owns it.
  let fd: CInt
  /// `MSG_NOSIGNAL`, for a socket on a platform that has it; otherwise `nil`.
  let sendFlags: CInt?
  /// The reader's path, for errors.
  let path: String?
  /// Whether `fd` is a socket, which Darwin marks with `SO_NOSIGPIPE` rather than with
  /// `F_SETNOSIGPIPE`.
  let isSocket: Bool
  /// What `fd` is open as, which decides the fastest way to it.
  var kind = DestinationKind.other
  /// Whether `fd` is non-blocking (`O_NONBLOCK`), which `splice` and `vmsplice` are told.
  var isNonBlocking = false
  /// Whether the bytes given to ``writeAll(_:written:)`` are pages of a file's shared
  /// mapping, which a pipe may hold by reference (`vmsplice`) rather than copy: never heap
  /// memory, which its owner may change or free once the call returns.
  var splicesPages = false

  /// The most bytes one call writes: the largest count every platform's `write` accepts
  /// (Darwin rejects more than `INT_MAX`), whole pages.
  static let maxCountPerCall = system_maxCountPerCall

  /// The most bytes one `send` to a socket is given: a loopback peer starts reading after
  /// the first megabyte instead of after the whole range, so sender and receiver overlap.
  static let maxCountPerSend = 1 << 20

  /// Runs `body`, which writes `count` bytes with this writer, so that no write raises
  /// `SIGPIPE`.
  ///
  /// A kernel transfer (`sendfile` to a socket) has no `MSG_NOSIGNAL`: with
  /// `isKernelTransfer`, `SIGPIPE` is suppressed around it whatever the destination.
  func withoutSIGPIPE<Result>(
    writing count: Int, isKernelTransfer: Bool = false,
    _ body: () throws(MMapError) -> Result
  ) throws(MMapError) -> Result {
    // send(MSG_NOSIGNAL) raises none.
    guard sendFlags == nil || isKernelTransfer else { return try body() }
    guard system_hasNoSIGPIPEMark else { return try withSIGPIPESuppressed(body) }
    // Nothing written, nothing to mark: a shut-down socket would refuse the mark.
    guard count > 0 else { return try body() }
    return try withNoSIGPIPEMark(on: fd, isSocket: isSocket, path: path, body)
  }

  /// Writes all of `bytes`, adding each count written to `written` as it goes.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/write`` and what `write` or `send`
  ///   reported; `EIO` if the descriptor accepts nothing without reporting an error.
  func writeAll(_ bytes: UnsafeRawBufferPointer, written: inout Int) throws(MMapError) {
    try writeAll(bytes, written: &written) { start, count in
      if let sendFlags {
        system_send(fd, start, min(count, Self.maxCountPerSend), sendFlags)
      } else if splicesPages && kind == .pipe && system_hasKernelTransfers {
        system_vmsplice(fd, start, count, isNonBlocking: isNonBlocking)
      } else {
        system_write(fd, start, count)
      }
    }
  }

  /// Writes all of `bytes` with `writeSome`, which writes a prefix of at most
  /// ``maxCountPerCall`` bytes and returns its count, or `-1` with `errno` set as `write(2)`
  /// does: calling it again after a short count or `EINTR`, adding each count to `written`.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/write`` and the `errno` of a failed
  ///   call other than `EINTR`, or `EIO` if a call writes nothing without failing.
  func writeAll(
    _ bytes: UnsafeRawBufferPointer, written: inout Int,
    _ writeSome: (UnsafeRawPointer, Int) -> Int
  ) throws(MMapError) {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
      // Can't overflow: done < bytes.count.
      let count = min(bytes.count &- done, Self.maxCountPerCall)
      let result = try checkSystemCall(.write, path: path) { writeSome(base + done, count) }
      guard result > 0 else { throw MMapError(.write, path: path, errno: system_EIO) }
      done &+= result  // Can't overflow: result <= count.
      written &+= result  // Can't overflow: at most the reader's count.
    }
  }
}

extension DescriptorWriter {
  /// Checks `fd` with `fstat` and `fcntl` and chooses how to write to it.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/write`` and what `fstat` or `fcntl`
  ///   reported, such as `EBADF`.
  init(fd: CInt, path: String?) throws(MMapError) {
    guard let destination = system_destination(fd) else {
      throw MMapError(.write, path: path, errno: system_errno)
    }
    let isSocket = destination.kind == .socket
    self.fd = fd
    self.sendFlags = isSocket ? system_MSG_NOSIGNAL : nil
    self.path = path
    self.isSocket = isSocket
    self.kind = destination.kind
    self.isNonBlocking = destination.isNonBlocking
  }
}
