// Quicksort of 2,000,000 pseudo-random ints, then a checksum. Same program as quicksort.kiln.
class Quicksort {
  static void sort(long[] a, int lo, int hi) {
    if (lo >= hi) {
      return;
    }
    long pivot = a[(lo + hi) / 2];
    int i = lo;
    int j = hi;
    while (i <= j) {
      while (a[i] < pivot) {
        i++;
      }
      while (a[j] > pivot) {
        j--;
      }
      if (i <= j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    sort(a, lo, j);
    sort(a, i, hi);
  }

  public static void main(String[] args) {
    int n = 2000000;
    long[] a = new long[n];
    long seed = 42;
    for (int k = 0; k < n; k++) {
      seed = (seed * 1103515245 + 12345) % 2147483648L;
      a[k] = seed % 1000000;
    }
    sort(a, 0, n - 1);
    long sum = 0;
    for (int k = 0; k < n; k++) {
      if (k > 0 && a[k - 1] > a[k]) {
        throw new AssertionError("not sorted at " + k);
      }
      sum = (sum * 31 + a[k]) % 1000000007;
    }
    System.out.println(sum);
  }
}
