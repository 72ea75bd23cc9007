// The registry of guarded mappings: slots in segments that are allocated as needed and never
// freed, so the signal handler can walk them with atomic loads alone (no lock, no allocation).

#include "registry.h"

#include <errno.h>
#include <stdlib.h>

static struct guard_segment first_segment;

/// Claims a free slot, appending a segment when every slot is taken.
static struct guard_slot *claim_slot(void) {
  struct guard_segment *segment = &first_segment;
  for (;;) {
    for (size_t i = 0; i < GUARD_SEGMENT_SLOTS; i++) {
      int free_mark = 0;
      if (__atomic_compare_exchange_n(&segment->slots[i].claimed, &free_mark, 1, 0,
                                      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
        return &segment->slots[i];
      }
    }
    struct guard_segment *next = __atomic_load_n(&segment->next, __ATOMIC_ACQUIRE);
    if (next == NULL) {
      struct guard_segment *fresh = calloc(1, sizeof *fresh);
      if (fresh == NULL) return NULL;
      // Another thread may have appended first: then use its segment and drop ours.
      if (!__atomic_compare_exchange_n(&segment->next, &next, fresh, 0, __ATOMIC_ACQ_REL,
                                       __ATOMIC_ACQUIRE)) {
        free(fresh);
      } else {
        next = fresh;
      }
    }
    segment = next;
  }
}

int mmap_guard_register(void *start, size_t length, intptr_t *state_word, intptr_t flag,
                        intptr_t *fault_offset, intptr_t fault_base, int writable,
                        intptr_t *also_words, size_t also_count, size_t also_stride,
                        intptr_t also_flag) {
  struct guard_slot *slot = claim_slot();
  if (slot == NULL) return ENOMEM;
  // Atomic stores, though the release of `start` below orders them: a handler that read a
  // slot's earlier occupant is ordered before this reuse only through the Swift runtime's
  // reference counting, which ThreadSanitizer can't see.
  __atomic_store_n(&slot->state_word, state_word, __ATOMIC_RELAXED);
  __atomic_store_n(&slot->flag, flag, __ATOMIC_RELAXED);
  __atomic_store_n(&slot->fault_offset, fault_offset, __ATOMIC_RELAXED);
  __atomic_store_n(&slot->fault_base, fault_base, __ATOMIC_RELAXED);
  __atomic_store_n(&slot->writable, writable, __ATOMIC_RELAXED);
  __atomic_store_n(&slot->also_words, also_words, __ATOMIC_RELAXED);
  __atomic_store_n(&slot->also_count, also_count, __ATOMIC_RELAXED);
  __atomic_store_n(&slot->also_stride, also_stride, __ATOMIC_RELAXED);
  __atomic_store_n(&slot->also_flag, also_flag, __ATOMIC_RELAXED);
  __atomic_store_n(&slot->end, (uintptr_t)start + length, __ATOMIC_RELAXED);
  // Publishing `start` last makes the slot visible with every field in place.
  __atomic_store_n(&slot->start, (uintptr_t)start, __ATOMIC_RELEASE);
  return 0;
}

void mmap_guard_unregister(void *start) {
  for (struct guard_segment *segment = &first_segment; segment != NULL;
       segment = __atomic_load_n(&segment->next, __ATOMIC_ACQUIRE)) {
    for (size_t i = 0; i < GUARD_SEGMENT_SLOTS; i++) {
      struct guard_slot *slot = &segment->slots[i];
      if (__atomic_load_n(&slot->start, __ATOMIC_ACQUIRE) == (uintptr_t)start &&
          __atomic_load_n(&slot->claimed, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&slot->start, 0, __ATOMIC_RELEASE);
        __atomic_store_n(&slot->claimed, 0, __ATOMIC_RELEASE);
        return;
      }
    }
  }
}

const struct guard_slot *guard_find(uintptr_t address) {
  for (const struct guard_segment *segment = &first_segment; segment != NULL;
       segment = __atomic_load_n(&segment->next, __ATOMIC_ACQUIRE)) {
    for (size_t i = 0; i < GUARD_SEGMENT_SLOTS; i++) {
      const struct guard_slot *slot = &segment->slots[i];
      uintptr_t start = __atomic_load_n(&slot->start, __ATOMIC_ACQUIRE);
      if (start != 0 && address >= start &&
          address < __atomic_load_n(&slot->end, __ATOMIC_RELAXED)) {
        return slot;
      }
    }
  }
  return NULL;
}
