// The registry of guarded mappings: slots in segments that are allocated as needed and never
// freed, so the signal handler can walk them with atomic loads alone (no lock, no allocation).
//
// Each slot is a small seqlock: its owner (the one thread that claimed it) makes the sequence
// odd, writes the fields, and makes it even again; the handler copies the fields between two
// loads of the sequence and keeps the copy only if both loads agree and are even. A handler
// that raced with a reuse of the slot therefore never acts on a mix of two mappings' fields.

#include "registry.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

static struct guard_segment first_segment;

/// Held by every change of the registry (never in the handler): a `fork` waits for it, so a
/// child never inherits a slot whose sequence stays odd for want of the thread changing it.
static pthread_mutex_t changes = PTHREAD_MUTEX_INITIALIZER;

void guard_lock_changes(void) { pthread_mutex_lock(&changes); }
void guard_unlock_changes(void) { pthread_mutex_unlock(&changes); }

void (*mmap_guard_test_hook)(int point, uintptr_t address);

void guard_call_test_hook(int point, uintptr_t address) {
  void (*hook)(int, uintptr_t) = __atomic_load_n(&mmap_guard_test_hook, __ATOMIC_ACQUIRE);
  if (hook != NULL) hook(point, address);
}

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

/// Makes `slot`'s sequence odd: the handler stops trusting its fields. Owner only.
static void begin_change(struct guard_slot *slot) {
  uint64_t sequence = __atomic_load_n(&slot->sequence, __ATOMIC_RELAXED);
  __atomic_store_n(&slot->sequence, sequence + 1, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_RELEASE);  // Odd before any field changes.
}

/// Makes `slot`'s sequence even again, publishing the fields written since `begin_change`.
static void end_change(struct guard_slot *slot) {
  uint64_t sequence = __atomic_load_n(&slot->sequence, __ATOMIC_RELAXED);
  __atomic_store_n(&slot->sequence, sequence + 1, __ATOMIC_RELEASE);
}

/// The claimed slot registered at `start`, or NULL. For the slot's owner, whose slot can't
/// change meanwhile.
static struct guard_slot *owned_slot(uintptr_t start) {
  for (struct guard_segment *segment = &first_segment; segment != NULL;
       segment = __atomic_load_n(&segment->next, __ATOMIC_ACQUIRE)) {
    for (size_t i = 0; i < GUARD_SEGMENT_SLOTS; i++) {
      struct guard_slot *slot = &segment->slots[i];
      if (__atomic_load_n(&slot->start, __ATOMIC_ACQUIRE) == start &&
          __atomic_load_n(&slot->claimed, __ATOMIC_ACQUIRE)) {
        return slot;
      }
    }
  }
  return NULL;
}

int mmap_guard_register(void *start, size_t length, intptr_t *state_word, intptr_t flag,
                        intptr_t *fault_offset, intptr_t fault_base, int writable,
                        intptr_t *also_words, size_t also_count, size_t also_stride,
                        intptr_t also_flag) {
  guard_lock_changes();
  struct guard_slot *slot = claim_slot();
  if (slot == NULL) {
    guard_unlock_changes();
    return ENOMEM;
  }
  begin_change(slot);
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
  __atomic_store_n(&slot->replaced_from, (uintptr_t)start + length, __ATOMIC_RELAXED);
  __atomic_store_n(&slot->start, (uintptr_t)start, __ATOMIC_RELAXED);
  end_change(slot);
  guard_unlock_changes();
  return 0;
}

void mmap_guard_rebase(void *start, intptr_t fault_base) {
  guard_lock_changes();
  struct guard_slot *slot = owned_slot((uintptr_t)start);
  if (slot != NULL) {
    begin_change(slot);
    __atomic_store_n(&slot->fault_base, fault_base, __ATOMIC_RELAXED);
    __atomic_store_n(&slot->replaced_from, __atomic_load_n(&slot->end, __ATOMIC_RELAXED),
                     __ATOMIC_RELAXED);
    guard_call_test_hook(MMAP_GUARD_HOOK_CHANGING, (uintptr_t)start);
    end_change(slot);
  }
  guard_unlock_changes();
}

void mmap_guard_unregister(void *start) {
  guard_lock_changes();
  struct guard_slot *slot = owned_slot((uintptr_t)start);
  if (slot != NULL) {
    begin_change(slot);
    __atomic_store_n(&slot->start, 0, __ATOMIC_RELAXED);
    end_change(slot);
    __atomic_store_n(&slot->claimed, 0, __ATOMIC_RELEASE);
  }
  guard_unlock_changes();
}

int mmap_guard_is_registered(const void *address) {
  struct guard_entry entry;
  return guard_find((uintptr_t)address, &entry);
}

/// Copies `slot` into `entry` if it holds `address`; returns 0 if it doesn't.
static int copy_if_holding(struct guard_slot *slot, uintptr_t address,
                           struct guard_entry *entry) {
  for (;;) {
    uint64_t sequence = __atomic_load_n(&slot->sequence, __ATOMIC_ACQUIRE);
    if (sequence & 1) continue;  // Its owner is changing it, on another thread: wait.
    uintptr_t start = __atomic_load_n(&slot->start, __ATOMIC_RELAXED);
    uintptr_t end = __atomic_load_n(&slot->end, __ATOMIC_RELAXED);
    if (start == 0 || address < start || address >= end) {
      __atomic_thread_fence(__ATOMIC_ACQUIRE);
      if (__atomic_load_n(&slot->sequence, __ATOMIC_RELAXED) == sequence) return 0;
      continue;
    }
    entry->slot = slot;
    entry->sequence = sequence;
    entry->start = start;
    entry->end = end;
    entry->state_word = __atomic_load_n(&slot->state_word, __ATOMIC_RELAXED);
    entry->flag = __atomic_load_n(&slot->flag, __ATOMIC_RELAXED);
    entry->fault_offset = __atomic_load_n(&slot->fault_offset, __ATOMIC_RELAXED);
    entry->fault_base = __atomic_load_n(&slot->fault_base, __ATOMIC_RELAXED);
    entry->writable = __atomic_load_n(&slot->writable, __ATOMIC_RELAXED);
    entry->also_words = __atomic_load_n(&slot->also_words, __ATOMIC_RELAXED);
    entry->also_count = __atomic_load_n(&slot->also_count, __ATOMIC_RELAXED);
    entry->also_stride = __atomic_load_n(&slot->also_stride, __ATOMIC_RELAXED);
    entry->also_flag = __atomic_load_n(&slot->also_flag, __ATOMIC_RELAXED);
    guard_call_test_hook(MMAP_GUARD_HOOK_ENTRY_COPIED, address);
    if (guard_entry_is_current(entry)) return 1;
  }
}

int guard_find(uintptr_t address, struct guard_entry *entry) {
  for (struct guard_segment *segment = &first_segment; segment != NULL;
       segment = __atomic_load_n(&segment->next, __ATOMIC_ACQUIRE)) {
    for (size_t i = 0; i < GUARD_SEGMENT_SLOTS; i++) {
      if (copy_if_holding(&segment->slots[i], address, entry)) return 1;
    }
  }
  return 0;
}

int guard_entry_is_current(const struct guard_entry *entry) {
  __atomic_thread_fence(__ATOMIC_ACQUIRE);  // The copy's loads before the sequence's.
  return __atomic_load_n(&entry->slot->sequence, __ATOMIC_RELAXED) == entry->sequence;
}
