package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Packing, reuse and concurrency of the code cache. */
class CodeCacheTest {
  private final CodeCache cache = new CodeCache();

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void manyFunctionsInstalledTogetherShareFewPages() {
    List<CodeCache.Function> functions = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      functions.add(new CodeCache.Function(TestCode.constant(i), Signature.longs(0)));
    }
    List<InstalledCode> installed = cache.installAll(functions);
    // 10,000 functions of 6 bytes take 16 bytes each: 160,000 bytes, 40 pages of 4 KiB.
    assertTrue(
        cache.mappedBytes() <= 10_000 * 16 + Shim.pageSize(), "mapped " + cache.mappedBytes());
    for (int i = 0; i < installed.size(); i += 997) {
      assertEquals(i, installed.get(i).invoke0());
    }
  }

  @Test
  void oneBlobCanHaveSeveralEntryPoints() {
    byte[] one = TestCode.constant(1);
    byte[] two = TestCode.constant(2);
    byte[] blob = new byte[one.length + two.length];
    System.arraycopy(one, 0, blob, 0, one.length);
    System.arraycopy(two, 0, blob, one.length, two.length);
    InstalledCode first = cache.install(blob, Signature.longs(0));
    InstalledCode second = first.entryAt(one.length, Signature.longs(0));
    assertEquals(1, first.invoke0());
    assertEquals(2, second.invoke0());
    first.close();
    assertEquals(2, second.invoke0(), "each entry keeps the code installed");
    assertThrows(IllegalStateException.class, () -> first.entryAt(0, Signature.longs(0)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> second.entryAt(6, Signature.longs(0)));
    assertEquals("entry offset 6 is outside the installed code's 6 bytes", e.getMessage());
    second.close();
    assertEquals(CodeCache.DEFAULT_BLOCK_BYTES, cache.mappedBytes());
    assertThrows(IllegalStateException.class, second::invoke0);
  }

  @Test
  void aHandleKeepsItsForgottenCacheAlive() throws InterruptedException {
    InstalledCode f = new CodeCache().install(TestCode.constant(9), Signature.longs(0));
    for (int i = 0; i < 3; i++) {
      System.gc(); // would run the cache's Cleaner if only the cache object kept it alive
      Thread.sleep(20);
    }
    assertEquals(9, f.invoke0());
    f.cache().close();
    assertThrows(IllegalStateException.class, f::invoke0);
  }

  @Test
  void aHundredThousandFunctionsInstalledInvokedAndFreedKeepTheCacheBounded() {
    long maxMapped = 0;
    for (int i = 0; i < 100_000; i++) {
      try (InstalledCode f = cache.install(TestCode.constant(i), Signature.longs(0))) {
        assertEquals(i, f.invoke0());
      }
      maxMapped = Math.max(maxMapped, cache.mappedBytes());
    }
    assertEquals(CodeCache.DEFAULT_BLOCK_BYTES, maxMapped, "one block, reused throughout");
  }

  @Test
  void freedPagesAreReusedAndEmptyBlocksReleased() {
    int pagesPerBlock = CodeCache.DEFAULT_BLOCK_BYTES / Shim.pageSize();
    List<InstalledCode> live = new ArrayList<>();
    for (int i = 0; i < 3 * pagesPerBlock; i++) {
      live.add(cache.install(TestCode.constant(i), Signature.longs(0)));
    }
    assertEquals(3L * CodeCache.DEFAULT_BLOCK_BYTES, cache.mappedBytes());
    live.forEach(InstalledCode::close);
    assertEquals(CodeCache.DEFAULT_BLOCK_BYTES, cache.mappedBytes(), "one spare block is kept");
  }

  @Test
  void eightThreadsInstallAndInvokeConcurrently() throws Exception {
    InstalledCode shared =
        cache.install(TestCode.increment(CallingConvention.host()), Signature.longs(1));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  int checked = 0;
                  for (int i = 0; i < 2_000; i++) {
                    int value = thread * 1_000_000 + i;
                    try (InstalledCode f =
                        cache.install(TestCode.constant(value), Signature.longs(0))) {
                      assertEquals(value, f.invoke0());
                      assertEquals(value + 1, shared.invoke1(value));
                      checked++;
                    }
                  }
                  return checked;
                }));
      }
      for (Future<Integer> r : results) {
        assertEquals(2_000, r.get());
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(2, shared.invoke1(1));
  }
}
