/// A reader that can lend its bytes in place, without copying them: ``MMapReader``,
/// ``MMapWindowReader``, ``InMemoryReader`` and ``FileReader``.
///
/// Its one requirement is the ranged view ``withUnsafeBytes(in:_:)``; the other views are
/// written once, here, on top of it. A generic helper that needs the bytes themselves (a
/// search, a parser that slices records) takes a `ZeroCopyReader`; one that can work chunk by
/// chunk takes any ``RandomAccessReader`` and uses ``RandomAccessReader/forEachChunk(in:_:)``.
///
/// ## Lifetimes
///
/// The buffer or span a view passes to its closure points into a mapping and is valid only
/// until the closure returns. Don't store it, return it, or capture it in an escaping closure;
/// copy what you need to keep with ``RandomAccessReader/read(from:into:)-(_,UnsafeMutableRawBufferPointer)``.
/// The span forms enforce this at compile time; the unsafe forms rely on you.
///
/// ## Concurrency
///
/// A view may run on any thread, alongside reads and other views. A ``RandomAccessReader/close()``
/// on another thread waits for the view's closure to return before the bytes go away: the
/// last view out releases them.
///
/// ## Truncation
///
/// If another process truncates the file, touching a page past its new end raises `SIGBUS`,
/// as with any mapping. Changes other processes write to the file may be visible inside the
/// closure.
///
/// ## Topics
///
/// ### Views
/// - ``withUnsafeBytes(in:_:)``
/// - ``withUnsafeBytes(_:)``
/// - ``withBytes(in:_:)``
/// - ``withBytes(_:)``
///
/// ### Typed views
/// - ``withElements(in:as:_:)``
/// - ``withUnsafeElements(in:as:_:)``
///
/// ### Searching and lines
/// - ``forEachLine(in:options:_:)``
///
/// ### Scanning on every core
/// - ``forEachLine(in:options:parallelism:_:)``
public protocol ZeroCopyReader: RandomAccessReader {
  /// Calls `body` with the bytes in `range`, without copying them.
  ///
  /// The buffer is valid only until `body` returns (see the protocol's lifetime rules).
  ///
  /// - Parameters:
  ///   - range: Offsets inside `0..<count`; an empty range gives an empty buffer.
  ///   - body: Called once with the bytes.
  /// - Returns: What `body` returns.
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with
  ///   `EBADF` if the reader is closed, with what the system reported if the bytes can't be
  ///   mapped, or what `body` throws.
  func withUnsafeBytes<Result>(
    in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result
}

extension ZeroCopyReader {
  /// Calls `body` with all the reader's bytes, without copying them.
  ///
  /// The rules of ``withUnsafeBytes(in:_:)`` apply, for the range `0..<count`. On
  /// ``MMapWindowReader`` a range larger than one window is mapped temporarily and its
  /// touched pages stay resident until `body` returns; scan with
  /// ``RandomAccessReader/forEachChunk(in:_:)`` to keep memory bounded.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, with what the system
  ///   reported if the bytes can't be mapped, or what `body` throws.
  public func withUnsafeBytes<Result>(
    _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result {
    try withUnsafeBytes(in: 0..<count, body)
  }

  /// Calls `body` with a span over the bytes in `range`, without copying them.
  ///
  /// The span is valid only inside `body`, which the compiler enforces: it can't be stored
  /// or returned. The rules of ``withUnsafeBytes(in:_:)`` apply.
  ///
  /// - Throws: ``MMapError`` with `EINVAL` if `range` is not inside `0..<count`, with
  ///   `EBADF` if the reader is closed, with what the system reported if the bytes can't be
  ///   mapped, or what `body` throws.
  public func withBytes<Result>(
    in range: Range<Int>, _ body: (RawSpan) throws -> Result
  ) throws -> Result {
    try withUnsafeBytes(in: range) { buffer in try body(buffer.bytes) }
  }

  /// Calls `body` with a span over all the reader's bytes, without copying them.
  ///
  /// The span is valid only inside `body`, which the compiler enforces. The rules of
  /// ``withUnsafeBytes(_:)`` apply.
  ///
  /// - Throws: ``MMapError`` with `EBADF` if the reader is closed, with what the system
  ///   reported if the bytes can't be mapped, or what `body` throws.
  public func withBytes<Result>(_ body: (RawSpan) throws -> Result) throws -> Result {
    try withBytes(in: 0..<count, body)
  }
}
