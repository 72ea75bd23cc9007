/// A reader whose bytes a system call may read on its behalf straight from a mapping (a
/// `write(2)` from a view): there a page past the end of a truncated file makes the call fail
/// with `EFAULT` instead of raising `SIGBUS`, so the truncation guard never sees it, and the
/// reader learns that its file shrank from the file's size: ``MMapReader`` and
/// ``MMapWindowReader``.
internal protocol FileEndChecking: RandomAccessReader {
  /// The reader offset at which the file ends now (below `0` if it ends before the reader's
  /// first byte), or `nil` if the reader can't tell: it is closed, or it holds no descriptor
  /// and its path no longer names its file (or it has none).
  func fileEndNow() -> Int?
}

extension RandomAccessReader {
  /// `error`, or the truncation error if `error` is the `EFAULT` of a system call that read
  /// the reader's mapped pages for it while the file now ends before `range` does.
  internal func explainingTruncation(_ error: MMapError, in range: Range<Int>) -> MMapError {
    guard error.errno == system_EFAULT, let reader = self as? any FileEndChecking,
      let fileEnd = reader.fileEndNow(), fileEnd < range.upperBound
    else { return error }
    return MMapError.truncated(path: path, missingOffset: fileEnd)
  }
}
