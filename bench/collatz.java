// Collatz search: the start below a bound with the longest chain. Integer division, remainder,
// compare and branch in a data-dependent loop. Same program as collatz.kiln and collatz.c.
final class Collatz {
  // Number of terms in the Collatz sequence from n down to 1 (1 itself counts as one).
  static long chainLength(long n) {
    long steps = 1;
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

  public static void main(String[] args) {
    long limit = 5000000;
    long bestStart = 1;
    long bestLength = 1;
    for (long start = 1; start < limit; start++) {
      long length = chainLength(start);
      if (length > bestLength) {
        bestLength = length;
        bestStart = start;
      }
    }
    System.out.println(bestStart + " " + bestLength);
  }
}
