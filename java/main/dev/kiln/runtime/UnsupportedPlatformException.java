package dev.kiln.runtime;

/** The Kiln native runtime has no library for this operating system or processor. */
public final class UnsupportedPlatformException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnsupportedPlatformException(String message, Throwable cause) {
    super(message, cause);
  }
}
