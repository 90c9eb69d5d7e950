package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The dual-view mapping: one read-write and one read-execute view of the same memory. */
class DualViewTest {
  private final CodeCache cache =
      new CodeCache(CodeCache.DEFAULT_BLOCK_BYTES, CodeCache.Mapping.DUAL_VIEW);

  @AfterEach
  void close() {
    cache.close();
  }

  static List<CallingConvention> conventions() {
    return CallTest.conventions();
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void codeWrittenThroughOneViewRunsFromTheOther(CallingConvention cc) {
    assertEquals(CodeCache.Mapping.DUAL_VIEW, cache.mapping());
    InstalledCode inc =
        cache.install(new CodeCache.Function(TestCode.increment(cc), Signature.longs(1), cc));
    assertEquals(2, inc.invoke1(1));
    long add = HostFunction.ADD.address(cc);
    InstalledCode callOut =
        cache.install(new CodeCache.Function(TestCode.callOut(cc, add, 1), Signature.longs(2), cc));
    assertEquals(42, callOut.invoke2(40, 2));
  }

  @Test
  void freedSpaceIsReusedAndTheCacheStaysBounded() {
    for (int i = 0; i < 10_000; i++) {
      try (InstalledCode f = cache.install(TestCode.constant(i), Signature.longs(0))) {
        assertEquals(i, f.invoke0());
      }
    }
    assertEquals(CodeCache.DEFAULT_BLOCK_BYTES, cache.mappedBytes());
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void theExecutableViewIsNeverWritable() throws Exception {
    InstalledCode f = cache.install(TestCode.constant(5), Signature.longs(0));
    assertEquals(List.of("r-xs"), WriteXorExecuteTest.permissionsOfPage(f.address()));
    List<String> views =
        Files.readAllLines(Path.of("/proc/self/maps")).stream()
            .filter(line -> line.contains("memfd:kiln-code"))
            .map(line -> line.split(" ")[1])
            .toList();
    assertTrue(views.containsAll(List.of("rw-s", "r-xs")), views.toString());
    assertTrue(views.stream().noneMatch(p -> p.contains("w") && p.contains("x")), views.toString());
    assertEquals(5, f.invoke0());
  }
}
