package dev.kiln.jit;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.vm.Limits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Inlining, as a bytecode-to-bytecode pass private to the JIT (the interpreter runs the original
 * bytecode): a call to a small function becomes a copy of the callee's code in the caller, so the
 * register allocator and the code generator see one function and work as before. A call
 * {@code CALL d, g, s, p} is replaced by
 *
 * <pre>
 *   CONST_I e, 0          ; boundary: enter g (the depth check of the call, at p)
 *   ...g's code...        ; its parameter j is the caller's slot s+j, its other slots new
 *                         ; ones after the caller's, its branch targets moved; RET x becomes
 *                         ; MOV d, x; JMP x' and RET_VOID becomes JMP x'
 *   CONST_I x', 0         ; boundary: end of g (x' is where the returns go)
 * </pre>
 *
 * The parameters need no copies: the callee's frame starts at the caller's slot s in the
 * bytecode's machine model (see {@code dev.kiln.bytecode}), so slots s, s+1, ... are the callee's
 * to write, as they are here. The copied instructions keep their {@code p} operands, so an error
 * in an inlined body reports the callee's own position, as the interpreter does, after the same
 * output; its heap mark and frees are ordinary instructions on its own slots. The boundaries
 * ({@link Inlined.Boundary}) make the code generator check and count the call depth exactly as
 * the call would. Polls need nothing: a loop in the copy keeps its back edge, and a recursion
 * through inlined calls still makes real calls, whose recursive callees poll on entry. A callee's
 * guard clause ({@link EarlyReturn}) becomes an ordinary branch over a return in the copy, the
 * test its call sites would make; the calls that stay calls test it at their sites as before.
 *
 * <p>What is inlined: a call to a function that is not recursive and has at most {@link
 * #CALLEE_INSTRUCTIONS} instructions, its own inlining included (functions are rewritten
 * callees first, so a small function's small callees come along), where the call may run often:
 * in a loop or in a recursive function (a call elsewhere runs once per run of its caller, which
 * is then the one to inline), or anywhere if the callee has at most {@link #TINY_INSTRUCTIONS}
 * (its copy is about as long as the call). Compile time stays where it was for code that calls
 * only once per run, as most of a large program does. And in a directly recursive function of
 * at most {@link #SELF_INSTRUCTIONS} instructions, its calls of itself, two levels deep (the
 * second level's calls of itself stay calls): a doubly recursive call such as
 * {@code fib(n - 1) + fib(n - 2)} then does the work of seven calls (its own, its two copies' and
 * their four copies') and makes eight real calls, where one level would make four real calls for
 * the work of three. No function grows by more than {@link #GROWTH_INSTRUCTIONS} (the two levels
 * share it), which bounds code size and compile time.
 *
 * <p>A directly recursive function whose returns accumulate calls of itself ({@code return x +
 * f(...)}) is made a loop instead ({@link AccumulatorRecursion}, after its callees are inlined),
 * if that leaves no call of itself, as in a sum or a factorial written as a recursion. Where
 * calls of itself would remain, it stays a recursion: the loop's accumulator and depth count
 * would cost registers to save in every call that enters it, and its exit a branch that is hard
 * to predict.
 */
final class Inliner {
  /** The largest callee, in bytecode instructions, that is inlined in a loop or a recursion. */
  static final int CALLEE_INSTRUCTIONS = 24;
  /** The largest callee, in instructions, inlined wherever it is called. */
  static final int TINY_INSTRUCTIONS = 8;
  /** The largest directly recursive function, in instructions, inlined into itself. */
  static final int SELF_INSTRUCTIONS = 16;
  /** The most instructions inlining adds to one function. */
  static final int GROWTH_INSTRUCTIONS = 96;

  private final Program program;
  private final int[] code;
  private final CallGraph graph;
  /** Each function's code with its calls inlined, where that changed it; else null. */
  private final Body[] rewritten;
  /** Each function's instruction count, once asked for (0: not yet; see {@link #instructions}). */
  private final int[] instructions;

  private Inliner(Program program) {
    this.program = program;
    this.code = program.code();
    this.graph = CallGraph.of(program);
    int n = program.functions().size();
    this.rewritten = new Body[n];
    this.instructions = new int[n];
  }

  /** {@code program} with its small calls inlined. */
  static Inlined inline(Program program) {
    Inliner inliner = new Inliner(program);
    for (int f : inliner.graph.bottomUp()) {
      inliner.rewritten[f] = inliner.rewrite(f);
    }
    return inliner.assemble();
  }

  /**
   * Code being built: offsets from 0, branch targets too (the end is a valid target: dead jumps
   * past a final return). Per instruction start: the original offset it was copied from, the
   * function whose code it is, and the boundary it marks, if any.
   */
  record Body(int[] code, int[] origin, int[] owner, Inlined.Boundary[] boundaries,
      int frameSize, int instructions, boolean calls) {}

  /**
   * Function f's code with its calls inlined, or null if it inlines none. Most functions of a
   * large program inline nothing: that is found from the call graph, or one look at the calls,
   * before any copying.
   */
  private Body rewrite(int f) {
    boolean candidates = false;
    boolean callsItself = false;
    for (int g : graph.callees(f)) {
      candidates |= inlinable(g);
      callsItself |= g == f;
    }
    boolean[] often = null;
    boolean inlines = false;
    if (candidates) {
      FunctionInfo fn = program.function(f);
      often = graph.isRecursive(f) ? null : inLoops(code, fn.entry(), fn.end());
      for (int pc = fn.entry(); pc < fn.end() && !inlines; pc += Op.length(code[pc])) {
        inlines = code[pc] == Op.CALL && inlinedHere(code[pc + 2], often, pc - fn.entry());
      }
    }
    if (!inlines && !callsItself) {
      return null;
    }
    Body original = original(f);
    Body body = inlines ? inlineCalls(original, often, -1, null, GROWTH_INSTRUCTIONS) : original;
    AccumulatorRecursion loop = callsItself ? AccumulatorRecursion.find(program, f, body.code()) : null;
    if (loop != null && !loop.keepsCalls()) {
      body = loop.rewrite(body, f);
    } else if (callsItself && body.instructions() <= SELF_INSTRUCTIONS) {
      Body own = body;
      body = inlineCalls(own, null, f, own, GROWTH_INSTRUCTIONS);
      int budget = GROWTH_INSTRUCTIONS - (body.instructions() - own.instructions());
      body = inlineCalls(body, null, f, own, budget); // the second level, in what the first left
    }
    return body == original ? null : body;
  }

  /**
   * Whether a call of g at offset {@code pc} of a function is inlined: g is {@link #inlinable},
   * and the call is in a loop ({@code often}, null if the caller is recursive: everywhere) or g
   * is tiny.
   */
  private boolean inlinedHere(int g, boolean[] often, int pc) {
    return inlinable(g) && (often == null || often[pc] || instructions(g) <= TINY_INSTRUCTIONS);
  }

  /**
   * Per offset of {@code code[from, to)}, from 0: whether it lies in a loop (between a back
   * edge's target and the back edge).
   */
  private static boolean[] inLoops(int[] code, int from, int to) {
    int[] nesting = new int[to - from + 1]; // +1 where loops start, -1 after they end
    for (int pc = from; pc < to; pc += Op.length(code[pc])) {
      int target = Op.isBranch(code[pc]) ? Op.target(code, pc) : pc + 1;
      if (target <= pc) {
        nesting[target - from]++;
        nesting[pc - from + 1]--;
      }
    }
    boolean[] inLoop = new boolean[to - from];
    for (int k = 0, depth = 0; k < inLoop.length; k++) {
      depth += nesting[k];
      inLoop[k] = depth > 0;
    }
    return inLoop;
  }

  /** Whether a call to {@code g} from another function may be inlined. */
  private boolean inlinable(int g) {
    return !graph.isRecursive(g) && instructions(g) <= CALLEE_INSTRUCTIONS;
  }

  /** Function g's code as a caller inlines it. */
  private Body body(int g) {
    return rewritten[g] != null ? rewritten[g] : original(g);
  }

  /**
   * The instruction count of function g's code as callers would inline it, or {@link
   * #CALLEE_INSTRUCTIONS} + 1 if it has more: no budget needs more, and a long function is not
   * counted to its end.
   */
  private int instructions(int g) {
    if (rewritten[g] != null) {
      return Math.min(rewritten[g].instructions(), CALLEE_INSTRUCTIONS + 1);
    }
    if (instructions[g] == 0) {
      FunctionInfo fn = program.function(g);
      for (int pc = fn.entry(); pc < fn.end() && instructions[g] <= CALLEE_INSTRUCTIONS;
          pc += Op.length(code[pc])) {
        instructions[g]++;
      }
    }
    return instructions[g];
  }

  /** Function g's original code as a body. */
  private Body original(int g) {
    FunctionInfo fn = program.function(g);
    int[] c = Arrays.copyOfRange(code, fn.entry(), fn.end());
    int[] origin = new int[c.length];
    int[] owner = new int[c.length];
    boolean calls = false;
    int count = 0;
    for (int pc = 0; pc < c.length; pc += Op.length(c[pc])) {
      origin[pc] = fn.entry() + pc;
      owner[pc] = g;
      calls |= c[pc] == Op.CALL;
      if (Op.isBranch(c[pc])) {
        c[pc + Op.length(c[pc]) - 1] -= fn.entry();
      }
      count++;
    }
    return new Body(c, origin, owner, new Inlined.Boundary[c.length], fn.frameSize(), count, calls);
  }

  /**
   * {@code caller} with calls inlined while {@code budget} (instructions of growth) lasts: with
   * {@code self} < 0, those {@link #inlinedHere}; else the calls of function {@code self}, by
   * {@code selfBody}. The caller itself if none is.
   */
  private Body inlineCalls(Body caller, boolean[] often, int self, Body selfBody, int budget) {
    Buffer out = new Buffer(caller.code().length);
    int[] c = caller.code();
    int[] at = new int[c.length + 1];
    IntStack fixups = new IntStack();
    int slots = caller.frameSize();
    int growth = 0;
    for (int pc = 0; pc < c.length; pc += Op.length(c[pc])) {
      at[pc] = out.size;
      Body callee = null;
      if (c[pc] == Op.CALL && self >= 0) {
        callee = c[pc + 2] == self ? selfBody : null;
      } else if (c[pc] == Op.CALL && inlinedHere(c[pc + 2], often, pc)) {
        callee = body(c[pc + 2]);
      }
      if (callee != null && growth + callee.instructions() <= budget) {
        growth += callee.instructions();
        slots = splice(out, caller, pc, callee, slots);
      } else {
        out.copy(caller, pc, Slots.SAME, 0, fixups);
      }
    }
    if (growth == 0) {
      return caller;
    }
    at[c.length] = out.size;
    out.relocate(fixups, at);
    return out.body(slots);
  }

  /**
   * Appends the call at {@code pc} of {@code caller} with {@code callee}'s body in its place (see
   * the class comment), its new slots from {@code frameSize} on; returns the new frame size.
   */
  private int splice(Buffer out, Body caller, int pc, Body callee, int frameSize) {
    int[] c = caller.code();
    int result = c[pc + 1];
    int g = c[pc + 2];
    int first = c[pc + 3];
    int position = c[pc + 4];
    int params = program.function(g).params().size();
    int base = frameSize;
    int enter = base + callee.frameSize() - params;
    int exit = enter + 1;
    int origin = caller.origin()[pc];
    int owner = caller.owner()[pc];
    out.boundary(enter, new Inlined.Boundary(true, g, position, callee.calls(), 0), origin, owner);
    Slots slots = new Slots(first, params, base);
    // The copy's uncounted bodies gain its levels when it is uncounted itself.
    int uncounted = callee.calls() ? 0 : Limits.frameLevels(program.function(g).frameSize());
    int[] body = callee.code();
    int[] at = new int[body.length + 1];
    IntStack fixups = new IntStack();
    for (int q = 0; q < body.length; q += Op.length(body[q])) {
      at[q] = out.size;
      int op = body[q];
      if (op == Op.RET || op == Op.RET_VOID) {
        if (op == Op.RET && result >= 0) {
          out.instruction(callee.origin()[q], callee.owner()[q], null);
          out.add(Op.MOV, result, slots.of(body[q + 1]));
        }
        out.instruction(callee.origin()[q], callee.owner()[q], null);
        out.add(Op.JMP);
        fixups.push(out.size);
        out.add(body.length); // the end of the body: the exit boundary
      } else {
        out.copy(callee, q, slots, uncounted, fixups);
      }
    }
    at[body.length] = out.size;
    out.relocate(fixups, at);
    out.boundary(exit, new Inlined.Boundary(false, g, position, callee.calls(), 0), origin, owner);
    return exit + 1;
  }

  /** The program with the rewritten functions' copies appended, and what the generator needs of them. */
  private Inlined assemble() {
    int appendedFrom = code.length;
    Buffer out = new Buffer(0);
    List<FunctionInfo> functions = new ArrayList<>(program.functions());
    IntStack markPcs = new IntStack();
    IntStack markPositions = new IntStack();
    for (int f = 0; f < rewritten.length; f++) {
      Body b = rewritten[f];
      if (b == null) {
        continue;
      }
      int entry = appendedFrom + out.size;
      int[] relocation = new int[b.code().length + 1];
      IntStack fixups = new IntStack();
      int position = Integer.MIN_VALUE;
      for (int pc = 0; pc < b.code().length; pc += Op.length(b.code()[pc])) {
        relocation[pc] = entry + pc;
        int here = program.positionAt(b.origin()[pc]);
        if (here != position) {
          markPcs.push(entry + pc);
          markPositions.push(here);
          position = here;
        }
        out.copy(b, pc, Slots.SAME, 0, fixups);
      }
      relocation[b.code().length] = entry + b.code().length;
      out.relocate(fixups, relocation);
      FunctionInfo fn = program.function(f);
      functions.set(f, new FunctionInfo(fn.name(), entry, entry + b.code().length, b.frameSize(),
          fn.params(), fn.result()));
    }
    if (out.size == 0) {
      return new Inlined(program, graph, appendedFrom, out.origin, out.owner, out.boundaries,
          Inlined.frameLevels(program));
    }
    Program inlined = program.withAppendedCode(Arrays.copyOf(out.code, out.size), functions,
        markPcs.toArray(), markPositions.toArray());
    boolean[] changed = new boolean[rewritten.length];
    for (int f = 0; f < changed.length; f++) {
      changed[f] = rewritten[f] != null;
    }
    return new Inlined(inlined, CallGraph.afterInlining(inlined, graph, changed), appendedFrom, out.origin,
        out.owner, out.boundaries, Inlined.frameLevels(program));
  }

  /**
   * Where a copied body's slots go: parameter j (below {@code params}) to {@code first + j}, the
   * others in order from {@code base} on; -1 (a void call's result) stays.
   */
  record Slots(int first, int params, int base) {
    static final Slots SAME = new Slots(0, 0, 0);

    int of(int slot) {
      return slot < 0 ? slot : slot < params ? first + slot : base + slot - params;
    }
  }

  /** Code being appended, with its per-instruction facts. */
  static final class Buffer {
    int[] code;
    int[] origin;
    int[] owner;
    Inlined.Boundary[] boundaries;
    int size;
    int instructions;
    boolean calls;

    Buffer(int capacity) {
      code = new int[Math.max(16, capacity)];
      origin = new int[code.length];
      owner = new int[code.length];
      boundaries = new Inlined.Boundary[code.length];
    }

    /** Starts an instruction at {@link #size}. */
    void instruction(int from, int function, Inlined.Boundary boundary) {
      if (size + 8 > code.length) {
        int n = 2 * code.length;
        code = Arrays.copyOf(code, n);
        origin = Arrays.copyOf(origin, n);
        owner = Arrays.copyOf(owner, n);
        boundaries = Arrays.copyOf(boundaries, n);
      }
      origin[size] = from;
      owner[size] = function;
      boundaries[size] = boundary;
      instructions++;
    }

    void add(int... words) {
      for (int w : words) {
        code[size++] = w;
      }
    }

    /** A boundary: a {@code CONST_I} of {@code slot}, which nothing reads. */
    void boundary(int slot, Inlined.Boundary boundary, int from, int function) {
      instruction(from, function, boundary);
      add(Op.CONST_I, slot, 0);
    }

    /**
     * Appends the instruction at {@code pc} of {@code source}, its slots moved as {@code slots}
     * says and the boundaries in it under {@code uncounted} more levels of uncounted bodies; its branch
     * target is left for {@link #relocate}, noted in {@code fixups}.
     */
    void copy(Body source, int pc, Slots slots, int uncounted, IntStack fixups) {
      int[] c = source.code();
      int op = c[pc];
      Inlined.Boundary b = source.boundaries()[pc];
      if (b != null && uncounted != 0) {
        b = new Inlined.Boundary(b.enter(), b.callee(), b.position(), b.counted(),
            b.uncountedLevels() + uncounted, b.loop());
      }
      instruction(source.origin()[pc], source.owner()[pc], b);
      calls |= op == Op.CALL;
      char[] shape = SlotAllocator.SHAPES[op];
      code[size++] = op;
      for (int k = 0; k < shape.length; k++) {
        int v = c[pc + 1 + k];
        if (shape[k] == 't') {
          fixups.push(size);
        } else if (shape[k] == 'd' || shape[k] == 's') {
          v = slots.of(v);
        }
        code[size++] = v;
      }
    }

    /** Sets each target noted in {@code fixups} (an offset of the source) to {@code at[target]}. */
    void relocate(IntStack fixups, int[] at) {
      for (int i = 0; i < fixups.size; i++) {
        code[fixups.items[i]] = at[code[fixups.items[i]]];
      }
    }

    Body body(int frameSize) {
      return new Body(Arrays.copyOf(code, size), Arrays.copyOf(origin, size),
          Arrays.copyOf(owner, size), Arrays.copyOf(boundaries, size), frameSize, instructions, calls);
    }
  }

  /** A growable stack of ints. */
  static final class IntStack {
    int[] items = new int[8];
    int size;

    void push(int v) {
      if (size == items.length) {
        items = Arrays.copyOf(items, 2 * size);
      }
      items[size++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(items, size);
    }
  }
}
