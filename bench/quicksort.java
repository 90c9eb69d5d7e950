// Quicksort of a large int array filled by a 64-bit linear congruential generator: array loads,
// stores, compares and recursion. Same program as quicksort.kiln and quicksort.c. Prints the
// number of out-of-order neighbours after sorting (0), the minimum, median and maximum, and a
// checksum over the sorted array (long arithmetic wraps, as Kiln's ints do).
final class Quicksort {
  static void swap(long[] a, int i, int j) {
    long t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  // Sorts a[lo..hi] (inclusive) with Hoare's partition around the middle element, recursing
  // into the smaller part and looping on the larger one.
  static void quicksort(long[] a, int lo, int hi) {
    while (lo < hi) {
      long pivot = a[lo + (hi - lo) / 2];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) i += 1;
        while (a[j] > pivot) j -= 1;
        if (i <= j) {
          swap(a, i, j);
          i += 1;
          j -= 1;
        }
      }
      if (j - lo < hi - i) {
        quicksort(a, lo, j);
        lo = i;
      } else {
        quicksort(a, i, hi);
        hi = j;
      }
    }
  }

  public static void main(String[] args) {
    int n = 15000000;
    long[] a = new long[n];
    long state = 42;
    for (int i = 0; i < n; i++) {
      // Knuth's MMIX constants; the high bits of an LCG are the good ones (>>> shifts in zeros).
      state = state * 6364136223846793005L + 1442695040888963407L;
      a[i] = (state >>> 33) % 1000000000;
    }
    quicksort(a, 0, n - 1);
    long checksum = 0;
    long unsorted = 0;
    for (int i = 0; i < n; i++) {
      checksum = checksum * 31 + a[i];
      if (i > 0 && a[i - 1] > a[i]) unsorted += 1;
    }
    System.out.println(unsorted + " " + a[0] + " " + a[n / 2] + " " + a[n - 1] + " " + checksum);
  }
}
