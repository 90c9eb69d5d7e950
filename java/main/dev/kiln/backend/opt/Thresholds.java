package dev.kiln.backend.opt;

/** The back end's tuning thresholds, each with its reason. */
public final class Thresholds {
  /**
   * How many memory facts (values known to be in memory) one block tracks at most: a lookup
   * scans them all, so this bounds the pass at linear time on huge straight-line blocks.
   */
  public static final int MEMORY_FACTS = 64;

  /**
   * How many times mem sweeps a function at most: again only after its joins folded a branch (a
   * loop's exit that falls through loops testing the cell it left zero), which leaves blocks
   * with one predecessor each, so that the next sweep forwards along the straightened path. A
   * third sweep rarely finds more.
   */
  public static final int MEMORY_ROUNDS = 2;

  /**
   * How many memory locations one loop keeps in SSA values at most (scalar promotion): each
   * takes a register across the whole loop, and past about half of the allocatable ones the
   * loop's own temporaries would spill.
   */
  public static final int PROMOTED_LOCATIONS = 6;

  /**
   * How many checked accesses on one base a block needs before bounds-check elimination guards
   * it: the guard costs one compare and branch (as one check does) and a copy of the block.
   */
  public static final int GUARDED_ACCESSES = 2;

  /**
   * The most instructions in a chain of blocks that bounds-check elimination versions behind one
   * guard ({@code RegionGuards}): the chain is copied whole for the guard's else edge, so this
   * bounds the code it adds; a longer run of blocks gets a guard for each such stretch.
   */
  public static final int REGION_GUARD_MAX_INSTRUCTIONS = 256;

  /**
   * Instructions of a callee inlined at any call: about the cost of the call itself (argument
   * moves, depth check, call, frame set-up, return), so inlining it does not grow the code.
   */
  public static final int INLINE_BUDGET = 12;

  /** Instructions of a callee inlined at a call in a loop, where the call's cost repeats. */
  public static final int INLINE_LOOP_BUDGET = 48;

  /**
   * Instructions of a directly recursive function inlined into itself: a recursion as small as
   * {@code fib} spends most of its time in the calls (depth check, frame, return), which each
   * level of inlining divides.
   */
  public static final int INLINE_SELF_BUDGET = 24;

  /**
   * Levels of a recursive function inlined into itself: with two calls of itself, two levels
   * make each real call do the work of seven and the function about seven times as long; a third
   * would double its length again to save a smaller share of the calls.
   */
  public static final int INLINE_SELF_LEVELS = 2;

  /**
   * Instructions of a guard clause (its test and its early exit, jumps aside) copied to each call
   * site of its function: a compare, a branch and a value or two, no more than the call's argument
   * moves and depth check cost.
   */
  public static final int GUARD_CLAUSE_BUDGET = 6;

  /** Instructions a function may reach by inlining: bounds the growth of code and compile time. */
  public static final int INLINE_CALLER_LIMIT = 2_000;

  /**
   * The hint relations of a value (and of each related value) the register allocator looks at,
   * in order: a value passed on many edges (Brainfuck's pointer) would otherwise make each
   * choice cost as many looks as it has edges.
   */
  public static final int REGISTER_HINTS_LOOKED_AT = 4;

  /**
   * The most bytes of NOPs that align a loop's first block to 16 bytes: every loop top is
   * aligned (as LLVM aligns loop headers). The front end fetches and the decoded-uop cache maps
   * aligned windows, so a small loop that starts late in one runs over into the next and takes
   * two fetches per iteration; the padding sits where the way into the loop jumps over it or
   * runs once per entry.
   */
  public static final int LOOP_ALIGNMENT_MAX_PADDING = 15;

  /**
   * The fewest moves an edge of a branch needs to be emitted after the function's body when the
   * branch's other way falls through. In line, its moves cost the way that falls through a taken
   * jump over them; out of line, their own way pays a second jump. With one move, and no telling
   * which way runs more (fib's base case, a branch on the data), neither place wins; several
   * moves, such as a loop guard's exit passing the loop's values to its checked copy, would also
   * spread the expected way over more of the front end's fetch windows.
   */
  public static final int OUT_OF_LINE_EDGE_MIN_MOVES = 2;

