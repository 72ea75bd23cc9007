import CMMapGuardProbes
import Foundation
import Testing

@testable import MMap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A file for a child process: `pages` pages of known bytes, mapped by an ``MMapReader``,
/// its path already unlinked (nothing is left behind if the child dies), and a read-write
/// descriptor to change it through.
func unlinkedMappedFile(pages: Int) -> (reader: MMapReader, fd: CInt, contents: [UInt8]) {
  let path = "/tmp/mmap-guard-edge-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
  let fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
  precondition(fd >= 0, "cannot create \(path)")
  let contents = generatedBytes(count: pages * pageSize, seed: 77)
  precondition(contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == contents.count)
  let reader = try! MMapReader(path: path)
  precondition(unlink(path) == 0)
  return (reader, fd, contents)
}

/// The truncation guard's last edges, each in a child process: a thread that blocks
/// `SIGBUS`, a handler installed after the guard that doesn't chain, a misaligned access,
/// many threads faulting on different readers, a punched hole, an unlinked file. Skipped
/// under a sanitizer, whose own handler intercepts `SIGBUS`.
@Suite(.disabled(if: TestScale.sanitizer != nil, "a sanitizer intercepts SIGBUS"))
struct GuardEdgeTests {
  init() {
    setenv("SWIFT_BACKTRACE", "enable=no", 1)  // A child that dies must not wait for it.
  }

  /// A fault on a blocked synchronous signal can't be handled: the kernel gives `SIGBUS`
  /// its default action and the process dies, guard or no guard.
  @Test func aThreadThatBlocksSIGBUSDiesOfATruncatedRead() async {
    await #expect(processExitsWith: .signal(SIGBUS)) {
      let (reader, fd, _) = unlinkedMappedFile(pages: 4)
      precondition(ftruncate(fd, off_t(pageSize)) == 0)
      var blocked = sigset_t()
      sigemptyset(&blocked)
      sigaddset(&blocked, SIGBUS)
      pthread_sigmask(SIG_BLOCK, &blocked, nil)
      _ = try? reader.byte(at: 3 * pageSize)
    }
  }

  /// A handler installed after the guard that doesn't call the guard's gets the fault: the
  /// guard never sees it, and the handler decides (here: exit 42).
  @Test func aLaterHandlerThatDoesntChainTakesTheTruncationFault() async {
    await #expect(processExitsWith: .exitCode(42)) {
      let (reader, fd, _) = unlinkedMappedFile(pages: 4)
      precondition(TruncationGuard.isInstalled)
      precondition(probe_install_exiting_handler(42) == 0)
      precondition(ftruncate(fd, off_t(pageSize)) == 0)
      _ = try? reader.byte(at: 3 * pageSize)
    }
  }

  /// A misaligned access with alignment checking on (`BUS_ADRALN`) isn't the guard's: it
  /// reaches the default action, death by `SIGBUS`. Where the processor doesn't check, the
  /// load completes and the child says so with exit 3.
  @Test func aMisalignedAccessFaultReachesTheDefaultAction() async {
    await #expect(processExitsWith: .signal(SIGBUS)) {
      let (reader, _, _) = unlinkedMappedFile(pages: 1)
      precondition(TruncationGuard.isInstalled && reader.count > 0)
      if probe_misaligned_load() == 1 { exit(3) }
    }
  }

  /// Eight threads, each with a reader of its own file; half of the files are truncated as
  /// their threads read. Each truncated reader throws the truncation error, and every
  /// other reader delivers its own bytes, round after round.
  @Test func manyThreadsFaultingOnDifferentReadersLeaveTheirNeighboursRight() async {
    await #expect(processExitsWith: .success) {
      let files = (0..<8).map { _ in unlinkedMappedFile(pages: 8) }
      runOnThreads(files.count) { index in
        let (reader, fd, contents) = files[index]
        let truncates = index % 2 == 0
        for round in 0..<50 {
          if truncates && round == 10 { precondition(ftruncate(fd, off_t(2 * pageSize)) == 0) }
          do throws(MMapError) {
            let bytes = try reader.bytes(in: 0..<reader.count)
            precondition(bytes == contents, "reader \(index) read wrong bytes")
            precondition(!truncates || round < 10, "reader \(index) read past its end")
          } catch {
            precondition(truncates && round >= 10 && error.isTruncation, "\(index): \(error)")
          }
        }
      }
    }
  }

  /// A hole punched in a mapped file reads as zeros, without a signal or an error: the file
  /// keeps its size, and the hole's pages are the file's zeros now.
  @Test func aPunchedHoleReadsAsZeros() async {
    await #expect(processExitsWith: .success) {
      let (reader, fd, contents) = unlinkedMappedFile(pages: 4)
      let before = try reader.bytes(in: 0..<reader.count)
      precondition(before == contents)
      let punched = probe_punch_hole(fd, Int64(pageSize), Int64(pageSize))
      if punched == EOPNOTSUPP { exit(0) }  // The file system has no holes to punch.
      precondition(punched == 0, "fallocate: \(punched)")
      var expected = contents
      expected.replaceSubrange(pageSize..<(2 * pageSize), with: repeatElement(0, count: pageSize))
      let after = try reader.bytes(in: 0..<reader.count)
      precondition(
        after == expected,
        "zeros: \(after[pageSize..<(2 * pageSize)].allSatisfy { $0 == 0 }),"
          + " rest: \(after[..<pageSize] == contents[..<pageSize])"
          + " \(after[(2 * pageSize)...] == contents[(2 * pageSize)...])")
      var status = stat()
      precondition(fstat(fd, &status) == 0 && status.st_size == contents.count, "size kept")
    }
  }

  /// A file deleted while mapped lives on until its last mapping goes: the reader reads all
  /// its bytes, and says it is no longer at its path.
  @Test func anUnlinkedFileKeepsReading() async {
    await #expect(processExitsWith: .success) {
      let (reader, fd, contents) = unlinkedMappedFile(pages: 4)
      close(fd)
      let bytes = try reader.bytes(in: 0..<reader.count)
      precondition(bytes == contents)
      let isAtPath = try reader.fileStatus().isAtPath
      precondition(isAtPath == false)
    }
  }
}
