// file-server: serves one directory over HTTP/1.1, each file straight from its mapping with
// `write(in:to:)`. GET and HEAD, single byte ranges, keep-alive, one thread per connection.
//
//     file-server DIRECTORY [--port N] [--host ADDRESS] [--timeout SECONDS]
//
// With `--port 0` the kernel picks a free port; the first line on standard output names the
// address served, such as `file-server: serving /srv/www on http://127.0.0.1:8080/`.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

let usage = "usage: file-server DIRECTORY [--port N] [--host ADDRESS] [--timeout SECONDS]\n"

var arguments = Array(CommandLine.arguments.dropFirst())
var directory: String?
var port: UInt16 = 8080
var host = "127.0.0.1"
var timeoutSeconds = 10
while !arguments.isEmpty {
  let argument = arguments.removeFirst()
  if argument.hasPrefix("--") {
    guard !arguments.isEmpty else { fail(usage, status: 2) }
    let value = arguments.removeFirst()
    switch argument {
    case "--port": port = UInt16(value) ?? { fail("file-server: bad port \(value)\n", status: 2) }()
    case "--host": host = value
    case "--timeout":
      guard let seconds = Int(value), seconds > 0 else {
        fail("file-server: bad timeout \(value)\n", status: 2)
      }
      timeoutSeconds = seconds
    default: fail(usage, status: 2)
    }
  } else if directory == nil {
    directory = argument
  } else {
    fail(usage, status: 2)
  }
}
guard let directory, let root = ServedRoot(directory) else {
  fail(directory == nil ? usage : "file-server: \(directory!) is not a directory\n", status: 2)
}

// A parent's blocked signals are inherited across exec: unblock the ones that stop the
// server, so that it can be ended.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
for stopSignal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&stopSignals, stopSignal) }
sigprocmask(SIG_UNBLOCK, &stopSignals, nil)

// A client that goes away mid-response is an EPIPE from the library's writes; ignoring
// SIGPIPE also covers the server's own header writes.
signal(SIGPIPE, SIG_IGN)
let listener: Listener
do {
  listener = try Listener(host: host, port: port)
} catch {
  fail("file-server: \(error)\n", status: 1)
}
_ = writeAll(
  STDOUT_FILENO, "file-server: serving \(root.path) on http://\(host):\(listener.port)/\n")
serve(listener, root: root, timeoutSeconds: timeoutSeconds)

/// Accepts connections forever, each served on a thread of its own.
func serve(_ listener: Listener, root: ServedRoot, timeoutSeconds: Int) -> Never {
  while true {
    guard let client = listener.nextClient() else { continue }
    startThread {
      Connection(fd: client, root: root, timeoutSeconds: timeoutSeconds).serve()
      close(client)
    }
  }
}
