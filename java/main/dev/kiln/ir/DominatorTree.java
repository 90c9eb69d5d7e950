package dev.kiln.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The dominator tree of a function's reachable blocks, with their reverse postorder and
 * predecessors. Built by Semi-NCA (Georgiadis, "Linear-Time Algorithms for Dominators and
 * Related Problems", 2005: Lengauer-Tarjan semidominators with path-compressed evaluation, then
 * immediate dominators as nearest common ancestors), in near-linear time and without recursion,
 * so that deeply nested loops cost neither quadratic time nor Java stack.
 */
public final class DominatorTree {
  private static final int NONE = -1;
  /** The list of a block without predecessors or children, shared. */
  private static final List<Block> NO_BLOCKS = new ListView<>(new ArrayList<>(0));

  private final List<Block> order;
  /** Depth-first preorder number of each block id, {@link #NONE} if unreachable. */
  private final int[] dfsNumber;
  private final Block[] idom;
  private final List<List<Block>> children;
  private final List<List<Block>> preds;
  /** Preorder and postorder clocks of the dominator tree, by block id. */
  private final int[] enter;
  private final int[] exit;

  /**
   * The dominator tree of {@code f}, computed once and kept until its control-flow graph changes
   * (a block added, a terminator appended or replaced, an edge redirected; removing unreachable
   * blocks changes no reachable path and keeps it), so that passes in a row that leave the graph
   * alone share one.
   *
   * @param f a function whose blocks each end in a terminator branching only to its blocks
   * @return its dominator tree, not to be relied on once the graph is edited
   */
  public static DominatorTree of(Function f) {
    if (!f.isFinished()) {
      return new DominatorTree(f);
    }
    if (f.dominatorTree == null) {
      f.dominatorTree = new DominatorTree(f);
    }
    return f.dominatorTree;
  }

  /**
   * Computes the dominator tree of {@code f}, whose blocks must each end in a terminator that
   * branches only to blocks of {@code f} (as the verifier's structural checks ensure).
   *
   * @param f a function with at least one block
   */
  public DominatorTree(Function f) {
    int n = f.blockCount();
    dfsNumber = new int[n];
    Arrays.fill(dfsNumber, NONE);
    List<Block> vertex = new ArrayList<>();
    int[] parent = new int[n];
    order = depthFirst(f.entry(), vertex, parent);
    preds = emptyLists(n);
    children = emptyLists(n);
    for (Block b : order) {
      for (BlockCall call : b.terminator().targets()) {
        List<Block> p = add(preds, call.target().id());
        // a brif to one block on both edges makes one predecessor: b is then added already
        if (p.isEmpty() || p.get(p.size() - 1) != b) {
          p.add(b);
        }
      }
    }
    int[] idomNumber = semiNca(vertex, parent);
    idom = new Block[n];
    for (int i = 1; i < vertex.size(); i++) {
      idom[vertex.get(i).id()] = vertex.get(idomNumber[i]);
    }
    for (int i = 1; i < order.size(); i++) {
      Block b = order.get(i);
      add(children, idom[b.id()].id()).add(b);
    }
    seal(preds);
    seal(children);
    enter = new int[n];
    exit = new int[n];
    number(f.entry());
  }

  /**
   * One iterative depth-first search from the entry, following each terminator's targets in
   * order: fills {@code vertex} (blocks in preorder), {@code parent} (preorder number of each
   * one's tree parent, by preorder number) and {@link #dfsNumber}; returns the reverse postorder.
   * The stack holds each block on the path with the index of its next target to follow.
   */
  private List<Block> depthFirst(Block entry, List<Block> vertex, int[] parent) {
    ArrayList<Block> post = new ArrayList<>();
    Block[] stack = new Block[parent.length];
    int[] next = new int[parent.length];
    int top = 0;
    visit(entry, NONE, vertex, parent);
    stack[top++] = entry;
    while (top > 0) {
      Block b = stack[top - 1];
      List<BlockCall> targets = b.terminator().targets();
      int k = next[top - 1];
      if (k < targets.size()) {
        next[top - 1] = k + 1;
        Block s = targets.get(k).target();
        if (dfsNumber[s.id()] == NONE) {
          visit(s, dfsNumber[b.id()], vertex, parent);
          next[top] = 0;
          stack[top++] = s;
        }
      } else {
        post.add(b);
        top--;
      }
    }
    Collections.reverse(post);
    return new ListView<>(post);
  }

  private void visit(Block b, int from, List<Block> vertex, int[] parent) {
    parent[vertex.size()] = from;
    dfsNumber[b.id()] = vertex.size();
    vertex.add(b);
  }

