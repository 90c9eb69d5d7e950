package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The per-user cache of the extracted shim: what it hands out and what it refuses. */
class LibraryCacheTest {
  private static final byte[] LIBRARY = "pretend this is libkiln.so".getBytes(StandardCharsets.UTF_8);

  @TempDir Path temp;

  private List<Path> files(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void installsOnceThenHandsOutTheSameFile() throws IOException {
    LibraryCache cache = new LibraryCache(temp.resolve("cache/native"));
    Path first = cache.install(LIBRARY, "kiln", ".so");
    assertArrayEquals(LIBRARY, Files.readAllBytes(first));
    assertEquals(cache.directory(), first.getParent());
    long written = Files.getLastModifiedTime(first).toMillis();
    Files.setLastModifiedTime(first, java.nio.file.attribute.FileTime.fromMillis(written - 60_000));
    Path second = cache.install(LIBRARY, "kiln", ".so");
    assertEquals(first, second);
    assertEquals(written - 60_000, Files.getLastModifiedTime(second).toMillis(), "not rewritten");
    assertEquals(List.of(first), files(cache.directory()), "no temporary file left behind");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void createsTheDirectoryForItsOwnerOnly() throws IOException {
    LibraryCache cache = new LibraryCache(temp.resolve("cache/native"));
    cache.install(LIBRARY, "kiln", ".so");
    assertEquals("rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.directory())));
  }

  @Test
  void differentLibrariesGetDifferentNames() {
    byte[] other = LIBRARY.clone();
    other[0] ^= 1;
    assertNotEquals(LibraryCache.fileName(LIBRARY, "kiln", ".so"), LibraryCache.fileName(other, "kiln", ".so"));
    assertEquals(LibraryCache.fileName(LIBRARY, "kiln", ".so"), LibraryCache.fileName(LIBRARY.clone(), "kiln", ".so"));
  }

  @Test
  void aCorruptedCachedFileIsReplaced() throws IOException {
    LibraryCache cache = new LibraryCache(temp.resolve("native"));
    Path file = cache.install(LIBRARY, "kiln", ".so");
    byte[] corrupted = LIBRARY.clone();
    corrupted[corrupted.length - 1] ^= 0x55; // same length, one byte off
    Files.write(file, corrupted);
    assertEquals(file, cache.install(LIBRARY, "kiln", ".so"));
    assertArrayEquals(LIBRARY, Files.readAllBytes(file));
  }

  @Test
  void aForeignFileUnderTheExpectedNameIsReplaced() throws IOException {
    LibraryCache cache = new LibraryCache(temp.resolve("native"));
    Path file = cache.install(LIBRARY, "kiln", ".so");
    Files.writeString(file, "something else entirely, longer than the library");
    assertEquals(file, cache.install(LIBRARY, "kiln", ".so"));
    assertArrayEquals(LIBRARY, Files.readAllBytes(file));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aDirectoryOthersCanWriteIsRefused() throws IOException {
    Path open = Files.createDirectory(temp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    IOException e = assertThrows(IOException.class, () -> new LibraryCache(open).install(LIBRARY, "kiln", ".so"));
    assertEquals(open + " is open to other users", e.getMessage().replaceAll(": \\[.*", ""));
    assertEquals(List.of(), files(open), "nothing written there");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aLinkInPlaceOfTheDirectoryIsRefused() throws IOException {
    Path real = Files.createDirectory(temp.resolve("real"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path link = Files.createSymbolicLink(temp.resolve("link"), real);
    assertThrows(IOException.class, () -> new LibraryCache(link).install(LIBRARY, "kiln", ".so"));
    assertEquals(List.of(), files(real));
  }

  @Test
  void aFileInPlaceOfTheDirectoryIsRefused() throws IOException {
    Path file = Files.writeString(temp.resolve("native"), "not a directory");
    assertThrows(IOException.class, () -> new LibraryCache(file).install(LIBRARY, "kiln", ".so"));
    assertFalse(Files.isDirectory(file));
  }
}
