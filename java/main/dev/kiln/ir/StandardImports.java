package dev.kiln.ir;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The Java imports every text module may use by name, on a host's standard streams:
 * {@code @print_i64(i64)} and {@code @print_f64(f64)} print a number and a newline (f64 as Java's
 * {@link Double#toString(double)}), {@code @putchar(i64)} writes the low byte, and
 * {@code @getchar() -> i64} reads a byte, -1 at the end of input. Output is buffered until
 * {@link #flush()}; a failed write throws {@link UncheckedIOException} out of the IR call.
 */
public final class StandardImports {
  private static final Map<String, Signature> SIGNATURES = Map.of(
      "print_i64", Signature.of(List.of(Type.I64), null),
      "print_f64", Signature.of(List.of(Type.F64), null),
      "putchar", Signature.of(List.of(Type.I64), null),
      "getchar", Signature.of(List.of(), Type.I64));

  /**
   * Whether {@code name} is one of the standard imports.
   *
   * @param name an import's name, without {@code @}
   * @return whether it is standard
   */
  public static boolean provides(String name) {
    return SIGNATURES.containsKey(name);
  }

  /**
   * The standard imports as declared: {@code @getchar() -> i64, @print_f64(f64), ...}.
   *
   * @return the list, sorted by name
   */
  public static String list() {
    List<String> all = new ArrayList<>();
    SIGNATURES.forEach((name, sig) -> all.add("@" + name + sig));
    Collections.sort(all);
    return String.join(", ", all);
  }

  private final InputStream in;
  private final BufferedOutputStream out;

  /**
   * Imports reading {@code in} and writing {@code out}.
   *
   * @param in the input {@code getchar} reads
   * @param out the output the print functions and {@code putchar} write
   */
  public StandardImports(InputStream in, OutputStream out) {
    this.in = new BufferedInputStream(in, 1 << 16);
    this.out = new BufferedOutputStream(out, 1 << 16);
  }

  /**
   * Binds those of {@code module}'s imports that are standard.
   *
   * @param module the module whose imports are bound
   * @param options the options to bind them in
   * @return {@code options}
   * @throws IllegalArgumentException if one is declared with another signature
   */
  public InstanceOptions bind(Module module, InstanceOptions options) {
    for (Callee c : module.imports()) {
      Signature expected = SIGNATURES.get(c.name());
      if (expected == null || !(c instanceof JavaFunction)) {
        continue;
      }
      if (!expected.equals(c.signature())) {
        throw new IllegalArgumentException("import @" + c.name() + " must be declared "
            + expected + ", not " + c.signature());
      }
      options.bind(c.name(), callback(c.name()));
    }
    return options;
  }

  private JavaCallback callback(String name) {
    return switch (name) {
      case "print_i64" -> args -> text(Long.toString(args[0]));
      case "print_f64" -> args -> text(Double.toString(Double.longBitsToDouble(args[0])));
      case "putchar" -> args -> {
        write(out, (int) args[0]);
        return 0;
      };
      default -> args -> {
        try {
          return in.read();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the input: " + e.getMessage(), e);
        }
      };
    };
  }

  private long text(String s) {
    try {
      out.write((s + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw failed(e);
    }
    return 0;
  }

  private static void write(OutputStream out, int b) {
    try {
      out.write(b);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  /** Writes what is buffered through. */
  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private static UncheckedIOException failed(IOException e) {
    return new UncheckedIOException("cannot write the output: " + e.getMessage(), e);
  }
}
