/// Calls `body` until it stops failing with EINTR (when `retryOnInterrupt`), and turns a `-1`
/// result into an ``MMapError`` carrying `errno`.
///
/// Don't use it for `close(2)`: a close that reports EINTR has already closed the descriptor.
internal func checkSystemCall<Result: FixedWidthInteger>(
  _ operation: MMapError.Operation, path: String?, retryOnInterrupt: Bool = true,
  _ body: () -> Result
) throws(MMapError) -> Result {
  while true {
    let result = body()
    guard result == -1 else { return result }
    let code = system_errno  // Next line after the call: nothing may run in between.
    if retryOnInterrupt && code == system_EINTR { continue }
    throw MMapError(operation, path: path, errno: code)
  }
}
