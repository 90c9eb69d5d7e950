/* Quicksort of 2,000,000 pseudo-random ints, then a checksum. Same program as quicksort.kiln. */
#include <stdio.h>
#include <stdlib.h>

static void sort(long *a, long lo, long hi) {
  if (lo >= hi) return;
  long pivot = a[(lo + hi) / 2];
  long i = lo, j = hi;
  while (i <= j) {
    while (a[i] < pivot) i++;
    while (a[j] > pivot) j--;
    if (i <= j) {
      long t = a[i];
      a[i] = a[j];
      a[j] = t;
      i++;
      j--;
    }
  }
  sort(a, lo, j);
  sort(a, i, hi);
}

int main(void) {
  long n = 2000000;
  long *a = malloc(n * sizeof(long));
  long seed = 42;
  for (long k = 0; k < n; k++) {
    seed = (seed * 1103515245 + 12345) % 2147483648L;
    a[k] = seed % 1000000;
  }
  sort(a, 0, n - 1);
  long sum = 0;
  for (long k = 0; k < n; k++) {
    if (k > 0 && a[k - 1] > a[k]) abort();
    sum = (sum * 31 + a[k]) % 1000000007;
  }
  printf("%ld\n", sum);
  free(a);
  return 0;
}
