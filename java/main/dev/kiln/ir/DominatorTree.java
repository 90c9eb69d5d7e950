package dev.kiln.ir;

import java.util.Arrays;
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
  private static final List<Block> NO_BLOCKS = ArrayView.empty();

  private final List<Block> order;
  /** Depth-first preorder number of each block id, {@link #NONE} if unreachable. */
  private final int[] dfsNumber;
  private final Block[] idom;
  /** By block id; the lists are built from the arrays of preorder numbers the builder uses. */
  private final List<Block>[] children;
  private final List<Block>[] preds;
  /** Preorder and postorder clocks of the dominator tree, by block id. */
  private final int[] enter;
  private final int[] exit;
  /** An analysis computed from this tree alone, kept with it ({@link #keep}); or null. */
  private Object kept;

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
   * The analysis of class {@code kind} kept with this tree ({@link #keep}), if there is one: an
   * analysis computed from the tree alone (such as the back end's loop nest) holds as long as the
   * tree does, so passes in a row that leave the graph alone share it as they share the tree.
   *
   * @param kind the analysis's class
   * @param <T> its type
   * @return the analysis, or null
   */
  public <T> T kept(Class<T> kind) {
    return kind.isInstance(kept) ? kind.cast(kept) : null;
  }

  /**
   * Keeps {@code analysis}, computed from this tree alone, with it for {@link #kept} (in place of
   * one kept before).
   *
   * @param analysis the analysis
   */
  public void keep(Object analysis) {
    kept = analysis;
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
    // the graph is read from the blocks once, into arrays by preorder number: each terminator
    // is a chain of loads through the heap, each list of blocks an allocation
    Graph g = new Graph(n);
    int[] post = g.depthFirst(f.entry(), dfsNumber);
    int count = g.count;
    Block[] rpo = new Block[count];
    for (int i = 0; i < count; i++) {
      rpo[i] = g.vertex[post[count - 1 - i]];
    }
    order = new ArrayView<>(rpo);
    int[][] pred = g.predecessors(post, dfsNumber);
    int[] idomNumber = semiNca(count, g.parent, pred[0], pred[1]);
    idom = new Block[n];
    int[] childOf = new int[count - 1];
    int[] childNumber = new int[count - 1];
    for (int i = 1; i < count; i++) { // in reverse postorder, the entry excepted
      int w = post[count - 1 - i];
      idom[g.vertex[w].id()] = g.vertex[idomNumber[w]];
      childOf[i - 1] = idomNumber[w];
      childNumber[i - 1] = w;
    }
    int[][] child = group(count, childOf, childNumber);
    preds = blockLists(n, g.vertex, count, pred[0], pred[1]);
    children = blockLists(n, g.vertex, count, child[0], child[1]);
    enter = new int[n];
    exit = new int[n];
    number(g.vertex, count, child[0], child[1]);
  }

  /**
   * The reachable part of the graph, by depth-first preorder number: each block, its tree parent
   * and its successors' blocks (those of number {@code v} at {@code edgeStart[v]} up to
   * {@code edgeStart[v + 1]}).
   */
  private static final class Graph {
    final Block[] vertex;
    final int[] parent;
    final int[] edgeStart;
    Block[] edge;
    int count;
    int edges;

    Graph(int n) {
      vertex = new Block[n];
      parent = new int[n];
      edgeStart = new int[n + 1];
      edge = new Block[2 * n];
    }

    /**
     * One iterative depth-first search from the entry, following each terminator's targets in
     * order; numbers the blocks in preorder into {@code dfsNumber} and returns them in
     * postorder. The stack holds each number on the path with the index of its next edge.
     */
    int[] depthFirst(Block entry, int[] dfsNumber) {
      int n = vertex.length;
      int[] post = new int[n];
      int postCount = 0;
      int[] stack = new int[n];
      int[] next = new int[n];
      int top = 0;
      stack[top] = visit(entry, NONE, dfsNumber);
      next[top++] = 0;
      while (top > 0) {
        int v = stack[top - 1];
        int e = next[top - 1];
        if (e < edgeStart[v + 1]) {
          next[top - 1] = e + 1;
          Block s = edge[e];
          if (dfsNumber[s.id()] == NONE) {
            int w = visit(s, v, dfsNumber);
            stack[top] = w;
            next[top++] = edgeStart[w];
          }
        } else {
          post[postCount++] = v;
          top--;
        }
      }
      return post;
    }

    /** Numbers {@code b}, reached from number {@code from}, and records its successors. */
    private int visit(Block b, int from, int[] dfsNumber) {
      int v = count++;
      vertex[v] = b;
      parent[v] = from;
      dfsNumber[b.id()] = v;
      BlockCall[] targets = b.terminator().targets;
      if (targets != null) {
        if (edges + targets.length > edge.length) {
          edge = Arrays.copyOf(edge, 2 * edge.length + targets.length);
        }
        for (BlockCall call : targets) {
          edge[edges++] = call.target();
        }
      }
      edgeStart[v + 1] = edges;
      return v;
    }

    /**
     * The predecessors of each number, each once (a brif to one block on both edges makes one),
     * in reverse postorder, {@link #group grouped} by number.
     */
    int[][] predecessors(int[] post, int[] dfsNumber) {
      int[] to = new int[edges];
      int[] from = new int[edges];
      int k = 0;
      for (int i = count - 1; i >= 0; i--) {
        int v = post[i];
        for (int e = edgeStart[v]; e < edgeStart[v + 1]; e++) {
          if (!repeatsTarget(e, edgeStart[v])) {
            to[k] = dfsNumber[edge[e].id()];
            from[k++] = v;
          }
        }
      }
      return group(count, Arrays.copyOf(to, k), Arrays.copyOf(from, k));
    }

    /** Whether edge {@code e} goes where an earlier edge of its block from {@code first} went. */
    private boolean repeatsTarget(int e, int first) {
      for (int k = first; k < e; k++) {
        if (edge[k] == edge[e]) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Groups {@code item} by {@code key} (both below {@code count}), keeping their order:
   * {start, items}, the items of key {@code v} from {@code start[v]} up to {@code start[v + 1]}.
   */
  private static int[][] group(int count, int[] key, int[] item) {
    int[] start = new int[count + 1];
    for (int k : key) {
      start[k + 1]++;
    }
    for (int v = 0; v < count; v++) {
      start[v + 1] += start[v];
    }
    int[] grouped = new int[item.length];
    int[] at = Arrays.copyOf(start, count);
    for (int i = 0; i < key.length; i++) {
      grouped[at[key[i]]++] = item[i];
    }
    return new int[][] {start, grouped};
  }

  /**
   * Semi-NCA on preorder numbers: semidominators in reverse preorder, each the minimum over its
   * predecessors of the least semidominator on their path-compressed forest paths; then each
   * immediate dominator is the nearest ancestor of the tree parent whose number is at most the
   * semidominator, found in preorder while the ancestors' immediate dominators are final.
   */
  private static int[] semiNca(int count, int[] parent, int[] predStart, int[] pred) {
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
      for (int k = predStart[w]; k < predStart[w + 1]; k++) {
        int u = eval(pred[k], ancestor, label, semi, path);
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

  /**
   * Numbers the tree in preorder (enter) and postorder (exit) by block id, without recursion;
   * the children of number {@code v} are {@code child[childStart[v]]} up to
   * {@code childStart[v + 1]}.
   */
  private void number(Block[] vertex, int count, int[] childStart, int[] child) {
    int clock = 0;
    int[] stack = new int[count];
    int[] next = new int[count];
    int top = 0;
    stack[top] = 0;
    next[top++] = childStart[0];
    enter[vertex[0].id()] = clock++;
    while (top > 0) {
      int v = stack[top - 1];
      int k = next[top - 1];
      if (k < childStart[v + 1]) {
        next[top - 1] = k + 1;
        int c = child[k];
        enter[vertex[c].id()] = clock++;
        stack[top] = c;
        next[top++] = childStart[c];
      } else {
        exit[vertex[v].id()] = clock++;
        top--;
      }
    }
  }

  /**
   * By block id, the blocks of the preorder numbers {@code item[start[v]]} up to
   * {@code start[v + 1]} for the block numbered {@code v}; {@link #NO_BLOCKS} for none and for
   * the unreachable blocks.
   */
  @SuppressWarnings("unchecked")
  private static List<Block>[] blockLists(int n, Block[] vertex, int count, int[] start,
      int[] item) {
    List<Block>[] lists = (List<Block>[]) new List<?>[n];
    Arrays.fill(lists, NO_BLOCKS);
    for (int v = 0; v < count; v++) {
      if (start[v + 1] > start[v]) {
        Block[] blocks = new Block[start[v + 1] - start[v]];
        for (int k = 0; k < blocks.length; k++) {
          blocks[k] = vertex[item[start[v] + k]];
        }
        lists[vertex[v].id()] = new ArrayView<>(blocks);
      }
    }
    return lists;
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
    return children[b.id()];
  }

  /**
   * The reachable predecessors of a block, each once (a brif to {@code b} on both edges counts
   * once).
   *
   * @param b a block of the function
   * @return the reachable blocks branching to {@code b}, in reverse postorder, unmodifiable
   */
  public List<Block> predecessors(Block b) {
    return preds[b.id()];
  }

  /**
   * Whether {@code other} is the same tree over the same graph: the same reachable blocks in the
   * same reverse postorder, each with the same immediate dominator and predecessors.
   */
  boolean sameAs(DominatorTree other) {
    if (dfsNumber.length != other.dfsNumber.length || !order.equals(other.order)) {
      return false;
    }
    for (Block b : order) {
      if (idom[b.id()] != other.idom[b.id()] || !preds[b.id()].equals(other.preds[b.id()])) {
        return false;
      }
    }
    return true;
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
}
