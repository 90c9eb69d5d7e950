package dev.kiln.cli;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * The one line {@code run} and {@code bf} print when the OS refuses the JIT executable memory and
 * the interpreter runs instead. It names {@code --mode=interp}: the launchers tune the JVM for
 * the JIT unless that option is given (HotSpot's C1 alone, under which the interpreters' dispatch
 * loops run several times slower than under C2), so on such a machine the option is the fast way
 * to run.
 *
 * <p>An instance prints the line for each refusal it is told of (a class, not a lambda: a run of
 * {@code kiln run} links no lambda, whose first one would cost the JVM's lambda machinery's
 * start-up).
 */
final class FallbackWarning implements Consumer<String> {
  private final PrintStream err;

  /** Prints to {@code err}. */
  FallbackWarning(PrintStream err) {
    this.err = err;
  }

  static String line(String refusal) {
    return "kiln: warning: " + refusal + "; running the interpreter (the launchers run it faster with --mode=interp)";
  }

  /** Prints {@code refusal}'s line and flushes. */
  @Override
  public void accept(String refusal) {
    err.println(line(refusal));
    err.flush();
  }
}
