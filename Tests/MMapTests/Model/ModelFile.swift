import Foundation

/// The file a model check works on, and the ground truth for it: its size, and its bytes as
/// `pread` returns them now. Changed only through this value (truncate, grow, overwrite), so
/// that the model always knows the size.
final class ModelFile {
  let path: String
  /// Read-write descriptor: `pread` for the truth, `pwrite` and `ftruncate` for changes.
  private let fd: CInt
  /// The file's size now.
  private(set) var size: Int

  init(path: String, contents: [UInt8]) {
    self.path = path
    fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot create \(path)")
    size = 0
    write(contents, at: 0)
  }

  deinit {
    close(fd)
    unlink(path)
  }

  /// The bytes at file offsets `range` that the file still has, from `pread`.
  func truth(_ range: Range<Int>) -> [UInt8] {
    let end = min(range.upperBound, size)
    guard end > range.lowerBound else { return [] }
    var bytes = [UInt8](repeating: 0, count: end - range.lowerBound)
    var filled = 0
    while filled < bytes.count {
      let got = bytes.withUnsafeMutableBytes { buffer in
        pread(
          fd, buffer.baseAddress! + filled, buffer.count - filled, off_t(range.lowerBound + filled))
      }
      precondition(got > 0, "pread of the model file failed")
      filled += got
    }
    return bytes
  }

  /// What a mapping shows at file offsets `range`, as far as it shows anything without a
  /// fault: the file's bytes, then zeros up to the end of the page holding the last byte.
  /// `nil` if part of the range lies past that page (a mapped access there faults).
  func mappedView(_ range: Range<Int>) -> [UInt8]? {
    guard range.upperBound <= pageEnd else { return nil }
    let bytes = truth(range)
    return bytes + [UInt8](repeating: 0, count: range.count - bytes.count)
  }

  /// The end of the page holding the file's last byte: a mapping reads zeros from `size` up
  /// to here, and faults past it.
  var pageEnd: Int { (size + pageSize - 1) / pageSize * pageSize }

  /// Cuts the file to `newSize` bytes.
  func truncate(to newSize: Int) {
    precondition(ftruncate(fd, off_t(newSize)) == 0)
    size = newSize
  }

  /// Writes `bytes` at `offset` (at most `size`), growing the file if they reach past it.
  func write(_ bytes: [UInt8], at offset: Int) {
    let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) }
    precondition(written == bytes.count, "pwrite of the model file failed")
    size = max(size, offset + bytes.count)
  }
}
