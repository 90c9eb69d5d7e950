package dev.kiln.runtime;

/**
 * The shim's call entry points of one calling convention. A handle holds the caller of its
 * code's convention; the JVM sees one or two implementations and inlines the call.
 */
abstract class Caller {
  abstract long call0(long f);

  abstract long call1(long f, long a);

  abstract long call2(long f, long a, long b);

  abstract long call3(long f, long a, long b, long c);

  abstract long call4(long f, long a, long b, long c, long d);

  abstract long call5(long f, long a, long b, long c, long d, long e);

  abstract long call6(long f, long a, long b, long c, long d, long e, long g);

  abstract double callDouble(long f, long a, long b, long c, long d, long e, long g);

  abstract double callDoubles(long f, double a, double b);

  abstract long callWithUpcall(
      long f, Upcall handler, long a, long b, long c, long d, long e, long g);

  static Caller of(CallingConvention convention) {
    return convention == CallingConvention.WINDOWS_X64 ? Win64.INSTANCE : SystemV.INSTANCE;
  }

  private static final class SystemV extends Caller {
    static final Caller INSTANCE = new SystemV();

    @Override
    long call0(long f) {
      return Shim.sysvCall0(f);
    }

    @Override
    long call1(long f, long a) {
      return Shim.sysvCall1(f, a);
    }

    @Override
    long call2(long f, long a, long b) {
      return Shim.sysvCall2(f, a, b);
    }

    @Override
    long call3(long f, long a, long b, long c) {
      return Shim.sysvCall3(f, a, b, c);
    }

    @Override
    long call4(long f, long a, long b, long c, long d) {
      return Shim.sysvCall4(f, a, b, c, d);
    }

    @Override
    long call5(long f, long a, long b, long c, long d, long e) {
      return Shim.sysvCall5(f, a, b, c, d, e);
    }

    @Override
    long call6(long f, long a, long b, long c, long d, long e, long g) {
      return Shim.sysvCall6(f, a, b, c, d, e, g);
    }

    @Override
    double callDouble(long f, long a, long b, long c, long d, long e, long g) {
      return Shim.sysvCallDouble(f, a, b, c, d, e, g);
    }

    @Override
    double callDoubles(long f, double a, double b) {
      return Shim.sysvCallDoubles(f, a, b);
    }

    @Override
    long callWithUpcall(long f, Upcall handler, long a, long b, long c, long d, long e, long g) {
      return Shim.sysvCallWithUpcall(f, handler, a, b, c, d, e, g);
    }
  }

  private static final class Win64 extends Caller {
    static final Caller INSTANCE = new Win64();

    @Override
    long call0(long f) {
      return Shim.win64Call0(f);
    }

    @Override
    long call1(long f, long a) {
      return Shim.win64Call1(f, a);
    }

    @Override
    long call2(long f, long a, long b) {
      return Shim.win64Call2(f, a, b);
    }

    @Override
    long call3(long f, long a, long b, long c) {
      return Shim.win64Call3(f, a, b, c);
    }

    @Override
    long call4(long f, long a, long b, long c, long d) {
      return Shim.win64Call4(f, a, b, c, d);
    }

    @Override
    long call5(long f, long a, long b, long c, long d, long e) {
      return Shim.win64Call5(f, a, b, c, d, e);
    }

    @Override
    long call6(long f, long a, long b, long c, long d, long e, long g) {
      return Shim.win64Call6(f, a, b, c, d, e, g);
    }

    @Override
    double callDouble(long f, long a, long b, long c, long d, long e, long g) {
      return Shim.win64CallDouble(f, a, b, c, d, e, g);
    }

    @Override
    double callDoubles(long f, double a, double b) {
      return Shim.win64CallDoubles(f, a, b);
    }

    @Override
    long callWithUpcall(long f, Upcall handler, long a, long b, long c, long d, long e, long g) {
      return Shim.win64CallWithUpcall(f, handler, a, b, c, d, e, g);
    }
  }
}
