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

  /// The handler copies an entry, and its owner rebases it (a window change) before the
  /// handler acts: the fault is looked up again, not passed on as foreign.
  @Test func aFaultWhileItsEntryIsRebasedIsStillCaught() async {
    await #expect(processExitsWith: .success) {
      exit(probe_fault_while_entry_is_rebased("/tmp"))
    }
  }

  /// A fork while another thread is in the middle of a registry change: the fork waits for
  /// the change, so the child's handler never waits for a thread the child doesn't have.
  @Test func aForkDuringARegistryChangeLeavesTheChildsGuardWorking() async {
    await #expect(processExitsWith: .success) {
      exit(probe_fork_during_registry_change("/tmp"))
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
        _ = probe_touch(address + pageSize)
      }
      let error = #expect(throws: MMapError.self) { try reader.byte(at: 2 * pageSize) }
      WindowSlots.willRemap = nil
      precondition(touched && error?.isTruncation == true, "\(String(describing: error))")
    }
  }
}