  /**
   * Semi-NCA on preorder numbers: semidominators in reverse preorder, each the minimum over its
   * predecessors of the least semidominator on their path-compressed forest paths; then each
   * immediate dominator is the nearest ancestor of the tree parent whose number is at most the
   * semidominator, found in preorder while the ancestors' immediate dominators are final.
   */
  private int[] semiNca(List<Block> vertex, int[] parent) {
    int count = vertex.size();
    int[] semi = new int[count];
    int[] label = new int[count];
    int[] ancestor = new int[count];
    for (int v = 0; v < count; v++) {
      semi[v] = v;
      label[v] = v;
      ancestor[v] = NONE;
    }
    int[] path = new int[count];
    for (int w = count - 1; w > 0; w--) {
      List<Block> ps = preds.get(vertex.get(w).id());
      for (int k = 0; k < ps.size(); k++) { // no iterator to allocate in C1-compiled code
        int u = eval(dfsNumber[ps.get(k).id()], ancestor, label, semi, path);
        semi[w] = Math.min(semi[w], semi[u]);
      }
      ancestor[w] = parent[w];
    }
    int[] idom = new int[count];
    for (int w = 1; w < count; w++) {
      int d = parent[w];
      while (d > semi[w]) {
        d = idom[d];
      }
      idom[w] = d;
    }
    return idom;
  }

  /**
   * The vertex of least semidominator on the forest path above {@code v} (excluding the forest
   * root), compressing the path so that later queries skip it; {@code path} is scratch space.
   */
  private static int eval(int v, int[] ancestor, int[] label, int[] semi, int[] path) {
    if (ancestor[v] == NONE) {
      return v;
    }
    int depth = 0;
    for (int x = v; ancestor[ancestor[x]] != NONE; x = ancestor[x]) {
      path[depth++] = x;
    }
    while (depth > 0) { // from the top of the path down, as the recursive compress returns
      int x = path[--depth];
      int a = ancestor[x];
      if (semi[label[a]] < semi[label[x]]) {
        label[x] = label[a];
      }
      ancestor[x] = ancestor[a];
    }
    return label[v];
  }

  /** Numbers the tree in preorder (enter) and postorder (exit), without recursion. */
  private void number(Block root) {
    int clock = 0;
    Block[] stack = new Block[enter.length];
    int[] next = new int[enter.length];
    int top = 0;
    stack[top++] = root;
    enter[root.id()] = clock++;
    while (top > 0) {
      Block b = stack[top - 1];
      int k = next[top - 1];
      List<Block> kids = children.get(b.id());
      if (k < kids.size()) {
        next[top - 1] = k + 1;
        Block c = kids.get(k);
        enter[c.id()] = clock++;
        next[top] = 0;
        stack[top++] = c;
      } else {
        exit[b.id()] = clock++;
        top--;
      }
    }
  }

  /**
   * The reachable blocks in reverse postorder of a depth-first search that follows each
   * terminator's targets in order.
   *
   * @return the reachable blocks, the entry first, unmodifiable
   */
  public List<Block> reversePostorder() {
    return order;
  }

  /**
   * Whether a block is reachable from the entry.
   *
   * @param b a block of the function
   * @return whether {@code b} is reachable
   */
  public boolean reachable(Block b) {
    return dfsNumber[b.id()] != NONE;
  }

  /**
   * The immediate dominator of a block.
   *
   * @param b a block of the function
   * @return the immediate dominator of {@code b}, or null for the entry and unreachable blocks
   */
  public Block idom(Block b) {
    return idom[b.id()];
  }

  /**
   * The children of a block in the dominator tree.
   *
   * @param b a block of the function
   * @return the blocks {@code b} immediately dominates, in reverse postorder, unmodifiable
   */
  public List<Block> children(Block b) {
    return children.get(b.id());
  }

  /**
   * The reachable predecessors of a block, each once (a brif to {@code b} on both edges counts
   * once).
   *
   * @param b a block of the function
   * @return the reachable blocks branching to {@code b}, in reverse postorder, unmodifiable
   */
  public List<Block> predecessors(Block b) {
    return preds.get(b.id());
  }

  /**
   * Whether one block dominates another, in constant time; every block dominates itself.
   *
   * @param a a reachable block
   * @param b a reachable block
   * @return whether every path from the entry to {@code b} passes through {@code a}
   */
  public boolean dominates(Block a, Block b) {
    return enter[a.id()] <= enter[b.id()] && exit[b.id()] <= exit[a.id()];
  }

  /** {@code n} empty lists (one shared instance until {@link #add} makes one its own). */
  private static List<List<Block>> emptyLists(int n) {
    // filled in place: copying Collections.nCopies makes two arrays of n
    ArrayList<List<Block>> lists = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      lists.add(NO_BLOCKS);
    }
    return lists;
  }

  /** The list {@code i} of {@code lists}, made modifiable for adding to it. */
  private static List<Block> add(List<List<Block>> lists, int i) {
    List<Block> list = lists.get(i);
    if (list == NO_BLOCKS) {
      list = new ArrayList<>(2);
      lists.set(i, list);
    }
    return list;
  }

  /** Makes every list of {@code lists} unmodifiable, once, for the accessors to hand out. */
  private static void seal(List<List<Block>> lists) {
    for (int i = 0; i < lists.size(); i++) {
      if (lists.get(i) != NO_BLOCKS) {
        lists.set(i, new ListView<>((ArrayList<Block>) lists.get(i)));
      }
    }
  }
}
