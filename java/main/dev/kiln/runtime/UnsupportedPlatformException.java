package dev.kiln.runtime;

/** The Kiln native runtime has no library for this operating system or processor. */
public final class UnsupportedPlatformException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the given message and cause.
   *
   * @param message what is missing, naming the platform
   * @param cause the failure to load the native runtime
   */
  public UnsupportedPlatformException(String message, Throwable cause) {
    super(message, cause);
  }
}
