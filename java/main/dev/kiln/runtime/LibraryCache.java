package dev.kiln.runtime;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * A per-user directory of extracted copies of the shim, so that a run need not write the library
 * to a fresh temporary file (which costs a secure random name, a write and a delete on every
 * start). {@link #install} hands back a file that holds exactly the given bytes, or throws, and the
 * caller then falls back to a private temporary file.
 *
 * <p>Safety rests on three checks. The directory must be the user's own: a real directory (not a
 * link) owned by the current user and, where the file system has POSIX permissions, accessible to
 * nobody else, so no other user can plant a library in it. A file is named by the length and
 * CRC-32 of its bytes, so different builds of Kiln never share a name; the name is only a key,
 * though: before a cached file is used its whole content is compared with the bytes from the jar,
 * so a truncated, corrupted or foreign file is never loaded (it is replaced). New files are
 * written under a unique temporary name in the same directory and renamed into place atomically,
 * so two processes installing at once never see a half-written library: each renames a complete
 * copy of the same bytes.
 */
final class LibraryCache {
  /** Where the cache lives, if set; else the user's cache directory (see {@link #defaultDirectory}). */
  static final String DIRECTORY_PROPERTY = "kiln.native.cache";

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private final Path directory;

  LibraryCache(Path directory) {
    this.directory = directory;
  }

  /**
   * The cache of {@code -Dkiln.native.cache=DIR} if set; else {@code %LOCALAPPDATA%\Kiln\native}
   * on Windows, and {@code $XDG_CACHE_HOME/kiln/native} (by default {@code ~/.cache/kiln/native})
   * elsewhere.
   */
  static LibraryCache forUser(Platform platform) throws IOException {
    String configured = System.getProperty(DIRECTORY_PROPERTY);
    if (configured != null) {
      return new LibraryCache(Path.of(configured));
    }
    return new LibraryCache(defaultDirectory(platform));
  }

  private static Path defaultDirectory(Platform platform) throws IOException {
    if (platform.isWindows()) {
      return Path.of(requiredEnvironment("LOCALAPPDATA"), "Kiln", "native");
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : Path.of(home(), ".cache");
    return base.resolve("kiln").resolve("native");
  }

  private static String requiredEnvironment(String name) throws IOException {
    String value = System.getenv(name);
    if (value == null || value.isEmpty()) {
      throw new IOException(name + " is not set");
    }
    return value;
  }

  private static String home() throws IOException {
    String home = System.getProperty("user.home", "");
    if (home.isEmpty() || home.equals("?")) { // "?": the JVM found no home directory
      throw new IOException("no home directory");
    }
    return home;
  }

  /** The cache's directory. */
  Path directory() {
    return directory;
  }

  /**
   * A file in this cache holding exactly {@code bytes}, written there first if it is missing or
   * differs; {@code suffix} is the platform's library suffix ({@code .so}, {@code .dll}).
   *
   * @throws IOException if the directory is not safely the user's own or the file cannot be
   *     written or read back: the caller should not use the cache then
   */
  Path install(byte[] bytes, String prefix, String suffix) throws IOException {
    ensureOwnDirectory();
    Path file = directory.resolve(fileName(bytes, prefix, suffix));
    if (holds(file, bytes)) {
      return file;
    }
    Path temporary = Files.createTempFile(directory, prefix, ".tmp");
    try {
      Files.write(temporary, bytes);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // Windows cannot replace a library another process has loaded; if that process put the
      // right bytes there, they serve as well.
      if (!holds(file, bytes)) {
        throw e;
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
    if (!holds(file, bytes)) {
      throw new IOException("the cached library " + file + " changed while it was installed");
    }
    return file;
  }

  /** {@code PREFIX-LENGTH-CRC32.SUFFIX}: a key that differs between builds of the library. */
  static String fileName(byte[] bytes, String prefix, String suffix) {
    CRC32 crc = new CRC32(); // not CRC32C: CRC32 is native even before the JIT compiles anything
    crc.update(bytes);
    return prefix + "-" + bytes.length + "-" + Long.toHexString(crc.getValue()) + suffix;
  }

  private static boolean holds(Path file, byte[] bytes) throws IOException {
    try {
      return Files.size(file) == bytes.length && Arrays.equals(Files.readAllBytes(file), bytes);
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /**
   * Creates the directory (owner-only) if needed, then checks that it is a real directory of the
   * current user's that nobody else may enter, whoever created it.
   */
  private void ensureOwnDirectory() throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(directory.getParent());
      try {
        if (posix) {
          Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
          Files.createDirectory(directory);
        }
      } catch (FileAlreadyExistsException e) {
        // Another process created it meanwhile (or it is not a directory): checked below.
      }
    }
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(directory + " is not a directory");
    }
    // Windows has no POSIX permissions: %LOCALAPPDATA% is the user's own by its ACL.
    if (posix) {
      String user = System.getProperty("user.name");
      PosixFileAttributes attributes =
          Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attributes.owner().getName().equals(user)) {
        throw new IOException(directory + " belongs to " + attributes.owner().getName() + ", not " + user);
      }
      Set<PosixFilePermission> others = new HashSet<>(attributes.permissions());
      others.removeAll(OWNER_ONLY);
      if (!others.isEmpty()) {
        throw new IOException(directory + " is open to other users: " + others);
      }
    }
  }
}
