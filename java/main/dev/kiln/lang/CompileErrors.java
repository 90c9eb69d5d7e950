package dev.kiln.lang;

import dev.kiln.source.Source;
import java.util.List;

/** Thrown when a program has compile errors; carries all of them, in source order. */
public final class CompileErrors extends Exception {
  private final Source source;
  private final List<Diagnostic> diagnostics;

  CompileErrors(Source source, List<Diagnostic> diagnostics) {
    super(diagnostics.size() + " compile error(s)", null, false, false);
    this.source = source;
    this.diagnostics = List.copyOf(diagnostics);
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** Every error formatted for standard error, one after another. */
  public String format() {
    StringBuilder out = new StringBuilder();
    for (Diagnostic d : diagnostics) {
      out.append(d.format(source));
    }
    return out.toString();
  }
}
