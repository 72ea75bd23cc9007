/// Copies `buffer.count` bytes at file offset `offset` of `fd` into `buffer` with `pread`,
/// calling it again after a short count or EINTR, and stopping early only at end of file.
///
/// Each call asks for at most ``system_maxCountPerCall`` bytes (Darwin rejects more than
/// `INT_MAX`), and a short count is not the end of the file: only a `pread` that returns `0`
/// is. So fewer bytes than `buffer.count` always mean that the file ends first.
///
/// - Returns: The number of bytes copied; fewer than `buffer.count` only at end of file.
/// - Throws: ``MMapError`` with ``MMapError/Operation/read`` and what `pread` reported.
internal func preadFully(
  _ fd: CInt, offset: Int, into buffer: UnsafeMutableRawBufferPointer, path: String?
) throws(MMapError) -> Int {
  try preadFully(offset: offset, into: buffer, path: path) { start, count, position in
    system_pread(fd, start, count, position)
  }
}

/// ``preadFully(_:offset:into:path:)`` with `readSome` for `pread`: it copies up to its
/// count (at most ``system_maxCountPerCall``) from its file offset to its address, and
/// returns the count, `0` at end of file, or `-1` with `errno` set, as `pread` does.
internal func preadFully(
  offset: Int, into buffer: UnsafeMutableRawBufferPointer, path: String?,
  _ readSome: (UnsafeMutableRawPointer, Int, Int) -> Int
) throws(MMapError) -> Int {
  guard let base = buffer.baseAddress else { return 0 }
  var filled = 0
  while filled < buffer.count {
    // None overflows: filled < buffer.count, and offset + filled stays within the file.
    let count = min(buffer.count &- filled, system_maxCountPerCall)
    let got = try checkSystemCall(.read, path: path) {
      readSome(base + filled, count, offset &+ filled)
    }
    if got == 0 { break }
    filled &+= got  // Can't overflow: got <= count.
  }
  return filled
}
