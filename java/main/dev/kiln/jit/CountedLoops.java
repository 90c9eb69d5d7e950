package dev.kiln.jit;

import dev.kiln.asm.Cond;
import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counted loops, which the code generator emits in a fast version guarded by a test at the
 * loop's entry (loop versioning, as HotSpot's range-check elimination does with predicates): a
 * loop whose back edge compares a counter with a loop-invariant limit, and whose counter is
 * written once per iteration, outside any loop inside it, by adding a loop-invariant step.
 *
 * <p>In the fast version, an access {@code a[counter]} to an array slot the loop does not write,
 * placed before the counter's increment, is not bounds-checked: the entry test ({@link Loop}) has
 * shown that every value the counter takes there is an index of every such array. When the test
 * fails, the loop runs as it was, checked, so an out-of-bounds program fails at the same
 * iteration and position, with the same output before, as in the interpreter. If the increment
 * runs on every path through the body, no loop is inside and no upcall (print, {@code new}),
 * the fast version is also strip-mined: its back edge compares the counter with a strip limit
 * at most {@link #STRIP_ITERATIONS} steps ahead instead of polling the time limit, and polls
 * (and sets the next strip's limit) only when a strip ends. (A loop inside polls only when its
 * own strip ends, which a short one never reaches: its outer loop keeps its poll per
 * iteration.)
 *
 * <p>The loops are bottom-tested, as the front end lays them out: a for loop is entered through
 * a guard that skips it unless the counter is below the limit, a while loop by a jump to its
 * condition at the bottom. The code from there to the back edge is the loop, entered only
 * there. Only loops without calls and of at most {@link #MAX_INSTRUCTIONS} instructions (loops
 * inside included) are versioned, which bounds the code the copies add (a loop inside has four
 * copies, two in each version of its outer loop) and the time one strip runs without a poll.
 */
final class CountedLoops {
  /** The longest loop (in bytecode instructions) given a fast version. */
  static final int MAX_INSTRUCTIONS = 64;
  /**
   * The most iterations a strip runs without polling the time limit: log2. 2^10 iterations of at
   * most {@link #MAX_INSTRUCTIONS} instructions without calls or upcalls take at most about 15 ms
   * even if each instruction missed the cache and the TLB (~200 ns), well within the 100 ms the
   * time limit allows; typically a strip takes microseconds.
   */
  static final int LOG_STRIP_ITERATIONS = 10;
  static final int STRIP_ITERATIONS = 1 << LOG_STRIP_ITERATIONS;
  /**
   * The largest step a slot may hold for a fast version: the strip limit is the counter plus
   * {@link #STRIP_ITERATIONS} steps, which must not overflow before it is compared.
   */
  static final long MAX_STEP = 1L << 31;

  /**
   * One loop: the fast version starts at {@code start}, where the loop tests its condition
   * before the first iteration (the while loop's jump to its condition, or the for loop's
   * guard), its back edge is the branch at {@code backEdge}, and it ends at {@code end}, where
   * the loop falls out. The back edge continues while {@code counter
   * cond limit} (after a for loop's increment); {@code limit} and {@code step} are a slot or an
   * immediate. The entry test ({@link #guarded} says whether one is needed at all) holds when
   *
   * <ul>
   *   <li>a step in a slot has the loop's direction and a magnitude of at most {@link #MAX_STEP};
   *   <li>{@code limit + step} does not overflow, so no counter value the loop tests can wrap
   *       (each is at most the limit, counting up: then the next is the last plus the step);
   *   <li>if there are {@code arrays}: the counter's first value already passes the condition and
   *       lies in every array, and so does the limit's side (counting up: {@code 0 <= counter},
   *       {@code limit <= length} for {@code <}, {@code limit < length} for {@code <=}; counting
   *       down: {@code counter < length}, {@code limit >= 0} for {@code >=}, {@code limit >= -1}
   *       for {@code >}). The counter moves monotonically between its first value and the
   *       limit, so every value it takes before its increment, where the unchecked accesses are,
   *       is an index of each array.
   * </ul>
   *
   * <p>The conditions on the arrays are {@code boundsKnown} (and not tested) for a loop such as
   * {@code for i in 0..len(a)}: the counter starts at a constant {@code >= 0} and counts up to a
   * strict limit that is the length of its one array, both set in straight-line code before the
   * loop. (The loop itself tests the counter's first value, at its start.)
   */
  record Loop(
      int start,
      int header,
      int backEdge,
      int end,
      int counter,
      Cond cond,
      boolean limitInSlot,
      int limit,
      boolean stepInSlot,
      int step,
      int[] arrays,
      boolean boundsKnown,
      boolean stripMined) {
    /** Whether the counter counts up (the condition is {@code <} or {@code <=}). */
    boolean up() {
      return cond == Cond.L || cond == Cond.LE;
    }

    /**
     * Whether the entry test must show that {@code limit + step} does not overflow: it cannot if
     * the counter steps by one toward a strict limit (each value tested is then below the limit),
     * and an immediate limit and step were checked when the loop was found.
     */
    boolean testsOverflow() {
      boolean strictUnitStep = (cond == Cond.L || cond == Cond.G) && Math.abs(step) == 1;
      return stepInSlot || limitInSlot && !strictUnitStep;
    }

    /** Whether the fast version needs an entry test at all (else there is no checked version). */
    boolean guarded() {
      return arrays.length > 0 && !boundsKnown || testsOverflow();
    }

    /** Whether the back edge is a for loop's, which increments the counter itself. */
    boolean incrementsAtBackEdge(int[] code) {
      return code[backEdge] == Op.FOR_I || code[backEdge] == Op.FOR_I_IMM;
    }
  }

  /**
   * The loops of a function, by the offset their fast version starts at ({@code pc - entry}),
   * null elsewhere; and per instruction, for an array access that a loop's fast version leaves
   * unchecked, that loop.
   */
  record Result(Loop[] startingAt, Loop[] uncheckedIn) {}

  private final int[] code;
  private final FunctionInfo fn;
  private final boolean[] handedOnly;
  private final int[] tailCopies;
  /** Per offset ({@code pc - entry}): whether an instruction starts there. */
  private final boolean[] starts;
  /**
   * Per offset: whether other paths join there: a branch's target, or where a copy of a jump's
   * target falls through ({@link TailCopies}).
   */
  private final boolean[] joins;
  /** The function's branches, in order. */
  private final int[] branches;
  private int branchCount;
  private final Result result;

  private CountedLoops(Program program, FunctionInfo fn, boolean[] joins, boolean[] handedOnly,
      int[] tailCopies) {
    this.code = program.code();
    this.fn = fn;
    this.joins = joins;
    this.handedOnly = handedOnly;
    this.tailCopies = tailCopies;
    this.starts = new boolean[fn.end() - fn.entry()];
    this.branches = new int[fn.end() - fn.entry()];
    for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(code[pc])) {
      starts[pc - fn.entry()] = true;
      if (Op.isBranch(code[pc])) {
        branches[branchCount++] = pc;
      }
    }
    this.result = new Result(new Loop[fn.end() - fn.entry()], new Loop[fn.end() - fn.entry()]);
  }

  /**
   * @param joins per offset {@code pc - entry}, the end included: whether other paths join there
   *     (the code generator's jump targets: branch targets and where tail copies fall through)
   * @param handedOnly the slots that live only in scratch registers ({@link HandOvers})
   * @param tailCopies the jumps replaced by copies of their targets' code ({@link TailCopies})
   */
  static Result find(Program program, FunctionInfo fn, boolean[] joins, boolean[] handedOnly,
      int[] tailCopies) {
    CountedLoops loops = new CountedLoops(program, fn, joins, handedOnly, tailCopies);
    for (int k = 0; k < loops.branchCount; k++) {
      int pc = loops.branches[k];
      if (Op.target(program.code(), pc) <= pc) {
        loops.consider(pc);
      }
    }
    return loops.result;
  }

  private void consider(int backEdge) {
    int op = code[backEdge];
    int header = Op.target(code, backEdge);
    boolean forLoop = op == Op.FOR_I || op == Op.FOR_I_IMM;
    Cond cond = forLoop ? Cond.L : BranchEmitter.intBranchCondition(op);
    if (cond == null || cond == Cond.E || cond == Cond.NE) {
      return;
    }
    int counter = code[backEdge + 1];
    boolean limitInSlot = op == Op.FOR_I || (op >= Op.J_EQ_I && op <= Op.J_GE_I);
    int limit = code[backEdge + 2];
    int end = backEdge + Op.length(op);
    int start = entryTest(op, header, backEdge);
    if (start < 0 || (limitInSlot && (limit == counter || handedOnly[limit])) || handedOnly[counter]) {
      return;
    }
    Body body = body(header, backEdge);
    if (body == null || limitInSlot && body.writes[limit] > 0 || !singleEntry(start, end)) {
      return;
    }
    int increment = forLoop ? backEdge : body.writes[counter] == 1 ? body.lastWrite[counter] : -1;
    boolean stepInSlot = false;
    int step = 1;
    if (forLoop && body.writes[counter] > 0 || increment < 0) {
      return;
    } else if (!forLoop) {
      int inc = code[increment];
      if (inc == Op.ADD_I_IMM && code[increment + 2] == counter) {
        step = code[increment + 3];
      } else if (inc == Op.ADD_I && (code[increment + 2] == counter) != (code[increment + 3] == counter)) {
        stepInSlot = true;
        step = code[increment + 2] == counter ? code[increment + 3] : code[increment + 2];
        if (handedOnly[step] || body.writes[step] > 0) {
          return;
        }
      } else {
        return;
      }
      boolean up = cond == Cond.L || cond == Cond.LE;
      if (!stepInSlot && (step == 0 || (step > 0) != up)) {
        return;
      }
    }
    if (!stepInSlot && !limitInSlot && overflows(limit, step)) {
      return; // the fast version could never run
    }
    if (insideInnerLoop(increment, header, backEdge)) {
      return;
    }
    List<Integer> accesses = uncheckedAccesses(counter, header, increment, body);
    int[] arrays = arraysOf(accesses);
    boolean stripMined = !body.innerLoop && !body.callsTheHost
        && incrementOnEveryPath(header, increment, backEdge);
    Loop loop = new Loop(start, header, backEdge, end, counter, cond, limitInSlot, limit,
        stepInSlot, step, arrays, boundsKnown(start, counter, cond, limitInSlot ? limit : -1, arrays),
        stripMined);
    if (arrays.length == 0 && (!stripMined || loop.guarded())) {
      return; // a second copy of the loop only to poll less often is not worth its code
    }
    result.startingAt()[start - fn.entry()] = loop;
    for (int pc : accesses) {
      result.uncheckedIn()[pc - fn.entry()] = loop;
    }
  }

  /**
   * Whether, on every path to {@code start}, the counter was last set to a constant {@code >= 0}
   * and the (strict, upper) limit to the length of the loop's one array, not written since: the
   * definitions that reach {@code start} through straight-line code, with no jump target (a
   * join) after them.
   */
  private boolean boundsKnown(int start, int counter, Cond cond, int limit, int[] arrays) {
    if (cond != Cond.L || limit < 0 || arrays.length != 1 || joins[start - fn.entry()]) {
      return false;
    }
    int counterSet = -1;
    int limitSet = -1;
    for (int pc = previous(start); pc >= fn.entry() && (counterSet < 0 || limitSet < 0); pc = previous(pc)) {
      int written = Op.writtenSlot(code, pc);
      if (written == arrays[0] && limitSet < 0) {
        return false; // the array changed after the limit was set
      }
      counterSet = written == counter && counterSet < 0 ? pc : counterSet;
      limitSet = written == limit && limitSet < 0 ? pc : limitSet;
      if (joins[pc - fn.entry()]) {
        break; // other paths join here, with other values
      }
    }
    return counterSet >= 0 && code[counterSet] == Op.CONST_I && code[counterSet + 2] >= 0
        && limitSet >= 0 && code[limitSet] == Op.LEN && code[limitSet + 2] == arrays[0];
  }

  /** The instruction before the one at {@code pc} (before the function's entry if none). */
  private int previous(int pc) {
    do {
      pc--;
    } while (pc >= fn.entry() && !starts[pc - fn.entry()]);
    return pc;
  }

  private static boolean overflows(long limit, long step) {
    long sum = limit + step;
    return ((limit ^ sum) & (step ^ sum)) < 0;
  }

  /**
   * Where the loop tests its condition before the first iteration: a while loop's jump to its
   * condition at the back edge, or a for loop's guard, which jumps past the loop unless the
   * counter is below the limit; -1 if neither is right before the header.
   */
  private int entryTest(int op, int header, int backEdge) {
    int end = backEdge + Op.length(op);
    int jump = header - Op.length(Op.JMP);
    if (jump >= fn.entry() && starts[jump - fn.entry()] && code[jump] == Op.JMP && code[jump + 1] == backEdge) {
      return jump;
    }
    int guard = header - Op.length(Op.J_GE_I);
    boolean forLoop = op == Op.FOR_I || op == Op.FOR_I_IMM;
    if (forLoop && guard >= fn.entry() && starts[guard - fn.entry()]
        && code[guard] == (op == Op.FOR_I ? Op.J_GE_I : Op.J_GE_I_IMM)
        && code[guard + 1] == code[backEdge + 1] && code[guard + 2] == code[backEdge + 2]
        && Op.target(code, guard) == end) {
      return guard;
    }
    return -1;
  }

  /**
   * Whether the loop can be entered only at {@code start}, its entry test: no branch from
   * outside {@code [start, end)} leads into it, nor does a copy of the code at a jump's target
   * ({@link TailCopies}) fall into it.
   */
  private boolean singleEntry(int start, int end) {
    for (int k = 0; k < branchCount; k++) {
      int pc = branches[k];
      if (pc < start || pc >= end) {
        int t = Op.target(code, pc);
        int copyEnd = tailCopies[pc - fn.entry()];
        if (t > start && t < end || copyEnd > start && copyEnd < end) {
          return false;
        }
      }
    }
    return true;
  }

  /** What one pass over a loop's body {@code [header, backEdge)} found. */
  private static final class Body {
    /** Per slot: how many instructions of the body write it, and the last of them. */
    final int[] writes;
    final int[] lastWrite;
    /** Whether a loop is inside, and whether the body may call the host (print, new). */
    boolean innerLoop;
    boolean callsTheHost;

    Body(int slots) {
      writes = new int[slots];
      lastWrite = new int[slots];
    }
  }

  /**
   * The body's summary, or null unless the body is short, makes no call, and its back edges but
   * the loop's own are of loops inside it.
   */
  private Body body(int header, int backEdge) {
    Body body = new Body(fn.frameSize());
    int count = 0;
    for (int pc = header; pc < backEdge; pc += Op.length(code[pc])) {
      int op = code[pc];
      if (++count > MAX_INSTRUCTIONS || op == Op.CALL || Op.isBranch(op) && Op.target(code, pc) < header) {
        return null;
      }
      body.innerLoop |= Op.isBranch(op) && Op.target(code, pc) <= pc;
      // A strip of upcalls could take long, and the poll costs little beside them.
      body.callsTheHost |= CallGraph.isUpcall(op);
      int slot = Op.writtenSlot(code, pc);
      if (slot >= 0) {
        body.writes[slot]++;
        body.lastWrite[slot] = pc;
      }
    }
    return body;
  }

  /**
   * Whether the instruction at {@code pc} is in a loop inside {@code [header, backEdge)}: there
   * it may run more than once per iteration.
   */
  private boolean insideInnerLoop(int pc, int header, int backEdge) {
    for (int at = header; at < backEdge; at += Op.length(code[at])) {
      if (Op.isBranch(code[at]) && Op.target(code, at) <= pc && pc <= at) {
        return true;
      }
    }
    return false;
  }

  /**
   * The accesses {@code a[counter]} in {@code [header, increment)} to arrays the loop does not
   * write. Code there is reached from the header only by forward branches and within loops
   * inside it, which do not contain the increment, so the counter holds the value the back edge
   * (or the entry) tested.
   */
  private List<Integer> uncheckedAccesses(int counter, int header, int increment, Body body) {
    List<Integer> accesses = new ArrayList<>();
    for (int pc = header; pc < increment; pc += Op.length(code[pc])) {
      int op = code[pc];
      int index = op == Op.ALOAD ? code[pc + 3] : op == Op.ASTORE ? code[pc + 2] : -1;
      if (index == counter && !handedOnly[arrayOf(pc)] && body.writes[arrayOf(pc)] == 0) {
        accesses.add(pc);
      }
    }
    return accesses;
  }

  /** The distinct arrays of {@code accesses}. */
  private int[] arraysOf(List<Integer> accesses) {
    int[] arrays = new int[accesses.size()];
    int count = 0;
    for (int pc : accesses) {
      int array = arrayOf(pc);
      int k = 0;
      while (k < count && arrays[k] != array) {
        k++;
      }
      if (k == count) {
        arrays[count++] = array;
      }
    }
    return Arrays.copyOf(arrays, count);
  }

  /** The array slot of the access at {@code pc}. */
  private int arrayOf(int pc) {
    return code[pc] == Op.ALOAD ? code[pc + 2] : code[pc + 1];
  }

  /** Whether every path from the header to the back edge runs the increment. */
  private boolean incrementOnEveryPath(int header, int increment, int backEdge) {
    for (int pc = header; pc < increment; pc += Op.length(code[pc])) {
      if (Op.isBranch(code[pc])) {
        int t = Op.target(code, pc);
        if (t > increment && t <= backEdge) {
          return false;
        }
      }
    }
    return true;
  }
}
