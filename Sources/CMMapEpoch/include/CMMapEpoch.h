// Epochs for ReloadingReader: each thread announces the lookup it is in with plain stores to
// a record of its own, so that a lookup costs no atomic read-modify-write; the thread that
// wants to release an old version makes every thread's stores visible with one membarrier(2)
// call, then reads the records. (Where membarrier is missing, each lookup pays a fence.)
#ifndef CMMAP_EPOCH_H
#define CMMAP_EPOCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/// One thread's record. `active` is 0 outside lookups, else the global epoch read when the
/// thread's outermost lookup began. `lookups` counts its lookups, for sampling.
typedef struct mmap_epoch_record {
  _Atomic uint64_t active;
  uint32_t lookups;
  _Atomic bool in_use;
  struct mmap_epoch_record *_Atomic next;
} mmap_epoch_record;

/// The global epoch: advances by 2 at each retirement. Bit 0 set: readers must fence (no
/// membarrier on this kernel). Never 0, so that 0 means "not in a lookup".
extern _Atomic uint64_t mmap_epoch_global;

extern __thread mmap_epoch_record *mmap_epoch_self __attribute__((tls_model("initial-exec")));

/// Gives the calling thread a record (reusing one of an exited thread), once per thread.
mmap_epoch_record *mmap_epoch_register(void);

/// A lookup begun: the thread's record, and what `mmap_epoch_leave` restores (`previous`: 0
/// for an outermost lookup). Carrying the record saves the leave a thread-local access.
/// `record` is the calling thread's own: valid until that thread exits (when its record goes
/// back to the free list), so only the thread that entered passes it to `mmap_epoch_leave`.
typedef struct mmap_epoch_entry {
  mmap_epoch_record *record;
  uint64_t previous;
} mmap_epoch_entry;

/// Begins a lookup.
static inline mmap_epoch_entry mmap_epoch_enter(void) {
  mmap_epoch_record *record = mmap_epoch_self;
  if (__builtin_expect(record == NULL, 0)) record = mmap_epoch_register();
  uint64_t previous = atomic_load_explicit(&record->active, memory_order_relaxed);
  if (previous == 0) {
    // Acquire: a lookup that reads the epoch a retirement made also reads what it published.
    uint64_t epoch = atomic_load_explicit(&mmap_epoch_global, memory_order_acquire);
    atomic_store_explicit(&record->active, epoch, memory_order_relaxed);
    // The store must be seen before the lookup reads the current version: membarrier makes
    // it so at release time; without membarrier, a fence here.
    if (__builtin_expect(epoch & 1, 0)) {
      atomic_thread_fence(memory_order_seq_cst);
    } else {
      atomic_signal_fence(memory_order_seq_cst);
    }
  }
  mmap_epoch_entry entry = {record, previous};
  return entry;
}

/// Ends the lookup `mmap_epoch_enter` began, given what it returned. An outermost lookup
/// also counts itself: returns true for one in 256 of the thread's lookups, the ones that
/// make the clock test of an automatic check.
static inline bool mmap_epoch_leave(mmap_epoch_entry entry) {
  mmap_epoch_record *record = entry.record;
  if (entry.previous != 0) {
    atomic_store_explicit(&record->active, entry.previous, memory_order_release);
    return false;
  }
  // Release: the lookup's reads are done before the record says so.
  atomic_store_explicit(&record->active, 0, memory_order_release);
  uint32_t count = record->lookups + 1;
  record->lookups = count;
  return (count & 255) == 0;
}

/// Advances the global epoch and returns the new one: a version unpublished before this
/// call may be released once no lookup that began before it is running.
uint64_t mmap_epoch_advance(void);

/// Whether every lookup that began before `epoch` was advanced to has ended. With `confirm`
/// false, only a look at the records (which may be stale: a `true` must be confirmed); with
/// `confirm` true, after a membarrier(2) call (or a fence), a definite answer.
bool mmap_epoch_has_passed(uint64_t epoch, bool confirm);

#endif
