/// Copies `buffer.count` bytes at file offset `offset` of `fd` into `buffer` with `pread`,
/// calling it again after a short count or EINTR, and stopping early only at end of file.
///
/// - Returns: The number of bytes copied; fewer than `buffer.count` only at end of file.
/// - Throws: ``MMapError`` with ``MMapError/Operation/read`` and what `pread` reported.
internal func preadFully(
  _ fd: CInt, offset: Int, into buffer: UnsafeMutableRawBufferPointer, path: String?
) throws(MMapError) -> Int {
  var filled = 0
  while filled < buffer.count {
    // Neither overflows: filled < buffer.count, and offset + filled stays within the file.
    let got = try checkSystemCall(.read, path: path) {
      system_pread(fd, buffer.baseAddress! + filled, buffer.count &- filled, offset &+ filled)
    }
    if got == 0 { break }
    filled &+= got
  }
  return filled
}
