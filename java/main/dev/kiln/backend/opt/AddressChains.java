package dev.kiln.backend.opt;

import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.ArrayList;

/**
 * The chains of {@code iadd v, c} steps (c an {@code iconst} that fits an int) that lead from a
 * value back to its root, the first value not so defined: each value's root and its offset from
 * it, found once per value. Walking the chain of every access instead costs its length each time,
 * and the chains of straight-line code (such as a Brainfuck pointer's moves) are as long as it is.
 */
final class AddressChains {
  private final Definitions defs;
  /** By value id: the root, or null until found. */
  private final Value[] roots;
  private final long[] offsets;
  /** By value id: the search of {@link #definedOutside} that last walked through it. */
  private final int[] walked;
  private int search;
  private final ArrayList<Value> path = new ArrayList<>();

  /** The chains of the values {@code defs} knows, ids below {@code valueCount}. */
  AddressChains(Definitions defs, int valueCount) {
    this.defs = defs;
    roots = new Value[valueCount];
    offsets = new long[valueCount];
    walked = new int[valueCount];
  }

  /** {@return the value {@code v}'s chain leads back to ({@code v} itself if it is no step)} */
  Value root(Value v) {
    return v.id() < roots.length ? resolved(v) : v;
  }

  /** {@return {@code v} minus its {@link #root}} */
  long offset(Value v) {
    if (v.id() >= roots.length) {
      return 0;
    }
    resolved(v);
    return offsets[v.id()];
  }

  /**
   * The first value, walking the chains of {@code bases} in order, other than their roots, that is
   * {@code at} more than its root and is defined outside block {@code block}.
   *
   * @param bases values whose chains are searched
   * @param at the offset from the root wanted
   * @param defBlock by value id, the id of the block defining it
   * @param block the id of the block whose values are skipped
   * @return that value, or null if there is none
   */
  Value definedOutside(Iterable<Value> bases, long at, int[] defBlock, int block) {
    search++;
    for (Value v : bases) {
      // a value walked already in this search leads on along the same chain, found lacking
      for (; v.id() < roots.length && walked[v.id()] != search; v = next(v)) {
        walked[v.id()] = search;
        if (resolved(v) == v) {
          break;
        }
        if (offsets[v.id()] == at && defBlock[v.id()] != block) {
          return v;
        }
      }
    }
    return null;
  }

  /** Fills in the root and offset of {@code v} and of the values on its chain; returns its root. */
  private Value resolved(Value v) {
    if (roots[v.id()] != null) {
      return roots[v.id()];
    }
    Value u = v;
    for (Value next = next(u); next != null; next = next(u)) {
      path.add(u);
      u = next;
      if (u.id() >= roots.length || roots[u.id()] != null) {
        break;
      }
    }
    // u is resolved already, or a root (one added by the pass, beyond the table, is no step)
    boolean known = u.id() < roots.length && roots[u.id()] != null;
    Value root = known ? roots[u.id()] : u;
    long offset = known ? offsets[u.id()] : 0;
    if (!known && u.id() < roots.length) {
      roots[u.id()] = u;
    }
    for (int k = path.size() - 1; k >= 0; k--) {
      Value p = path.get(k);
      offset += step(p);
      roots[p.id()] = root;
      offsets[p.id()] = offset;
    }
    path.clear();
    return root;
  }

  /** {@return the value {@code v} is a step from, or null if it is no step} */
  private Value next(Value v) {
    Instruction d = defs.of(v);
    if (d == null || d.opcode() != Opcode.IADD) {
      return null;
    }
    Instruction c = defs.of(d.arg(1));
    return c != null && c.opcode() == Opcode.ICONST && c.immediate() == (int) c.immediate()
        ? d.arg(0) : null;
  }

  /** {@return the constant that {@code v}, a step, adds} */
  private long step(Value v) {
    return defs.of(defs.of(v).arg(1)).immediate();
  }
}