  /**
   * The most instructions (its jump aside) an arm of a branch may have to be if-converted: both
   * arms then run every time, which costs about what one mispredicted branch (15-20 cycles) saves
   * only while the arms are a few single-cycle operations each.
   */
  public static final int IF_CONVERSION_MAX_ARM = 4;

  /**
   * The most iterations a loop may be proven to run ({@link BoundedLoops}) for its back edges to
   * go without a poll: a million short iterations take a few milliseconds, which a time limit
   * or cancellation may wait, while the polls of a short loop (a Brainfuck scan or walk over
   * records, bounded by the tape) cost a tenth of its time.
   */
  public static final long UNPOLLED_LOOP_MAX_ITERATIONS = 1 << 20;

  /**
   * The most instructions (its jump aside) an arm idle when its branch's condition is zero may
   * have to run unconditionally ({@link IdleArms}): it then runs every time, which pays while
   * it costs less than the branch mispredicted about half the time (15-20 cycles); a Brainfuck
   * multiply loop into two cells is six.
   */
  public static final int IDLE_ARM_MAX_INSTRUCTIONS = 10;

  /** The most {@code select}s one if-conversion may add (one per joined value that differs). */
  public static final int IF_CONVERSION_MAX_SELECTS = 4;

  /**
   * The most instructions a loop may have to have its first iteration peeled, so that a load
   * reads the constant the iteration before left ({@link LoopCarriedLoads}): the copy grows the
   * code by the loop's size again, while a Brainfuck record walk, the loop this pays in, has
   * under 30 with its guard and checked version.
   */
  public static final int PEELED_LOOP_MAX_INSTRUCTIONS = 32;

  /**
   * The most instructions a loop may have to be versioned for its bounds checks: the loop is
   * copied, and past a few dozen instructions per iteration the checks' share of its time is
   * too small to pay for the code growth.
   */
  public static final int VERSIONED_LOOP_MAX_INSTRUCTIONS = 100;

  /**
   * The most instructions a loop around other loops may have, theirs included, to be versioned
   * for the bounds checks of its own blocks: the whole nest is copied, which pays where the
   * inner loops run a few iterations each (a Newton square root) and the outer body's checks are
   * a good share of each iteration. nbody's pair loop with its inlined square root has 120, and
   * sieve's prime loop, its inner loop versioned, fits too; the limit keeps each copy near a
   * kilobyte of code.
   */
  public static final int VERSIONED_NEST_MAX_INSTRUCTIONS = 160;

  /**
   * IR instructions a module needs before its functions compile on several threads: handing
   * them to another thread costs a wake-up or a thread start and a cold cache there, far less
   * than compiling this many instructions takes (tens of milliseconds in a cold JVM), while a
   * small module's compile stays on one thread, as simple to follow as it was.
   */
  public static final int PARALLEL_MIN_INSTRUCTIONS = 2_000;

  /**
   * The most threads, the calling one included, that compile one module's functions: a cold
   * JVM's own JIT compiler threads need cores too, and the gain stops at a few threads when a
   * few functions hold most of the work.
   */
  public static final int COMPILE_THREADS = 4;

  /**
   * How many iterations of a loop of one block with strided accesses run per bounds guard (and
   * per poll): four turn a scan's seven instructions an iteration into about three, as in C,
   * and more save little against the growing code.
   */
  public static final int UNROLLED_ITERATIONS = 4;

  /**
   * The most instructions a loop of one block may have to be unrolled for its bounds checks: a
   * scan's step, load and test (and the step's constant). The guard and poll saved per iteration
   * matter only against such a short body, while unrolling longer bodies multiplies the IR (and
   * the compile time) of programs made of many small loops, such as generated Brainfuck.
   */
  public static final int UNROLLED_LOOP_MAX_INSTRUCTIONS = 4;

  /**
   * The most products of an induction variable and an invariant that one loop turns into
   * parameters stepped by an add: each is a register live across the whole loop, and a few
   * cover a loop's row offsets and scaled counters while the allocator keeps its other values.
   */
  public static final int REDUCED_PRODUCTS_PER_LOOP = 4;

  private Thresholds() {}
}
