/// A reader that holds its file's descriptor and lends it to the kernel transfers of
/// ``RandomAccessReader/write(in:to:)``: ``PReadReader``, whose bytes would otherwise pass
/// through a buffer of this process on their way out.
internal protocol DescriptorLending: RandomAccessReader {
  /// Calls `body` with the reader's descriptor and the file offset of the reader's byte `0`.
  ///
  /// The descriptor stays open until `body` returns, even if ``close()`` races with it; don't
  /// store it or close it.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, or what `body` throws.
  func withFileDescriptor<Result>(
    _ body: (_ fd: CInt, _ startOffset: Int) throws(MMapError) -> Result
  ) throws(MMapError) -> Result
}

/// A reader whose chunks are pages of its file's shared mapping, which a pipe may hold by
/// reference (`vmsplice`) instead of a copy.
internal protocol MappedFilePages: RandomAccessReader {}

extension MMapReader: MappedFilePages {}
extension MMapWindowReader: MappedFilePages {}

extension PReadReader: DescriptorLending {
  internal func withFileDescriptor<Result>(
    _ body: (_ fd: CInt, _ startOffset: Int) throws(MMapError) -> Result
  ) throws(MMapError) -> Result {
    try whileDescriptorIsOpen { () throws(MMapError) in try body(fd, startOffset) }
  }
}

extension DescriptorWriter {
  /// The kernel call that moves a file's bytes to this destination from the file's
  /// descriptor: `sendfile` to a socket, `splice` to a pipe, `copy_file_range` to a regular
  /// file; `nil` for anything else, or where the platform has none of them.
  var kernelTransfer: KernelTransfer? {
    guard system_hasKernelTransfers else { return nil }
    switch kind {
    case .socket: return .sendfile
    case .pipe: return .splice
    case .regularFile: return .copyFileRange
    case .other: return nil
    }
  }

  /// Moves the reader bytes `range` of the file open as `source`, whose byte `0` is at file
  /// offset `startOffset`, to this destination with `transfer`, adding each count moved to
  /// `written`.
  ///
  /// - Returns: `true` once every byte is moved; `false` if the kernel can't make this
  ///   transfer between these two files (`EINVAL`, `EXDEV`, `EBADF`, `ENOSYS`, `EOPNOTSUPP`,
  ///   or an end of file the file's size doesn't explain) before moving anything, so that the caller
  ///   writes the bytes another way.
  /// - Throws: ``MMapError``: the truncation error (``MMapError/Operation/read``, `ENODATA`,
  ///   ``MMapError/missingOffset``) if the file ends before `range` does, or
  ///   ``MMapError/Operation/write`` with what the call reported, such as `EPIPE` or `EAGAIN`.
  func transferAll(
    _ transfer: KernelTransfer, from source: CInt, startOffset: Int, range: Range<Int>,
    written: inout Int
  ) throws(MMapError) -> Bool {
    // Can't overflow: startOffset + count is within the file, which fits in an Int.
    var fileOffset = startOffset &+ range.lowerBound
    let end = startOffset &+ range.upperBound
    var moved = 0
    while fileOffset < end {
      let count = min(end &- fileOffset, Self.maxCountPerCall)
      let result: Int
      do throws(MMapError) {
        result = try checkSystemCall(.write, path: path) {
          system_transfer(
            transfer, to: fd, from: source, offset: &fileOffset, count: count,
            isNonBlocking: isNonBlocking)
        }
      } catch {
        guard moved == 0, Self.isUnsupportedTransfer(error.errno) else { throw error }
        return false
      }
      guard result > 0 else {
        // The source ended early: truncated since the reader opened it, unless its size says
        // otherwise (a file system whose files this call can't read).
        let size = system_fstat(source)?.size ?? fileOffset
        if size < end { throw MMapError.truncated(path: path, missingOffset: size &- startOffset) }
        guard moved == 0 else { throw MMapError(.write, path: path, errno: system_EIO) }
        return false
      }
      moved &+= result  // Can't overflow: at most range.count.
      written &+= result
    }
    return true
  }

  /// Whether `code` from a kernel transfer means the kernel can't make it between these two
  /// files, rather than that writing failed. `copy_file_range` refuses a destination opened
  /// with `O_APPEND` with `EBADF`; a destination not open for writing gives `write(2)` the
  /// same `EBADF`, which it then reports.
  private static func isUnsupportedTransfer(_ code: CInt) -> Bool {
    code == system_EINVAL || code == system_EXDEV || code == system_ENOSYS || code == system_EBADF
      || code == system_EOPNOTSUPP || code == system_ENOTSUP
  }
}
