// Mandelbrot escape times summed over a grid: scalar double arithmetic in a tight loop.
// Same program as mandelbrot_big.kiln and mandelbrot_big.c (same operations in the same order,
// so the IEEE results and the sum agree exactly).
final class MandelbrotBig {
  static long escapeTime(double cr, double ci, long max) {
    double zr = 0.0;
    double zi = 0.0;
    long n = 0;
    while (n < max && zr * zr + zi * zi <= 4.0) {
      double t = zr * zr - zi * zi + cr;
      zi = 2.0 * zr * zi + ci;
      zr = t;
      n += 1;
    }
    return n;
  }

  public static void main(String[] args) {
    long size = 2000;
    long total = 0;
    for (long y = 0; y < size; y++) {
      double ci = (double) y * 2.4 / (double) size - 1.2;
      for (long x = 0; x < size; x++) {
        double cr = (double) x * 3.0 / (double) size - 2.1;
        total += escapeTime(cr, ci, 500);
      }
    }
    System.out.println(total);
  }
}
