package dev.kiln.runtime;

/** An operating-system call of the shim failed; the message carries the OS's error text. */
public class NativeMemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the given message.
   *
   * @param message the failed call and the OS's error text
   */
  public NativeMemoryException(String message) {
    super(message);
  }
}
