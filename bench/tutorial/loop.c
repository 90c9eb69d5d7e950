/* A counting loop: the same program as examples/tutorial/loop.stack, printing 0 + 1 + ... + (n - 1)
   (n from the command line, so the compiler cannot fold it). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: loop N\n");
    return 2;
  }
  long n = atol(argv[1]);
  long sum = 0;
  for (long i = 0; i < n; i++) {
    sum = sum + i;
  }
  printf("%ld\n", sum);
  return 0;
}
