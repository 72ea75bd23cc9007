/// Throws unless `byteCount` bytes can be allocated now, for a count of at least
/// ``allocationCheckThreshold``: allocates them with `malloc` and frees them at once.
///
/// For a result whose type can't take over memory allocated another way, an array: Swift
/// stops the process when the allocation of one fails, so reads that return one check first.
/// A check, not a guarantee: memory another thread takes between it and the array's own
/// allocation can still run out. Smaller counts aren't checked: the check would double the
/// cost of a small read, and a process that can't allocate that little stops at its next
/// allocation anyway.
///
/// Never inlined and never optimized: the compiler may otherwise drop a `malloc` whose memory
/// is only freed, and assume it succeeded.
///
/// - Throws: ``MMapError`` with ``MMapError/Operation/read`` and `ENOMEM` if `malloc` fails.
@usableFromInline
@inline(never)
@_optimize(none)
internal func checkAllocatable(byteCount: Int, path: String?) throws(MMapError) {
  guard byteCount >= allocationCheckThreshold else { return }
  guard let memory = system_malloc(byteCount) else {
    throw MMapError(.read, path: path, errno: system_ENOMEM)
  }
  system_free(memory)
}

/// The smallest count ``checkAllocatable(byteCount:path:)`` checks: 1 MiB, where `malloc`
/// maps memory of its own and the check costs a fraction of copying that many bytes.
@usableFromInline
internal let allocationCheckThreshold = 1 << 20
