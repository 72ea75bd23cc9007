/// Where a ``ReaderCursor/seek(to:from:)`` counts its offset from: the counterpart of Go's
/// `io.SeekStart`, `io.SeekCurrent` and `io.SeekEnd`.
///
/// ## Topics
///
/// ### Origins
/// - ``start``
/// - ``current``
/// - ``end``
public enum SeekOrigin: Hashable, Sendable {
  /// The first byte of the cursor's bytes. The corresponding C constant is `SEEK_SET`.
  case start
  /// The cursor's current position. The corresponding C constant is `SEEK_CUR`.
  case current
  /// The end of the cursor's bytes, one past the last. The corresponding C constant is
  /// `SEEK_END`.
  case end
}
