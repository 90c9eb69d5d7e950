package dev.kiln.ir;

import java.util.List;

/**
 * How an {@link Instance} takes a call from Java, the same in every mode: the function looked up
 * by name, boxed arguments checked against its signature and unboxed to raw 64-bit values (an
 * f64 as its bits), and the raw result boxed again.
 */
public final class Calls {
  private Calls() {}

  /**
   * The function {@code name} of {@code module}.
   *
   * @param module the module
   * @param name the function's name, without {@code @}
   * @return the function
   * @throws IllegalArgumentException if the module defines no such function
   */
  public static Function function(Module module, String name) {
    if (!(module.findCallee(name) instanceof Function f)) {
      throw new IllegalArgumentException("the module defines no function @" + name);
    }
    return f;
  }

  /**
   * The raw arguments of a call of {@code f} with boxed {@code args}.
   *
   * @param f the function called
   * @param args its arguments: a {@code Long} or {@code Integer} for an i64, a {@code Double} for
   *     an f64
   * @return the raw arguments
   * @throws IllegalArgumentException for a wrong count or a wrong type
   */
  public static long[] unbox(Function f, Object[] args) {
    String name = f.name();
    List<Type> params = f.signature().params();
    if (args.length != params.size()) {
      throw new IllegalArgumentException("@" + name + " takes " + params.size()
          + " arguments, not " + args.length);
    }
    long[] raw = new long[args.length];
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (params.get(i) == Type.I64 && (a instanceof Long || a instanceof Integer)) {
        raw[i] = ((Number) a).longValue();
      } else if (params.get(i) == Type.F64 && a instanceof Double d) {
        raw[i] = Double.doubleToRawLongBits(d);
      } else {
        throw new IllegalArgumentException("argument " + i + " of @" + name + " must be "
            + (params.get(i) == Type.I64 ? "a Long" : "a Double") + ", not " + a);
      }
    }
    return raw;
  }

  /**
   * Checks the count of raw arguments for {@code f}.
   *
   * @param f the function called
   * @param args its raw arguments
   * @throws IllegalArgumentException for a wrong count
   */
  public static void checkRaw(Function f, long[] args) {
    if (args.length != f.signature().params().size()) {
      throw new IllegalArgumentException("@" + f.name() + " takes "
          + f.signature().params().size() + " arguments, not " + args.length);
    }
  }

  /**
   * The boxed result of {@code f} from its raw result: a Long, a Double or {@code null}.
   *
   * @param f the function called
   * @param result its raw result
   * @return the boxed result
   */
  public static Object box(Function f, long result) {
    Type type = f.signature().result();
    return type == null ? null : type == Type.I64 ? (Object) result
        : (Object) Double.longBitsToDouble(result);
  }
}
