/// Why a range of bytes can't be viewed in place as elements of a type: the detail of the
/// `EINVAL` that ``ZeroCopyReader/withUnsafeElements(in:as:_:)`` and
/// ``ZeroCopyReader/withElements(in:as:_:)`` throw.
///
/// An error carrying one describes itself with it, for example
/// `read("/m.safetensors") failed: bytes 9..<49 can't be viewed as Float: their address is
/// 1 byte past a 4-byte boundary (errno 22)`. Copy such a range with
/// ``RandomAccessReader/elements(in:as:)`` instead.
///
/// ## Topics
///
/// ### The range and the type
/// - ``range``
/// - ``typeName``
///
/// ### Why the bytes don't fit
/// - ``alignment``
/// - ``misalignment``
/// - ``stride``
/// - ``trailingByteCount``
public struct ElementMisfit: Hashable, Sendable, CustomStringConvertible {
  /// The reader offsets that were to be viewed.
  public var range: Range<Int>
  /// The element type's name, such as `Float`.
  public var typeName: String
  /// The element type's alignment, `MemoryLayout<T>.alignment`.
  public var alignment: Int
  /// The element type's stride, `MemoryLayout<T>.stride`.
  public var stride: Int
  /// How many bytes the range's first byte lies past an `alignment` boundary in memory:
  /// `0` when it is aligned.
  public var misalignment: Int
  /// How many bytes the range holds past its last whole element: `0` when its count is a
  /// multiple of `stride`.
  public var trailingByteCount: Int

  /// What doesn't fit, in words: the misalignment first, then the trailing bytes.
  public var description: String {
    let subject = "bytes \(range) can't be viewed as \(typeName)"
    if misalignment != 0 {
      let unit = misalignment == 1 ? "byte" : "bytes"
      return
        "\(subject): their address is \(misalignment) \(unit) past a \(alignment)-byte boundary"
    }
    return "\(subject): \(range.count) is not a multiple of the \(stride)-byte stride"
  }
}

extension MMapError {
  /// A typed view of `range` refused for `misfit`: `EINVAL`, with the misfit described.
  @usableFromInline
  internal static func elementMisfit(_ misfit: ElementMisfit, path: String?) -> MMapError {
    var error = MMapError(.read, path: path, errno: system_EINVAL)
    error.elementMisfit = misfit
    return error
  }
}
