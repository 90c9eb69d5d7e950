package dev.kiln.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads the shim once: from {@code -Dkiln.native.path=FILE} when set, else from the copy bundled in
 * the jar, extracted to a private temporary file (created owner-only by {@link
 * Files#createTempFile}). Every later attempt after a failure throws the same clear message.
 */
final class NativeLibrary {
  static final String PATH_PROPERTY = "kiln.native.path";

  private static RuntimeException failure;
  private static boolean loaded;

  private NativeLibrary() {}

  static synchronized void ensureLoaded() {
    if (!loaded && failure == null) {
      try {
        load();
        loaded = true;
      } catch (RuntimeException | UnsatisfiedLinkError | IOException e) {
        failure = asRuntimeException(e);
      }
    }
    if (failure != null) {
      throw new UnsupportedPlatformException(failure.getMessage(), failure);
    }
  }

  private static void load() throws IOException {
    String override = System.getProperty(PATH_PROPERTY);
    if (override != null) {
      System.load(Path.of(override).toAbsolutePath().toString());
      return;
    }
    Platform platform = Platform.host();
    String resource = platform.libraryResource();
    try (InputStream in = NativeLibrary.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the Kiln native runtime is not available for "
                + platform
                + " (this build bundles a library for: linux-x86_64, windows-x86_64)");
      }
      Path file = Files.createTempFile("kiln-", platform.isWindows() ? ".dll" : ".so");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      System.load(file.toString());
      // Linux keeps the loaded image after the name is gone; Windows locks the file until exit.
      if (!file.toFile().delete()) {
        file.toFile().deleteOnExit();
      }
    }
  }

  private static RuntimeException asRuntimeException(Throwable e) {
    if (e instanceof IllegalStateException ise) {
      return ise;
    }
    return new IllegalStateException("cannot load the Kiln native runtime: " + e.getMessage(), e);
  }
}
