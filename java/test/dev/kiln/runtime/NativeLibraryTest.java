package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
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
  }

  @Test
  void aMissingExplicitPathIsReportedAsSuch() throws Exception {
    Path missing = temp.resolve("libkiln.so");
    assertEquals(
        "UnsupportedPlatformException: cannot load -Dkiln.native.path=" + missing + ": no such file",
        runChild("-Dkiln.native.path=" + missing));
    assertEquals(
        "UnsupportedPlatformException: cannot load -Dkiln.native.path=" + temp + ": not a file",
        runChild("-Dkiln.native.path=" + temp));
  }

  @Test
  void anExplicitPathToAFileThatIsNoLibraryIsReportedAsSuch() throws Exception {
    Path text = Files.writeString(temp.resolve("libkiln.so"), "not machine code\n");
    assertEquals(
        "UnsupportedPlatformException: cannot load -Dkiln.native.path=" + text
            + ": not a valid library: no " + (Platform.host().isWindows() ? "PE" : "ELF") + " header",
        runChild("-Dkiln.native.path=" + text));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void anExplicitPathToALibraryTheSystemCannotLoadGivesTheSystemsReason() throws Exception {
    byte[] library = bundledLibrary();
    Path truncated = Files.write(temp.resolve("libkiln.so"), Arrays.copyOf(library, 64));
    String prefix = "UnsupportedPlatformException: cannot load -Dkiln.native.path=" + truncated
        + ": not a valid library: ";
    // JDK 17 warns about the stack guard first whenever dlopen refuses a file: the JVM's own.
    String out = runChild("-Dkiln.native.path=" + truncated).lines().reduce("", (a, b) -> b);
    assertTrue(out.startsWith(prefix), out);
    assertTrue(out.length() > prefix.length(), "the system's reason follows: " + out);
  }

  @Test
  void anUnsupportedPlatformGetsOneClearMessageNamingWhatTheBuildBundles() throws Exception {
    List<String> bundled = new ArrayList<>();
    for (Path dir : files(Path.of("target/classes/native"))) {
      if (Files.isRegularFile(dir.resolve("libkiln.so"))
          || Files.isRegularFile(dir.resolve("kiln.dll"))) {
        bundled.add(dir.getFileName().toString());
      }
    }
    bundled.sort(null);
    assertTrue(bundled.contains(Platform.host().toString()), bundled.toString());
    assertEquals(
        "UnsupportedPlatformException: the Kiln native runtime is not available for "
            + Platform.of(System.getProperty("os.name"), "aarch64")
            + " (this build bundles a library for: "
            + String.join(", ", bundled)
            + ")",
        runChild("-Dos.arch=aarch64"));
  }
}
