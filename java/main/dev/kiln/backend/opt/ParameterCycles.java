package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Redundant parameters found over all at once: nested loops that each take a value at their
 * header and pass it on at their exit (a Brainfuck pointer through loops that move it by
 * nothing) make parameters whose edges pass only each other and that value, so no one of them
 * is passed one value by itself. As in Braun et al. (2013, "Simple and Efficient Construction of
 * SSA Form", section 3.2), a strongly connected set of parameters (through the arguments their
 * edges pass; one parameter is such a set too) into which edges from outside pass one value is
 * that value, which dominates the set's blocks; a set into which they pass more may hold such a
 * set among the parameters that only its own members reach, which is looked at in turn. The sets
 * are found operands first, so a set sees its operands' replacements.
 */
final class ParameterCycles {
  private final IncomingEdges incoming;
  private final Value[] replacement;
  /** The live parameters with their blocks and positions, and by value id their node (or -1). */
  private final List<Value> params = new ArrayList<>();
  private final List<Block> blockOf = new ArrayList<>();
  private final List<Integer> indexOf = new ArrayList<>();
  private final int[] node;
  /** By node: the stamp of the set being resolved that holds it. */
  private final int[] inSet;
  private int stamp;
  // Tarjan's walk, by node
  private final int[] order;
  private final int[] low;
  private final boolean[] onStack;
  private final int[] next;

  private ParameterCycles(Function f, IncomingEdges incoming, Value[] replacement,
      BitSet dead) {
    this.incoming = incoming;
    this.replacement = replacement;
    node = new int[f.valueCount()];
    Arrays.fill(node, -1);
    for (Block b : f.blocks()) {
      if (b == f.entry() || incoming.into(b) == null) {
        continue;
      }
      for (int k = 0; k < b.params().size(); k++) {
        Value p = b.params().get(k);
        if (!dead.get(p.id())) {
          node[p.id()] = params.size();
          params.add(p);
          blockOf.add(b);
          indexOf.add(k);
        }
      }
    }
    int n = params.size();
    inSet = new int[n];
    order = new int[n];
    low = new int[n];
    onStack = new boolean[n];
    next = new int[n];
  }

  /** Whether a parameter may be replaced by a value (loop exits keep theirs). */
  interface Replaceable {
    boolean test(Value param, Block block, Value value);
  }

  /**
   * Finds the redundant parameters among the live ones of {@code f} (those not in {@code dead}),
   * recording each one's value in {@code replacement} and marking it dead, where
   * {@code replaceable} allows it.
   *
   * @param incoming the edges into each block
   * @return the parameters found redundant
   */
  static List<Value> collapse(Function f, IncomingEdges incoming, Value[] replacement,
      BitSet dead, Replaceable replaceable) {
    ParameterCycles c = new ParameterCycles(f, incoming, replacement, dead);
    List<Value> removed = new ArrayList<>();
    int[] all = new int[c.params.size()];
    for (int n = 0; n < all.length; n++) {
      all[n] = n;
    }
    List<int[]> work = new ArrayList<>();
    work.add(all);
    while (!work.isEmpty()) {
      for (int[] set : c.components(work.remove(work.size() - 1))) {
        c.resolve(set, work, removed, dead, replaceable);
      }
    }
    return removed;
  }

  /**
   * Replaces the parameters of {@code set} if edges from outside it pass them one value, else
   * queues its members that only members reach, if there are such and not all are.
   */
  private void resolve(int[] set, List<int[]> work, List<Value> removed, BitSet dead,
      Replaceable replaceable) {
    stamp++;
    for (int n : set) {
      inSet[n] = stamp;
    }
    Value outside = null;
    boolean one = true;
    int[] inner = new int[set.length];
    int inners = 0;
    for (int n : set) {
      boolean onlyMembers = true;
      for (BlockCall call : incoming.into(blockOf.get(n))) {
        Value v = Function.resolve(call.args().get(indexOf.get(n)), replacement);
        int m = node[v.id()];
        if (m >= 0 && inSet[m] == stamp) {
          continue;
        }
        onlyMembers = false;
        if (outside == null) {
          outside = v;
        } else if (outside != v) {
          one = false;
        }
      }
      if (onlyMembers) {
        inner[inners++] = n;
      }
    }
    if (outside != null && one) {
      for (int n : set) {
        Value p = params.get(n);
        if (replaceable.test(p, blockOf.get(n), outside)) {
          replacement[p.id()] = outside;
          dead.set(p.id());
          removed.add(p);
        }
      }
    } else if (inners > 0 && inners < set.length) {
      work.add(Arrays.copyOf(inner, inners));
    }
  }

  /**
   * The strongly connected sets among {@code nodes} (Tarjan's algorithm, without recursion), an
   * edge leading from a parameter to each parameter its block's edges pass it; each set after
   * those its members lead to.
   */
  private List<int[]> components(int[] nodes) {
    stamp++;
    for (int n : nodes) {
      inSet[n] = stamp;
      order[n] = 0;
    }
    int allowed = stamp;
    List<int[]> found = new ArrayList<>();
    int visited = 0;
    int[] stack = new int[nodes.length];
    int top = 0;
    int[] path = new int[nodes.length]; // the walk's path, each node with its next edge in next
    for (int root : nodes) {
      if (order[root] != 0) {
        continue;
      }
      int depth = 0;
      path[depth++] = root;
      order[root] = low[root] = ++visited;
      next[root] = 0;
      stack[top++] = root;
      onStack[root] = true;
      while (depth > 0) {
        int n = path[depth - 1];
        List<BlockCall> in = incoming.into(blockOf.get(n));
        if (next[n] < in.size()) {
          Value v = Function.resolve(in.get(next[n]++).args().get(indexOf.get(n)), replacement);
          int m = node[v.id()];
          if (m < 0 || inSet[m] != allowed) {
            continue;
          }
          if (order[m] == 0) {
            order[m] = low[m] = ++visited;
            next[m] = 0;
            stack[top++] = m;
            onStack[m] = true;
            path[depth++] = m;
          } else if (onStack[m]) {
            low[n] = Math.min(low[n], order[m]);
          }
          continue;
        }
        depth--;
        if (depth > 0) {
          int parent = path[depth - 1];
          low[parent] = Math.min(low[parent], low[n]);
        }
        if (low[n] == order[n]) {
          int from = top;
          do {
            onStack[stack[--from]] = false;
          } while (stack[from] != n);
          found.add(Arrays.copyOfRange(stack, from, top));
          top = from;
        }
      }
    }
    return found;
  }
}
