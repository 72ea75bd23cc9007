import Testing

@testable import MMap

/// `forEachLine` (offsets on every reader, offsets and bytes on the zero-copy readers) and
/// `lineCount` against lines cut byte by byte: short lines, lines longer than a window, CRLF
/// ends with and without omitting the carriage return, random ranges, and the edge files.
@Suite struct LineTests {
  /// Short lines with carriage returns (often right before a line feed), and long lines that
  /// straddle one-page windows.
  static let shapes: [(name: String, alphabet: [UInt8])] = [
    ("short", [0x0A, 0x0D, 0x61, 0x62, 0x0D, 0x0A, 0x63]),
    ("long", [0x0A, 0x0D] + [UInt8](repeating: 0x61, count: 3000)),
  ]

  static let sizes = [0, 1, 2, 300, pageSize + 1, 5 * pageSize + 3, 600_000]

  /// The lines `forEachLine` visits, offsets only.
  private func lines(
    of reader: some RandomAccessReader, in range: Range<Int>?, options: LineOptions
  ) throws -> [Range<Int>] {
    var lines: [Range<Int>] = []
    try reader.forEachLine(in: range, options: options) { line in
      lines.append(line)
      return .proceed
    }
    return lines
  }

  @Test(arguments: ReaderKind.allCases, sizes)
  func linesMatchLinesCutByteByByte(kind: ReaderKind, size: Int) throws {
    for (index, shape) in Self.shapes.enumerated() {
      let contents = bytes(count: size, from: shape.alphabet, seed: UInt64(size * 2 + index + 1))
      try withTemporaryFile(contents: contents) { path in
        let reader = try kind.open(path)
        defer { try? reader.close() }
        var random = SeededGenerator(seed: 21)
        var ranges = [0..<size]
        for _ in 0..<(size > 100_000 ? 2 : 8) {
          let lower = Int.random(in: 0...size, using: &random)
          ranges.append(lower..<Int.random(in: lower...size, using: &random))
        }
        for range in ranges {
          for omitting in [false, true] {
            let options: LineOptions = omitting ? .omittingCarriageReturn : []
            let expected = naiveLines(contents, in: range, omittingCarriageReturn: omitting)
            let found = try lines(of: reader, in: range, options: options)
            #expect(found == expected, "\(shape.name) \(range) omitting \(omitting)")
          }
          #expect(try reader.lineCount(in: range) == naiveLines(contents, in: range).count)
        }
        #expect(try lines(of: reader, in: nil, options: []) == naiveLines(contents, in: 0..<size))
        #expect(try reader.lineCount() == naiveLines(contents, in: 0..<size).count)
      }
    }
  }

  @Test(arguments: ReaderKind.zeroCopy, sizes)
  func zeroCopyLinesLendTheLinesBytes(kind: ReaderKind, size: Int) throws {
    for (index, shape) in Self.shapes.enumerated() {
      let contents = bytes(count: size, from: shape.alphabet, seed: UInt64(size * 3 + index + 1))
      try withTemporaryFile(contents: contents) { path in
        let reader = try kind.openZeroCopy(path)
        defer { try? reader.close() }
        var random = SeededGenerator(seed: 22)
        var ranges = [0..<size]
        for _ in 0..<(size > 100_000 ? 2 : 6) {
          let lower = Int.random(in: 0...size, using: &random)
          ranges.append(lower..<Int.random(in: lower...size, using: &random))
        }
        for range in ranges {
          for omitting in [false, true] {
            let options: LineOptions = omitting ? .omittingCarriageReturn : []
            var found: [Range<Int>] = []
            try reader.forEachLine(in: range, options: options) { line, bytes in
              #expect(sameBytes(bytes, contents[line]), "\(shape.name) line \(line)")
              found.append(line)
              return .proceed
            }
            let expected = naiveLines(contents, in: range, omittingCarriageReturn: omitting)
            #expect(found == expected, "\(shape.name) \(range) omitting \(omitting)")
          }
        }
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func edgeFilesHaveTheExpectedLines(kind: ReaderKind) throws {
    let cases: [(contents: String, lines: [String], omitting: [String])] = [
      ("", [], []),
      ("no final line feed", ["no final line feed"], ["no final line feed"]),
      ("\n", [""], [""]),
      ("\n\n\n", ["", "", ""], ["", "", ""]),
      ("a\r\nb\r\n\r\n", ["a\r", "b\r", "\r"], ["a", "b", ""]),
      ("\r\n", ["\r"], [""]),
      ("x\r", ["x\r"], ["x\r"]),  // no line feed after the carriage return: it stays
      ("\r\r\n", ["\r\r"], ["\r"]),
    ]
    for testCase in cases {
      let contents = Array(testCase.contents.utf8)
      try withTemporaryFile(contents: contents) { path in
        let reader = try kind.open(path)
        defer { try? reader.close() }
        for omitting in [false, true] {
          let lines = try lines(
            of: reader, in: nil, options: omitting ? .omittingCarriageReturn : [])
          let texts = lines.map { String(decoding: contents[$0], as: UTF8.self) }
          #expect(texts == (omitting ? testCase.omitting : testCase.lines), "\(testCase.contents)")
        }
        #expect(try reader.lineCount() == testCase.lines.count)
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func carriageReturnAtAChunkEdgeIsOmitted(kind: ReaderKind) throws {
    // The carriage return ends one window (and one pread chunk), its line feed starts the next.
    for edge in [pageSize, PReadReader.chunkCapacity] {
      var contents = [UInt8](repeating: 0x61, count: edge + 100)
      contents[edge - 1] = 0x0D
      contents[edge] = 0x0A
      try withTemporaryFile(contents: contents) { path in
        let reader = try kind.open(path)
        defer { try? reader.close() }
        let lines = try lines(of: reader, in: nil, options: .omittingCarriageReturn)
        #expect(lines == [0..<(edge - 1), (edge + 1)..<(edge + 100)])
        if kind != .pread {
          var texts: [[UInt8]] = []
          try kind.openZeroCopy(path).forEachLine(options: .omittingCarriageReturn) { _, bytes in
            texts.append(Array(bytes))
            return .proceed
          }
          #expect(texts == [Array(contents[..<(edge - 1)]), Array(contents[(edge + 1)...])])
        }
      }
    }
  }

  @Test(arguments: ReaderKind.allCases)
  func stoppingEndsTheScanAndThrownErrorsPassThrough(kind: ReaderKind) throws {
    let contents = Array(String(repeating: "line\n", count: 5000).utf8)
    try withTemporaryFile(contents: contents) { path in
      let reader = try kind.open(path)
      defer { try? reader.close() }
      var visited = 0
      try reader.forEachLine { _ in
        visited += 1
        return visited == 1234 ? .stop : .proceed
      }
      #expect(visited == 1234)
      struct Marker: Error {}
      visited = 0
      #expect(throws: Marker.self) {
        try reader.forEachLine { _ in
          visited += 1
          if visited == 3000 { throw Marker() }
          return .proceed
        }
      }
      #expect(visited == 3000)
    }
  }
}
