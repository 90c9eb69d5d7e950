package dev.kiln.runtime;

/** An operating-system call of the shim failed; the message carries the OS's error text. */
public class NativeMemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NativeMemoryException(String message) {
    super(message);
  }
}
