/// An HTTP/1.x request head: the request line and the header fields.
struct Request {
  var method: Substring
  var target: Substring
  /// `1` for HTTP/1.1, `0` for HTTP/1.0.
  var minorVersion: Int
  /// Field names lowercased, values with surrounding spaces removed, in order.
  var fields: [(name: String, value: Substring)]

  /// The value of the field `name` (lowercase), or `nil`.
  func field(_ name: String) -> Substring? {
    fields.first { $0.name == name }?.value
  }

  /// Whether the connection stays open after the response: HTTP/1.1 unless
  /// `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
  var keepsAlive: Bool {
    let connection = field("connection")?.lowercased()
    return minorVersion >= 1 ? connection != "close" : connection == "keep-alive"
  }

  /// Parses `head`, the bytes before the blank line that ends it, or returns `nil` for a
  /// malformed request line or field.
  init?(head: ArraySlice<UInt8>) {
    guard let text = String(validating: head, as: UTF8.self) else { return nil }
    var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
    guard let requestLine = lines.popFirst() else { return nil }
    let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(\.isTokenCharacter),
      !parts[1].isEmpty, parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0"
    else { return nil }
    method = parts[0]
    target = parts[1]
    minorVersion = parts[2] == "HTTP/1.1" ? 1 : 0
    fields = []
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { return nil }
      let name = line[..<colon]
      guard !name.isEmpty, name.allSatisfy(\.isTokenCharacter) else { return nil }
      let value = line[line.index(after: colon)...].trimmingSpaces
      guard !value.contains(where: { $0.isNewline || $0 == "\0" }) else { return nil }
      fields.append((name.lowercased(), value))
    }
  }
}

extension Character {
  /// A character allowed in a method or field name (RFC 9110's `tchar`).
  var isTokenCharacter: Bool {
    guard isASCII, let ascii = asciiValue else { return false }
    return isLetter || isNumber || "!#$%&'*+-.^_`|~".utf8.contains(ascii)
  }
}

extension Substring {
  /// Without the spaces and tabs at either end.
  var trimmingSpaces: Substring {
    let isText = { (character: Character) in character != " " && character != "\t" }
    guard let first = firstIndex(where: isText), let last = lastIndex(where: isText) else {
      return self[endIndex...]
    }
    return self[first...last]
  }
}

/// What a `Range` field asks of a file of `count` bytes.
enum RangeRequest: Equatable {
  /// No usable range (absent, several ranges, or not `bytes=`): the whole file, 200.
  case whole
  /// One satisfiable range: 206.
  case part(Range<Int>)
  /// A range that starts at or past the end: 416.
  case unsatisfiable

  /// Parses `bytes=FIRST-LAST`, `bytes=FIRST-` or the suffix `bytes=-LENGTH`.
  init(_ field: Substring?, count: Int) {
    guard let field, field.hasPrefix("bytes=") else {
      self = .whole
      return
    }
    let spec = field.dropFirst("bytes=".count).trimmingSpaces
    guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else {
      self = .whole
      return
    }
    let first = spec[..<dash]
    let last = spec[spec.index(after: dash)...]
    let isDigits = { (text: Substring) in
      !text.isEmpty && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber)
    }
    switch (first.isEmpty, last.isEmpty) {
    case (true, false):  // A suffix: the last LENGTH bytes.
      guard isDigits(last) else { self = .whole; return }
      let length = Int(last) ?? .max
      self =
        length == 0 || count == 0 ? .unsatisfiable : .part(Swift.max(0, count - length)..<count)
    case (false, _):
      guard isDigits(first), last.isEmpty || isDigits(last) else { self = .whole; return }
      let start = Int(first) ?? .max
      let end = last.isEmpty ? Int.max : (Int(last) ?? .max)
      guard start <= end else { self = .whole; return }
      guard start < count else { self = .unsatisfiable; return }
      self = .part(start..<(Swift.min(end, count - 1) + 1))
    case (true, true):
      self = .whole
    }
  }
}
