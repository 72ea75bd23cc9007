#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The directory served, and the rules that keep every request inside it.
struct ServedRoot: Sendable {
  /// The directory's real path: absolute, no symbolic link, no trailing slash.
  let path: String

  init?(_ directory: String) {
    guard let real = realPath(directory), isDirectory(real) else { return nil }
    path = real
  }

  /// Why a request target names no file to serve.
  enum Refusal: Error {
    /// Malformed: bad percent-encoding, not an absolute path: 400.
    case malformed
    /// Outside the served directory (`..`, a symbolic link leading out): 403.
    case outside
    /// Nothing there (a NUL byte names nothing), or not a regular file (directories are not
    /// listed): 404.
    case notFound
  }

  /// The real path of the regular file `target` (the request's path, query dropped) names
  /// inside the served directory.
  ///
  /// The path is percent-decoded first, so `%2e%2e` is `..`; a `..` segment is refused
  /// before anything is looked up, and the real path (every symbolic link followed) must
  /// still lie inside the directory.
  func resolve(_ target: Substring) throws(Refusal) -> String {
    let pathPart = target.prefix { $0 != "?" && $0 != "#" }
    guard pathPart.hasPrefix("/"), let decoded = percentDecoded(pathPart) else {
      throw .malformed
    }
    guard !decoded.contains(0) else { throw .notFound }  // No file name holds a NUL.
    let segments = decoded.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
    if segments.contains(where: { $0.elementsEqual("..".utf8) }) { throw .outside }
    let relative = segments.filter { !$0.elementsEqual(".".utf8) }
      .map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
    guard let real = realPath(path + "/" + relative) else { throw .notFound }
    guard real == path || real.hasPrefix(path + "/") else { throw .outside }
    guard isRegularFile(real) else { throw .notFound }
    return real
  }
}

/// `text` with each `%XX` replaced by its byte, or `nil` for a `%` not followed by two hex
/// digits.
func percentDecoded(_ text: Substring) -> [UInt8]? {
  var bytes: [UInt8] = []
  var iterator = Array(text.utf8).makeIterator()
  while let byte = iterator.next() {
    guard byte == UInt8(ascii: "%") else {
      bytes.append(byte)
      continue
    }
    guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue)
    else { return nil }
    bytes.append(high << 4 | low)
  }
  return bytes
}

private func hexValue(_ digit: UInt8) -> UInt8? {
  switch digit {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
  default: nil
  }
}

/// `path` with every symbolic link, `.` and `..` resolved (`realpath`), or `nil`.
private func realPath(_ path: String) -> String? {
  guard let resolved = realpath(path, nil) else { return nil }
  defer { free(resolved) }
  return String(cString: resolved)
}

private func fileType(_ path: String) -> UInt32? {
  var status = stat()
  guard stat(path, &status) == 0 else { return nil }
  return UInt32(status.st_mode) & UInt32(S_IFMT)
}

private func isDirectory(_ path: String) -> Bool { fileType(path) == UInt32(S_IFDIR) }
private func isRegularFile(_ path: String) -> Bool { fileType(path) == UInt32(S_IFREG) }
