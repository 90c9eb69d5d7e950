package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The order in which a function's blocks become machine code, and the loop tops worth aligning.
 *
 * <p>A depth-first search from the entry follows each branch's likely successor last, so that in
 * reverse postorder that successor comes right after the branch and falls through: a successor
 * in the branch's own loop before a loop exit, and either before a cold block (one whose every path
 * ends in a {@code trap}: branches to trap blocks are unlikely by construction) or a block of a
 * versioned loop's checked version ({@link #markCheckedVersions}). Those late blocks go after
 * the others (the verifier admits no unreachable block). Reverse postorder keeps a loop's
 * blocks together; then each loop that tests at its header and whose last block jumps back to
 * the header is rotated: the header moves behind that last block, so an iteration ends in the
 * header's conditional branch back to the body instead of a jump to a test at the top.
 */
public final class BlockLayout {
  private static final int NONE = -1;

  private final List<Block> order;
  private final BitSet loopTops;

  private BlockLayout(List<Block> order, BitSet loopTops) {
    this.order = order;
    this.loopTops = loopTops;
  }

  /**
   * Lays out a verified function.
   *
   * @param f the function
   * @return its layout
   */
  public static BlockLayout of(Function f) {
    DominatorTree dom = DominatorTree.of(f);
    LoopNest nest = LoopNest.of(f);
    int[] loopOf = new int[f.blockCount()];
    Arrays.fill(loopOf, NONE);
    for (int l = 0; l < nest.count(); l++) {
      for (Block b : nest.ownBlocksInOrder(l)) {
        loopOf[b.id()] = l;
      }
    }
    boolean[] late = coldBlocks(f, dom);
    markCheckedVersions(f, dom, nest, loopOf, late);
    Block[] at = place(f, nest, loopOf, late);
    return rotate(f, at, nest, loopOf, late);
  }

  /** The blocks in layout order, the entry first. */
  public List<Block> order() {
    return order;
  }

  /**
   * The ids of the blocks that loops branch back to, each laid out after a block that does not
   * fall into it, so that NOPs aligning it run at most once per entry to the loop.
   */
  public BitSet loopTops() {
    return (BitSet) loopTops.clone();
  }

  /** Blocks whose every path ends in a {@code trap}, the entry never. */
  private static boolean[] coldBlocks(Function f, DominatorTree dom) {
    boolean[] cold = new boolean[f.blockCount()];
    List<Block> rpo = dom.reversePostorder();
    // in postorder a block's successors come first, except the targets of back edges
    for (int i = rpo.size() - 1; i > 0; i--) {
      Block b = rpo.get(i);
      Instruction t = b.terminator();
      boolean c = t.opcode() == Opcode.TRAP;
      if (t.opcode() == Opcode.JUMP || t.opcode() == Opcode.BRIF) {
        c = true;
        for (BlockCall edge : t.targets()) {
          c &= cold[edge.target().id()];
        }
      }
      cold[b.id()] = c;
    }
    return cold;
  }

  /**
   * Adds to {@code late} the blocks that only the second way of a guard between two versions
   * of a loop reaches: a {@code brif} outside both loops to their headers, the loops of one size
   * (loop-bce and loop-room branch to the copy without checks when their guards hold, else to
   * the loop as it was, which a correct program then enters at most at the edges: an empty
   * range, an index about to trap). Laid out after the hot code, the copy's exit falls through
   * to the code after the loop instead of jumping over the checked loop.
   */
  private static void markCheckedVersions(Function f, DominatorTree dom, LoopNest nest,
      int[] loopOf, boolean[] late) {
    List<Block> blocks = f.blocks();
    for (int i = 0; i < blocks.size(); i++) { // no iterator to allocate in C1-compiled code
      Block b = blocks.get(i);
      Instruction t = b.terminator();
      if (t.opcode() != Opcode.BRIF) {
        continue;
      }
      Block x = t.targets().get(0).target();
      Block y = t.targets().get(1).target();
      int lx = loopOf[x.id()];
      int ly = loopOf[y.id()];
      if (lx == NONE || ly == NONE || lx == ly || nest.header(lx) != x || nest.header(ly) != y
          || nest.contains(lx, b.id()) || nest.contains(ly, b.id())
          || nest.size(lx) != nest.size(ly)) {
        continue;
      }
      List<Block> work = new ArrayList<>();
      work.add(y);
      while (!work.isEmpty()) {
        Block d = work.remove(work.size() - 1);
        late[d.id()] = true;
        work.addAll(dom.children(d));
      }
    }
  }

  /** Reverse postorder with each branch's likely successor visited last, then the late blocks. */
  private static Block[] place(Function f, LoopNest nest, int[] loopOf, boolean[] late) {
    int n = f.blockCount();
    int[] irIndex = new int[n];
    for (int i = 0; i < f.blocks().size(); i++) {
      irIndex[f.blocks().get(i).id()] = i;
    }
    boolean[] visited = new boolean[n];
    Block[] stack = new Block[n];
    int[] next = new int[n];
    Block[][] successors = new Block[n][];
    List<Block> post = new ArrayList<>(n);
    int top = 0;
    stack[0] = f.entry();
    visited[f.entry().id()] = true;
    while (top >= 0) {
      Block b = stack[top];
      Block[] succ = successors[b.id()];
      if (succ == null) {
        succ = successors[b.id()] = likelyLast(b, nest, loopOf, late, irIndex);
      }
      if (next[top] < succ.length) {
        Block s = succ[next[top]++];
        if (!visited[s.id()]) {
          visited[s.id()] = true;
          stack[++top] = s;
          next[top] = 0;
        }
      } else {
        post.add(b);
        top--;
      }
    }
    Block[] at = new Block[post.size()];
    int k = 0;
    for (int pass = 0; pass < 2; pass++) {
      for (int i = post.size() - 1; i >= 0; i--) {
        if (late[post.get(i).id()] == (pass == 1)) {
          at[k++] = post.get(i);
        }
      }
    }
    return at;
  }

