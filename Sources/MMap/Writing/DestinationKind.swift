/// What a descriptor written to is open as, from `fstat`: it decides the fastest way to it.
internal enum DestinationKind: Sendable {
  /// A socket (`S_ISSOCK`).
  case socket
  /// A pipe or FIFO (`S_ISFIFO`).
  case pipe
  /// A regular file (`S_ISREG`).
  case regularFile
  /// Anything else: a terminal, a device.
  case other
}

/// A kernel call that moves a file's bytes from its descriptor to another descriptor without
/// copying them through this process.
internal enum KernelTransfer: Sendable {
  /// `sendfile(2)`, to a socket.
  case sendfile
  /// `splice(2)`, to a pipe.
  case splice
  /// `copy_file_range(2)`, to a regular file.
  case copyFileRange
}
