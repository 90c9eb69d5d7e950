// Mandelbrot escape times summed over a grid: scalar double arithmetic in a tight loop.
// Same program as mandelbrot_big.kiln and mandelbrot_big.java (same operations in the same
// order, so the IEEE results and the sum agree exactly).
#include <inttypes.h>
#include <stdio.h>

static int64_t escape_time(double cr, double ci, int64_t max) {
  double zr = 0.0, zi = 0.0;
  int64_t n = 0;
  while (n < max && zr * zr + zi * zi <= 4.0) {
    double t = zr * zr - zi * zi + cr;
    zi = 2.0 * zr * zi + ci;
    zr = t;
    n += 1;
  }
  return n;
}

int main(void) {
  int64_t size = 2000;
  int64_t total = 0;
  for (int64_t y = 0; y < size; y++) {
    double ci = (double)y * 2.4 / (double)size - 1.2;
    for (int64_t x = 0; x < size; x++) {
      double cr = (double)x * 3.0 / (double)size - 2.1;
      total += escape_time(cr, ci, 500);
    }
  }
  printf("%" PRId64 "\n", total);
  return 0;
}
