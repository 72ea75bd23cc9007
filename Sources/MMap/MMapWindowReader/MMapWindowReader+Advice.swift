extension MMapWindowReader {
  /// Tells the kernel how the reader's bytes will be accessed, now and for every window
  /// mapped later.
  ///
  /// The advice is given at once to the windows mapped now, remembered, and given to each
  /// window as it is mapped and to each temporary mapping a view makes: `.sequential` thus
  /// makes readahead run across window edges, and `.populateRead` prefaults each window as it
  /// is mapped. Advice is a hint: it never changes what reads return. Advice the kernel
  /// rejects for a window mapped later is ignored.
  ///
  /// - Parameter advice: The expected access pattern.
  /// - Throws: ``MMapError`` with ``MMapError/Operation/advise`` and the kernel's `errno` if
  ///   it rejects the advice for a window mapped now (`EINVAL` for one it doesn't support;
  ///   the advice is then not remembered), or with `EBADF` if the reader is closed.
  ///
  /// The corresponding C function is `madvise`.
  public func advise(_ advice: MMapReader.Advice) throws(MMapError) {
    let value = advice.systemValue
    let path = path
    let result: Result<Void, MMapError> = table.withLock { table in
      guard !table.isClosed else {
        return .failure(MMapError(.advise, path: path, errno: system_EBADF))
      }
      for window in table.windows {
        do throws(MMapError) {
          try window.mapping.advise(value, in: 0..<window.mapping.bytes.count, path: path)
        } catch {
          return .failure(error)
        }
      }
      table.advice = value
      return .success(())
    }
    try result.get()
  }
}
