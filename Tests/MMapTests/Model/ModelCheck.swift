import Foundation
import Testing

@testable import MMap

/// One reader under a model check, and what the model knows of it.
final class ModelReader {
  let reader: any RandomAccessReader
  /// The file offset of the reader's byte 0.
  let start: Int
  let count: Int
  let sizeAtOpen: Int
  var isClosed = false
  /// A mapped reader that met the truncated file: every later access fails.
  var isFailed = false

  init(_ reader: any RandomAccessReader, start: Int, sizeAtOpen: Int) {
    self.reader = reader
    self.start = start
    self.count = reader.count
    self.sizeAtOpen = sizeAtOpen
  }
}

/// How an access reads its bytes, which decides what a truncated file does to it.
enum ModelAccess: String, CaseIterable {
  /// `read(from:into:)`: from the mapping, from a window, or with `pread`.
  case copy
  /// `byte(at:)`.
  case byte
  /// `bytes(in:)`: a copy that must be whole.
  case exact
  /// `withUnsafeBytes(in:_:)`: always a mapping.
  case view
  /// `forEachChunk(in:_:)`: views, or `pread` copies for `PReadReader`.
  case scan
}

/// What the model says an access of bytes the reader exposes must give.
enum ModelExpectation {
  /// Exactly these bytes.
  case bytes([UInt8])
  /// These bytes, or the truncation error.
  case bytesOrTruncation([UInt8])
  /// The truncation error.
  case truncation
}

/// The state of a model check: the file, the readers open on it, and what went wrong.
struct ModelCheck {
  let kind: ReaderKind
  /// Where the files go: each new file gets a new name there.
  let directory: String
  var random: SeededGenerator
  var file: ModelFile
  var readers: [ModelReader] = []
  var mismatches: [String] = []
  /// How often each outcome happened, to show that the interesting ones did.
  var tally: [String: Int] = [:]
  /// The last operations, for the report of a mismatch.
  private var recent: [String] = []

  /// How many files the check has made.
  private var files = 0

  init(kind: ReaderKind, directory: String, seed: UInt64) {
    self.kind = kind
    self.directory = directory
    random = SeededGenerator(seed: seed)
    file = ModelFile(path: directory + "/0", contents: [])
    newFile()
  }

  /// The path of the current file.
  var path: String { file.path }

  // MARK: Steps

  /// Runs one random operation.
  mutating func step() {
    if Int.random(in: 0..<1_500, using: &random) == 0 { newFile() }
    if readers.isEmpty { openReader() }
    guard !readers.isEmpty else { return }  // Opening failed: a mismatch was recorded.
    var readerIndex = Int.random(in: 0..<readers.count, using: &random)
    // Most closed or failed readers make way for a new one, so that most accesses read.
    let chosen = readers[readerIndex]
    if chosen.isClosed || chosen.isFailed, Int.random(in: 0..<5, using: &random) > 0 {
      readers.remove(at: readerIndex)
      openReader()
      guard !readers.isEmpty else { return }
      readerIndex = readers.count - 1
    }
    let roll = Int.random(in: 0..<100, using: &random)
    switch roll {
    case 0..<5: if readers.count < 3 { openReader() } else { dropReader() }
    case 5..<6: openBadRange()
    case 6..<30: access(readers[readerIndex], .copy)
    case 30..<38: access(readers[readerIndex], .byte)
    case 38..<44: access(readers[readerIndex], .exact)
    case 44..<60: access(readers[readerIndex], kind == .pread ? .copy : .view)
    case 60..<68: access(readers[readerIndex], .scan)
    case 68..<73: advise(readers[readerIndex])
    case 73..<78: truncate()
    case 78..<83: grow()
    case 83..<87: overwrite()
    case 87..<92: status(readers[readerIndex])
    case 92..<96: close(readers[readerIndex])
    default: dropReader()
    }
  }

  /// Starts over with a new file of random size and contents, and no reader.
  mutating func newFile() {
    readers = []
    let size =
      Int.random(in: 0...8, using: &random) * pageSize
      + (Bool.random(using: &random) ? Int.random(in: 0..<pageSize, using: &random) : 0)
    files += 1
    file = ModelFile(path: directory + "/\(files)", contents: bytes(size))
    note("new file of \(size) bytes")
  }

