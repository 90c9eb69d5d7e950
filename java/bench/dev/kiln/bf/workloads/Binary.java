package dev.kiln.bf.workloads;

import dev.kiln.bf.workloads.BfWriter.Cell;
import java.util.HashMap;
import java.util.Map;

/**
 * Multi-cell binary arithmetic for {@link BfWriter}: a number is an array of cells holding one bit
 * each, least significant first, so that every step works on values 0 to 3 and costs a handful of
 * Brainfuck commands; whole-number operations are ripple loops over the bits. Signed numbers are
 * two's complement over their width.
 *
 * <p>The numbers are interleaved: bit i of every number sits in one group of cells with that
 * group's carry and scratch cell, so an operation on bit i of several numbers moves the pointer a
 * few cells, not across whole numbers.
 */
final class Binary {
  private final BfWriter w;
  private final Map<Cell, Cell> carryOf = new HashMap<>();
  private final Map<Cell, Cell> scratchOf = new HashMap<>();
  private final Cell overflow;
  private final Cell flag;
  private final Cell sign;
  private final Cell counter;

  /**
   * Allocates {@code count} interleaved numbers of {@code width} bits (see {@link #numbers}), then
   * its own cells; a program does best to allocate its other cells after these, near the top bits.
   */
  Binary(BfWriter w, int count, int width) {
    this.w = w;
    numbers = new Cell[count][width];
    for (int i = 0; i < width; i++) {
      Cell carry = w.plainCell();
      Cell scratch = w.plainCell();
      for (int n = 0; n < count; n++) {
        numbers[n][i] = w.cell();
        carryOf.put(numbers[n][i], carry);
        scratchOf.put(numbers[n][i], scratch);
      }
    }
    // Next to the top bits, where the ripples end and the shifts take their bit out.
    this.overflow = w.cell();
    this.flag = w.cell();
    this.sign = w.cell();
    this.counter = w.cell();
  }

  /** The numbers, zero on a fresh tape. */
  final Cell[][] numbers;

  /** {@code a = value} (mod 2^width). */
  void set(Cell[] a, long value) {
    for (int i = 0; i < a.length; i++) {
      w.set(a[i], (int) (value >>> i) & 1);
    }
  }

  /** {@code a = 0}. */
  void clear(Cell[] a) {
    for (Cell c : a) {
      w.clear(c);
    }
  }

  /** {@code to = from} (to zero first; {@code from} keeps its value; the widths may differ). */
  void copy(Cell[] from, Cell[] to) {
    for (int i = 0; i < Math.min(from.length, to.length); i++) {
      Cell tmp = scratchOf.get(from[i]);
      w.move(from[i], to[i], tmp);
      w.move(tmp, from[i]);
    }
  }

  /** {@code to = from}, {@code from} ends zero (to zero first). */
  void move(Cell[] from, Cell[] to) {
    for (int i = 0; i < from.length; i++) {
      w.move(from[i], to[i]);
    }
  }

  /** {@code a += b} (mod 2^width of a; b may be narrower and keeps its value). */
  void add(Cell[] a, Cell[] b) {
    ripple(a, 0, b, false);
    w.clear(overflow);
  }

  /** {@code a += 1 << bit} (mod 2^width of a). */
  void addPowerOfTwo(Cell[] a, int bit) {
    w.add(carryOf.get(a[bit]), 1);
    ripple(a, bit, new Cell[0], false);
    w.clear(overflow);
  }

  /** {@code a -= b} (mod 2^width of a); returns the borrow cell: 1 if a was below b (clear it). */
  Cell subtract(Cell[] a, Cell[] b) {
    ripple(a, 0, b, true);
    return overflow;
  }

