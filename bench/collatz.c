// Collatz search: the start below a bound with the longest chain. Integer division, remainder,
// compare and branch in a data-dependent loop. Same program as collatz.kiln and collatz.java.
// The trajectories stay far below 2^63, so signed arithmetic never overflows here.
#include <inttypes.h>
#include <stdio.h>

// Number of terms in the Collatz sequence from n down to 1 (1 itself counts as one).
static int64_t chain_length(int64_t n) {
  int64_t steps = 1;
  while (n != 1) {
    if (n % 2 == 0) {
      n = n / 2;
    } else {
      n = 3 * n + 1;
    }
    steps += 1;
  }
  return steps;
}

int main(void) {
  int64_t limit = 5000000;
  int64_t best_start = 1;
  int64_t best_length = 1;
  for (int64_t start = 1; start < limit; start++) {
    int64_t length = chain_length(start);
    if (length > best_length) {
      best_length = length;
      best_start = start;
    }
  }
  printf("%" PRId64 " %" PRId64 "\n", best_start, best_length);
  return 0;
}
