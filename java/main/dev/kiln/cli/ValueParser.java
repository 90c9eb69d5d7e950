package dev.kiln.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an option's text into its typed value, or throws {@link IllegalArgumentException} whose
 * message says what was expected ({@link CommandLineParser} adds the option's name and the text).
 *
 * <p>The parsers here are anonymous classes, not lambdas: a run's first lambda bootstraps
 * java.lang.invoke (LambdaMetafactory, method types and forms), a start-up cost every command
 * would pay before Kiln does anything.
 */
@FunctionalInterface
interface ValueParser<T> {
  T parse(String text);

  /**
   * One of the constants of {@code type}, written as named with '-' for '_' ({@code windows-x64});
   * {@code unlisted} (or null) parses too but is not named in the error (work in progress).
   */
  static <E extends Enum<E>> ValueParser<E> choice(Class<E> type, E unlisted) {
    return new ValueParser<>() {
      @Override
      public E parse(String text) {
        for (E constant : type.getEnumConstants()) {
          if (spelling(constant).equals(text)) {
            return constant;
          }
        }
        throw new IllegalArgumentException(
            "expected one of " + String.join(", ", spellings(type, unlisted)));
      }
    };
  }

  /** How {@code constant} is written on the command line. */
  static String spelling(Enum<?> constant) {
    return constant.name().replace('_', '-');
  }

  /** The spellings of {@code type}'s constants but {@code unlisted} (or null), in order. */
  static List<String> spellings(Class<? extends Enum<?>> type, Enum<?> unlisted) {
    List<String> names = new ArrayList<>();
    for (Enum<?> constant : type.getEnumConstants()) {
      if (constant != unlisted) {
        names.add(spelling(constant));
      }
    }
    return names;
  }

  /**
   * A finite number of seconds above zero. Infinity is refused as not a number of seconds: no
   * limit is the option left out.
   */
  static ValueParser<Double> positiveSeconds() {
    return new ValueParser<>() {
      @Override
      public Double parse(String text) {
        double seconds;
        try {
          seconds = Double.parseDouble(text);
        } catch (NumberFormatException e) {
          seconds = Double.NaN;
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
          throw new IllegalArgumentException("expected a positive number of seconds");
        }
        return seconds;
      }
    };
  }

  /** A whole number above zero, of {@code unit}. */
  static ValueParser<Long> positiveWholeNumber(String unit) {
    return new ValueParser<>() {
      @Override
      public Long parse(String text) {
        long n;
        try {
          n = Long.parseLong(text);
        } catch (NumberFormatException e) {
          n = 0;
        }
        if (n <= 0) {
          throw new IllegalArgumentException("expected a positive whole number of " + unit);
        }
        return n;
      }
    };
  }

  /**
   * {@code n} (at least 0) with a comma between each group of three digits, as {@code %,d} writes
   * it in English, without java.util.Formatter: its first use compiles regular expressions and
   * loads locale data, a start-up cost every command would pay for its options' help.
   */
  static String grouped(long n) {
    String digits = Long.toString(n);
    StringBuilder s = new StringBuilder(digits.length() + digits.length() / 3);
    for (int i = 0; i < digits.length(); i++) {
      if (i > 0 && (digits.length() - i) % 3 == 0) {
        s.append(',');
      }
      s.append(digits.charAt(i));
    }
    return s.toString();
  }

  /** A whole number from 1 to {@code max}, of {@code unit}. */
  static ValueParser<Long> wholeNumberUpTo(String unit, long max) {
    return wholeNumberIn(unit, 1, max);
  }

  /** A whole number from {@code min} to {@code max}, of {@code unit}. */
  static ValueParser<Long> wholeNumberIn(String unit, long min, long max) {
    return new ValueParser<>() {
      @Override
      public Long parse(String text) {
        long n;
        try {
          n = Long.parseLong(text);
        } catch (NumberFormatException e) {
          n = min - 1;
        }
        if (n < min || n > max) {
          throw new IllegalArgumentException("expected a whole number of " + unit + " from "
              + grouped(min) + " to " + grouped(max));
        }
        return n;
      }
    };
  }

  /** Any non-empty text, as given. */
  static ValueParser<String> text() {
    return new ValueParser<>() {
      @Override
      public String parse(String text) {
        if (text.isEmpty()) {
          throw new IllegalArgumentException("expected a name");
        }
        return text;
      }
    };
  }
}
