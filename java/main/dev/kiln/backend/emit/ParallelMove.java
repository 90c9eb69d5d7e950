package dev.kiln.backend.emit;

import java.util.Arrays;

/**
 * The moves of a block edge, performed as if all at once: a block parameter may receive a value
 * that another parameter of the same block held. Locations are keys of {@link Locations}; a
 * cycle is broken through a scratch register.
 */
final class ParallelMove {
  /** The moves, in the order they were added: destination and source keys side by side. */
  private int[] dst = new int[4];
  private int[] src = new int[4];
  private int count;

  void add(int to, int from) {
    if (to != from) {
      if (count == dst.length) {
        dst = Arrays.copyOf(dst, 2 * count);
        src = Arrays.copyOf(src, 2 * count);
      }
      dst[count] = to;
      src[count++] = from;
    }
  }

  /** Takes the moves of {@code other}, which is left empty; this one must be empty. */
  void takeFrom(ParallelMove other) {
    dst = other.dst;
    src = other.src;
    count = other.count;
    other.dst = new int[4];
    other.src = new int[4];
    other.count = 0;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** How many moves there are. */
  int size() {
    return count;
  }

  /**
   * Emits the moves in an order that reads every source before it is overwritten: the first
   * pending move whose destination no other pending move reads, repeatedly. Leaves none.
   */
  void emit(Locations at) {
    int[] to = dst;
    int[] from = src;
    int pending = count;
    count = 0;
    while (pending > 0) {
      int ready = -1;
      for (int m = 0; m < pending && ready < 0; m++) {
        ready = m;
        for (int o = 0; o < pending; o++) {
          if (o != m && from[o] == to[m]) {
            ready = -1;
            break;
          }
        }
      }
      if (ready >= 0) {
        at.move(to[ready], from[ready]);
        pending--;
        System.arraycopy(to, ready + 1, to, ready, pending - ready);
        System.arraycopy(from, ready + 1, from, ready, pending - ready);
        continue;
      }
      // Every destination is still to be read: a cycle. Park one destination's value.
      int parked = to[0];
      int temp = Locations.isXmm(parked) ? Locations.TEMP_XMM : Locations.TEMP_GPR;
      at.move(temp, parked);
      for (int o = 0; o < pending; o++) {
        if (from[o] == parked) {
          from[o] = temp;
        }
      }
    }
  }
}
