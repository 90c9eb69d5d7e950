package dev.kiln.lang;

import dev.kiln.source.Source;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the compile errors of all front-end stages for one source file. */
final class Reporter {
  private final Source source;
  private final List<Diagnostic> errors = new ArrayList<>();

  Reporter(Source source) {
    this.source = source;
  }

  void error(int offset, String message) {
    errors.add(new Diagnostic(offset, message));
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** Throws all errors so far, sorted by position (stable: same-position errors keep order). */
  void throwIfAny() throws CompileErrors {
    if (!errors.isEmpty()) {
      errors.sort(Comparator.comparingInt(Diagnostic::offset));
      throw new CompileErrors(source, errors);
    }
  }
}
