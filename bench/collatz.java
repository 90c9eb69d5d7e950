// Collatz search: the start below 1,000,000 with the longest chain. Same program as collatz.kiln.
class Collatz {
  public static void main(String[] args) {
    long best = 0;
    long bestStart = 0;
    for (long start = 1; start < 1000000; start++) {
      long n = start;
      long steps = 0;
      while (n != 1) {
        n = n % 2 == 0 ? n / 2 : 3 * n + 1;
        steps++;
      }
      if (steps > best) {
        best = steps;
        bestStart = start;
      }
    }
    System.out.println(bestStart + " " + best);
  }
}
