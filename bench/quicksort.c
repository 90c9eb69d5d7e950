// Quicksort of a large int array filled by a 64-bit linear congruential generator: array loads,
// stores, compares and recursion. Same program as quicksort.kiln and quicksort.java. Prints the
// number of out-of-order neighbours after sorting (0), the minimum, median and maximum, and a
// checksum over the sorted array.
// Kiln's ints wrap, so the generator and the checksum use uint64_t (signed overflow is undefined
// behaviour in C); the printed checksum is the same bits read as a signed 64-bit number.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static void swap(int64_t *a, int64_t i, int64_t j) {
  int64_t t = a[i];
  a[i] = a[j];
  a[j] = t;
}

// Sorts a[lo..hi] (inclusive) with Hoare's partition around the middle element, recursing into
// the smaller part and looping on the larger one.
static void quicksort(int64_t *a, int64_t lo, int64_t hi) {
  while (lo < hi) {
    int64_t pivot = a[lo + (hi - lo) / 2];
    int64_t i = lo;
    int64_t j = hi;
    while (i <= j) {
      while (a[i] < pivot) i += 1;
      while (a[j] > pivot) j -= 1;
      if (i <= j) {
        swap(a, i, j);
        i += 1;
        j -= 1;
      }
    }
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}

int main(void) {
  int64_t n = 15000000;
  int64_t *a = malloc((size_t)n * sizeof *a);
  if (a == NULL) return 1;
  uint64_t state = 42;
  for (int64_t i = 0; i < n; i++) {
    // Knuth's MMIX constants; the high bits of an LCG are the good ones.
    state = state * 6364136223846793005u + 1442695040888963407u;
    a[i] = (int64_t)((state >> 33) % 1000000000u);
  }
  quicksort(a, 0, n - 1);
  uint64_t checksum = 0;
  int64_t unsorted = 0;
  for (int64_t i = 0; i < n; i++) {
    checksum = checksum * 31u + (uint64_t)a[i];
    if (i > 0 && a[i - 1] > a[i]) unsorted += 1;
  }
  printf("%" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 "\n", unsorted, a[0],
         a[n / 2], a[n - 1], (int64_t)checksum);
  free(a);
  return 0;
}
