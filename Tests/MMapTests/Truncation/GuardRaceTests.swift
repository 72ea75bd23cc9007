import CMMapGuardProbes
import Foundation
import Testing

@testable import MMap

/// Races inside the truncation guard, widened deterministically at a test hook: each runs in
/// a child process, whose registry holds only what the test puts there.
@Suite(.disabled(if: TestScale.sanitizer != nil, "a sanitizer intercepts SIGBUS"))
struct GuardRaceTests {
  /// The handler copies an entry, the entry is reused by an unrelated mapping, and the
  /// handler must notice: zero pages go only where the faulting mapping is, and only its
  /// owner is flagged.
  @Test func aFaultWhileItsEntryIsReusedTouchesOnlyTheFaultingMapping() async {
    await #expect(processExitsWith: .success) {
      exit(probe_fault_while_entry_is_reused("/tmp"))
    }
  }

  /// A fork while another thread is inside the installation: the child installs the guard
  /// itself instead of waiting forever for a thread it doesn't have.
  @Test func aForkDuringTheInstallationLeavesTheChildAbleToInstall() async {
    await #expect(processExitsWith: .success) {
      exit(probe_fork_during_install())
    }
  }

  /// A copy that faults in a window's old pages just as a new window is mapped into its slot
  /// finds the slot guarded: the reader reports the truncation, the process lives.
  @Test func aFaultInASlotBeingRemappedIsCaught() async {
    await #expect(processExitsWith: .success) {
      let path = "/tmp/swift-mmap-remap-\(getpid())"
      let contents = [UInt8](repeating: 7, count: 4 * pageSize)
      precondition(FileManager.default.createFile(atPath: path, contents: Data(contents)))
      defer { unlink(path) }
      // One slot of two pages: reading page 2 maps a window over page 0's.
      let reader = try MMapWindowReader(path: path, windowSize: 2 * pageSize, maxWindows: 1)
      let first = try reader.byte(at: pageSize)
      precondition(first == 7)
      nonisolated(unsafe) var touched = false
      WindowSlots.willRemap = { address in
        guard !touched else { return }
        touched = true
        precondition(truncate(path, 0) == 0)
        // What a lock-free copy that passed its check an instant before could do now.
        _ = UnsafeRawPointer(address).load(fromByteOffset: pageSize, as: UInt8.self)
      }
      let error = #expect(throws: MMapError.self) { try reader.byte(at: 2 * pageSize) }
      WindowSlots.willRemap = nil
      precondition(touched && error?.errno == ENODATA, "\(String(describing: error))")
    }
  }
}
