package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The natural loops of a function as a tree: each block's innermost loop and each loop's
 * parent, found with one union-find walk over the back edges (Havlak, "Nesting of Reducible and
 * Irreducible Loops", 1997), so that building it and asking whether a block is in a loop cost
 * no set per loop. Loops are numbered in reverse postorder of their headers.
 */
final class LoopNest {
  private static final int NONE = -1;

  private final List<Block> headers = new ArrayList<>();
  private final List<Integer> parent = new ArrayList<>();
  private final List<Integer> size = new ArrayList<>();
  /** Innermost loop of each block id, {@link #NONE} outside every loop. */
  private int[] loopOf;
  /** Position of each block id in reverse postorder, a preheader just before its header. */
  private int[] orderKey;
  /** Preorder interval of each loop in the tree: a loop contains those whose enter lies in it. */
  private final int[] enter;
  private final int[] exit;
  private final List<List<Block>> own = new ArrayList<>();

  /**
   * The loop nest of {@code f}'s current graph, found once for its dominator tree ({@link
   * DominatorTree#of}) and shared by the passes that ask while the graph stays the same. A pass
   * that edits the graph (a preheader it then {@link #addPreheader adds}) drops that tree, and
   * with it the nest, for the passes after it.
   *
   * @param f a function
   * @return its loops
   */
  static LoopNest of(Function f) {
    DominatorTree dom = DominatorTree.of(f);
    LoopNest nest = dom.kept(LoopNest.class);
    if (nest == null) {
      nest = new LoopNest(f, dom);
      dom.keep(nest);
    }
    return nest;
  }

  LoopNest(Function f, DominatorTree dom) {
    int n = f.blockCount();
    List<Block> rpo = dom.reversePostorder();
    loopOf = new int[n];
    Arrays.fill(loopOf, NONE);
    orderKey = new int[n];
    for (int i = 0; i < rpo.size(); i++) {
      orderKey[rpo.get(i).id()] = 2 * i + 1;
    }
    List<Block> foundHeaders = new ArrayList<>();
    List<Integer> rawParent = new ArrayList<>();
    findLoops(dom, rpo, foundHeaders, rawParent);
    int count = foundHeaders.size();
    renumber(rpo, foundHeaders, rawParent);
    enter = new int[count];
    exit = new int[count];
    number();
  }

  /**
   * Finds the loops (each loop's header and raw parent, in the order found) and each block's
   * innermost loop by that order. Each phase of the constructor is a method of its own, so that
   * HotSpot compiles a long-running loop's method once rather than the whole constructor per loop.
   */
  private void findLoops(DominatorTree dom, List<Block> rpo, List<Block> foundHeaders,
      List<Integer> rawParent) {
    List<Integer> union = new ArrayList<>();
    // inner headers come later in reverse postorder, so walking it backwards finds inner loops
    // first; an inner loop met again stands for all its blocks through its outermost root
    List<Block> work = new ArrayList<>(); // empty again after each header
    for (int i = rpo.size() - 1; i >= 0; i--) {
      Block h = rpo.get(i);
      List<Block> preds = dom.predecessors(h);
      for (int k = 0; k < preds.size(); k++) { // indexed: no iterator or array to allocate
        if (dom.dominates(h, preds.get(k))) {
          work.add(preds.get(k));
        }
      }
      if (work.isEmpty()) {
        continue;
      }
      int l = union.size();
      union.add(l);
      rawParent.add(NONE);
      foundHeaders.add(h);
      loopOf[h.id()] = l;
      while (!work.isEmpty()) {
        Block b = work.remove(work.size() - 1);
        if (loopOf[b.id()] == NONE) {
          loopOf[b.id()] = l;
          addAll(work, dom.predecessors(b));
          continue;
        }
        int root = find(union, loopOf[b.id()]);
        if (root != l) {
          union.set(root, l);
          rawParent.set(root, l);
          addAll(work, dom.predecessors(foundHeaders.get(root)));
        }
      }
    }
  }

  /** Numbers the loops in reverse postorder of their headers, with their own blocks and sizes. */
  private void renumber(List<Block> rpo, List<Block> foundHeaders, List<Integer> rawParent) {
    int count = foundHeaders.size();
    for (int l = count - 1; l >= 0; l--) {
      headers.add(foundHeaders.get(l));
      own.add(new ArrayList<>());
      size.add(0);
    }
    for (int l = 0; l < count; l++) {
      int raw = rawParent.get(count - 1 - l);
      parent.add(raw == NONE ? NONE : count - 1 - raw);
    }
    for (Block b : rpo) {
      if (loopOf[b.id()] != NONE) {
        loopOf[b.id()] = count - 1 - loopOf[b.id()];
        own.get(loopOf[b.id()]).add(b);
      }
    }
    // a parent's header precedes its children's, so sizes accumulate from the last loop back
    for (int l = count - 1; l >= 0; l--) {
      size.set(l, size.get(l) + own.get(l).size());
      if (parent.get(l) != NONE) {
        size.set(parent.get(l), size.get(parent.get(l)) + size.get(l));
      }
    }
  }

  /** Adds {@code blocks} to {@code work} by index: addAll would copy them to an array first. */
  private static void addAll(List<Block> work, List<Block> blocks) {
    for (int k = 0; k < blocks.size(); k++) {
      work.add(blocks.get(k));
    }
  }

  private static int find(List<Integer> union, int l) {
    int root = l;
    while (union.get(root) != root) {
      root = union.get(root);
    }
    while (union.get(l) != root) {
      int next = union.get(l);
      union.set(l, root);
      l = next;
    }
    return root;
  }

  /** Preorder intervals by subtree sizes in loops; a parent's number precedes its children's. */
  private void number() {
    int count = headers.size();
    int[] loopsBelow = new int[count];
    for (int l = count - 1; l >= 0; l--) {
      if (parent.get(l) != NONE) {
        loopsBelow[parent.get(l)] += loopsBelow[l] + 1;
      }
    }
    int[] nextChild = new int[count];
    int next = 0;
    for (int l = 0; l < count; l++) {
      int p = parent.get(l);
      if (p == NONE) {
        enter[l] = next;
        next += loopsBelow[l] + 1;
      } else {
        enter[l] = enter[p] + 1 + nextChild[p];
        nextChild[p] += loopsBelow[l] + 1;
      }
      exit[l] = enter[l] + loopsBelow[l] + 1;
    }
  }

  int count() {
    return headers.size();
  }

  Block header(int loop) {
    return headers.get(loop);
  }

  /** {@return the loop immediately enclosing {@code loop}, or -1 for an outermost one} */
  int parent(int loop) {
    return parent.get(loop);
  }

  /** {@return the innermost loop of the block with id {@code block}, or -1 outside every loop} */
  int innermost(int block) {
    return block < loopOf.length ? loopOf[block] : NONE;
  }

  /** {@return which loops, by number, contain another loop} */
  boolean[] outerLoops() {
    boolean[] outer = new boolean[count()];
    for (int l = 0; l < count(); l++) {
      if (parent(l) != NONE) {
        outer[parent(l)] = true;
      }
    }
    return outer;
  }

  /** {@return the number of blocks in {@code loop} as found, nested loops included} */
  int size(int loop) {
    return size.get(loop);
  }

  /** {@return whether the block with id {@code block} lies in {@code loop}} */
  boolean contains(int loop, int block) {
    int inner = block < loopOf.length ? loopOf[block] : NONE;
    return inner != NONE && enter[loop] <= enter[inner] && enter[inner] < exit[loop];
  }

  /** {@return the blocks whose innermost loop is {@code loop}, in reverse postorder} */
  List<Block> ownBlocksInOrder(int loop) {
    return inOrder(new ArrayList<>(own.get(loop)));
  }

  /** {@return the blocks of {@code loop}, nested loops included, in reverse postorder} */
  List<Block> blocksInOrder(int loop) {
    List<Block> blocks = new ArrayList<>();
    // nested loops' headers come later in reverse postorder, so their numbers are greater
    for (int l = loop; l < count(); l++) {
      if (contains(loop, header(l).id())) {
        blocks.addAll(own.get(l));
      }
    }
    return inOrder(blocks);
  }

  private List<Block> inOrder(List<Block> blocks) {
    // a class, not Comparator.comparingInt: that spins a lambda class on a cold JVM's first compile
    blocks.sort(new Comparator<Block>() {
      @Override
      public int compare(Block a, Block b) {
        return Integer.compare(orderKey[a.id()], orderKey[b.id()]);
      }
    });
    return blocks;
  }

  /** Records {@code pre}, a new block in front of {@code loop}'s header, in the enclosing loop. */
  void addPreheader(int loop, Block pre) {
    if (pre.id() >= loopOf.length) {
      int grown = Math.max(pre.id() + 1, 2 * loopOf.length);
      int old = loopOf.length;
      loopOf = Arrays.copyOf(loopOf, grown);
      Arrays.fill(loopOf, old, grown, NONE);
      orderKey = Arrays.copyOf(orderKey, grown);
    }
    loopOf[pre.id()] = parent.get(loop);
    orderKey[pre.id()] = orderKey[header(loop).id()] - 1;
    if (parent.get(loop) != NONE) {
      own.get(parent.get(loop)).add(pre);
    }
  }
}
