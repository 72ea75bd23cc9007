/// What a string read does with bytes that are not valid UTF-8.
///
/// ## Topics
///
/// ### Policies
/// - ``fail``
/// - ``repair``
public enum InvalidUTF8: Hashable, Sendable {
  /// Throw ``MMapError`` with `EILSEQ`: for names and keys that must be exact.
  case fail
  /// Replace each ill-formed sequence with U+FFFD, the replacement character, as
  /// `String(decoding:as:)` does: for text shown to a person.
  case repair
}
