// Scenarios for the truncation guard's tests that need C: signal dispositions with exact
// flags and masks, and races widened at the guard's test hook, run inside a signal handler
// or across fork(2).

#ifndef CMMAPGUARDPROBES_H
#define CMMAPGUARDPROBES_H

/// The disposition `probe_set_previous_disposition` installs.
enum probe_disposition { probe_default = 0, probe_ignore = 1, probe_recording_handler = 2 };

/// Sets SIGBUS's disposition, before the guard is installed: `flags` are added to
/// `sa_flags` (SA_SIGINFO, SA_NODEFER, SA_RESETHAND), and `masked_signal`, if positive, to
/// `sa_mask`. Returns 0, or errno.
int probe_set_previous_disposition(enum probe_disposition disposition, int flags,
                                   int masked_signal);

/// How many times the recording handler ran.
int probe_recorded_calls(void);
/// Whether SIGBUS was blocked while the recording handler last ran.
int probe_recorded_sigbus_blocked(void);
/// Whether the `masked_signal` was blocked while the recording handler last ran.
int probe_recorded_masked_signal_blocked(void);

/// Registers a file mapping A, then faults in it after truncating the file, while the test
/// hook (on the handler's first copy of an entry) moves A to another registry slot and
/// registers an unrelated mapping B in A's old slot, with an unregistered buffer X between
/// A and B. Returns 0 if only A was treated as truncated: X kept its bytes, B's flag stayed
/// clear, A's was set, and the faulting read saw zeros. Else a code naming what went wrong.
/// Run it in a process whose guard registry is empty.
int probe_fault_while_entry_is_reused(const char *directory);

/// Pauses one thread inside `mmap_guard_install` (at the test hook), forks from another,
/// and has the child install the guard. Returns 0 if the child installed it and exited
/// within 5 seconds, 1 if it hung (and was killed), or another code for other failures.
/// Run it in a process where the guard isn't installed yet.
int probe_fork_during_install(void);

/// Registers a file mapping, then faults in it after truncating the file, while the test
/// hook (once the handler found the entry) rebases the entry as a window change would. Returns 0 if the fault was still caught: the mapping flagged, zeros read, the
/// process alive. Run it in a process whose guard registry is empty.
int probe_fault_while_entry_is_rebased(const char *directory);

/// Pauses one thread inside a registry change (at the test hook, holding the registry's
/// lock), forks from another, and has the child fault in a guarded mapping of a truncated
/// file. Returns 0 if the child caught the fault and exited within 5 seconds, 1 if it hung
/// (and was killed), or another code for other failures.
int probe_fork_during_registry_change(const char *directory);

/// Reads the byte at `address` through a volatile load, which the optimizer keeps.
unsigned char probe_touch(const void *address);

/// Installs, over whatever SIGBUS had (the guard, say), a handler that doesn't chain: it
/// ends the process with `_exit(code)`. Returns 0, or errno.
int probe_install_exiting_handler(int code);

/// Deallocates `count` bytes of `fd` from `offset` (fallocate's FALLOC_FL_PUNCH_HOLE, the
/// size kept). Returns 0, or errno (EOPNOTSUPP where the file system can't).
int probe_punch_hole(int fd, long long offset, long long count);

/// Makes a misaligned load with the processor's alignment check on (x86-64's AC flag),
/// which raises SIGBUS with BUS_ADRALN. Returns 1 if the load completed (no alignment
/// check on this processor or architecture); it doesn't return if the signal kills.
int probe_misaligned_load(void);

#endif
