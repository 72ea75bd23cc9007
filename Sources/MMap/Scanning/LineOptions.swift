/// Choices for how a reader's bytes are cut into lines, for
/// ``RandomAccessReader/forEachLine(in:options:_:)`` and its zero-copy form.
///
/// A line is the bytes between two line feeds (`0x0A`), without the line feed. The last line
/// of a range counts even without a line feed after it, but a range that ends with a line
/// feed has no empty line after it.
///
/// ## Topics
///
/// ### Options
/// - ``omittingCarriageReturn``
///
/// ### Raw values
/// - ``rawValue``
/// - ``init(rawValue:)``
public struct LineOptions: OptionSet, Hashable, Sendable {
  /// The options' bits.
  public let rawValue: Int

  /// Creates options from their bits.
  ///
  /// - Parameter rawValue: The bits of the options, as ``rawValue`` gives them.
  public init(rawValue: Int) {
    self.rawValue = rawValue
  }

  /// Leaves out of each line a carriage return (`0x0D`) right before its line feed, so that
  /// lines ended by `\r\n` come as they would with `\n`. A carriage return anywhere else stays,
  /// including one at the very end of an unterminated last line.
  public static let omittingCarriageReturn = LineOptions(rawValue: 1 << 0)
}
