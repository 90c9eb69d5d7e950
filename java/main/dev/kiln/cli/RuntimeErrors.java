package dev.kiln.cli;

import dev.kiln.bytecode.Program;
import dev.kiln.vm.KilnRuntimeError;

/** Formats a runtime error for standard error, the same for every execution mode. */
final class RuntimeErrors {
  private RuntimeErrors() {}

  /** {@code FILE:LINE:COL: runtime error: MESSAGE} (without the position when none is known). */
  static String format(String file, Program program, KilnRuntimeError e) {
    int p = e.position();
    String where = p < 0 ? file : file + ":" + program.line(p) + ":" + program.column(p);
    return where + ": runtime error: " + e.getMessage();
  }
}
