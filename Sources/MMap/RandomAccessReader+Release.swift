extension RandomAccessReader {
  /// Closes the reader and gives up the caller's reference to it, releasing what the reader
  /// holds in the cheapest way when that reference was the only one.
  ///
  /// Hand over the reference with `consume`, so that the caller keeps no copy of it:
  ///
  /// ```swift
  /// let reader = try MMapReader(path: "/data/index.bin")
  /// let header = try reader.bytes(in: 0..<16)
  /// try (consume reader).release()   // one munmap
  /// ```
  ///
  /// When no other reference to the reader exists, the reader is marked closed and then
  /// deinitialized before this returns, which releases what it holds: an ``MMapReader``'s
  /// mapping with one `munmap`, where ``close()`` first replaces the file's pages with zero
  /// pages (one more `mmap`) and leaves the `munmap` to `deinit`; an ``InMemoryReader``'s
  /// memory, which ``close()`` keeps until `deinit`. When other references exist, this is
  /// ``close()``, with every guarantee it gives to the threads that hold them, and the
  /// caller's reference is dropped. Without `consume`, the caller's variable keeps its
  /// reference until the end of its scope, so the reader is never found unshared and this is
  /// ``close()``.
  ///
  /// ## Why the cheap path is safe
  ///
  /// ``close()`` swaps in zero pages because ``MMapReader``'s copying reads register
  /// nowhere: a read racing with `close()` must still find readable memory. Unmapping at
  /// once is safe only when no other thread can be reading, and `isKnownUniquelyReferenced`
  /// proves that here. This function owns the reference it checks (the caller consumed it),
  /// so the check can't race with a copy of that reference, and a count of one means no
  /// other strong reference exists. Every read runs through a strong reference, held by its
  /// caller for the call's duration, so none is running; and a new strong reference can
  /// only be copied from an existing one, so none can start. References the count doesn't
  /// see are covered too: a `weak` or `unowned` reference can become strong meanwhile, so
  /// the reader is marked closed before the reference goes, and its mapping stays until
  /// `deinit`, which the runtime runs only once the last strong reference is gone. A read
  /// through such a reference copies the file's bytes and then throws `EBADF`, as after
  /// ``close()``. (`Unmanaged` and `unowned(unsafe)` references were never safe to use
  /// without a strong one held elsewhere.)
  ///
  /// - Throws: What ``close()`` throws, on the shared path; the reader is closed even then.
  public consuming func release() throws(MMapError) {
    var reader = consume self
    guard isKnownUniquelyReferenced(&reader) else {
      try reader.close()
      return
    }
    // A comparison of metatypes rather than a cast: on an opened existential, `as?` is a
    // call into the runtime that costs more than the rest of this function.
    if Self.self == MMapReader.self {
      // deinit unmaps when `reader` goes, just below.
      unsafeDowncast(reader, to: MMapReader.self).closeLeavingUnmapToDeinit()
    } else if Self.self == FileReader.self {
      // The chosen reader goes with this one, and unmaps in its own deinit.
      try unsafeDowncast(reader, to: FileReader.self).closeForRelease()
    } else {
      try reader.close()  // The others' close() is already as cheap as it gets.
    }
  }
}
