/* Sieve of Eratosthenes, repeated: array stores and loads in tight loops. Same program as sieve.kiln. */
#include <stdio.h>
#include <stdlib.h>

static long sieve(long n) {
  long *composite = calloc(n + 1, sizeof(long));
  long count = 0;
  for (long p = 2; p < n + 1; p++) {
    if (composite[p] == 0) {
      count++;
      for (long m = p * p; m <= n; m += p) {
        composite[m] = 1;
      }
    }
  }
  free(composite);
  return count;
}

int main(void) {
  long total = 0;
  for (int r = 0; r < 30; r++) {
    total += sieve(1000000);
  }
  printf("%ld\n", total);
  return 0;
}