  mutating func openReader() {
    let size = file.size
    let offset = Bool.random(using: &random) ? 0 : Int.random(in: 0...size, using: &random)
    let count =
      Bool.random(using: &random) ? nil : Int.random(in: 0...(size - offset), using: &random)
    do throws(MMapError) {
      let reader: any RandomAccessReader
      switch kind {
      case .mmap: reader = try MMapReader(path: path, offset: offset, count: count)
      case .pread: reader = try PReadReader(path: path, offset: offset, count: count)
      case .memory: preconditionFailure("the model covers the readers that read the file")
      case .windowed:
        let windowSize = Int.random(in: 1...(3 * pageSize), using: &random)
        let maxWindows = Int.random(in: 1...4, using: &random)
        reader = try MMapWindowReader(
          path: path, offset: offset, count: count, windowSize: windowSize,
          maxWindows: maxWindows)
        note("windows of \(windowSize) bytes, at most \(maxWindows)")
      }
      let model = ModelReader(reader, start: offset, sizeAtOpen: size)
      expect(model.count == (count ?? size - offset), "count \(model.count) at open")
      readers.append(model)
      note("open \(offset) count \(String(describing: count)) of \(size)")
    } catch {
      mismatch("open \(offset) count \(String(describing: count)) of \(size) threw \(error)")
    }
  }

  /// Opens a byte range outside the file: EINVAL, as the reader's range operation.
  mutating func openBadRange() {
    let size = file.size
    let (offset, count) =
      Bool.random(using: &random)
      ? (size + Int.random(in: 1...pageSize, using: &random), nil as Int?)
      : (Int.random(in: 0...size, using: &random), size + 1)
    note("open bad range \(offset) count \(String(describing: count)) of \(size)")
    let expected = MMapError(kind.rangeOperation, path: path, errno: EINVAL)
    do throws(MMapError) {
      _ = try kind.open(path, offset: offset, count: count)
      mismatch("opened a range outside the file")
    } catch {
      expect(error == expected, "threw \(error)")
    }
  }

  /// Drops a reader, to be released by `deinit` (closed or not).
  mutating func dropReader() {
    guard !readers.isEmpty else { return }
    readers.remove(at: Int.random(in: 0..<readers.count, using: &random))
    note("drop")
  }

  mutating func close(_ model: ModelReader) {
    note("close")
    do throws(MMapError) {
      try model.reader.close()
    } catch {
      mismatch("close threw \(error)")
    }
    model.isClosed = true
  }

  mutating func truncate() {
    let size = file.size
    let newSize: Int
    switch Int.random(in: 0..<4, using: &random) {
    case 0: newSize = size / pageSize * pageSize  // To the start of the last page.
    case 1: newSize = max(0, size - Int.random(in: 0...64, using: &random))  // Same page.
    case 2: newSize = 0
    default: newSize = Int.random(in: 0...size, using: &random)
    }
    file.truncate(to: newSize)
    note("truncate \(size) -> \(newSize)")
  }

  mutating func grow() {
    let size = file.size
    let added = Int.random(in: 1...(2 * pageSize), using: &random)
    file.write(bytes(added), at: size)
    note("grow \(size) -> \(file.size)")
  }

  /// Rewrites bytes in place: every reader sees the new ones (mappings are shared).
  mutating func overwrite() {
    guard file.size > 0 else { return }
    let offset = Int.random(in: 0..<file.size, using: &random)
    let count = Int.random(in: 1...min(file.size - offset, 2 * pageSize), using: &random)
    file.write(bytes(count), at: offset)
    note("overwrite \(offset)..<\(offset + count)")
  }

  mutating func status(_ model: ModelReader) {
    note("status")
    do throws(MMapError) {
      let status = try model.reader.fileStatus()
      expect(!model.isClosed, "status of a closed reader")
      // A write shows in the modification time only from the file system's next tick.
      let expected = FileStatus(
        sizeAtOpen: model.sizeAtOpen, size: file.size, isAtPath: true,
        isModified: file.size != model.sizeAtOpen ? true : status.isModified)
      expect(status == expected, "status \(status), expected \(expected)")
    } catch {
      expect(model.isClosed && error == MMapError(.stat, path: path, errno: EBADF), "\(error)")
    }
  }

  mutating func advise(_ model: ModelReader) {
    let advice = [Advice.normal, .sequential, .random, .willNeed, .dontNeed].randomElement(
      using: &random)!
    let range = randomRange(model)
    note("advise \(advice) \(String(describing: range))")
    do throws(MMapError) {
      switch model.reader {
      case let reader as MMapReader: try reader.advise(advice, in: range)
      case let reader as MMapWindowReader: try reader.advise(advice, in: range)
      default: return
      }
      expect(!model.isClosed, "advice on a closed reader")
      expect(range.map { isInside($0, count: model.count) } ?? true, "advice outside")
    } catch {
      let expected =
        model.isClosed
        ? MMapError(.advise, path: path, errno: EBADF)
        : MMapError(.advise, path: path, errno: EINVAL)
      expect(error == expected, "advice threw \(error)")
    }
  }

  // MARK: Accesses

