// Internal to the guard: the registry's layout, shared by registry.c and handler.c.

#ifndef CMMAPGUARD_REGISTRY_H
#define CMMAPGUARD_REGISTRY_H

#include "CMMapGuard.h"

/// Slots per segment: enough for most processes in the first, statically allocated one.
#define GUARD_SEGMENT_SLOTS 256

/// One registered mapping. `start` is 0 when the slot holds none.
///
/// The fields are written only between two increments of `sequence` (odd while they
/// change), so the handler can take a consistent copy without a lock: the reader side of a
/// seqlock. `replaced_from` is the exception: the handler itself lowers it, atomically.
struct guard_slot {
  uint64_t sequence;
  uintptr_t start;
  uintptr_t end;
  /// The lowest address whose pages were replaced by zero pages, or `end` for none.
  uintptr_t replaced_from;
  intptr_t *state_word;
  intptr_t flag;
  intptr_t *fault_offset;
  intptr_t fault_base;
  int writable;
  int claimed;
  intptr_t *also_words;
  size_t also_count;
  size_t also_stride;
  intptr_t also_flag;
};

/// A consistent copy of a slot's fields, taken by the handler.
struct guard_entry {
  struct guard_slot *slot;
  uint64_t sequence;
  uintptr_t start;
  uintptr_t end;
  intptr_t *state_word;
  intptr_t flag;
  intptr_t *fault_offset;
  intptr_t fault_base;
  int writable;
  intptr_t *also_words;
  size_t also_count;
  size_t also_stride;
  intptr_t also_flag;
};

struct guard_segment {
  struct guard_slot slots[GUARD_SEGMENT_SLOTS];
  struct guard_segment *next;
};

/// Copies the registered mapping holding `address` into `entry`; returns 0 if there is none.
/// Async-signal-safe: atomic loads only, and a wait for a change another thread is making.
int guard_find(uintptr_t address, struct guard_entry *entry);

/// Whether the slot `entry` was copied from still holds what was copied.
int guard_entry_is_current(const struct guard_entry *entry);

/// Take and give back the lock every registry change holds, for `fork`'s handlers.
void guard_lock_changes(void);
void guard_unlock_changes(void);

/// Calls `mmap_guard_test_hook`, if a test set one.
void guard_call_test_hook(int point, uintptr_t address);

#endif