  /** The distinct successors of {@code b}, the one that should fall through last. */
  private static Block[] likelyLast(Block b, LoopNest nest, int[] loopOf, boolean[] late,
      int[] irIndex) {
    List<BlockCall> targets = b.terminator().targets();
    if (targets.isEmpty()) {
      return new Block[0];
    }
    Block x = targets.get(0).target();
    if (targets.size() == 1 || targets.get(1).target() == x) {
      return new Block[] {x};
    }
    Block y = targets.get(1).target();
    int rx = likelihood(b, x, nest, loopOf, late);
    int ry = likelihood(b, y, nest, loopOf, late);
    // on a tie the block earlier in the IR's order falls through, as the front end wrote it
    boolean xLast = rx != ry ? rx > ry : irIndex[x.id()] < irIndex[y.id()];
    return xLast ? new Block[] {y, x} : new Block[] {x, y};
  }

  /** 0 for a late successor, 1 for one leaving {@code b}'s loop, 2 otherwise. */
  private static int likelihood(Block b, Block s, LoopNest nest, int[] loopOf, boolean[] late) {
    if (late[s.id()]) {
      return 0;
    }
    int loop = loopOf[b.id()];
    return loop != NONE && !nest.contains(loop, s.id()) ? 1 : 2;
  }

  /**
   * Rotates every loop that lies contiguously from its header to a last block jumping back to
   * it, where the header's branch leaves the loop. A loop's range holds its blocks but the
   * {@code late} ones, laid out after all others. Rotating one loop permutes only its own
   * range and keeps the header first and the latch last in every other loop's range, so all
   * rotations are decided on the same positions and applied to a linked list at once.
   */
  private static BlockLayout rotate(Function f, Block[] at, LoopNest nest, int[] loopOf,
      boolean[] late) {
    int n = at.length;
    int[] pos = new int[f.blockCount()];
    for (int i = 0; i < n; i++) {
      pos[at[i].id()] = i;
    }
    int loops = nest.count();
    int[] min = new int[loops];
    int[] max = new int[loops];
    int[] count = new int[loops];
    Arrays.fill(min, Integer.MAX_VALUE);
    Arrays.fill(max, NONE);
    for (Block b : at) {
      int l = loopOf[b.id()];
      if (l != NONE && !late[b.id()]) {
        min[l] = Math.min(min[l], pos[b.id()]);
        max[l] = Math.max(max[l], pos[b.id()]);
        count[l]++;
      }
    }
    // a parent's header precedes its children's in the numbering, so children are done first
    for (int l = loops - 1; l >= 0; l--) {
      int p = nest.parent(l);
      if (p != NONE) {
        min[p] = Math.min(min[p], min[l]);
        max[p] = Math.max(max[p], max[l]);
        count[p] += count[l];
      }
    }
    int[] next = new int[n + 1];
    int[] prev = new int[n + 1];
    for (int i = 0; i <= n; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
    }
    prev[0] = n; // n is the sentinel before the first and after the last position
    next[n] = 0;
    prev[n] = n - 1;
    boolean[] rotated = new boolean[loops];
    Block[] body = new Block[loops];
    for (int l = 0; l < loops; l++) {
      Block h = nest.header(l);
      body[l] = bodyEntry(h, l, nest);
      if (body[l] == null || h == f.entry() || count[l] != max[l] - min[l] + 1) {
        continue;
      }
      Instruction latch = at[max[l]].terminator();
      if (at[max[l]] == h || latch.opcode() != Opcode.JUMP
          || latch.targets().get(0).target() != h) {
        continue;
      }
      int hp = min[l];
      next[prev[hp]] = next[hp];
      prev[next[hp]] = prev[hp];
      next[hp] = next[max[l]];
      prev[next[max[l]]] = hp;
      next[max[l]] = hp;
      prev[hp] = max[l];
      rotated[l] = true;
    }
    List<Block> order = new ArrayList<>(n);
    for (int i = next[n]; i != n; i = next[i]) {
      order.add(at[i]);
    }
    BitSet tops = new BitSet();
    boolean[] rotatedHeader = new boolean[f.blockCount()];
    for (int l = 0; l < loops; l++) {
      rotatedHeader[nest.header(l).id()] = rotated[l];
    }
    for (int l = 0; l < loops; l++) {
      // the block first in the loop's range, which only the way into the loop falls into
      Block top = rotated[l] ? at[min[l] + 1] : nest.header(l);
      boolean first = rotated[l] ? top == body[l]
          : count[l] == max[l] - min[l] + 1 && at[min[l]] == top;
      // a rotated inner header there is entered by falling through from its latch
      if (first && !rotatedHeader[top.id()]) {
        tops.set(top.id());
      }
    }
    return new BlockLayout(List.copyOf(order), tops);
  }

  /** The successor of header {@code h} in loop {@code l} if its other one leaves it, or null. */
  private static Block bodyEntry(Block h, int l, LoopNest nest) {
    Instruction t = h.terminator();
    if (t.opcode() != Opcode.BRIF) {
      return null;
    }
    Block x = t.targets().get(0).target();
    Block y = t.targets().get(1).target();
    boolean inX = nest.contains(l, x.id());
    boolean inY = nest.contains(l, y.id());
    if (inX == inY) {
      return null;
    }
    return inX ? x : y;
  }
}
