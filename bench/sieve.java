// Sieve of Eratosthenes, repeated: array stores and loads in tight loops. Same program as sieve.kiln.
class Sieve {
  static long sieve(int n) {
    long[] composite = new long[n + 1];
    long count = 0;
    for (int p = 2; p < n + 1; p++) {
      if (composite[p] == 0) {
        count++;
        for (long m = (long) p * p; m <= n; m += p) {
          composite[(int) m] = 1;
        }
      }
    }
    return count;
  }

  public static void main(String[] args) {
    long total = 0;
    for (int r = 0; r < 30; r++) {
      total += sieve(1000000);
    }
    System.out.println(total);
  }
}
