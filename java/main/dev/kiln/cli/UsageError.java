package dev.kiln.cli;

/**
 * Bad command-line arguments or an unreadable file: {@link Main} prints {@code kiln: MESSAGE} and
 * the command's one-line usage to standard error and exits with {@link Main#EXIT_USAGE}.
 */
final class UsageError extends RuntimeException {
  UsageError(String message) {
    super(message, null, false, false); // the message is the whole report: no stack trace to fill
  }
}
