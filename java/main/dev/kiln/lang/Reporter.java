package dev.kiln.lang;

import dev.kiln.source.Source;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the compile errors of all front-end stages for one source file, at most {@link
 * #MAX_ERRORS} of them: like a C compiler's error limit, the one after them stops the compile
 * ({@link TooMany}), so a file that is mostly errors (megabytes of stray bytes) costs neither the
 * time nor the memory of reporting them all, and the first errors, the ones to fix, stay in view.
 */
final class Reporter {
  /** Errors reported before the compile stops; the report then says it stopped. */
  static final int MAX_ERRORS = 100;

  /** Thrown by the error past {@link #MAX_ERRORS}; the front end then reports what it has. */
  static final class TooMany extends RuntimeException {
    TooMany() {
      super(null, null, false, false);
    }
  }

  private final Source source;
  private final List<Diagnostic> errors = new ArrayList<>();
  private boolean stopped;

  Reporter(Source source) {
    this.source = source;
  }

  void error(int offset, String message) {
    if (errors.size() == MAX_ERRORS) {
      stopped = true;
      throw new TooMany();
    }
    errors.add(new Diagnostic(offset, message));
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** Throws all errors so far, sorted by position (stable: same-position errors keep order). */
  void throwIfAny() throws CompileErrors {
    if (!errors.isEmpty()) {
      errors.sort(Comparator.comparingInt(Diagnostic::offset));
      throw new CompileErrors(source, errors, stopped);
    }
  }
}
