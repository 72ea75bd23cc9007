import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// `mmap-tail` as `tail -F` is used: it prints the last lines, then the lines a writer
/// appends (a partial line only once it is complete), then at a rotation the old file's last
/// lines and the new file's from its start, and after a truncation what comes next.
@Suite struct MMapTailTests {
  /// Appends `text` to the file at `path`.
  static func append(_ text: String, to path: String) {
    let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
    precondition(fd >= 0, "open failed: \(errno)")
    defer { close(fd) }
    var text = text
    text.withUTF8 { precondition(write(fd, $0.baseAddress, $0.count) == $0.count) }
  }

  /// Waits up to 20 seconds for the file at `path` to hold `expected`, and returns what it
  /// holds then.
  static func waitForContents(of path: String, _ expected: String) -> String {
    let deadline = ContinuousClock.now + .seconds(20)
    var seen = contentsOfFile(path)
    while seen != expected, ContinuousClock.now < deadline {
      usleep(20_000)
      seen = contentsOfFile(path)
    }
    return seen
  }

  @Test func printsTheLastLinesThenEachAppendedLineThenAReplacement() throws {
    try withTemporaryDirectory { directory in
      let log = directory + "/app.log"
      let output = directory + "/tail-output"
      Self.append("one\ntwo\nthree\nfour\n", to: log)
      let child = try spawn(try examplePath("mmap-tail"), ["-n", "2", log], output: output)
      defer {
        // SIGKILL: the child inherits this process's signal mask, which blocks SIGTERM.
        kill(child, SIGKILL)
        var status: CInt = 0
        waitpid(child, &status, 0)
      }
      #expect(Self.waitForContents(of: output, "three\nfour\n") == "three\nfour\n")
      Self.append("five\nsi", to: log)
      #expect(Self.waitForContents(of: output, "three\nfour\nfive\n") == "three\nfour\nfive\n")
      // The rest of the line, and a rotation: the old file renamed away, a new one in place.
      Self.append("x\n", to: log)
      let expected = "three\nfour\nfive\nsix\n"
      #expect(Self.waitForContents(of: output, expected) == expected)
      // A rotation right after a write: the line the old file gained before the rename still
      // prints, before the new file's lines.
      Self.append("seven\n", to: log)
      #expect(rename(log, log + ".1") == 0)
      Self.append("new one\n", to: log + ".next")
      #expect(rename(log + ".next", log) == 0)
      let rotated = expected + "seven\nnew one\n"
      #expect(Self.waitForContents(of: output, rotated) == rotated)
      // Truncated in place, then written again: followed from the new end.
      #expect(truncate(log, 0) == 0)
      usleep(300_000)
      Self.append("after truncation\n", to: log)
      let truncated = rotated + "after truncation\n"
      #expect(Self.waitForContents(of: output, truncated) == truncated)
    }
  }

  /// Starts `executable` with `arguments`, its standard output to the file `output` and its
  /// standard error discarded, and returns its process identifier without waiting.
  func spawn(_ executable: String, _ arguments: [String], output: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) }
    argv.append(nil)
    defer { argv.forEach { free($0) } }
    var child: pid_t = 0
    let spawned = posix_spawn(&child, executable, &actions, nil, argv, environ)
    guard spawned == 0 else {
      throw ExampleTestFailure(description: "can't run \(executable): errno \(spawned)")
    }
    return child
  }
}
