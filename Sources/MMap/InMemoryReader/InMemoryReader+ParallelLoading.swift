extension InMemoryReader {
  /// Reads the file at `path`, or a byte range of it, into memory with several large `pread`
  /// calls at once, on up to `parallelism`'s threads: for a job that loads a large file once
  /// (model weights, an index) and works from memory.
  ///
  /// The range is cut into parts of up to 4 MiB that the threads read in turn, each straight
  /// into its place in the reader's memory, so several reads are in flight at once: a device
  /// with a deep queue (NVMe) serves them faster than one read at a time, and a page-cached
  /// file is copied by several cores. A range too small to share (see
  /// ``Parallelism/minimumBytesPerThread``) is read on the calling thread. Files whose size
  /// says nothing of their contents (`/proc`) are read as ``init(path:offset:count:limit:)``
  /// reads them.
  ///
  /// ```swift
  /// let weights = try InMemoryReader(path: "model.safetensors", parallelism: .automatic)
  /// ```
  ///
  /// - Parameters:
  ///   - path: The file to read. It must be a regular file.
  ///   - offset: The file offset of the first byte to read; any offset works.
  ///   - count: How many bytes to read, or `nil` for the rest of the file.
  ///   - limit: The most bytes to hold in memory; no limit by default, since this is the
  ///     initializer for large files.
  ///   - parallelism: The most threads to use; see ``Parallelism``.
  /// - Throws: What ``init(path:offset:count:limit:)`` throws; a part that fails gives the
  ///   error of the first such part in file order, once every thread has stopped.
  public convenience init(
    path: String, offset: Int = 0, count: Int? = nil, limit: Int = .max,
    parallelism: Parallelism
  ) throws(MMapError) {
    let limit = Self.checkedLimit(limit)
    let file = try OpenedFile(
      path: path, offset: offset, count: count, rangeOperation: .open,
      acceptingPseudoFiles: true)
    let toEnd = offset == 0 && count == nil
    guard !(toEnd && (file.isPseudoFile || file.identity.size == 0)) else {
      try self.init(reading: file, path: path, toEnd: toEnd, limit: limit)
      return
    }
    let range = file.range
    guard range.count <= limit else { throw MMapError.tooLarge(path: path) }
    guard !range.isEmpty else {
      self.init(LoadedBytes(buffer: .empty, count: 0), path: path, identity: file.identity)
      return
    }
    let buffer = try HeapBuffer(count: range.count, path: path)
    let loaded: LoadedBytes
    do throws(MMapError) {
      let got = try Self.readInParallel(
        file.fd, range: range, into: buffer.bytes, parallelism: parallelism, path: path)
      loaded = LoadedBytes(buffer: buffer, count: got)
    } catch {
      buffer.free()
      throw error
    }
    self.init(loaded, path: path, identity: file.identity)
  }

  /// Reads `range` of `fd` into `memory` (of its count) in parallel parts; returns how many
  /// bytes the file held: fewer than `range.count` only if it ends first, as for one `pread`.
  private static func readInParallel(
    _ fd: CInt, range: Range<Int>, into memory: UnsafeMutableRawBufferPointer,
    parallelism: Parallelism, path: String?
  ) throws(MMapError) -> Int {
    let threads = parallelism.workers(forBytes: range.count, parts: .max)
    // Can't overflow: threads is at most the range's count.
    let share = (range.count &+ threads &* 4 &- 1) / (threads &* 4)
    let partSize = min(ParallelPlan.largestPart, max(ParallelPlan.smallestPart, share))
    let parts = ParallelPlan.equalParts(of: 0..<range.count, partSize: partSize)
    // Each part writes only its own bytes of `memory`, which outlives the joined threads.
    nonisolated(unsafe) let memory = memory
    let counts = try PartRun<Int, MMapError>.run(parts, workers: min(threads, parts.count)) {
      (_, _, part) throws(MMapError) in
      let target = UnsafeMutableRawBufferPointer(rebasing: memory[part])
      // Can't overflow: a file offset of the range.
      return try preadFully(
        fd, offset: range.lowerBound &+ part.lowerBound, into: target, path: path)
    }
    // The file ends in the first part that came short.
    for (part, got) in zip(parts, counts) where got.unsafelyUnwrapped < part.count {
      return part.lowerBound &+ got.unsafelyUnwrapped  // Can't overflow: inside the range.
    }
    return range.count
  }
}
