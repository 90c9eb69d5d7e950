package dev.kiln.cli;

/**
 * The one line {@code run} and {@code bf} print when the OS refuses the JIT executable memory and
 * the interpreter runs instead. It names {@code --mode=interp}: the launchers tune the JVM for
 * the JIT unless that option is given (HotSpot's C1 alone, under which the interpreters' dispatch
 * loops run several times slower than under C2), so on such a machine the option is the fast way
 * to run.
 */
final class FallbackWarning {
  private FallbackWarning() {}

  static String line(String refusal) {
    return "kiln: warning: " + refusal + "; running the interpreter (the launchers run it faster with --mode=interp)";
  }
}
