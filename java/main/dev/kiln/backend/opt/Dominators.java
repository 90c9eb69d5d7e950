package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The dominator tree of a function's reachable blocks, by the iterative algorithm of Cooper,
 * Harvey and Kennedy ("A Simple, Fast Dominance Algorithm") over the reverse postorder, with
 * the predecessors of each block.
 */
final class Dominators {
  private final List<Block> order;
  private final int[] rpoIndex;
  private final Block[] idom;
  private final List<List<Block>> children;
  private final List<List<Block>> preds;
  private final int[] enter;
  private final int[] exit;

  Dominators(Function f) {
    order = reversePostorder(f);
    int n = f.blockCount();
    rpoIndex = new int[n];
    Arrays.fill(rpoIndex, -1);
    for (int i = 0; i < order.size(); i++) {
      rpoIndex[order.get(i).id()] = i;
    }
    preds = new ArrayList<>(n);
    children = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      preds.add(new ArrayList<>(2));
      children.add(new ArrayList<>(2));
    }
    for (Block b : order) {
      for (Block s : successors(b)) {
        preds.get(s.id()).add(b);
      }
    }
    idom = new Block[n];
    Block entry = order.get(0);
    idom[entry.id()] = entry;
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 1; i < order.size(); i++) {
        Block b = order.get(i);
        Block d = null;
        for (Block p : preds.get(b.id())) {
          if (idom[p.id()] != null) {
            d = d == null ? p : intersect(p, d);
          }
        }
        if (idom[b.id()] != d) {
          idom[b.id()] = d;
          changed = true;
        }
      }
    }
    for (int i = 1; i < order.size(); i++) {
      Block b = order.get(i);
      children.get(idom[b.id()].id()).add(b);
    }
    enter = new int[n];
    exit = new int[n];
    number(entry);
  }

  private Block intersect(Block a, Block b) {
    while (a != b) {
      while (rpoIndex[a.id()] > rpoIndex[b.id()]) {
        a = idom[a.id()];
      }
      while (rpoIndex[b.id()] > rpoIndex[a.id()]) {
        b = idom[b.id()];
      }
    }
    return a;
  }

  /** Numbers the tree in preorder (enter) and postorder (exit), without recursion. */
  private void number(Block root) {
    int clock = 0;
    List<Block> stack = new ArrayList<>();
    List<Integer> next = new ArrayList<>();
    stack.add(root);
    next.add(0);
    enter[root.id()] = clock++;
    while (!stack.isEmpty()) {
      int top = stack.size() - 1;
      Block b = stack.get(top);
      int k = next.get(top);
      List<Block> kids = children.get(b.id());
      if (k < kids.size()) {
        next.set(top, k + 1);
        Block c = kids.get(k);
        enter[c.id()] = clock++;
        stack.add(c);
        next.add(0);
      } else {
        exit[b.id()] = clock++;
        stack.remove(top);
        next.remove(top);
      }
    }
  }

  /** The reachable blocks in reverse postorder, the entry first. */
  List<Block> order() {
    return order;
  }

  /** Whether {@code b} is reachable. */
  boolean reachable(Block b) {
    return rpoIndex[b.id()] >= 0;
  }

  /** The immediate dominator of a reachable block other than the entry. */
  Block idom(Block b) {
    return idom[b.id()];
  }

  /** The blocks {@code b} immediately dominates. */
  List<Block> children(Block b) {
    return children.get(b.id());
  }

  /** The reachable predecessors of {@code b}, once per edge kind (a brif to b twice: once). */
  List<Block> preds(Block b) {
    return preds.get(b.id());
  }

  /** Whether {@code a} dominates {@code b} (every block dominates itself); both reachable. */
  boolean dominates(Block a, Block b) {
    return enter[a.id()] <= enter[b.id()] && exit[b.id()] <= exit[a.id()];
  }

  /** The targets of {@code b}'s terminator, a block once even if both edges of a brif go to it. */
  static List<Block> successors(Block b) {
    Instruction t = b.terminator();
    List<Block> out = new ArrayList<>(2);
    for (BlockCall call : t.targets()) {
      if (!out.contains(call.target())) {
        out.add(call.target());
      }
    }
    return out;
  }

  /** The blocks reachable from the entry in reverse postorder, without recursion. */
  static List<Block> reversePostorder(Function f) {
    boolean[] seen = new boolean[f.blockCount()];
    List<Block> post = new ArrayList<>();
    List<Block> stack = new ArrayList<>();
    List<Integer> next = new ArrayList<>();
    stack.add(f.entry());
    next.add(0);
    seen[f.entry().id()] = true;
    while (!stack.isEmpty()) {
      int top = stack.size() - 1;
      Block b = stack.get(top);
      List<BlockCall> targets = b.terminator().targets();
      int k = next.get(top);
      if (k < targets.size()) {
        next.set(top, k + 1);
        Block s = targets.get(k).target();
        if (!seen[s.id()]) {
          seen[s.id()] = true;
          stack.add(s);
          next.add(0);
        }
      } else {
        post.add(b);
        stack.remove(top);
        next.remove(top);
      }
    }
    Collections.reverse(post);
    return post;
  }
}
