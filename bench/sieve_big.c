// Sieve of Eratosthenes, repeated on one reused array: array stores and loads in tight loops.
// Same program as sieve_big.kiln and sieve_big.java. Elements are 64-bit, as Kiln's are.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

// Counts the primes up to n, using composite[0..n] (cleared first) as the sieve.
static int64_t sieve(int64_t *composite, int64_t n) {
  for (int64_t i = 0; i <= n; i++) composite[i] = 0;
  int64_t count = 0;
  for (int64_t p = 2; p <= n; p++) {
    if (composite[p] == 0) {
      count += 1;
      for (int64_t m = p * p; m <= n; m += p) composite[m] = 1;
    }
  }
  return count;
}

int main(void) {
  int64_t n = 2000000;
  int64_t *composite = malloc((size_t)(n + 1) * sizeof *composite);
  if (composite == NULL) return 1;
  int64_t total = 0;
  for (int r = 0; r < 150; r++) total += sieve(composite, n);
  printf("%" PRId64 "\n", total);
  free(composite);
  return 0;
}
