package dev.kiln.asm;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** Caller keys to code positions, recorded raw and resolved after relaxation. */
final class PositionMap {
  private int count;
  private int[] keys = new int[16];
  private int[] raws = new int[16];
  private int[] sites = new int[16];
  private Map<Integer, Integer> resolved = Collections.emptyMap();

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

  void resolve(Relaxer relaxer) {
    Map<Integer, Integer> m = new HashMap<>(count * 2);
    for (int i = 0; i < count; i++) {
      m.putIfAbsent(keys[i], relaxer.finalOffset(raws[i], sites[i]));
    }
    resolved = Collections.unmodifiableMap(m);
  }

  int get(int key) {
    Integer off = resolved.get(key);
    if (off == null) {
      throw new AsmException("no position was marked for key " + key);
    }
    return off;
  }

  Map<Integer, Integer> asMap() {
    return resolved;
  }
}
