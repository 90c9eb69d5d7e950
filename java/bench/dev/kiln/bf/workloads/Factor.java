package dev.kiln.bf.workloads;

import dev.kiln.bf.workloads.BfWriter.Cell;
import java.util.ArrayList;
import java.util.List;

/**
 * A factorizer in Brainfuck: reads decimal numbers, one a line, until the end of input, and for
 * each prints {@code n:} and its prime factors in ascending order (the format of coreutils'
 * {@code factor}), found by trial division on unsigned binary numbers of {@code bits} bits, one
 * bit a cell. Numbers below 2 print no factors; larger ones wrap modulo 2^bits.
 *
 * @param bits the width of the numbers (8 to 40)
 */
record Factor(int bits) {
  Factor {
    if (bits < 8 || bits > 40) {
      throw new IllegalArgumentException("Factor: 8 to 40 bits");
    }
  }

  private int decimalDigits() {
    return (int) Math.ceil(bits * Math.log10(2));
  }

  /** The Brainfuck program. */
  String program() {
    BfWriter w = new BfWriter();
    Binary b = new Binary(w, 7, bits);
    Cell more = w.cell();
    Cell inLine = w.cell();
    Cell got = w.cell();
    Cell input = w.cell();
    Cell character = w.cell();
    Cell go = w.cell();
    Cell first = w.cell();
    Cell nonZero = w.cell();
    Cell text = w.cell();
    Cell started = w.cell();
    Cell print = w.cell();
    Cell digitCount = w.cell();
    Cell[] digits = w.cells(decimalDigits());
    Cell[] n = b.numbers[0];
    Cell[] d = b.numbers[1];
    Cell[] t = b.numbers[2];
    Cell[] q = b.numbers[3];
    Cell[] r = b.numbers[4];
    Cell[] trial = b.numbers[5];
    Cell[] constant = b.numbers[6];

    Runnable timesTen = () -> {
      b.copy(n, t);
      for (int i = 0; i < 3; i++) {
        b.shiftLeft(n, null);
      }
      b.shiftLeft(t, null);
      b.add(n, t);
      b.clear(t);
    };
    // Prints t in decimal without leading zeros; t ends zero. The digits come least significant
    // first and shift up, so digits[0] ends the most significant.
    Runnable printT = () -> {
      b.set(constant, 10);
      w.set(digitCount, digits.length);
      w.loop(digitCount, () -> {
        w.add(digitCount, -1);
        b.divide(t, constant, q, r, trial);
        for (int k = digits.length - 1; k > 0; k--) {
          w.move(digits[k - 1], digits[k]);
        }
        for (int j = 0; j < 4; j++) {
          w.moveScaled(r[j], digits[0], 1 << j);
        }
        b.move(q, t);
      });
      b.clear(constant);
      for (int k = 0; k < digits.length; k++) {
        Cell digit = digits[k];
        if (k < digits.length - 1) {
          w.ifElse(digit, () -> w.set(started, 1), () -> {});
          w.copy(started, print, text);
        } else {
          w.set(print, 1);
        }
        w.ifFlag(print, () -> {
          w.add(digit, '0');
          w.print(digit);
        });
        w.clear(digit);
      }
      w.clear(started);
    };
    // go = 1 if n >= 2.
    Runnable atLeastTwo = () -> {
      b.copy(n, t);
      b.set(constant, 2);
      Cell borrow = b.subtract(t, constant);
      w.ifElse(borrow, () -> w.add(borrow, -1), () -> w.add(go, 1));
      b.clear(t);
      b.clear(constant);
    };

    w.set(more, 1);
    w.loop(more, () -> {
      w.set(inLine, 1);
      w.loop(inLine, () -> {
        w.read(input);
        w.ifElse(input, () -> {
          w.move(input, character);
          w.add(character, -'\n');
          w.ifElse(character, () -> {
            w.add(character, '\n' - '0');
            timesTen.run();
            w.loop(character, () -> {
              w.add(character, -1);
              b.addPowerOfTwo(n, 0);
            });
            w.set(got, 1);
          }, () -> w.add(inLine, -1));
        }, () -> {
          w.add(inLine, -1);
          w.add(more, -1);
        });
      });
      w.ifFlag(got, () -> {
        b.copy(n, t);
        printT.run();
        w.printText(":", text);
        atLeastTwo.run();
        b.set(d, 2);
        w.set(first, 1);
        w.loop(go, () -> {
          b.copy(n, t);
          b.divide(t, d, q, r, trial);
          b.gatherBits(r, 0, nonZero);
          w.ifElse(nonZero, () -> {
            w.clear(nonZero);
            Cell borrow = b.subtract(q, d);
            w.ifElse(borrow, () -> {
              w.add(borrow, -1);
              w.add(go, -1);
            }, () -> w.ifElse(first,
                () -> {
                  w.add(first, -1);
                  b.addPowerOfTwo(d, 0);
                },
                () -> b.addPowerOfTwo(d, 1)));
            b.clear(q);
          }, () -> {
            w.printText(" ", text);
            b.clear(n);
            b.move(q, n);
            b.copy(d, t);
            printT.run();
          });
        });
        atLeastTwo.run();
        w.ifFlag(go, () -> {
          w.printText(" ", text);
          b.copy(n, t);
          printT.run();
        });
        w.printText("\n", text);
        b.clear(n);
        b.clear(d);
        w.clear(first);
      });
    });
    return w.code();
  }

  /** What the program prints for {@code input}, computed in Java. */
  String expected(String input) {
    StringBuilder out = new StringBuilder();
    long mask = (1L << bits) - 1;
    for (String line : lines(input)) {
      long n = 0;
      for (char c : line.toCharArray()) {
        n = (n * 10 + (c - '0')) & mask;
      }
      out.append(n).append(':');
      long d = 2;
      while (n >= 2 && n / d >= d) {
        if (n % d == 0) {
          out.append(' ').append(d);
          n /= d;
        } else {
          d += d == 2 ? 1 : 2;
        }
      }
      if (n >= 2) {
        out.append(' ').append(n);
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** The lines with digits: an empty line (or the end of input after a newline) is skipped. */
  private static List<String> lines(String input) {
    List<String> lines = new ArrayList<>();
    for (String line : input.split("\n", -1)) {
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    return lines;
  }
}
