package dev.kiln.lang;

import dev.kiln.source.Source;
import java.util.List;

/**
 * Thrown when a program has compile errors; carries all of them, in source order, or the first
 * {@link Reporter#MAX_ERRORS} if the compile stopped there.
 */
public final class CompileErrors extends Exception {
  private final Source source;
  private final List<Diagnostic> diagnostics;
  private final boolean stopped;

  CompileErrors(Source source, List<Diagnostic> diagnostics, boolean stopped) {
    super(diagnostics.size() + " compile error(s)", null, false, false);
    this.source = source;
    this.diagnostics = List.copyOf(diagnostics);
    this.stopped = stopped;
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** Whether there were more errors than {@link #diagnostics} and the compile stopped. */
  public boolean stopped() {
    return stopped;
  }

  /**
   * Every error formatted for standard error, one after another, then, if the compile stopped
   * early, {@code FILE: error: too many errors; stopped after the first N}.
   */
  public String format() {
    StringBuilder out = new StringBuilder();
    for (Diagnostic d : diagnostics) {
      out.append(d.format(source));
    }
    if (stopped) {
      out.append(source.name()).append(": error: too many errors; stopped after the first ")
          .append(diagnostics.size()).append('\n');
    }
    return out.toString();
  }
}
