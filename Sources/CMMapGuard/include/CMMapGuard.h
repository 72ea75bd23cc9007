// The truncation guard: a SIGBUS handler that turns a fault in one of the library's mappings
// into zero pages and a flag, so that a read of a file truncated under it reports an error
// instead of killing the process. Used only by the MMap module.

#ifndef CMMAPGUARD_H
#define CMMAPGUARD_H

#include <stddef.h>
#include <stdint.h>

/// Installs the process-wide SIGBUS handler, once; later calls do nothing. The handler hands
/// every fault outside a registered mapping to the handler installed before it (or to the
/// default action). Returns 0, or an errno value if `sigaction` failed. Thread-safe.
int mmap_guard_install(void);

/// Whether the handler is installed.
int mmap_guard_is_installed(void);

/// Registers the mapping of `length` bytes at `start` (page-aligned). On a SIGBUS inside it
/// that reports an unreadable page (`BUS_ADRERR`, `BUS_OBJERR`, `BUS_MCEERR_AR`), the handler
/// replaces the pages from the faulting one to the end, or to the first page it replaced
/// before, with zero pages (readable,
/// and writable too if `writable` is non-zero, for a private mapping its owner may write), records
/// `fault_base` plus the faulting page's offset in the mapping in `*fault_offset` (keeping the
/// smallest), and sets `flag` in `*state_word` with an atomic OR, then `also_flag` in each of
/// the `also_count` words from `also_words` on, `also_stride` bytes apart (none if
/// `also_count` is 0): the mapping's owner may keep more words that readers check.
///
/// `state_word`, `fault_offset` and the `also_words` must stay valid until
/// `mmap_guard_unregister(start)`. Returns 0, or ENOMEM if the registry could not grow (the
/// mapping is then unguarded).
int mmap_guard_register(void *start, size_t length, intptr_t *state_word, intptr_t flag,
                        intptr_t *fault_offset, intptr_t fault_base, int writable,
                        intptr_t *also_words, size_t also_count, size_t also_stride,
                        intptr_t also_flag);

/// Removes the mapping at `start`. Call it once nothing can fault in the range any more, and
/// before the range is unmapped or reused.
void mmap_guard_unregister(void *start);

/// Points the mapping registered at `start` at new file pages: faults in it now record
/// `fault_base` plus the faulting page's offset, and no page of it counts as replaced. For an
/// owner that maps a new window over a registered range with `MAP_FIXED`, so that the range
/// stays guarded throughout. Does nothing if nothing is registered at `start`.
void mmap_guard_rebase(void *start, intptr_t fault_base);

/// Whether `address` lies inside a registered mapping.
int mmap_guard_is_registered(const void *address);

/// Where the test hook is called: in the handler, after copying a registry entry and before
/// checking that the copy is current.
#define MMAP_GUARD_HOOK_ENTRY_COPIED 1
/// Where the test hook is called: in `mmap_guard_install`, once it owns the installation and
/// before it calls `sigaction`.
#define MMAP_GUARD_HOOK_INSTALLING 2

/// Where the test hook is called: in the handler, once it found the entry of the faulting
/// address and before it acts on it.
#define MMAP_GUARD_HOOK_ENTRY_FOUND 4
/// Where the test hook is called: in `mmap_guard_rebase`, while the entry's sequence is odd
/// and the registry's lock is held.
#define MMAP_GUARD_HOOK_CHANGING 3
/// The `fault_base` of a range whose file offsets aren't known for now (while a window is
/// being mapped over it): faults in it flag their owner but record no offset.
#define MMAP_GUARD_UNKNOWN_OFFSET INTPTR_MAX

/// For tests only: a function the guard calls at the points above, to widen a race
/// deterministically. NULL (the default) costs one load at each point.
extern void (*mmap_guard_test_hook)(int point, uintptr_t address);

#endif
