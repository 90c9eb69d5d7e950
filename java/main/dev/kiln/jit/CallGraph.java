package dev.kiln.jit;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Who calls whom among a program's functions, and what that spares the generated code:
 * <ul>
 *   <li>a <em>leaf</em> (it calls no Kiln function) never reads the remaining-depth register, so
 *       a call to it only tests that one more frame is allowed, without counting it;
 *   <li>only a <em>recursive</em> function (on a cycle of calls) can be entered without bound
 *       without a loop, so only its entry polls the time limit: any endless run passes a loop's
 *       back edge or a recursive entry again and again;
 *   <li>only a function that reaches an upcall, itself or through its callees, needs rsp 16-byte
 *       aligned (the host conventions' rule for calls into C); the others skip the padding.
 * </ul>
 */
final class CallGraph {
  private final boolean[] leaf;
  private final boolean[] recursive;
  private final boolean[] makesUpcalls;
  private final boolean[] reachesUpcall;

  private CallGraph(int n) {
    leaf = new boolean[n];
    recursive = new boolean[n];
    makesUpcalls = new boolean[n];
    reachesUpcall = new boolean[n];
  }

  static CallGraph of(Program program) {
    int[] code = program.code();
    int n = program.functions().size();
    CallGraph g = new CallGraph(n);
    List<List<Integer>> callees = new ArrayList<>();
    for (int f = 0; f < n; f++) {
      FunctionInfo fn = program.function(f);
      List<Integer> out = new ArrayList<>();
      for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(code[pc])) {
        if (code[pc] == Op.CALL) {
          out.add(code[pc + 2]);
        } else if (isUpcall(code[pc])) {
          g.makesUpcalls[f] = true;
        }
      }
      g.reachesUpcall[f] = g.makesUpcalls[f];
      g.leaf[f] = out.isEmpty();
      callees.add(out);
    }
    // Upcalls propagate to callers, to a fixed point (cycles included).
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int f = 0; f < n; f++) {
        for (int c : callees.get(f)) {
          if (g.reachesUpcall[c] && !g.reachesUpcall[f]) {
            g.reachesUpcall[f] = true;
            changed = true;
          }
        }
      }
    }
    new Cycles(callees, g.recursive).find();
    return g;
  }

  /** The instructions that call the host's upcall helper. */
  private static boolean isUpcall(int op) {
    return op == Op.NEW_ARRAY || op == Op.PRINT_I || op == Op.PRINT_F || op == Op.PRINT_B
        || op == Op.PRINT_S || op == Op.HEAP_MARK || op == Op.HEAP_FREE;
  }

  boolean isLeaf(int f) {
    return leaf[f];
  }

  boolean makesUpcalls(int f) {
    return makesUpcalls[f];
  }

  boolean isRecursive(int f) {
    return recursive[f];
  }

  boolean reachesUpcall(int f) {
    return reachesUpcall[f];
  }

  /**
   * Marks the functions on a cycle: those in a strongly connected component of more than one
   * function or with a call to themselves. Tarjan's algorithm (SIAM J. Comput. 1(2), 1972),
   * iterative so a long chain of calls cannot overflow the Java stack; linear in the calls.
   */
  private static final class Cycles {
    private final List<List<Integer>> callees;
    private final boolean[] onCycle;
    private final int[] index;
    private final int[] low;
    private final boolean[] onStack;
    private final Deque<Integer> stack = new ArrayDeque<>();
    private int next = 1;

    Cycles(List<List<Integer>> callees, boolean[] onCycle) {
      this.callees = callees;
      this.onCycle = onCycle;
      this.index = new int[callees.size()];
      this.low = new int[callees.size()];
      this.onStack = new boolean[callees.size()];
    }

    void find() {
      for (int f = 0; f < callees.size(); f++) {
        if (index[f] == 0) {
          visit(f);
        }
      }
    }

    private void visit(int root) {
      // Each frame: a function and how many of its callees were looked at.
      Deque<int[]> frames = new ArrayDeque<>();
      enter(root, frames);
      while (!frames.isEmpty()) {
        int[] top = frames.peek();
        int f = top[0];
        List<Integer> out = callees.get(f);
        if (top[1] < out.size()) {
          int c = out.get(top[1]++);
          if (c == f) {
            onCycle[f] = true;
          }
          if (index[c] == 0) {
            enter(c, frames);
          } else if (onStack[c]) {
            low[f] = Math.min(low[f], index[c]);
          }
          continue;
        }
        frames.pop();
        if (!frames.isEmpty()) {
          int caller = frames.peek()[0];
          low[caller] = Math.min(low[caller], low[f]);
        }
        if (low[f] == index[f]) {
          popComponent(f);
        }
      }
    }

    private void enter(int f, Deque<int[]> frames) {
      index[f] = next;
      low[f] = next;
      next++;
      stack.push(f);
      onStack[f] = true;
      frames.push(new int[] {f, 0});
    }

    private void popComponent(int root) {
      int g;
      boolean several = stack.peek() != root;
      do {
        g = stack.pop();
        onStack[g] = false;
        onCycle[g] |= several;
      } while (g != root);
    }
  }
}
