// Changes made to a file by another process, as a program sharing the file makes them.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Truncates the file at `path` to `size` bytes from another process: `truncate(1)`, started
/// with `posix_spawn` and waited for. Returns whether it ran and succeeded.
func truncateFromAnotherProcess(_ path: String, to size: Int) -> Bool {
  runToCompletion("/usr/bin/truncate", ["-s", String(size), path])
}

/// Runs the program at `executable` with `arguments` in a child process, with an empty
/// environment, and waits for it. Returns whether it exited with status 0.
func runToCompletion(_ executable: String, _ arguments: [String]) -> Bool {
  var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) }
  argv.append(nil)
  defer { argv.forEach { free($0) } }
  var environment: [UnsafeMutablePointer<CChar>?] = [nil]  // An empty one.
  var child: pid_t = 0
  guard posix_spawn(&child, executable, nil, nil, argv, &environment) == 0 else {
    return false
  }
  var status: CInt = 0
  while waitpid(child, &status, 0) == -1 {
    guard errno == EINTR else { return false }
  }
  return status == 0  // Exited, with status 0.
}
