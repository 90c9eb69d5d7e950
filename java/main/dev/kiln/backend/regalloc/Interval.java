package dev.kiln.backend.regalloc;

import java.util.Arrays;

/**
 * The live interval of one value, or a piece of it after splitting: half-open ranges
 * {@code [from, to)} in ascending order with holes between them, the value's uses inside them,
 * and the location the allocator gave the piece. The pieces of one value partition its ranges
 * and its uses.
 */
final class Interval {
  /** The location of a piece not yet allocated. */
  static final int UNASSIGNED = Allocation.NONE;

  final int value;
  private int[] from;
  private int[] to;
  /** The uses of the whole value; this piece's are {@code [useLo, useHi)}. */
  private final int[] usePoint;
  private final int[] useKind;
  private int useLo;
  private int useHi;
  /** A register number, {@code -(slot + 1)} for a spill slot, or {@link #UNASSIGNED}. */
  int location = UNASSIGNED;
  /** The first range that may still cover the positions the scan reaches (they only grow). */
  private int cursor;

  Interval(int value, int[] from, int[] to, int[] usePoint, int[] useKind, int useLo,
      int useHi) {
    this.value = value;
    this.from = from;
    this.to = to;
    this.usePoint = usePoint;
    this.useKind = useKind;
    this.useLo = useLo;
    this.useHi = useHi;
  }

  int start() {
    return from[0];
  }

  int end() {
    return to[to.length - 1];
  }

  int rangeCount() {
    return from.length;
  }

  int rangeFrom(int r) {
    return from[r];
  }

  int rangeTo(int r) {
    return to[r];
  }

  /** Whether this piece covers {@code point}, which must not be below any earlier query. */
  boolean coversAscending(int point) {
    while (cursor < to.length && to[cursor] <= point) {
      cursor++;
    }
    return cursor < to.length && from[cursor] <= point;
  }

  /** The first range start at or after {@code point}, or {@link Integer#MAX_VALUE}. */
  int nextStart(int point) {
    for (int r = cursor; r < from.length; r++) {
      if (from[r] >= point) {
        return from[r];
      }
    }
    return Integer.MAX_VALUE;
  }

  /** The first point both pieces cover, or {@link Integer#MAX_VALUE}. */
  int firstIntersection(Interval other) {
    int i = cursor;
    int j = other.cursor;
    while (i < from.length && j < other.from.length) {
      int lo = Math.max(from[i], other.from[j]);
      if (lo < Math.min(to[i], other.to[j])) {
        return lo;
      }
      if (to[i] <= other.to[j]) {
        i++;
      } else {
        j++;
      }
    }
    return Integer.MAX_VALUE;
  }

  /**
   * The first use at or after {@code point} that wants a register, or
   * {@link Integer#MAX_VALUE}.
   */
  int nextRegisterUse(int point) {
    int lo = Arrays.binarySearch(usePoint, useLo, useHi, point);
    if (lo >= 0) {
      while (lo > useLo && usePoint[lo - 1] == point) {
        lo--;
      }
    } else {
      lo = -lo - 1;
    }
    for (int u = lo; u < useHi; u++) {
      if (useKind[u] == LiveIntervals.REGISTER) {
        return usePoint[u];
      }
    }
    return Integer.MAX_VALUE;
  }

  /**
   * Cuts this piece at {@code point}, strictly inside it: this keeps what lies before, and the
   * returned piece what lies at and after it.
   */
  Interval splitAt(int point) {
    int r = 0;
    while (to[r] <= point) {
      r++;
    }
    int u = useLo;
    while (u < useHi && usePoint[u] < point) {
      u++;
    }
    int[] childFrom = Arrays.copyOfRange(from, r, from.length);
    int[] childTo = Arrays.copyOfRange(to, r, to.length);
    childFrom[0] = Math.max(childFrom[0], point);
    Interval child = new Interval(value, childFrom, childTo, usePoint, useKind, u, useHi);
    int keep = from[r] < point ? r + 1 : r;
    from = Arrays.copyOf(from, keep);
    to = Arrays.copyOf(to, keep);
    to[keep - 1] = Math.min(to[keep - 1], point);
    useHi = u;
    cursor = Math.min(cursor, keep - 1);
    return child;
  }
}
