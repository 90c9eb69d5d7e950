package dev.kiln.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Loads the shim once: from {@code -Dkiln.native.path=FILE} when set, else from the copy bundled in
 * the jar. That copy is loaded from the user's {@link LibraryCache} (extracted there once, checked
 * byte for byte on every load); if the cache cannot be used safely, it is extracted to a private
 * temporary file instead (created owner-only by {@link Files#createTempFile}), as every run did
 * before the cache. Every later attempt after a failure throws the same clear message.
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
      loadOverride(override);
      return;
    }
    Platform platform = Platform.host();
    byte[] library = bundled(platform);
    String suffix = platform.isWindows() ? ".dll" : ".so";
    Path cached;
    try {
      cached = LibraryCache.forUser(platform).install(library, "kiln", suffix);
    } catch (IOException | RuntimeException e) {
      cached = null; // no usable cache (read-only home, foreign directory, ...): not an error
    }
    if (cached != null) {
      try {
        System.load(cached.toString());
        return;
      } catch (UnsatisfiedLinkError e) {
        // e.g. a cache on a file system mounted noexec: the temporary file may still work
      }
    }
    loadFromTemporaryFile(library, suffix);
  }

  /**
   * Loads {@code -Dkiln.native.path=FILE}; a bad path is reported as that, not as a platform. A
   * file of the wrong format is refused before {@code System.load}, which would have the JVM
   * print a warning of its own about it.
   */
  private static void loadOverride(String override) throws IOException {
    String cannot = "cannot load -D" + PATH_PROPERTY + "=" + override + ": ";
    Path file = Path.of(override).toAbsolutePath();
    if (!Files.exists(file)) {
      throw new IllegalStateException(cannot + "no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(cannot + "not a file");
    }
    Platform host = Platform.host();
    if (!startsWith(file, host.libraryMagic())) {
      throw new IllegalStateException(
          cannot + "not a valid library: no " + host.libraryFormat() + " header");
    }
    try {
      System.load(file.toString());
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException(cannot + "not a valid library: " + e.getMessage(), e);
    }
  }

  private static boolean startsWith(Path file, byte[] magic) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(magic.length), magic);
    }
  }

  private static byte[] bundled(Platform platform) throws IOException {
    // Class (not ClassLoader) lookup: it finds the module's own resources when Kiln is a named
    // module, and the jar's when it is on the classpath.
    try (InputStream in = NativeLibrary.class.getResourceAsStream("/" + platform.libraryResource())) {
      if (in == null) {
        throw new IllegalStateException(
            "the Kiln native runtime is not available for "
                + platform
                + " ("
                + bundledPlatforms()
                + ")");
      }
      return in.readAllBytes();
    }
  }

  /** What the build bundles, from the index it writes beside the libraries. */
  private static String bundledPlatforms() throws IOException {
    try (InputStream in = NativeLibrary.class.getResourceAsStream("/" + Platform.INDEX_RESOURCE)) {
      String platforms =
          in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return platforms.isEmpty()
          ? "this build bundles no native library"
          : "this build bundles a library for: " + String.join(", ", platforms.split("\\s+"));
    }
  }

  private static void loadFromTemporaryFile(byte[] library, String suffix) throws IOException {
    Path file = Files.createTempFile("kiln-", suffix);
    Files.write(file, library);
    System.load(file.toString());
    // Linux keeps the loaded image after the name is gone; Windows locks the file until exit.
    if (!file.toFile().delete()) {
      file.toFile().deleteOnExit();
    }
  }

  private static RuntimeException asRuntimeException(Throwable e) {
    if (e instanceof IllegalStateException ise) {
      return ise;
    }
    return new IllegalStateException("cannot load the Kiln native runtime: " + e.getMessage(), e);
  }
}
