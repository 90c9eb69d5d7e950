// Sieve of Eratosthenes, repeated on one reused array: array stores and loads in tight loops.
// Same program as sieve_big.kiln and sieve_big.c. Elements are 64-bit, as Kiln's are.
final class SieveBig {
  // Counts the primes up to n, using composite[0..n] (cleared first) as the sieve.
  static long sieve(long[] composite, int n) {
    for (int i = 0; i <= n; i++) composite[i] = 0;
    long count = 0;
    for (int p = 2; p <= n; p++) {
      if (composite[p] == 0) {
        count += 1;
        for (long m = (long) p * p; m <= n; m += p) composite[(int) m] = 1;
      }
    }
    return count;
  }

  public static void main(String[] args) {
    int n = 2000000;
    long[] composite = new long[n + 1];
    long total = 0;
    for (int r = 0; r < 150; r++) total += sieve(composite, n);
    System.out.println(total);
  }
}
