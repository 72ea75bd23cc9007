/// The order in which a file stores the bytes of a multi-byte integer.
///
/// Formats name theirs: ZIP, ELF on x86-64 and most formats designed since are little-endian;
/// network protocols, PNG and Java class files are big-endian.
///
/// ## Topics
///
/// ### Byte orders
/// - ``littleEndian``
/// - ``bigEndian``
/// - ``host``
public enum ByteOrder: Hashable, Sendable {
  /// The least significant byte first, at the lowest offset.
  case littleEndian
  /// The most significant byte first, at the lowest offset (network byte order).
  case bigEndian

  /// The byte order of the machine the program runs on.
  public static var host: ByteOrder {
    #if _endian(big)
      .bigEndian
    #else
      .littleEndian
    #endif
  }

  /// The value of an integer whose bytes, as stored in a file in this order, were loaded
  /// into `stored` in the host's order.
  @inlinable
  internal func value<T: FixedWidthInteger>(fromStored stored: T) -> T {
    switch self {
    case .littleEndian: T(littleEndian: stored)
    case .bigEndian: T(bigEndian: stored)
    }
  }
}
