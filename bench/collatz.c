/* Collatz search: the start below 1,000,000 with the longest chain. Same program as collatz.kiln. */
#include <stdio.h>

int main(void) {
  long best = 0, best_start = 0;
  for (long start = 1; start < 1000000; start++) {
    long n = start, steps = 0;
    while (n != 1) {
      n = n % 2 == 0 ? n / 2 : 3 * n + 1;
      steps++;
    }
    if (steps > best) {
      best = steps;
      best_start = start;
    }
  }
  printf("%ld %ld\n", best_start, best);
  return 0;
}
