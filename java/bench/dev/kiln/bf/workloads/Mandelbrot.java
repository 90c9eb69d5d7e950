package dev.kiln.bf.workloads;

import dev.kiln.bf.workloads.BfWriter.Cell;

/**
 * A Mandelbrot renderer in Brainfuck: an ASCII picture of {@code width} by {@code height}
 * characters over the rectangle from (-2.0, -1.2) to (1.0, 1.2), in signed fixed-point numbers
 * of {@link #BITS} bits with {@link #FRACTION} fractional bits, one bit a cell. A point that
 * escapes ({@code x*x + y*y >= 4}) after k whole iterations prints the character {@code 'A' + k};
 * a point that stays for {@code iterations} prints a space.
 *
 * @param width characters a line
 * @param height lines
 * @param iterations the most iterations a point gets (at most 57, so that every mark is at most
 *     {@code 'z'})
 */
record Mandelbrot(int width, int height, int iterations) {
  /** The width of a number: |x|, |y| < 6 and x*x + y*y < 72 before the escape test, with room. */
  static final int BITS = 16;
  /** Fractional bits: 1/256 is fine enough for a picture of a few hundred columns. */
  static final int FRACTION = 8;
  private static final int X_MIN = -2 << FRACTION;
  private static final int Y_MIN = -(12 << FRACTION) / 10;

  Mandelbrot {
    if (width < 1 || width > 255 || height < 1 || height > 255 || iterations < 1 || iterations > 57) {
      throw new IllegalArgumentException("Mandelbrot: width and height 1 to 255, iterations 1 to 57");
    }
  }

  private int dx() {
    return (3 << FRACTION) / width;
  }

  private int dy() {
    return ((24 << FRACTION) / 10) / height;
  }

  /** The Brainfuck program. */
  String program() {
    BfWriter w = new BfWriter();
    Binary b = new Binary(w, 15, BITS);
    Cell rows = w.cell();
    Cell columns = w.cell();
    Cell iteration = w.cell();
    Cell mark = w.cell();
    Cell escaped = w.cell();
    Cell outside = w.cell();
    Cell text = w.cell();
    Cell products = w.cell();
    Cell[] cx = b.numbers[0];
    Cell[] cy = b.numbers[1];
    Cell[] x = b.numbers[2];
    Cell[] y = b.numbers[3];
    Cell[] xx = b.numbers[4];
    Cell[] yy = b.numbers[5];
    Cell[] xy = b.numbers[6];
    Cell[] step = b.numbers[7];
    Cell[] low = b.numbers[8];
    // The operands of the three products, a queue each: the code has one multiplication, run
    // three times, instead of three.
    Cell[][] left = {b.numbers[9], b.numbers[10], b.numbers[11]};
    Cell[][] right = {b.numbers[12], b.numbers[13], b.numbers[14]};

    b.set(cy, Y_MIN);
    w.set(rows, height);
    w.loop(rows, () -> {
      w.add(rows, -1);
      b.set(cx, X_MIN);
      w.set(columns, width);
      w.loop(columns, () -> {
        w.add(columns, -1);
        w.set(iteration, iterations);
        w.set(mark, 'A');
        w.loop(iteration, () -> {
          b.copy(x, left[0]);
          b.copy(x, right[0]);
          b.copy(y, left[1]);
          b.copy(y, right[1]);
          b.copy(x, left[2]);
          b.copy(y, right[2]);
          // xx, yy, xy = x * x, y * y, x * y: each product goes to xy, the earlier ones move down.
          w.set(products, 3);
          w.loop(products, () -> {
            w.add(products, -1);
            b.move(yy, xx);
            b.move(xy, yy);
            b.multiplyFixed(left[0], right[0], xy, FRACTION, low);
            for (Cell[][] queue : new Cell[][][] {left, right}) {
              b.move(queue[1], queue[0]);
              b.move(queue[2], queue[1]);
            }
          });
          Cell[] sum = left[0];
          b.copy(xx, sum);
          b.add(sum, yy);
          b.gatherBits(sum, FRACTION + 2, outside); // x*x + y*y >= 4
          b.clear(sum);
          w.ifElse(outside, () -> {
            w.clear(outside);
            w.clear(iteration);
            w.add(escaped, 1);
          }, () -> {
            b.shiftLeft(xy, null);
            b.add(xy, cy);
            b.clear(y);
            b.move(xy, y);
            b.clear(x);
            b.move(xx, x);
            w.clear(b.subtract(x, yy));
            b.add(x, cx);
            w.add(iteration, -1);
            w.add(mark, 1);
          });
          b.clear(xx);
          b.clear(yy);
          b.clear(xy);
        });
        w.ifElse(escaped, () -> {
          w.add(escaped, -1);
          w.print(mark);
        }, () -> w.printText(" ", text));
        w.clear(mark);
        b.clear(x);
        b.clear(y);
        b.set(step, dx());
        b.add(cx, step);
      });
      w.printText("\n", text);
      b.set(step, dy());
      b.add(cy, step);
    });
    return w.code();
  }

  /** What the program prints, computed in Java with the same fixed-point arithmetic. */
  String expected() {
    StringBuilder out = new StringBuilder();
    int cy = Y_MIN;
    for (int row = 0; row < height; row++) {
      int cx = X_MIN;
      for (int column = 0; column < width; column++) {
        int x = 0;
        int y = 0;
        int k = 0;
        boolean escaped = false;
        for (int i = 0; i < iterations; i++) {
          int xx = multiply(x, x);
          int yy = multiply(y, y);
          if (((xx + yy) & MASK) >>> (FRACTION + 2) != 0) {
            escaped = true;
            break;
          }
          y = wrap(2 * multiply(x, y) + cy);
          x = wrap(xx - yy + cx);
          k++;
        }
        out.append(escaped ? (char) ('A' + k) : ' ');
        cx = wrap(cx + dx());
      }
      out.append('\n');
      cy = wrap(cy + dy());
    }
    return out.toString();
  }

  private static final int MASK = (1 << BITS) - 1;

  private static int wrap(int v) {
    return (v << (32 - BITS)) >> (32 - BITS);
  }

  private static int multiply(int a, int b) {
    long magnitude = ((long) Math.abs(a) * Math.abs(b)) & ((1L << (BITS + FRACTION)) - 1);
    int z = wrap((int) (magnitude >>> FRACTION));
    return (a < 0) != (b < 0) ? wrap(-z) : z;
  }
}
