package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Loading the shim, each case in a fresh JVM (a library loads once per JVM). */
class NativeLibraryTest {
  /** Run in the child JVM: installs and calls one function, or prints why it cannot. */
  public static void main(String[] args) {
    try (CodeCache cache = new CodeCache()) {
      InstalledCode f = cache.install(TestCode.constant(42), Signature.longs(0));
      System.out.print("called: " + f.invoke0());
    } catch (UnsupportedPlatformException e) {
      System.out.print(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static String runChild(String... properties) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED"); // JDK 24+ would warn on System.load
    command.addAll(List.of(properties));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), NativeLibraryTest.class.getName()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  @TempDir Path temp;

  private static byte[] bundledLibrary() throws IOException {
    return Files.readAllBytes(Path.of("target/classes", Platform.host().libraryResource()));
  }

  private List<Path> files(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void theBundledLibraryLoadsFromTheClasspathThroughTheCache() throws Exception {
    Path cache = temp.resolve("cache");
    assertEquals("called: 42", runChild("-Dkiln.native.cache=" + cache));
    List<Path> cached = files(cache);
    assertEquals(1, cached.size(), cached.toString());
    assertArrayEquals(bundledLibrary(), Files.readAllBytes(cached.get(0)));
    assertEquals("called: 42", runChild("-Dkiln.native.cache=" + cache), "loads the cached copy");
    assertEquals(cached, files(cache));
  }

  @Test
  void aCorruptedCachedLibraryIsNotLoaded() throws Exception {
    Path cache = temp.resolve("cache");
    assertEquals("called: 42", runChild("-Dkiln.native.cache=" + cache));
    Path file = files(cache).get(0);
    byte[] corrupted = bundledLibrary();
    corrupted[corrupted.length / 2] ^= (byte) 0xff;
    Files.write(file, corrupted);
    assertEquals("called: 42", runChild("-Dkiln.native.cache=" + cache));
    assertArrayEquals(bundledLibrary(), Files.readAllBytes(file), "replaced by the jar's copy");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void anUnsafeCacheIsBypassedForAPrivateTemporaryFile() throws Exception {
    Path open = Files.createDirectory(temp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertEquals("called: 42", runChild("-Dkiln.native.cache=" + open));
    assertEquals(List.of(), files(open));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void anExplicitPathOverridesTheBundledLibrary() throws Exception {
    Path lib = Path.of("target/classes", Platform.host().libraryResource()).toAbsolutePath();
    Path cache = temp.resolve("cache");
    assertEquals("called: 42", runChild("-Dkiln.native.path=" + lib, "-Dkiln.native.cache=" + cache));
    assertFalse(Files.exists(cache), "the override needs no cache");
    String missing = runChild("-Dkiln.native.path=/nonexistent/libkiln.so");
    assertEquals(
        "UnsupportedPlatformException: cannot load the Kiln native runtime: Can't load library:"
            + " /nonexistent/libkiln.so",
        missing);
  }

  @Test
  void anUnsupportedPlatformGetsOneClearMessage() throws Exception {
    assertEquals(
        "UnsupportedPlatformException: the Kiln native runtime is not available for "
            + Platform.of(System.getProperty("os.name"), "aarch64")
            + " (this build bundles a library for: linux-x86_64, windows-x86_64)",
        runChild("-Dos.arch=aarch64"));
  }
}
