import Foundation
import MMap

extension RandomAccessReader {
  /// The bytes in `range` (all of them by default) as `Data`, without copying them when the
  /// reader can map them: the way to hand a file to `JSONDecoder`, `PropertyListDecoder` and
  /// every other API that takes `Data`.
  ///
  /// ```swift
  /// let reader = try FileReader.open(path: "/data/config.json")
  /// let config = try JSONDecoder().decode(Config.self, from: try reader.data())
  /// try reader.close()        // `config` and the Data are unaffected
  /// ```
  ///
  /// ## Lifetime
  ///
  /// The `Data` owns its bytes, whatever happens to the reader: they stay valid, and stay the
  /// file's bytes, after the reader's `RandomAccessReader/close()` and after the reader is
  /// deinitialized, for as long as the `Data` or any copy or slice of it exists. Its memory is
  /// released when the last of them is destroyed.
  ///
  /// - From an `MMapReader` opened from a path, or an `MMapWindowReader`, a range of more
  ///   than `FileReader/defaultMemoryThreshold` bytes is a new mapping of the file, private
  ///   to the `Data`: made in a few microseconds whatever the size, and unmapped when the
  ///   `Data` goes. Writing to the `Data` in place changes private copies of the pages
  ///   written, never the file. Until a page is written, changes other processes write to
  ///   the file may show through it. The mapping is made only while the file still holds the
  ///   whole range: its size is checked first, so a file another process truncated below the
  ///   range throws `ENODATA`. If the file is truncated afterwards, the bytes past its new
  ///   end read as zeros instead of raising `SIGBUS` (a `Data` can't throw), as long as the
  ///   `TruncationGuard` is enabled.
  /// - Anything else is copied into the `Data` once: a smaller range (copying it costs less
  ///   than mapping it); an `InMemoryReader`'s bytes, which are already a copy; a
  ///   `PReadReader`'s, since it is the reader for files that must not be mapped; and an
  ///   `MMapReader` made from a descriptor, or whose path no longer names the file it
  ///   mapped, since it holds nothing else to make a private mapping from (its own mapping is
  ///   shared and read-only, and a `Data` may be written to).
  ///
  /// ## Memory
  ///
  /// A copy goes into memory allocated with `malloc`, which the `Data` takes over and frees:
  /// when `malloc` can't provide `range.count` bytes (in a process limited by `ulimit -v`,
  /// say) this throws `ENOMEM`, where `Data(count:)` would stop the process. Only the
  /// `Data`'s own small bookkeeping is allocated the ordinary way.
  ///
  /// - Parameter range: Offsets inside `0..<count`, or `nil` for all of them.
  /// - Returns: The bytes, with indices from `0`.
  /// - Throws: `MMapError` with `EBADF` if the reader is closed, with `EINVAL` if `range`
  ///   is not inside `0..<count` (any such range, also one whose count doesn't fit an `Int`),
  ///   with `ENODATA` if the file was truncated below `range`, with `ENOMEM` if the memory
  ///   for a copy can't be allocated, or what opening, mapping or reading the file reported.
  public func data(in range: Range<Int>? = nil) throws(MMapError) -> Data {
    let range = range ?? 0..<count
    // Checked before anything is computed from the range: the count of a range with a
    // negative bound may not fit an Int.
    guard !isClosed else { throw MMapError(.read, path: path, errno: EBADF) }
    guard range.lowerBound >= 0, range.upperBound <= count else {
      throw MMapError(.read, path: path, errno: EINVAL)
    }
    if range.count > FileReader.defaultMemoryThreshold,
      let detachable = self as? any DetachableReader,
      let mapping = try detachable.detachedMapping(in: range)
    {
      // Not nil: the range, and so the mapping, is not empty.
      return Data(
        bytesNoCopy: mapping.bytes.baseAddress.unsafelyUnwrapped, count: mapping.bytes.count,
        deallocator: .custom { _, _ in withExtendedLifetime(mapping) {} })
    }
    return try copiedData(in: range)
  }

  /// The bytes in `range`, which lies inside the reader, copied with one exact read into
  /// memory from `malloc` that the new `Data` takes over.
  ///
  /// - Throws: `MMapError` with `ENOMEM` if `malloc` fails, or what the read throws.
  private func copiedData(in range: Range<Int>) throws(MMapError) -> Data {
    guard !range.isEmpty else {
      // An empty read still checks that the reader is readable (not found truncated).
      try readExactly(
        from: range.lowerBound, into: UnsafeMutableRawBufferPointer(start: nil, count: 0))
      return Data()
    }
    guard let bytes = malloc(range.count) else {
      throw MMapError(.read, path: path, errno: ENOMEM)
    }
    let buffer = UnsafeMutableRawBufferPointer(start: bytes, count: range.count)
    do throws(MMapError) {
      try readExactly(from: range.lowerBound, into: buffer)
    } catch {
      free(bytes)
      throw error
    }
    return Data(bytesNoCopy: bytes, count: range.count, deallocator: .free)
  }
}