  /// One read of a random range, by `access`, checked against the model.
  mutating func access(_ model: ModelReader, _ access: ModelAccess) {
    let count = model.count
    // The offset and the length asked for (a copy's buffer), and the reader offsets that
    // a valid access covers: a copy stops at the reader's end.
    let offset: Int
    var length = 0
    let range: Range<Int>
    switch access {
    case .byte:
      offset = randomOffset(count: count, past: 1)
      range = offset >= 0 && offset < count ? offset..<(offset + 1) : offset..<offset
    case .copy:
      offset = randomOffset(count: count, past: 0)
      length = Int.random(in: 0...(3 * pageSize), using: &random)
      range =
        offset >= 0 && offset <= count ? offset..<min(offset + length, count) : offset..<offset
    case .exact, .view, .scan:
      range = randomRange(model) ?? 0..<count
      offset = range.lowerBound
    }
    note("\(access) at \(offset) length \(length) range \(range) of \(count)")
    let outcome = perform(access, model, range, offset: offset, length: length)
    judge(outcome, of: access, model, range, offset: offset)
  }

  /// Runs the access, returning the bytes delivered, or the error and (for a scan) the
  /// bytes its chunks showed before it.
  private func perform(
    _ access: ModelAccess, _ model: ModelReader, _ range: Range<Int>, offset: Int, length: Int
  ) -> (bytes: [UInt8], error: (any Error)?) {
    let reader = model.reader
    var seen: [UInt8] = []
    do {
      switch access {
      case .copy:
        var buffer = [UInt8](repeating: 0xA5, count: length)
        let copied = try reader.read(from: offset, into: &buffer)
        return (Array(buffer[..<copied]), nil)
      case .byte:
        return ([try reader.byte(at: offset)], nil)
      case .exact:
        return (try reader.bytes(in: range), nil)
      case .view:
        guard let reader = reader as? any ZeroCopyReader else { return ([], nil) }
        try reader.withUnsafeBytes(in: range) { seen = Array($0) }
        return (seen, nil)
      case .scan:
        var next = range.lowerBound
        var outOfOrder = false
        try reader.forEachChunk(in: range) { offset, chunk in
          if offset != next || chunk.isEmpty { outOfOrder = true }
          next = offset + chunk.count
          seen += chunk
          return .proceed
        }
        if outOfOrder { return (seen, ModelAccessError.chunksOutOfOrder) }
        return (seen, nil)
      }
    } catch {
      return (seen, error)
    }
  }

  /// Compares an access's outcome with what the model allows, and learns from it.
  private mutating func judge(
    _ outcome: (bytes: [UInt8], error: (any Error)?), of access: ModelAccess,
    _ model: ModelReader, _ range: Range<Int>, offset: Int
  ) {
    let error = outcome.error.map { $0 as? MMapError }
    if case .some(.none) = error {
      return mismatch("threw a foreign error \(outcome.error!)")
    }
    let thrown = error ?? nil
    let closed = MMapError(.read, path: path, errno: EBADF)
    let outside = MMapError(.read, path: path, errno: EINVAL)
    let isTruncation = thrown?.isTruncation == true && thrown?.errno == ENODATA
    let valid: Bool
    switch access {
    case .copy: valid = offset >= 0 && offset <= model.count
    case .byte: valid = offset >= 0 && offset < model.count
    case .exact:
      valid = range.lowerBound >= 0 && range.lowerBound <= model.count
    case .view, .scan: valid = isInside(range, count: model.count)
    }
    if model.isClosed {
      tallied("closed")
      return expect(thrown == closed, "a closed reader gave \(describe(outcome))")
    }
    if !valid {
      tallied("outside")
      return expect(
        thrown == outside || (model.isFailed && isTruncation),
        "an access outside the reader gave \(describe(outcome))")
    }
    if access == .exact, range.upperBound > model.count {
      tallied("end of file")
      return expect(
        thrown == MMapError(.read, path: path, errno: ENODATA),
        "bytes(in:) past the end gave \(describe(outcome))")
    }
    if range.isEmpty {
      tallied("empty")
      return expect(
        (thrown == nil && outcome.bytes.isEmpty) || (model.isFailed && isTruncation),
        "an empty access gave \(describe(outcome))")
    }
    if model.isFailed {
      tallied("failed for good")
      return expect(isTruncation, "a failed reader gave \(describe(outcome))")
    }
    let fileRange = (model.start + range.lowerBound)..<(model.start + range.upperBound)
    let expectation = expected(access, fileRange)
    switch (expectation, thrown) {
    case (.bytes(let bytes), nil), (.bytesOrTruncation(let bytes), nil):
      tallied(fileRange.upperBound > file.size ? "zeros past the end" : "bytes")
      expect(sameBytes(outcome.bytes[...], bytes[...]), "delivered bytes differ from the model's")
    case (.truncation, let thrown?) where isTruncation,
      (.bytesOrTruncation, let thrown?) where isTruncation:
      tallied("truncation")
      checkFileEnd(thrown, access, model, range)
      checkBytesBeforeFailure(outcome.bytes, model, range)
      if kind != .pread { model.isFailed = true }
    default:
      mismatch("expected \(expectation), got \(describe(outcome))")
    }
  }

