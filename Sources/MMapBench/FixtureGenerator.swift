#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes the benchmark's deterministic, text-like fixture: exactly `count` bytes of lines of
/// printable ASCII (`0x20...0x7E`) of pseudo-random lengths `0...160`, each ended by `0x0A`.
///
/// The same algorithm as the C reference's `gen_fixture PATH SIZE_BYTES SEED`, so the same
/// arguments give the same bytes: per line, `length = next() % 161`, capped so the file ends
/// with a newline; then 8 characters per draw `w`, the `j`-th from byte `j % 8` of `w` as
/// `0x20 + (b * 95) >> 8`; then the newline. The file is written under a temporary name and
/// renamed, so a half-written fixture is never seen under `path`.
///
/// - Throws: ``BenchError`` naming the path and the system's reason.
func generateFixture(path: String, count: Int, seed: UInt64) throws(BenchError) {
  precondition(count >= 0, "negative fixture size \(count)")
  let temporary = "\(path).tmp\(getpid())"
  let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
  guard fd >= 0 else { throw BenchError("cannot create \(temporary): \(errorText())") }
  var written = false
  defer {
    if !written { unlink(temporary) }
  }
  let flushSize = 1 << 20
  // Room for one whole line past flushSize, so a line never straddles a flush.
  let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: flushSize + 256)
  defer { buffer.deallocate() }
  var random = XorShift64Star(seed: seed)
  var used = 0
  var remaining = UInt64(count)
  while remaining > 0 {
    let length = Int(min(random.next() % 161, remaining &- 1))  // remaining >= 1.
    let line = buffer + used
    var column = 0
    while column < length {
      var word = random.next()
      let end = min(column &+ 8, length)
      while column < end {
        line[column] = 0x20 &+ UInt8(truncatingIfNeeded: ((word & 0xFF) &* 95) >> 8)
        word >>= 8
        column &+= 1
      }
    }
    line[length] = 0x0A
    used &+= length &+ 1
    remaining &-= UInt64(length &+ 1)
    if used >= flushSize || remaining == 0 {
      var offset = 0
      while offset < used {
        let result = write(fd, buffer + offset, used &- offset)
        if result < 0 {
          if errno == EINTR { continue }
          let reason = errorText()
          close(fd)
          throw BenchError("cannot write \(temporary): \(reason)")
        }
        offset &+= result
      }
      used = 0
    }
  }
  guard close(fd) == 0, rename(temporary, path) == 0 else {
    throw BenchError("cannot finish \(path): \(errorText())")
  }
  written = true
}

/// The `strerror` text of the current `errno`.
func errorText() -> String {
  String(cString: strerror(errno))
}
