package dev.kiln.runtime;

/**
 * The operating system refuses to make memory executable (SELinux {@code deny_execmem}, PaX,
 * Windows Arbitrary Code Guard). Callers catch this to fall back, e.g. to an interpreter.
 */
public final class ExecutableMemoryDeniedException extends NativeMemoryException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the given message.
   *
   * @param message the OS's refusal, with its error text
   */
  public ExecutableMemoryDeniedException(String message) {
    super(message);
  }
}