  /// What the reader kind must give for `access` of the file offsets `range`, inside the
  /// reader, on an open reader that hasn't failed.
  private func expected(_ access: ModelAccess, _ range: Range<Int>) -> ModelExpectation {
    let whole = range.upperBound <= file.size ? file.truth(range) : nil
    switch (kind, access) {
    case (.pread, _):
      return whole.map(ModelExpectation.bytes) ?? .truncation
    case (.mmap, _), (.windowed, .view), (.windowed, .scan):
      return file.mappedView(range).map(ModelExpectation.bytes) ?? .truncation
    case (.windowed, _):
      if let whole { return .bytes(whole) }
      return file.mappedView(range).map(ModelExpectation.bytesOrTruncation) ?? .truncation
    case (.memory, _):
      preconditionFailure("the model covers the readers that read the file")
    }
  }

  /// The truncation error's `missingOffset`: not below where the file ends now, below the end
  /// of the access; and for `pread`, exactly where the file ends (or the access began).
  private mutating func checkFileEnd(
    _ error: MMapError, _ access: ModelAccess, _ model: ModelReader, _ range: Range<Int>
  ) {
    guard let missing = error.missingOffset else { return mismatch("no missingOffset in \(error)") }
    let endNow = max(0, file.size - model.start)
    expect(
      endNow <= missing && missing < range.upperBound,
      "missing \(missing) outside \(endNow)..<\(range.upperBound)")
    if kind == .pread, access != .scan {
      expect(missing == max(range.lowerBound, endNow), "pread missing \(missing)")
    }
  }

  /// The bytes a scan's chunks showed before it failed: the file's where it has them, and
  /// zeros past its end (the guard's zero pages).
  private mutating func checkBytesBeforeFailure(
    _ bytes: [UInt8], _ model: ModelReader, _ range: Range<Int>
  ) {
    guard !bytes.isEmpty else { return }
    let start = model.start + range.lowerBound
    let truth = file.truth(start..<(start + bytes.count))
    let expected = truth + [UInt8](repeating: 0, count: bytes.count - truth.count)
    expect(sameBytes(bytes[...], expected[...]), "bytes shown before the failure differ")
  }

  // MARK: Helpers

  /// A random offset, mostly inside `0..<count + past`, sometimes outside.
  private mutating func randomOffset(count: Int, past: Int) -> Int {
    switch Int.random(in: 0..<40, using: &random) {
    case 0: return [-1, Int.min, count + past, Int.max].randomElement(using: &random)!
    default: return Int.random(in: 0...max(0, count - past), using: &random)
    }
  }

  /// A random range, mostly inside the reader, sometimes outside or `nil` (the whole).
  private mutating func randomRange(_ model: ModelReader) -> Range<Int>? {
    let count = model.count
    switch Int.random(in: 0..<40, using: &random) {
    case 0: return nil
    case 1: return [-1..<2, count..<(count + 1), 0..<(count + 1)].randomElement(using: &random)!
    default:
      let lower = Int.random(in: 0...count, using: &random)
      let length = Int.random(in: 0...min(count - lower, 3 * pageSize), using: &random)
      return lower..<(lower + length)
    }
  }

  /// `count` random bytes, eight at a time (a byte loop is slow in a debug build).
  private mutating func bytes(_ count: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: (count + 7) / 8 * 8)
    bytes.withUnsafeMutableBytes { buffer in
      for word in 0..<(buffer.count / 8) {
        buffer.storeBytes(of: random.next(), toByteOffset: word * 8, as: UInt64.self)
      }
    }
    return Array(bytes[..<count])
  }

  private mutating func note(_ text: String) {
    recent.append(text)
    if recent.count > 12 { recent.removeFirst() }
  }

  private mutating func tallied(_ outcome: String) {
    tally[outcome, default: 0] += 1
  }

  private mutating func expect(_ condition: Bool, _ text: @autoclosure () -> String) {
    if !condition { mismatch(text()) }
  }

  private mutating func mismatch(_ text: String) {
    mismatches.append(
      "\(kind.rawValue): \(text) (file size \(file.size); last operations: "
        + recent.joined(separator: "; ") + ")")
  }
}

/// An access's outcome, for a report.
private func describe(_ outcome: (bytes: [UInt8], error: (any Error)?)) -> String {
  outcome.error.map { "error \($0)" } ?? "\(outcome.bytes.count) bytes"
}

/// An access whose chunks were not contiguous and in order.
enum ModelAccessError: Error {
  case chunksOutOfOrder
}
