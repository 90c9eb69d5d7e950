/* Recursive Fibonacci: the same program as examples/tutorial/fib.stack (n from the command line,
   so the compiler cannot fold it). */
#include <stdio.h>
#include <stdlib.h>

static long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: fib N\n");
    return 2;
  }
  printf("%ld\n", fib(atol(argv[1])));
  return 0;
}
