package dev.kiln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a user's build sees it: a client compiled against it and run in a fresh JVM,
 * once with Kiln as the named module {@code dev.kiln} on the module path, once on the classpath.
 * The client assembles {@code long add(long, long)}, installs it and calls it, so the native
 * library really loads from the jar in both worlds. Runs after {@code package} (Failsafe), with
 * {@code -Dkiln.jar} naming the jar and {@code -Dkiln.version} its version.
 */
class KilnJarIT {
  private static final Path JAR = Path.of(System.getProperty("kiln.jar"));

  private static final String CLIENT = """
      package client;

      import dev.kiln.asm.Assembler;
      import dev.kiln.asm.Reg;
      import dev.kiln.runtime.CallingConvention;
      import dev.kiln.runtime.CodeCache;
      import dev.kiln.runtime.InstalledCode;
      import dev.kiln.runtime.Signature;

      public class Client {
        public static void main(String[] args) throws Exception {
          CallingConvention host = CallingConvention.host();
          Assembler a = new Assembler();
          a.mov(Reg.RAX, Reg.of(host.integerArguments().get(0), 64));
          a.add(Reg.RAX, Reg.of(host.integerArguments().get(1), 64));
          a.ret();
          try (CodeCache cache = new CodeCache()) {
            InstalledCode add = cache.install(a.finish(), Signature.longs(2));
            System.out.println("add(40, 2) = " + add.invoke2(40, 2));
          }
          var cli = Class.forName("dev.kiln.cli.Main").getMethod("main", String[].class);
          System.out.println("dev.kiln.cli accessible: " + cli.canAccess(null));
        }
      }
      """;

  @TempDir Path temp;

  @Test
  void aModuleThatRequiresDevKilnAssemblesInstallsAndCalls() throws Exception {
    Path src = temp.resolve("src");
    write(src.resolve("module-info.java"), "module client { requires dev.kiln; }\n");
    write(src.resolve("client/Client.java"), CLIENT);
    Path classes = temp.resolve("classes");
    assertEquals("", javac("--module-path", JAR.toString(), "-d", classes.toString(),
        src.resolve("module-info.java").toString(), src.resolve("client/Client.java").toString()));

    assertEquals(
        "add(40, 2) = 42\ndev.kiln.cli accessible: false\n",
        java("--enable-native-access=dev.kiln", "--module-path", JAR + File.pathSeparator + classes,
            "--module", "client/client.Client"),
        "the exported API works, the command line's package stays closed, and no warning is printed");
  }

  @Test
  void aModuleCannotCompileAgainstTheCommandLinePackage() throws Exception {
    Path src = temp.resolve("src");
    write(src.resolve("module-info.java"), "module client { requires dev.kiln; }\n");
    write(src.resolve("client/UsesCli.java"),
        "package client;\nclass UsesCli { dev.kiln.cli.Main main; }\n");
    String errors = javac("--module-path", JAR.toString(), "-d", temp.resolve("classes").toString(),
        src.resolve("module-info.java").toString(), src.resolve("client/UsesCli.java").toString());
    assertTrue(
        errors.contains("package dev.kiln.cli is declared in module dev.kiln, which does not export it"),
        errors);
  }

  @Test
  void aClasspathClientAssemblesInstallsAndCalls() throws Exception {
    Path src = temp.resolve("src");
    write(src.resolve("client/Client.java"), CLIENT);
    Path classes = temp.resolve("classes");
    assertEquals("", javac("--class-path", JAR.toString(), "-d", classes.toString(),
        src.resolve("client/Client.java").toString()));

    assertEquals(
        "add(40, 2) = 42\ndev.kiln.cli accessible: true\n",
        java("--enable-native-access=ALL-UNNAMED", "--class-path",
            JAR + File.pathSeparator + classes, "client.Client"));
  }

  @Test
  void theJarRunsTheCommandLineFromTheClasspathAndAsAModule() throws Exception {
    String version = "kiln " + System.getProperty("kiln.version") + "\n";
    assertEquals(version, java("-jar", JAR.toString(), "--version"));
    assertEquals(version, java("--enable-native-access=dev.kiln", "--module-path", JAR.toString(),
        "--module", "dev.kiln", "--version"));
  }

  @Test
  void theJarsPlatformIndexNamesExactlyTheLibrariesItCarries() throws IOException {
    TreeSet<String> carried = new TreeSet<>();
    String index;
    try (JarFile jar = new JarFile(JAR.toFile())) {
      for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
        String[] parts = e.getName().split("/");
        if (parts.length == 3 && parts[0].equals("native")
            && (parts[2].equals("libkiln.so") || parts[2].equals("kiln.dll"))) {
          carried.add(parts[1]);
        }
      }
      try (InputStream in = jar.getInputStream(jar.getEntry("native/platforms.txt"))) {
        index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    assertNotEquals(0, carried.size(), "the jar carries the host's library");
    assertEquals(String.join("\n", carried) + "\n", index);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /**
   * Runs javac in this JVM; returns its diagnostics ("" when it compiled cleanly). Without a
   * class path of its own, a module compile would see this JVM's, which holds the jar.
   */
  private String javac(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(args));
    if (!command.contains("--class-path")) {
      command.addAll(0, List.of("--class-path", Files.createDirectories(temp.resolve("none")).toString()));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintWriter w = new PrintWriter(out, true, StandardCharsets.UTF_8)) {
      int status =
          ToolProvider.findFirst("javac").orElseThrow().run(w, w, command.toArray(String[]::new));
      String diagnostics = out.toString(StandardCharsets.UTF_8);
      return status == 0 || !diagnostics.isEmpty() ? diagnostics : "javac failed, status " + status;
    }
  }

  /** Runs a fresh JVM of this JDK with a private native-library cache; returns its output. */
  private String java(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dkiln.native.cache=" + temp.resolve("cache"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished: " + command);
    assertEquals(0, p.exitValue(), out);
    return out.replace(System.lineSeparator(), "\n");
  }
}
