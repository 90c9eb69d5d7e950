package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** No page of a code cache is ever writable and executable at once, seen in /proc/self/maps. */
@EnabledOnOs(OS.LINUX)
class WriteXorExecuteTest {
  private static final Path MAPS = Path.of("/proc/self/maps");

  /** The permission strings ("r-xp") of the mappings overlapping [start, end). */
  static List<String> permissions(long start, long end) throws IOException {
    List<String> perms = new ArrayList<>();
    for (String line : Files.readAllLines(MAPS)) {
      String[] fields = line.split(" ", 3);
      String[] range = fields[0].split("-");
      long from = Long.parseUnsignedLong(range[0], 16);
      long to = Long.parseUnsignedLong(range[1], 16);
      if (from < end && to > start) {
        perms.add(fields[1]);
      }
    }
    return perms;
  }

  static List<String> permissionsOfPage(long address) throws IOException {
    return permissions(address, address + Shim.pageSize());
  }

  @Test
  void aRegionIsWritableOrExecutableThroughoutItsLife() throws Exception {
    try (CodeCache cache = new CodeCache()) {
      // The anchor keeps the first block mapped, so its range is ours for the whole test.
      InstalledCode anchor = cache.install(TestCode.constant(0), Signature.longs(0));
      long block = anchor.address();
      long blockEnd = block + CodeCache.DEFAULT_BLOCK_BYTES;
      assertEquals(List.of("r-xp"), permissionsOfPage(block));

      AtomicBoolean done = new AtomicBoolean();
      AtomicInteger samples = new AtomicInteger();
      List<String> violations = new ArrayList<>();
      Thread sampler =
          new Thread(
              () -> {
                try {
                  while (!done.get()) {
                    for (String p : permissions(block, blockEnd)) {
                      if (p.contains("w") && p.contains("x")) {
                        violations.add(p);
                      }
                    }
                    samples.incrementAndGet();
                  }
                } catch (IOException e) {
                  violations.add(e.toString());
                }
              });
      sampler.start();
      for (int i = 0; i < 2_000; i++) {
        InstalledCode f = cache.install(TestCode.constant(i), Signature.longs(0));
        assertTrue(f.address() >= block && f.address() < blockEnd, "reuses the first block");
        assertEquals(List.of("r-xp"), permissionsOfPage(f.address()), "sealed before it runs");
        assertEquals(i, f.invoke0());
        long page = f.address();
        f.close();
        assertEquals(List.of("rw-p"), permissionsOfPage(page), "writable again only once freed");
      }
      done.set(true);
      sampler.join();
      assertTrue(samples.get() > 0);
      assertEquals(List.of(), violations);
    }
  }
}