  /**
   * The ripple loop of {@link #add} and {@link #subtract} from bit {@code from} up: at each bit
   * the incoming carry (or borrow) in the bit's carry cell, plus b's bit, is added to (taken from)
   * a's bit one unit at a time, each unit that wraps the bit counting into the next bit's carry
   * cell; the carry out of the top bit ends in {@link #overflow}.
   */
  private void ripple(Cell[] a, int from, Cell[] b, boolean subtract) {
    for (int i = from; i < a.length; i++) {
      Cell ai = a[i];
      Cell carryIn = carryOf.get(ai);
      Cell carryNext = i + 1 < a.length ? carryOf.get(a[i + 1]) : overflow;
      if (i < b.length) {
        w.ifElse(b[i], () -> w.add(carryIn, 1), () -> {});
      }
      w.loop(carryIn, () -> {
        w.add(carryIn, -1);
        w.ifElse(ai,
            () -> {
              w.add(ai, -1);
              if (!subtract) {
                w.add(carryNext, 1);
              }
            },
            () -> {
              w.add(ai, 1);
              if (subtract) {
                w.add(carryNext, 1);
              }
            });
      });
    }
  }

  /** {@code a <<= 1} (mod 2^width); the bit shifted out goes into {@code out} (zero), or is lost if null. */
  void shiftLeft(Cell[] a, Cell out) {
    int top = a.length - 1;
    if (out == null) {
      w.clear(a[top]);
    } else {
      w.move(a[top], out);
    }
    for (int k = top; k > 0; k--) {
      w.move(a[k - 1], a[k]);
    }
  }

  /** {@code a = -a} (mod 2^width). */
  void negate(Cell[] a) {
    for (Cell c : a) {
      w.not(c, scratchOf.get(c));
    }
    addPowerOfTwo(a, 0);
  }

  /**
   * {@code product += a * b} (mod 2^width of product) for unsigned a and b, by shift and add from
   * b's top bit; b ends zero, a keeps its value.
   */
  void multiplyUnsigned(Cell[] a, Cell[] b, Cell[] product) {
    w.set(counter, b.length);
    w.loop(counter, () -> {
      w.add(counter, -1);
      shiftLeft(product, null);
      shiftLeft(b, flag);
      w.ifFlag(flag, () -> add(product, a));
    });
  }

  /**
   * {@code z = ax * ay >> fraction} in signed fixed point with {@code fraction} fractional bits,
   * rounding the magnitude down (toward zero); z is zero first, ax and ay end zero and must be
   * narrower in magnitude than 2^(width - 1); {@code low} (zero, at least {@code fraction} bits)
   * holds the product's low bits and ends zero.
   */
  void multiplyFixed(Cell[] ax, Cell[] ay, Cell[] z, int fraction, Cell[] low) {
    Cell[] product = new Cell[z.length + fraction];
    System.arraycopy(low, 0, product, 0, fraction);
    System.arraycopy(z, 0, product, fraction, z.length);
    absolute(ax, sign);
    absolute(ay, flag);
    w.ifFlag(flag, () -> w.not(sign, scratchOf.get(z[0])));
    multiplyUnsigned(ax, ay, product);
    clear(ax);
    clear(low);
    w.ifFlag(sign, () -> negate(z));
  }

  /** Makes {@code a} its magnitude, adding 1 to {@code negative} (zero first) if it was negative. */
  private void absolute(Cell[] a, Cell negative) {
    Cell top = a[a.length - 1];
    w.ifElse(top, () -> w.add(negative, 1), () -> {});
    w.ifElse(negative, () -> negate(a), () -> {});
  }

  /**
   * {@code quotient = a / b, remainder = a % b} for unsigned numbers of one width, by shift and
   * subtract from a's top bit; a ends zero, b keeps its value, quotient and remainder are zero
   * first; {@code trial} is a zero number of the width that ends zero.
   */
  void divide(Cell[] a, Cell[] b, Cell[] quotient, Cell[] remainder, Cell[] trial) {
    w.set(counter, a.length);
    w.loop(counter, () -> {
      w.add(counter, -1);
      shiftLeft(remainder, null);
      shiftLeft(a, remainder[0]);
      shiftLeft(quotient, null);
      copy(remainder, trial);
      Cell borrow = subtract(trial, b);
      w.ifElse(borrow, () -> {
        w.add(borrow, -1);
        clear(trial);
      }, () -> {
        clear(remainder);
        move(trial, remainder);
        w.add(quotient[0], 1);
      });
    });
  }

  /** Adds the bits of {@code a} from {@code from} up into {@code c} (a count); those bits end zero. */
  void gatherBits(Cell[] a, int from, Cell c) {
    for (int i = from; i < a.length; i++) {
      w.move(a[i], c);
    }
  }
}
