/// Memory holding a file's bytes, read with `pread`: allocated with `malloc` by
/// ``readIntoMemory(_:path:toEnd:limit:)`` and freed with ``deallocate()`` by its one owner.
internal struct LoadedBytes {
  /// The buffer the bytes were read into, or an empty one if nothing was read.
  let buffer: HeapBuffer
  /// The number of bytes read, at the start of the buffer.
  let count: Int

  /// The bytes read. Valid until ``deallocate()``.
  var bytes: UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: buffer.bytes.baseAddress, count: count)
  }

  /// Frees the memory. Call it once, when nothing can touch ``bytes`` any more.
  func deallocate() {
    buffer.free()
  }
}

/// A buffer from `malloc` whose first byte starts a cache line, so that copies out of it run
/// as fast as copies out of a mapped page. (`UnsafeMutableRawPointer.allocate` would align it
/// through `posix_memalign`, which costs as much again as the allocation.)
@usableFromInline
internal struct HeapBuffer {
  /// What `malloc` returned, or `nil` for an empty buffer. Valid until ``free()``.
  private let allocation: UnsafeMutableRawPointer?
  /// The usable bytes, from the first 64-byte boundary of the allocation. Valid until
  /// ``free()``.
  @usableFromInline
  let bytes: UnsafeMutableRawBufferPointer

  /// A buffer with no bytes, which allocates nothing.
  static var empty: HeapBuffer {
    HeapBuffer(allocation: nil, bytes: UnsafeMutableRawBufferPointer(start: nil, count: 0))
  }

  private init(allocation: UnsafeMutableRawPointer?, bytes: UnsafeMutableRawBufferPointer) {
    self.allocation = allocation
    self.bytes = bytes
  }

  /// Allocates `count` bytes (at least one), 64-byte aligned.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/read`` and `ENOMEM` if the allocation
  ///   fails.
  @usableFromInline
  init(count: Int, path: String?) throws(MMapError) {
    let (total, overflow) = count.addingReportingOverflow(63)  // Room to align the start.
    guard !overflow, let allocation = system_malloc(total) else {
      throw MMapError(.read, path: path, errno: system_ENOMEM)
    }
    let start = allocation.alignedUp(toMultipleOf: 64)
    self.init(
      allocation: allocation, bytes: UnsafeMutableRawBufferPointer(start: start, count: count))
  }

  /// Frees the allocation. Call it once, when nothing can touch ``bytes`` any more.
  @usableFromInline
  func free() {
    system_free(allocation)
  }

  /// A new buffer of `count` bytes that starts with this one's first `filled` bytes; this one
  /// is freed. On failure this one is left as it was, for the caller to free.
  ///
  /// - Throws: ``MMapError`` with ``MMapError/Operation/read`` and `ENOMEM`.
  func grown(to count: Int, keeping filled: Int, path: String?) throws(MMapError) -> HeapBuffer {
    let larger = try HeapBuffer(count: count, path: path)
    if filled > 0 {
      larger.bytes.baseAddress.unsafelyUnwrapped.copyMemory(
        from: bytes.baseAddress.unsafelyUnwrapped, byteCount: filled)
    }
    free()
    return larger
  }
}

/// The first allocation when a file doesn't report its size: most such files (`/proc`,
/// `/sys`) hold less.
private let firstUnknownSizeCapacity = 4096

/// Reads `file`'s range into memory, with `pread` from its descriptor (which moves no file
/// offset, so a caller's descriptor is left as it was).
///
/// The range is read as every reader takes it, from the size `fstat` reported at open: a file
/// that shrank meanwhile gives fewer bytes. But a whole file (`toEnd`) of a pseudo file system
/// (`/proc`, `/sys`), whose size says nothing of its contents, or that reports a size of `0`,
/// is read until `pread` reports its end, in growing allocations.
///
/// - Parameters:
///   - file: The open file and the range to read.
///   - path: The file's path for errors, or `nil` for a file given by descriptor.
///   - toEnd: Whether the whole file was asked for, rather than a range of it.
///   - limit: The most bytes to hold in memory.
/// - Returns: The bytes read, which the caller owns.
/// - Throws: ``MMapError`` with ``MMapError/Operation/read`` and `EFBIG` if the range, or the
///   file read to its end, holds more than `limit` bytes (checked before anything is read
///   when the size is known), with `ENOMEM` if `malloc` can't provide the memory, or what
///   `pread` reported.
internal func readIntoMemory(
  _ file: borrowing OpenedFile, path: String?, toEnd: Bool, limit: Int
) throws(MMapError) -> LoadedBytes {
  if toEnd && (file.isPseudoFile || file.identity.size == 0) {
    return try readToEnd(fd: file.fd, limit: limit, path: path)
  }
  let range = file.range
  guard range.count <= limit else { throw MMapError.tooLarge(path: path) }
  guard !range.isEmpty else { return LoadedBytes(buffer: .empty, count: 0) }
  let buffer = try HeapBuffer(count: range.count, path: path)
  do {
    let got = try preadFully(file.fd, offset: range.lowerBound, into: buffer.bytes, path: path)
    return LoadedBytes(buffer: buffer, count: got)
  } catch {
    buffer.free()
    throw error
  }
}

/// Reads `fd` from offset `0` until `pread` reports the end, in allocations that double, up to
/// `limit` bytes.
private func readToEnd(fd: CInt, limit: Int, path: String?) throws(MMapError) -> LoadedBytes {
  var buffer = HeapBuffer.empty
  var filled = 0
  do throws(MMapError) {
    while true {
      if filled == buffer.bytes.count {  // Full: grow, or make sure it ends at the limit.
        guard buffer.bytes.count < limit else {
          var probe: UInt8 = 0
          let more = try withUnsafeMutableBytes(of: &probe) { (byte) throws(MMapError) in
            try preadFully(fd, offset: filled, into: byte, path: path)
          }
          guard more == 0 else { throw MMapError.tooLarge(path: path) }
          break
        }
        // Can't overflow: buffer.count < limit <= Int.max, and the product is compared first.
        let capacity = buffer.bytes.count
        let grown =
          capacity == 0
          ? min(limit, firstUnknownSizeCapacity)
          : capacity <= limit / 2 ? capacity &* 2 : limit
        buffer = try buffer.grown(to: grown, keeping: filled, path: path)
      }
      let rest = UnsafeMutableRawBufferPointer(rebasing: buffer.bytes[filled...])
      let got = try preadFully(fd, offset: filled, into: rest, path: path)
      filled &+= got  // Can't overflow: got <= rest.count.
      if got < rest.count { break }  // preadFully stops short only at the end of the file.
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
