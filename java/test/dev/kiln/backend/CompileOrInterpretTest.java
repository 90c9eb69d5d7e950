package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.ir.Instance;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.IrVerificationException;
import dev.kiln.ir.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Backend#compileOrInterpret}: compiled where the OS allows executable memory, else the
 * interpreter. The refusal is the OS's as the shim sees it: a child JVM running {@link #main}
 * with {@code LD_PRELOAD} of the test library {@code native/test/deny_exec_preload.c}, which
 * fails the shim's executable mappings with EACCES (as RunFallbackTest does for the CLI).
 */
class CompileOrInterpretTest {
  private static final Path DENY_EXEC = Path.of("target", "cmake", "libkiln_deny_exec.so");
  private static final String MODULE = """
      function @main(i64) -> i64 {
      block0(v0: i64):
          v1 = iconst 7
          v2 = sdiv v0, v1
          return v2
      }
      """;

  @TempDir Path dir;

  @Test
  void compilesWhereExecutableMemoryIsAllowed() {
    Instantiation run = Backend.compileOrInterpret(IrParser.parse(MODULE), new CompileOptions(),
        new InstanceOptions());
    try (Instance instance = run.instance()) {
      assertTrue(run.compiled());
      assertNull(run.interpretedBecause());
      assertInstanceOf(CompiledModule.class, instance);
      assertEquals(-6L, instance.call("main", -42L));
    }
  }

  @Test
  void otherFailuresPropagate() {
    Module malformed = IrParser.parse("""
        function @main() -> i64 {
        block0:
            return
        }
        """);
    assertThrows(IrVerificationException.class, () -> Backend.compileOrInterpret(malformed,
        new CompileOptions(), new InstanceOptions()));
    Module unbound = IrParser.parse("""
        import @f()
        function @main() {
        block0:
            call @f()
            return
        }
        """);
    assertThrows(IllegalArgumentException.class, () -> Backend.compileOrInterpret(unbound,
        new CompileOptions(), new InstanceOptions()));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void interpretsWhereTheOsRefusesExecutableMemorySayingWhy() throws Exception {
    assumeTrue(Files.exists(DENY_EXEC), "the native build makes " + DENY_EXEC);
    Path out = dir.resolve("out");
    ProcessBuilder child = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        CompileOrInterpretTest.class.getName()))
        .redirectErrorStream(true).redirectOutput(out.toFile());
    child.environment().put("LD_PRELOAD", DENY_EXEC.toAbsolutePath().toString());
    Process p = child.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
    String[] lines = Files.readString(out).split("\n");
    assertEquals(0, p.exitValue(), String.join("\n", lines));
    assertEquals(3, lines.length, String.join("\n", lines));
    assertEquals("interpreted: Interpreter", lines[0]);
    assertTrue(lines[1].contains("Permission denied"), lines[1]);
    assertEquals("-6", lines[2]);
  }

  /** The child of {@link #interpretsWhereTheOsRefusesExecutableMemorySayingWhy}. */
  public static void main(String[] args) {
    Instantiation run = Backend.compileOrInterpret(IrParser.parse(MODULE), new CompileOptions(),
        new InstanceOptions());
    try (Instance instance = run.instance()) {
      System.out.println((run.compiled() ? "compiled: " : "interpreted: ")
          + instance.getClass().getSimpleName());
      System.out.println(run.interpretedBecause());
      System.out.println(instance.call("main", -42L));
    }
  }
}
