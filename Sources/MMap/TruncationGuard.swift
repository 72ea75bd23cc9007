import Synchronization

/// The process-wide protection that turns a file truncated under a mapped reader into an
/// error instead of a crash.
///
/// If another process truncates a file while ``MMapReader`` or ``MMapWindowReader`` maps it,
/// touching a page past the new end raises `SIGBUS`, which kills the process by default. The
/// library installs a `SIGBUS` handler when it maps its first file. A fault inside one of the
/// library's mappings is then survived: the handler replaces the pages from the faulting one
/// to the end of that mapping with zero pages, marks the reader truncated, and lets the
/// faulting instruction read zeros; the read or view then throws ``MMapError`` with `ENODATA`
/// and ``MMapError/missingOffset`` set (see ``MMapError/isTruncation``), or with `EIO` if the file
/// did not shrink (the kernel reports a failed read of the file the same way). Any other
/// `SIGBUS` gets the disposition it had before the library's handler: ignored, the default
/// action, or the previous handler (the Swift runtime's crash reporter, for one), run with
/// the signal mask and flags it was installed with.
///
/// What stays unsafe:
/// - A pointer that escaped a view's closure: the reader no longer checks for the fault.
/// - A `SIGBUS` handler installed after the library's that doesn't pass on the faults it
///   doesn't own: the library's handler never sees them, and a truncation kills as before.
///
/// An application that handles `SIGBUS` itself opts out, before opening its first mapped
/// reader, with ``disable()`` or by setting the environment variable
/// `SWIFT_MMAP_SIGBUS_GUARD=0`. A truncation under a mapped reader then kills the process, as
/// it does with any mapping.
///
/// ## Topics
///
/// ### Inspecting the guard
/// - ``isEnabled``
/// - ``isInstalled``
///
/// ### Opting out
/// - ``disable()``
public enum TruncationGuard {
  /// Whether the guard is or may be installed: `false` after ``disable()`` or with the
  /// environment variable `SWIFT_MMAP_SIGBUS_GUARD=0`.
  public static var isEnabled: Bool {
    !isDisabled.load(ordering: .relaxed) && system_getenv("SWIFT_MMAP_SIGBUS_GUARD") != "0"
  }

  /// Whether the library's `SIGBUS` handler is installed in this process.
  public static var isInstalled: Bool { FaultGuard.isInstalled }

  /// Keeps the library from installing its `SIGBUS` handler. Returns `false` if it is too
  /// late: the handler is installed already, since a reader mapped a file.
  @discardableResult
  public static func disable() -> Bool {
    isDisabled.store(true, ordering: .relaxed)
    return !FaultGuard.isInstalled
  }

  private static let isDisabled = Atomic<Bool>(false)
}
