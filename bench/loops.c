/* Nested integer loops: arithmetic, compare and branch, no calls. Same program as loops.kiln. */
#include <stdio.h>

int main(void) {
  long n = 10000, s = 0;
  for (long i = 0; i < n; i++) {
    for (long j = 0; j < n; j++) {
      s += (i * j) % 7 + (i ^ j);
    }
  }
  printf("%ld\n", s);
  return 0;
}
