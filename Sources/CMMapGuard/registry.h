// Internal to the guard: the registry's layout, shared by registry.c and handler.c.

#ifndef CMMAPGUARD_REGISTRY_H
#define CMMAPGUARD_REGISTRY_H

#include "CMMapGuard.h"

/// Slots per segment: enough for most processes in the first, statically allocated one.
#define GUARD_SEGMENT_SLOTS 256

/// One registered mapping. `start` is 0 when the slot holds none.
struct guard_slot {
  uintptr_t start;
  uintptr_t end;
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

struct guard_segment {
  struct guard_slot slots[GUARD_SEGMENT_SLOTS];
  struct guard_segment *next;
};

/// The registered mapping holding `address`, or NULL. Async-signal-safe: atomic loads only.
const struct guard_slot *guard_find(uintptr_t address);

#endif
