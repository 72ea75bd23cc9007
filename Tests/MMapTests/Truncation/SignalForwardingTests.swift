import CMMapGuardProbes
import Foundation
import Synchronization
import Testing

@testable import MMap

/// A `SIGBUS` that isn't the guard's gets exactly the disposition it had before the guard
/// was installed: ignored, default, or a handler run with its own mask and flags. Each test
/// runs in a child process, which sets the disposition before its first mapping. Under a
/// sanitizer, whose own handler intercepts the signal, they are skipped.
@Suite(.disabled(if: TestScale.sanitizer != nil, "a sanitizer intercepts SIGBUS"))
struct SignalForwardingTests {
  @Test func aSentSIGBUSStaysIgnoredWhenItWasIgnored() async {
    await #expect(processExitsWith: .success) {
      signal(SIGBUS, SIG_IGN)
      let reader = try MMapReader(path: "/proc/self/exe")  // Installs the guard.
      precondition(TruncationGuard.isInstalled && reader.count > 0)
      kill(getpid(), SIGBUS)
      usleep(200_000)  // Delivered to some thread meanwhile.
    }
  }

  /// What a Go runtime leaves after `signal.Ignore`: SIG_IGN with SA_SIGINFO set.
  @Test func aSentSIGBUSStaysIgnoredWhenItWasIgnoredWithTheSiginfoFlag() async {
    await #expect(processExitsWith: .success) {
      precondition(probe_set_previous_disposition(probe_ignore, SA_SIGINFO, 0) == 0)
      _ = try MMapReader(path: "/proc/self/exe")
      precondition(TruncationGuard.isInstalled)
      raise(SIGBUS)  // To this thread, before raise returns.
    }
  }

  /// SIG_DFL with SA_SIGINFO set is still the default action: death by SIGBUS, not a call
  /// of address 0.
  @Test func aSentSIGBUSKillsBySIGBUSWhenTheDefaultHadTheSiginfoFlag() async {
    setenv("SWIFT_BACKTRACE", "enable=no", 1)  // The child must not hang in the backtracer.
    await #expect(processExitsWith: .signal(SIGBUS)) {
      precondition(probe_set_previous_disposition(probe_default, SA_SIGINFO, 0) == 0)
      _ = try MMapReader(path: "/proc/self/exe")
      precondition(TruncationGuard.isInstalled)
      raise(SIGBUS)  // To this thread, before raise returns.
    }
  }

  @Test func thePreviousHandlerRunsWithItsMaskAndSIGBUSBlocked() async {
    await #expect(processExitsWith: .success) {
      precondition(probe_set_previous_disposition(probe_recording_handler, 0, SIGUSR1) == 0)
      _ = try MMapReader(path: "/proc/self/exe")
      var unblocked = sigset_t()
      sigemptyset(&unblocked)
      sigaddset(&unblocked, SIGUSR1)
      pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
      raise(SIGBUS)  // To this thread, before raise returns.
      precondition(probe_recorded_calls() == 1, "the handler ran once")
      precondition(probe_recorded_masked_signal_blocked() == 1, "its sa_mask was applied")
      precondition(probe_recorded_sigbus_blocked() == 1, "SIGBUS was blocked")
      var mask = sigset_t()
      pthread_sigmask(SIG_SETMASK, nil, &mask)
      precondition(sigismember(&mask, SIGUSR1) == 0, "the mask was restored afterwards")
    }
  }

  @Test func aPreviousSiginfoHandlerWithNodeferRunsWithSIGBUSUnblocked() async {
    await #expect(processExitsWith: .success) {
      precondition(
        probe_set_previous_disposition(
          probe_recording_handler, SA_SIGINFO | CInt(bitPattern: UInt32(SA_NODEFER)), 0) == 0)
      _ = try MMapReader(path: "/proc/self/exe")
      raise(SIGBUS)  // To this thread, before raise returns.
      precondition(probe_recorded_calls() == 1)
      precondition(probe_recorded_sigbus_blocked() == 0, "SA_NODEFER left SIGBUS unblocked")
    }
  }

  /// SA_RESETHAND: the handler runs once, and the next SIGBUS gets the default action.
  @Test func aPreviousOneShotHandlerRunsOnceThenTheDefaultKills() async {
    setenv("SWIFT_BACKTRACE", "enable=no", 1)
    await #expect(processExitsWith: .signal(SIGBUS)) {
      precondition(
        probe_set_previous_disposition(
          probe_recording_handler, CInt(bitPattern: UInt32(SA_RESETHAND)), 0) == 0)
      _ = try MMapReader(path: "/proc/self/exe")
      raise(SIGBUS)  // To this thread, before raise returns.
      precondition(probe_recorded_calls() == 1)
      raise(SIGBUS)  // To this thread, before raise returns.
      usleep(100_000)
      exit(0)  // Not reached: the second SIGBUS kills.
    }
  }

  /// A fault outside the library's mappings reaches the Swift runtime's crash reporter as if
  /// the guard weren't there: the full report on standard error, and the process's output
  /// closed within seconds (no helper left holding it).
  @Test func aForeignFaultGetsTheRuntimesFullCrashReport() throws {
    let probe = productsDirectory() + "/guard-crash-probe"
    guard access(probe, X_OK) == 0 else {
      Issue.record("guard-crash-probe isn't built next to the tests: \(probe)")
      return
    }
    try withTemporaryDirectory { directory in
      let run = try runCapturingOutput(
        probe, [directory + "/file"],
        environment: ["SWIFT_BACKTRACE=enable=yes,interactive=no,color=no"], timeout: 20)
      #expect(run.signal == SIGBUS)
      #expect(run.standardError.contains("Program crashed: Bus error"), "\(run.standardError)")
      #expect(run.standardError.contains("crashed:"))
      #expect(run.secondsToEndOfOutput < 10)
    }
  }
}

