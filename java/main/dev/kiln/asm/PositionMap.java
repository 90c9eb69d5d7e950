package dev.kiln.asm;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Caller keys to code positions, recorded raw and resolved after relaxation, on first use: a JIT
 * marks every bytecode instruction but reads the positions only for listings and diagnostics, so
 * a run never pays for the map.
 */
final class PositionMap {
  private final Relaxer relaxer;
  private int count;
  private int[] keys = new int[16];
  private int[] raws = new int[16];
  private int[] sites = new int[16];
  private Map<Integer, Integer> resolved;

  PositionMap(Relaxer relaxer) {
    this.relaxer = relaxer;
  }

  void mark(int key, int raw, int sitesBefore) {
    if (count == keys.length) {
      keys = Arrays.copyOf(keys, count * 2);
      raws = Arrays.copyOf(raws, count * 2);
      sites = Arrays.copyOf(sites, count * 2);
    }
    keys[count] = key;
    raws[count] = raw;
    sites[count] = sitesBefore;
    count++;
  }

  /** Resolves the marks; only once the relaxer's layout is final. */
  private Map<Integer, Integer> resolved() {
    if (resolved != null) {
      return resolved;
    }
    Map<Integer, Integer> m = new HashMap<>(count * 2);
    for (int i = 0; i < count; i++) {
      m.putIfAbsent(keys[i], relaxer.finalOffset(raws[i], sites[i]));
    }
    resolved = Collections.unmodifiableMap(m);
    return resolved;
  }

  int get(int key) {
    Integer off = resolved().get(key);
    if (off == null) {
      throw new AsmException("no position was marked for key " + key);
    }
    return off;
  }

  Map<Integer, Integer> asMap() {
    return resolved();
  }
}
