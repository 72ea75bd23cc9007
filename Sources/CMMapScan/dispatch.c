// The public kernels: each checks the processor (once, then from a cached flag) and calls the
// AVX2 kernel where it can run, the portable one everywhere else.

#include "kernels.h"

#if CMMAP_SCAN_HAS_AVX2

/// -1 until the first call checks the processor, then 1 if the AVX2 kernels can run, else 0.
/// Threads racing to fill it in store the same value.
static int avx2_state = -1;

static int avx2_usable(void) {
  int state = __atomic_load_n(&avx2_state, __ATOMIC_RELAXED);
  if (state < 0) {
    __builtin_cpu_init();
    state = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
            __builtin_cpu_supports("popcnt");
    __atomic_store_n(&avx2_state, state, __ATOMIC_RELAXED);
  }
  return state;
}

#define DISPATCH(avx2_call, portable_call) return avx2_usable() ? avx2_call : portable_call

#else

static int avx2_usable(void) { return 0; }

#define DISPATCH(avx2_call, portable_call) return portable_call

#endif

int cmmap_scan_uses_avx2(void) { return avx2_usable(); }

size_t cmmap_scan_count(const void *bytes, size_t count, uint8_t byte) {
  DISPATCH(cmmap_scan_count_avx2(bytes, count, byte),
           cmmap_scan_count_portable(bytes, count, byte));
}

size_t cmmap_scan_first(const void *bytes, size_t count, uint8_t byte) {
  DISPATCH(cmmap_scan_first_avx2(bytes, count, byte),
           cmmap_scan_first_portable(bytes, count, byte));
}

size_t cmmap_scan_last(const void *bytes, size_t count, uint8_t byte) {
  DISPATCH(cmmap_scan_last_avx2(bytes, count, byte),
           cmmap_scan_last_portable(bytes, count, byte));
}

size_t cmmap_scan_find(
    const void *bytes, size_t count, const void *needle, size_t needle_count) {
  DISPATCH(cmmap_scan_find_avx2(bytes, count, needle, needle_count),
           cmmap_scan_find_portable(bytes, count, needle, needle_count));
}

size_t cmmap_scan_offsets(const void *bytes, size_t count, uint8_t byte, uint32_t *offsets) {
  DISPATCH(cmmap_scan_offsets_avx2(bytes, count, byte, offsets),
           cmmap_scan_offsets_portable(bytes, count, byte, offsets));
}
