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
    /// There, but this process may not read it: 403.
    case denied
  }

  /// Opens the regular file `target` (the request's path, query dropped) names inside the
  /// served directory, and returns its descriptor, which the caller closes.
  ///
  /// The path is percent-decoded first, so `%2e%2e` is `..`; a `..` segment is refused
  /// before anything is looked up. The containment check runs on the opened descriptor, not
  /// on the path: the file it leads to (every symbolic link followed) must lie inside the
  /// directory. A link swapped in between a check of the path and its `open` can't lead out.
  func open(_ target: Substring) throws(Refusal) -> CInt {
    let pathPart = target.prefix { $0 != "?" && $0 != "#" }
    guard pathPart.hasPrefix("/"), let decoded = percentDecoded(pathPart) else {
      throw .malformed
    }
    guard !decoded.contains(0) else { throw .notFound }  // No file name holds a NUL.
    let segments = decoded.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
    if segments.contains(where: { $0.elementsEqual("..".utf8) }) { throw .outside }
    let relative = segments.filter { !$0.elementsEqual(".".utf8) }
      .map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
    let fd = openForReading(path + "/" + relative)
    guard fd >= 0 else { throw errno == EACCES ? .denied : .notFound }
    guard let real = openedPath(fd), real == path || real.hasPrefix(path + "/") else {
      close(fd)
      throw .outside
    }
    guard isRegularFile(fd) else {
      close(fd)
      throw .notFound
    }
    return fd
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

/// `open(path, O_RDONLY)`, following symbolic links, never a controlling terminal.
private func openForReading(_ path: String) -> CInt {
  #if canImport(Glibc)
    Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
  #elseif canImport(Musl)
    Musl.open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
  #else
    Darwin.open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
  #endif
}

/// The path the open descriptor `fd` leads to now, as the kernel records it: on Linux its
/// `/proc/self/fd` link, on Darwin `F_GETPATH`; `nil` where neither is available.
private func openedPath(_ fd: CInt) -> String? {
  #if os(Linux)
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
    guard count > 0, count < buffer.count - 1 else { return nil }
    return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  #elseif canImport(Darwin)
    var buffer = [CChar](repeating: 0, count: Int(MAXPATHLEN))
    guard fcntl(fd, F_GETPATH, &buffer) == 0 else { return nil }
    return String(cString: buffer)
  #else
    return nil  // No way to tell: refuse every file rather than trust the path.
  #endif
}

private func fileType(_ path: String) -> UInt32? {
  var status = stat()
  guard stat(path, &status) == 0 else { return nil }
  return UInt32(status.st_mode) & UInt32(S_IFMT)
}

private func isDirectory(_ path: String) -> Bool { fileType(path) == UInt32(S_IFDIR) }

private func isRegularFile(_ fd: CInt) -> Bool {
  var status = stat()
  return fstat(fd, &status) == 0 && UInt32(status.st_mode) & UInt32(S_IFMT) == UInt32(S_IFREG)
}
