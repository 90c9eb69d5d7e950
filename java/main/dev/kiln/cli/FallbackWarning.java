package dev.kiln.cli;

/**
 * The one line {@code run} and {@code bf} print when the OS refuses the JIT executable memory and
 * the interpreter runs instead. It names {@code --mode=interp}: the launchers tune the JVM for
 * the JIT unless that option is given (HotSpot's C1 alone, which runs the interpreters ~3.5 times
 * slower than with C2), so on such a machine the option is the fast way to run.
 */
final class FallbackWarning {
  private FallbackWarning() {}

  static String line(String refusal) {
    return "kiln: warning: " + refusal + "; running the interpreter (the launchers run it faster with --mode=interp)";
  }
}
