// Nested integer loops: arithmetic, compare and branch, no calls. Same program as loops.kiln.
class Loops {
  public static void main(String[] args) {
    long n = 10000;
    long s = 0;
    for (long i = 0; i < n; i++) {
      for (long j = 0; j < n; j++) {
        s += (i * j) % 7 + (i ^ j);
      }
    }
    System.out.println(s);
  }
}
