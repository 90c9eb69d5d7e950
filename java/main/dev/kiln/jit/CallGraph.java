package dev.kiln.jit;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import java.util.Arrays;

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
  private final int[] maxCallArgs;
  /** Every function once, each after the functions it calls that are not on a cycle with it. */
  private final int[] bottomUp;
  /** Each function's callees, one per call instruction, in code order. */
  private final int[][] callees;

  private CallGraph(int n) {
    leaf = new boolean[n];
    recursive = new boolean[n];
    makesUpcalls = new boolean[n];
    reachesUpcall = new boolean[n];
    maxCallArgs = new int[n];
    bottomUp = new int[n];
    callees = new int[n][];
  }

  static CallGraph of(Program program) {
    int n = program.functions().size();
    CallGraph g = new CallGraph(n);
    int[][] callees = g.callees;
    for (int f = 0; f < n; f++) {
      callees[f] = g.scan(program, program.function(f), f);
    }
    // Upcalls propagate to callers, to a fixed point (cycles included).
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int f = 0; f < n; f++) {
        for (int c : callees[f]) {
          if (g.reachesUpcall[c] && !g.reachesUpcall[f]) {
            g.reachesUpcall[f] = true;
            changed = true;
          }
        }
      }
    }
    new Cycles(callees, g.recursive, g.bottomUp).find();
    return g;
  }

  /**
   * The call graph of {@code program}, made from the program {@code before} describes by
   * inlining ({@link Inliner}) into the functions marked {@code rewritten}: only their calls,
   * upcalls, leafness and arguments are read again. What reaches an upcall and what is on a cycle
   * stays: a rewritten function now makes the calls and upcalls of the callees it inlined, which
   * it reached before, and a function on a cycle is inlined only into itself, keeping its call
   * of itself; except that a function whose calls of itself all became loop iterations ({@link
   * AccumulatorRecursion}) is on a cycle only if its other callees lead back to it. This spares
   * reading a large program's code twice.
   */
  static CallGraph afterInlining(Program program, CallGraph before, boolean[] rewritten) {
    int n = program.functions().size();
    CallGraph g = new CallGraph(n);
    System.arraycopy(before.callees, 0, g.callees, 0, n);
    System.arraycopy(before.leaf, 0, g.leaf, 0, n);
    System.arraycopy(before.makesUpcalls, 0, g.makesUpcalls, 0, n);
    System.arraycopy(before.maxCallArgs, 0, g.maxCallArgs, 0, n);
    System.arraycopy(before.recursive, 0, g.recursive, 0, n);
    System.arraycopy(before.bottomUp, 0, g.bottomUp, 0, n);
    for (int f = 0; f < n; f++) {
      if (rewritten[f]) {
        g.makesUpcalls[f] = false;
        g.maxCallArgs[f] = 0;
        g.callees[f] = g.scan(program, program.function(f), f);
      }
    }
    for (int f = 0; f < n; f++) {
      if (rewritten[f] && g.recursive[f]) {
        g.recursive[f] = g.reaches(f, f);
      }
    }
    System.arraycopy(before.reachesUpcall, 0, g.reachesUpcall, 0, n);
    return g;
  }

  /**
   * Function {@code f}'s callees (with repeats), as an int array, not boxed in a list; notes
   * whether it is a leaf, makes upcalls, and the most arguments it passes. Called per function
   * rather than looping over the whole program in {@link #of}, which runs once: a method called
   * once runs its loop in the interpreter, this one is compiled by C1 after a few dozen functions.
   */
  private int[] scan(Program program, FunctionInfo fn, int f) {
    int[] code = program.code();
    int[] out = new int[4];
    int calls = 0;
    for (int pc = fn.entry(), end = fn.end(); pc < end; pc += Op.length(code[pc])) {
      int op = code[pc];
      if (op == Op.CALL) {
        if (calls == out.length) {
          out = Arrays.copyOf(out, 2 * calls);
        }
        out[calls++] = code[pc + 2];
        maxCallArgs[f] = Math.max(maxCallArgs[f], program.function(code[pc + 2]).params().size());
      } else if (isUpcall(op)) {
        makesUpcalls[f] = true;
      }
    }
    reachesUpcall[f] = makesUpcalls[f];
    leaf[f] = calls == 0;
    return Arrays.copyOf(out, calls);
  }

  /** The instructions that may call the host's upcall helper. */
  static boolean isUpcall(int op) {
    return op == Op.NEW_ARRAY || op == Op.PRINT_I || op == Op.PRINT_F || op == Op.PRINT_B
        || op == Op.PRINT_S;
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

  /** Whether a chain of one or more calls leads from function {@code from} to {@code to}. */
  private boolean reaches(int from, int to) {
    boolean[] seen = new boolean[callees.length];
    int[] work = new int[callees.length];
    int queued = 0;
    seen[from] = true;
    work[queued++] = from;
    while (queued > 0) {
      for (int c : callees[work[--queued]]) {
        if (c == to) {
          return true;
        }
        if (!seen[c]) {
          seen[c] = true;
          work[queued++] = c;
        }
      }
    }
    return false;
  }

  /** The most arguments any call of function {@code f} passes (0 if it calls no Kiln function). */
  int maxCallArgs(int f) {
    return maxCallArgs[f];
  }

  /** The functions {@code f} calls, one per call instruction, in code order; not to be modified. */
  int[] callees(int f) {
    return callees[f];
  }

  /**
   * The functions in an order where each comes after its callees, except those on a cycle with
   * it: the order in which Tarjan's algorithm completes the components (a reverse topological
   * order of the graph of components). Callers must not modify it.
   */
  int[] bottomUp() {
    return bottomUp;
  }

  /**
   * Marks the functions on a cycle: those in a strongly connected component of more than one
   * function or with a call to themselves. Tarjan's algorithm (SIAM J. Comput. 1(2), 1972),
   * iterative so a long chain of calls cannot overflow the Java stack; linear in the calls.
   */
  private static final class Cycles {
    private final int[][] callees;
    private final boolean[] onCycle;
    /** The functions in the order their components complete: {@code completed[0 .. done)}. */
    private final int[] completed;
    private int done;
    private final int[] index;
    private final int[] low;
    private final boolean[] onStack;
    /** Tarjan's stack of functions (each enters at most once): {@code stack[0 .. stacked)}. */
    private final int[] stack;
    private int stacked;
    /**
     * The depth-first search's path, {@code depth} frames: a function, and how many of its callees
     * it looked at (arrays, not a deque of boxed pairs: this runs while the JVM is still cold).
     */
    private final int[] frames;
    private final int[] looked;
    private int depth;
    private int next = 1;

    Cycles(int[][] callees, boolean[] onCycle, int[] completed) {
      this.callees = callees;
      this.onCycle = onCycle;
      this.completed = completed;
      this.index = new int[callees.length];
      this.low = new int[callees.length];
      this.onStack = new boolean[callees.length];
      this.stack = new int[callees.length];
      this.frames = new int[callees.length];
      this.looked = new int[callees.length];
    }

    void find() {
      for (int f = 0; f < callees.length; f++) {
        if (index[f] == 0) {
          visit(f);
        }
      }
    }

    private void visit(int root) {
      enter(root);
      while (depth > 0) {
        int f = frames[depth - 1];
        int[] out = callees[f];
        if (looked[depth - 1] < out.length) {
          int c = out[looked[depth - 1]++];
          if (c == f) {
            onCycle[f] = true;
          }
          if (index[c] == 0) {
            enter(c);
          } else if (onStack[c]) {
            low[f] = Math.min(low[f], index[c]);
          }
          continue;
        }
        depth--;
        if (depth > 0) {
          int caller = frames[depth - 1];
          low[caller] = Math.min(low[caller], low[f]);
        }
        if (low[f] == index[f]) {
          popComponent(f);
        }
      }
    }

    private void enter(int f) {
      index[f] = next;
      low[f] = next;
      next++;
      stack[stacked++] = f;
      onStack[f] = true;
      frames[depth] = f;
      looked[depth] = 0;
      depth++;
    }

    private void popComponent(int root) {
      int g;
      boolean several = stack[stacked - 1] != root;
      do {
        g = stack[--stacked];
        onStack[g] = false;
        onCycle[g] |= several;
        completed[done++] = g;
      } while (g != root);
    }
  }
}