/// The directory of the build's products: the tests' own bundle is inside it.
func productsDirectory() -> String {
  var path = CommandLine.arguments[0]
  while !path.isEmpty, !path.hasSuffix(".xctest"), path != "/" {
    path = (path as NSString).deletingLastPathComponent
  }
  return (path.isEmpty || path == "/")
    ? (CommandLine.arguments[0] as NSString).deletingLastPathComponent
    : (path as NSString).deletingLastPathComponent
}

/// What a child process printed to standard error, how it ended, and how long its output
/// took to reach end of file.
struct ChildRun {
  var standardError: String
  var signal: CInt?
  var secondsToEndOfOutput: Double
}

/// Runs `executable` with `arguments` and `environment` added to this process's, reading its
/// standard output and error to end of file (at most `timeout` seconds), then reaps it.
func runCapturingOutput(
  _ executable: String, _ arguments: [String], environment: [String], timeout: Double
) throws -> ChildRun {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  var variables = ProcessInfo.processInfo.environment
  for assignment in environment {
    let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
    variables[parts[0]] = parts[1]
  }
  process.environment = variables
  let output = Pipe()
  let errors = Pipe()
  process.standardOutput = output
  process.standardError = errors
  let start = ContinuousClock.now
  try process.run()
  let errorText = Mutex<[UInt8]>([])
  let reading = DispatchGroup()
  reading.enter()
  DispatchQueue.global().async {
    let bytes = errors.fileHandleForReading.readDataToEndOfFile()
    errorText.withLock { $0 = Array(bytes) }
    reading.leave()
  }
  reading.enter()
  DispatchQueue.global().async {
    _ = output.fileHandleForReading.readDataToEndOfFile()
    reading.leave()
  }
  let finished = reading.wait(timeout: .now() + timeout) == .success
  let elapsed = ContinuousClock.now - start
  if !finished { process.terminate() }
  process.waitUntilExit()
  let seconds =
    Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  return ChildRun(
    standardError: String(decoding: errorText.withLock { $0 }, as: UTF8.self),
    signal: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil,
    secondsToEndOfOutput: finished ? seconds : .infinity)
}
