package dev.kiln.lang;

/**
 * The front end itself failed on a program (it ran out of memory, or met a bug of its own): not
 * a compile error of the program. The message is the whole report, one line.
 */
public final class CompilerFailure extends RuntimeException {
  CompilerFailure(String message) {
    super(message, null, false, false);
  }
}
