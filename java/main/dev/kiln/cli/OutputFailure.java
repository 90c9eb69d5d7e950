package dev.kiln.cli;

import java.io.IOException;
import java.util.Set;

/**
 * Standard output could not be written: unchecked, so it passes through every layer between a
 * write and {@link Main} (a PrintStream swallows only IOExceptions; compiled code unwinds from a
 * failed upcall and the runtime rethrows the handler's exception), and it stops the program there.
 */
final class OutputFailure extends RuntimeException {
  /**
   * What the OS says when the reader of a pipe has gone: EPIPE's strerror on Linux and macOS
   * (the JVM ignores SIGPIPE, so a write fails with it), ERROR_BROKEN_PIPE and ERROR_NO_DATA on
   * Windows. Java gives the cause only as this text.
   */
  private static final Set<String> CLOSED_PIPE = Set.of(
      "Broken pipe", "The pipe has been ended", "The pipe is being closed");

  OutputFailure(IOException cause) {
    super(cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName(),
        cause, false, false);
  }

  /** Whether the output was a pipe whose reader has gone ({@code kiln run P | head -1}). */
  boolean closedPipe() {
    String reason = getMessage();
    return CLOSED_PIPE.contains(reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason);
  }
}
