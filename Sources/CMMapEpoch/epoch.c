#include "CMMapEpoch.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#endif

_Atomic uint64_t mmap_epoch_global = 2;
__thread mmap_epoch_record *mmap_epoch_self;

static mmap_epoch_record *_Atomic records;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t exit_key;
static bool uses_membarrier;

// Frees the exiting thread's record for another thread.
static void thread_exited(void *value) {
  mmap_epoch_record *record = value;
  atomic_store_explicit(&record->active, 0, memory_order_release);
  mmap_epoch_self = NULL;
  atomic_store_explicit(&record->in_use, false, memory_order_release);
}

// Before any thread has a record, so before any lookup: choose membarrier or fences.
static void initialize(void) {
  pthread_key_create(&exit_key, thread_exited);
#if defined(__linux__) && defined(__NR_membarrier)
  uses_membarrier =
      syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
#endif
  if (!uses_membarrier) atomic_fetch_or(&mmap_epoch_global, 1);
}

mmap_epoch_record *mmap_epoch_register(void) {
  pthread_once(&once, initialize);
  mmap_epoch_record *record = atomic_load_explicit(&records, memory_order_acquire);
  for (; record != NULL; record = atomic_load_explicit(&record->next, memory_order_acquire)) {
    bool free = false;
    if (atomic_compare_exchange_strong(&record->in_use, &free, true)) break;
  }
  if (record == NULL) {
    record = calloc(1, sizeof *record);
    if (record == NULL) abort();  // A few dozen bytes per thread, once.
    atomic_store(&record->in_use, true);
    mmap_epoch_record *head = atomic_load(&records);
    do {
      atomic_store(&record->next, head);
    } while (!atomic_compare_exchange_weak(&records, &head, record));
  }
  mmap_epoch_self = record;
  pthread_setspecific(exit_key, record);
  return record;
}

uint64_t mmap_epoch_advance(void) {
  pthread_once(&once, initialize);
  return atomic_fetch_add(&mmap_epoch_global, 2) + 2;
}

bool mmap_epoch_has_passed(uint64_t epoch, bool confirm) {
  pthread_once(&once, initialize);
  if (confirm) {
#if defined(__linux__) && defined(__NR_membarrier)
    if (uses_membarrier) {
      syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
    }
#endif
    atomic_thread_fence(memory_order_seq_cst);
  }
  mmap_epoch_record *record = atomic_load_explicit(&records, memory_order_acquire);
  for (; record != NULL; record = atomic_load_explicit(&record->next, memory_order_acquire)) {
    uint64_t active = atomic_load_explicit(&record->active, memory_order_acquire);
    if (active != 0 && active < epoch) return false;
  }
  return true;
}
