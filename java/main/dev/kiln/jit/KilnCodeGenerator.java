package dev.kiln.jit;

import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RSP;
import static dev.kiln.asm.Xmm.XMM0;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.asm.ShiftOp;
import dev.kiln.asm.SseOp;
import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.vm.Heap;
import dev.kiln.vm.Limits;
import dev.kiln.vm.RuntimeErrorKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a whole {@link Program} into one block of x86-64 code: first the {@link EntryStub}
 * {@code long run(long context)} in the host convention, then every function in
 * the internal convention of {@link Frame}, each followed by its out-of-line stubs. This class
 * lays out the frames, and per function emits the prologue and epilogue and dispatches each
 * instruction to the emitter of its family; the emitters share an {@link EmitContext} and reach
 * slots through {@link Slots}.
 *
 * <p>Fixed registers while Kiln code runs: r13 = context block ({@link JitContext}), r15 = levels
 * still allowed before {@link Limits#MAX_CALL_DEPTH}. Slots live where {@link SlotAllocator} put
 * them; rax, rcx, rdx, xmm0 and xmm1 are scratch. An array is its address in compiled code: the
 * heap's base (which never moves, see {@link Heap#baseAddress}) plus the reference {@code new}
 * returns, so element i is {@code [array + 8 + 8i]} and needs no base register; Kiln code cannot
 * compare or print arrays, so no other code sees the difference.
 *
 * <p>A failing check jumps to a stub that writes the error's kind, position and numbers to the
 * context block and jumps to the entry stub's unwind code, which restores the rsp saved at entry:
 * the whole Kiln stack is dropped at once and Java raises the same error the interpreter would.
 */
final class KilnCodeGenerator {
  private static final int LOOP_ALIGNMENT = 16;

  private final Program program;
  private final int[] code;
  private final Assembler a;
  /** Whether to write listing comments (building their text costs compile time). */
  private final boolean listing;
  private final CallGraph calls;
  /** Each function's frame, laid out before any code so upcalls know the registers in use. */
  private final Frame[] frames;
  private final Label[] functionLabels;
  private final int maxFrameBytes;

  private final EmitContext ctx;
  private final Slots slots;
  private final ArithmeticEmitter arithmetic;
  private final DivisionEmitter division;
  private final FloatEmitter floats;
  private final BranchEmitter branches;
  private final CallEmitter callEmitter;
  private final UpcallEmitter upcalls;
  private final ArrayEmitter arrays;
  private final CountedLoopEmitter loops;
  private final SelectEmitter selects;

  // Per function.
  /** Per instruction: whether it divides a known multiple of its power-of-two divisor. */
  private boolean[] exactDivisions;
  /** Per instruction: for a jump replaced by a copy of its target's code, that code's end. */
  private int[] tailCopies;
  /** Per instruction: whether it is a conditional branch emitted inverted over the jump after it. */
  private boolean[] inversions;
  /** Per instruction: whether it is an array load folded into the compare after it. */
  private boolean[] loadCompares;
  /** Per instruction: the if-converted diamond or triangle its branch starts, or null. */
  private IfConversions.Conversion[] ifConversions;
  /** The conditional branch to emit inverted next, -1 if none, and where it jumps instead. */
  private int invertedBranch = -1;
  private int invertedTarget;
  /** The counted loops, and those whose fast version is being emitted. */
  private CountedLoops.Result countedLoops;
  private final List<CountedLoops.Loop> fastLoops = new ArrayList<>();
  /** The strip-mined loop whose body is being emitted, or null. */
  private CountedLoops.Loop stripMined;
  /** Per instruction: whether a loop header is at it (aligned when reached only by jumps). */
  private boolean[] loopHeaders;
  /** Whether the instruction emitted last may fall through to the next. */
  private boolean fallsThrough;

  private KilnCodeGenerator(Inlined inlined, CallingConvention convention, long upcallAddress, boolean listing) {
    this.program = inlined.program();
    this.code = program.code();
    this.listing = listing;
    this.a = listing ? Assembler.withListing() : new Assembler();
    this.functionLabels = new Label[program.functions().size()];
    for (int f = 0; f < functionLabels.length; f++) {
      functionLabels[f] = a.label(program.function(f).name());
    }
    this.ctx = new EmitContext(a, inlined, convention, listing);
    this.calls = inlined.calls();
    SlotAllocator.Homes[] homes = new SlotAllocator.Homes[functionLabels.length];
    for (int f = 0; f < homes.length; f++) {
      homes[f] = SlotAllocator.allocate(program, program.function(f));
    }
    UpcallClobbers clobbers = UpcallClobbers.of(homes, convention);
    this.frames = new Frame[homes.length];
    int maxBytes = 0;
    for (int f = 0; f < homes.length; f++) {
      FunctionInfo fn = program.function(f);
      frames[f] = new Frame(homes[f], fn.params().size(), calls.maxCallArgs(f), calls.makesUpcalls(f),
          calls.reachesUpcall(f), clobbers);
      maxBytes = Math.max(maxBytes, frames[f].totalBytes());
    }
    this.maxFrameBytes = maxBytes;
    EarlyReturn[] guards = new EarlyReturn[homes.length];
    Label[] bodies = new Label[homes.length];
    for (int f = 0; f < homes.length; f++) {
      guards[f] = EarlyReturn.find(program, program.function(f), frames[f]);
      bodies[f] = guards[f] == null ? functionLabels[f] : a.label(program.function(f).name() + ".body");
    }
    this.slots = new Slots(ctx);
    this.arithmetic = new ArithmeticEmitter(ctx, slots);
    this.division = new DivisionEmitter(ctx, slots, arithmetic);
    this.floats = new FloatEmitter(ctx, slots);
    this.branches = new BranchEmitter(ctx, slots);
    this.callEmitter = new CallEmitter(ctx, slots, calls, guards, bodies,
        !ThreadStack.holdsMaxDepth(maxBytes));
    this.upcalls = new UpcallEmitter(ctx, slots, upcallAddress);
    this.arrays = new ArrayEmitter(ctx, slots, upcalls);
    this.loops = new CountedLoopEmitter(ctx, slots);
    this.selects = new SelectEmitter(ctx, slots, branches);
  }

  /** The generated (not yet finished) code, its function labels and its largest frame. */
  record Generated(Assembler assembler, Label[] functions, int maxFrameBytes) {}

  static Generated generate(Program program, CallingConvention convention, long upcallAddress, boolean listing) {
    return generate(Inliner.inline(program), convention, upcallAddress, listing);
  }

  /** {@link #generate} with inlining as given ({@link Inlined#none}: every call a call). */
  static Generated generate(Inlined program, CallingConvention convention, long upcallAddress, boolean listing) {
    KilnCodeGenerator g = new KilnCodeGenerator(program, convention, upcallAddress, listing);
    EntryStub.emit(g.ctx, g.functionLabels[g.program.mainIndex()]);
    for (int f = 0; f < g.functionLabels.length; f++) {
      g.emitFunction(f);
    }
    return new Generated(g.a, g.functionLabels, g.maxFrameBytes);
  }

  // ------------------------------------------------------------------ functions

  private void emitFunction(int f) {
    FunctionInfo fn = program.function(f);
    Frame frame = frames[f];
    int functionEntry = fn.entry();
    callEmitter.begin();
    slots.begin(fn.frameSize());
    Label[] targets = new Label[fn.end() - functionEntry + 1];
    exactDivisions = ExactDivisions.find(program, fn);
    tailCopies = TailCopies.find(program, fn);
    loadCompares = LoadCompares.find(program, fn, frame.handOvers);
    findBranchTargets(fn, targets);
    ctx.begin(f, frame, targets);
    boolean[] jumpTargets = new boolean[targets.length];
    for (int i = 0; i < targets.length; i++) {
      jumpTargets[i] = targets[i] != null;
    }
    inversions = BranchInversions.find(program, fn, jumpTargets, tailCopies);
    ifConversions = IfConversions.find(program, fn, frame, ctx.inlined, tailCopies, inversions);
    countedLoops = CountedLoops.find(program, fn, jumpTargets, frame.handOvers.only(), tailCopies);
    for (CountedLoops.Loop loop : countedLoops.startingAt()) {
      if (loop != null && targets[loop.end() - functionEntry] == null) {
        targets[loop.end() - functionEntry] = a.label(); // where the fast version leaves
      }
    }
    a.align(LOOP_ALIGNMENT);
    a.bind(functionLabels[f]);
    if (listing) {
      a.comment("fn " + fn.name() + ": " + describe(frame));
    }
    EarlyReturn early = callEmitter.guardClause();
    if (early != null) {
      callEmitter.emitGuardClause(early);
    }
    emitPrologue(f, fn, frame);
    fallsThrough = true;
    arrays.join();
    for (int pc = early != null ? early.resume() : fn.entry(); pc < fn.end(); ) {
      pc = emitNext(pc);
    }
    Label end = ctx.label(fn.end());
    if (end != null) {
      a.bind(end); // dead jumps past a final return (after if/else that both return)
    }
    emitEpilogue();
    ctx.emitStubs();
  }

  /**
   * Gives a label to every branch target of {@code fn} and to where each tail copy's branch falls
   * through, and marks the targets reached backwards ({@link #loopHeaders}).
   */
  private void findBranchTargets(FunctionInfo fn, Label[] targets) {
    int functionEntry = fn.entry();
    loopHeaders = new boolean[targets.length];
    for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(code[pc])) {
      int copyEnd = tailCopies[pc - functionEntry];
      if (copyEnd != 0 && targets[copyEnd - functionEntry] == null) {
        targets[copyEnd - functionEntry] = a.label(); // where the copy's branch falls through
      }
      if (Op.isBranch(code[pc])) {
        int t = Op.target(code, pc);
        if (targets[t - functionEntry] == null) {
          targets[t - functionEntry] = a.label();
        }
        loopHeaders[t - functionEntry] |= t <= pc;
      }
    }
  }

  /**
   * Saves the pool registers function {@code f} uses, makes its frame, moves its parameters from
   * the internal convention's registers and stack cells to their homes, and, if it is recursive,
   * polls the time limit.
   */
  private void emitPrologue(int f, FunctionInfo fn, Frame frame) {
    for (Reg r : frame.pushed) {
      a.push(r);
    }
    if (frame.size > 0) {
      a.sub(RSP, frame.size);
    }
    for (int k = 0; k < frame.xmmSaved.size(); k++) {
      a.movsd(frame.xmmSaveCell(k), frame.xmmSaved.get(k));
    }
    for (int j = 0; j < fn.params().size() && j < fn.frameSize(); j++) {
      if (Frame.floatArgument(fn, j) != null) {
        slots.fromXmm(j, Frame.floatArgument(fn, j));
      } else if (j < Frame.ARGUMENT_REGISTERS.size()) {
        slots.store(j, Frame.ARGUMENT_REGISTERS.get(j)); // to its register, or its frame cell
      } else if (!frame.inMemory(j)) {
        slots.store(j, Mem.qword(RSP, frame.incoming(j)));
      }
    }
    if (calls.isRecursive(f)) {
      // A cycle of calls can run forever without a loop: its entries poll like back edges.
      ctx.poll(program.positionAt(fn.entry()));
    }
  }

  /** The counted loop starting at {@code pc}, or else the instruction there ({@link #emitAt}). */
  private int emitNext(int pc) {
    CountedLoops.Loop loop = countedLoops.startingAt()[pc - ctx.functionEntry];
    if (loop == null) {
      return emitAt(pc);
    }
    emitCountedLoop(loop);
    return loop.end();
  }

  /**
   * The instruction at {@code pc} (with the jump after it, if the instruction is inverted over
   * it), preceded by its label if it is a jump target; returns the pc of the next instruction.
   */
  private int emitAt(int pc) {
    Label target = ctx.label(pc);
    if (target != null) {
      if (!fallsThrough && loopHeaders[pc - ctx.functionEntry]) {
        a.align(LOOP_ALIGNMENT);
      }
      a.bind(target);
      arrays.join();
    }
    IfConversions.Conversion conversion = ifConversions[pc - ctx.functionEntry];
    if (conversion != null) {
      emitIfConverted(pc, conversion);
      fallsThrough = true;
      return conversion.end();
    }
    ctx.mark(pc);
    if (listing) {
      a.comment(ctx.describe(pc));
    }
    int op = code[pc];
    if (inversions[pc - ctx.functionEntry]) {
      int jump = pc + Op.length(op);
      emitInverted(pc, code[jump + 1]);
      ctx.mark(jump); // left out: the inverted branch does its work
      if (listing) {
        a.comment(ctx.describe(jump) + " (left out: the branch before is inverted)");
      }
      fallsThrough = true; // into the branch's own target
      return jump + Op.length(Op.JMP);
    } else if (tailCopies[pc - ctx.functionEntry] != 0 && !toStripBackEdge(pc)) {
      fallsThrough = emitTailCopy(pc, tailCopies[pc - ctx.functionEntry]);
    } else {
      emitInstruction(pc, pc + Op.length(op) >= ctx.functionEnd);
      fallsThrough = Op.fallsThrough(op);
    }
    return pc + Op.length(op);
  }

  /**
   * A counted loop ({@link CountedLoops}): its entry test, its fast version, then, if the test
   * can fail, the loop as it is, which the test jumps to. Each version has labels of its own for
   * the jump targets inside the loop; jumps out of the loop go to the same code from both, and
   * jumps to the loop's start come to the entry test.
   */
  private void emitCountedLoop(CountedLoops.Loop loop) {
    int start = loop.start() - ctx.functionEntry;
    Label[] original = ctx.targets();
    if (original[start] != null) {
      a.bind(original[start]);
    }
    arrays.join();
    Label checked = a.label();
    if (loop.guarded()) {
      loops.entryTest(loop, checked);
    }
    ctx.targets(versionLabels(loop, original));
    fastLoops.add(loop);
    fallsThrough = true;
    if (loop.stripMined()) {
      emitStripMined(loop, original[loop.end() - ctx.functionEntry]);
    } else {
      emitVersion(loop);
    }
    fastLoops.remove(fastLoops.size() - 1);
    if (loop.guarded()) {
      if (fallsThrough) {
        a.jmp(original[loop.end() - ctx.functionEntry]);
        fallsThrough = false;
      }
      Label[] labels = versionLabels(loop, original);
      labels[start] = checked;
      ctx.targets(labels);
      arrays.join();
      emitVersion(loop);
    }
    ctx.targets(original);
  }

  /** One version of {@code loop}: its first instruction, then the rest, with the loops inside. */
  private void emitVersion(CountedLoops.Loop loop) {
    for (int pc = loop.start(); pc < loop.end(); ) {
      pc = pc == loop.start() ? emitAt(pc) : emitNext(pc);
    }
  }

  /**
   * The fast version of a strip-mined loop: its entry test (a while loop's jump to the condition,
   * a for loop's guard) becomes a jump to the test at the back edge, which also sets up the first
   * strip; the body; the strip-mined back edge ({@link CountedLoopEmitter#stripBackEdge}).
   */
  private void emitStripMined(CountedLoops.Loop loop, Label exit) {
    Label test = a.label();
    ctx.mark(loop.start());
    if (listing) {
      a.comment(ctx.describe(loop.start()) + " (to the strip's test)");
    }
    a.jmp(test);
    fallsThrough = false; // the header is reached only by jumps: aligned
    int pc = loop.start() + Op.length(code[loop.start()]);
    stripMined = loop;
    while (pc < loop.backEdge()) {
      pc = emitAt(pc); // no loop inside a strip-mined one
    }
    stripMined = null;
    Label target = ctx.label(pc);
    if (target != null) {
      a.bind(target);
    }
    ctx.mark(pc);
    if (listing) {
      a.comment(ctx.describe(pc) + " (strip-mined)");
    }
    loops.stripBackEdge(loop, ctx.label(loop.header()), exit, test);
    fallsThrough = false; // the back edge ends in a jump to the header
  }

  /**
   * Whether the jump at {@code pc} goes to the back edge of the strip-mined loop being emitted:
   * a copy of the back edge would be the loop's own, which polls and compares with the loop's
   * limit, so the jump is kept, to the strip-mined back edge.
   */
  private boolean toStripBackEdge(int pc) {
    return stripMined != null && code[pc + 1] == stripMined.backEdge();
  }

  /** {@code labels}, with fresh ones for the jump targets inside {@code loop}. */
  private Label[] versionLabels(CountedLoops.Loop loop, Label[] labels) {
    Label[] version = labels.clone();
    for (int i = loop.start() - ctx.functionEntry; i < loop.end() - ctx.functionEntry; i++) {
      if (version[i] != null) {
        version[i] = a.label();
      }
    }
    return version;
  }

  /** Whether the access at {@code pc} is in the fast version of a loop that proved its index in bounds. */
  private boolean proven(int pc) {
    CountedLoops.Loop loop = countedLoops.uncheckedIn()[pc - ctx.functionEntry];
    for (CountedLoops.Loop fast : fastLoops) {
      if (fast == loop) {
        return true;
      }
    }
    return false;
  }

  /** One instruction's code, with the slots it hands over in scratch registers. */
  private void emitInstruction(int pc, boolean last) {
    emitHandingOver(pc, last, operand(pc, 1));
    arrays.written(Op.writtenSlot(code, pc));
  }

  /**
   * One instruction's code with its first operand (its result, if it has one) replaced by slot
   * {@code first}, and with the slots it hands over in scratch registers.
   */
  private void emitHandingOver(int pc, boolean last, int first) {
    HandOvers.HandOver[] here = ctx.frame.handOvers.at()[pc - ctx.functionEntry];
    slots.handOver(here, true);
    emit(pc, last, first);
    slots.handOver(here, false);
  }

  /** Operand {@code k} (from 1) of the instruction at {@code pc}, 0 past the code's end. */
  private int operand(int pc, int k) {
    return code.length > pc + k ? code[pc + k] : 0;
  }

  /**
   * An if-converted diamond or triangle ({@link IfConversions}) at its branch: each arm's value
   * computed into the scratch register the conversion holds it in, then the branch's
   * compare and a select ({@link SelectEmitter}). The arms write no slot's home, so the compare
   * after them still sees the condition's operands.
   */
  private void emitIfConverted(int branch, IfConversions.Conversion c) {
    int fall = branch + Op.length(code[branch]);
    if (c.takenFirst()) {
      emitArm(c.taken(), c.end(), c.takenValue());
    }
    emitArm(fall, c.fallEnd(), c.fallValue());
    if (!c.takenFirst() && !c.triangle()) {
      emitArm(c.taken(), c.end(), c.takenValue());
    }
    ctx.mark(branch);
    if (listing) {
      a.comment(ctx.describe(branch) + " (if-converted: select)");
    }
    if (c.triangle()) {
      selects.triangle(branch, c.slot(), c.fallValue());
    } else {
      selects.diamond(branch, c.slot(), c.fallValue(), c.takenValue());
    }
    arrays.written(c.slot());
  }

  /**
   * An if-converted arm {@code [start, end)}: its last instruction's result into {@code to},
   * directly if that instruction's code uses no other scratch register of the two, else
   * through rax.
   */
  private void emitArm(int start, int end, Reg to) {
    for (int pc = start; pc < end; pc += Op.length(code[pc])) {
      ctx.mark(pc);
      if (listing) {
        a.comment(ctx.describe(pc) + " (if-converted)");
      }
      if (pc + Op.length(code[pc]) < end) {
        emitHandingOver(pc, false, code[pc + 1]);
      } else if (IfConversions.computesInto(code, pc, to)) {
        emitHandingOver(pc, false, slots.resultIn(to));
      } else {
        emitHandingOver(pc, false, slots.resultIn(RAX));
        a.mov(to, RAX);
      }
    }
  }

  /**
   * Instead of the jump at {@code pc}, a copy of the instructions from its target to {@code end}
   * (see {@link TailCopies}), then a jump to where their branch falls through. The copy is
   * reached only by this jump, so what held at the target holds in it; the hand-overs between
   * its instructions are the originals'. Returns whether the copy falls through to the code
   * after the jump: when its branch, inverted, jumps to the copy's end instead.
   */
  private boolean emitTailCopy(int pc, int end) {
    arrays.join(); // the target is a join
    int next = pc + Op.length(Op.JMP);
    for (int copied = code[pc + 1]; copied < end; copied += Op.length(code[copied])) {
      if (listing) {
        a.comment(ctx.describe(copied) + " (copy)");
      }
      if (copied + Op.length(code[copied]) < end) {
        emitInstruction(copied, false);
      } else if (Op.target(code, copied) == next) {
        emitInverted(copied, end); // the branch's target follows the copy: fall into it
        return true;
      } else {
        emitInstruction(copied, false);
      }
    }
    a.jmp(ctx.label(end));
    return false;
  }

  /** The conditional branch at {@code pc}, inverted: to {@code target} when it would fall through. */
  private void emitInverted(int pc, int target) {
    invertedBranch = pc;
    invertedTarget = target;
    emitInstruction(pc, false);
    invertedBranch = -1;
  }

  /** Restores what the prologue saved and returns: a few bytes, so each return gets a copy. */
  private void emitEpilogue() {
    Frame frame = ctx.frame;
    for (int k = 0; k < frame.xmmSaved.size(); k++) {
      a.movsd(frame.xmmSaved.get(k), frame.xmmSaveCell(k));
    }
    if (frame.size > 0) {
      a.add(RSP, frame.size);
    }
    for (int i = frame.pushed.size() - 1; i >= 0; i--) {
      a.pop(frame.pushed.get(i));
    }
    a.ret();
  }

  private static String describe(Frame frame) {
    StringBuilder sb = new StringBuilder();
    for (int s = 0; s < frame.registers.length; s++) {
      Object home = frame.registers[s] != null ? frame.registers[s] : frame.xmmRegisters[s];
      String where = frame.handOvers.only()[s] ? "handed" : frame.inMemory(s) ? "mem" : "imm";
      sb.append(s == 0 ? "" : " ").append('r').append(s).append('=')
          .append(home == null ? where : home.toString());
    }
    return sb.toString();
  }


  // ------------------------------------------------------------------ instructions

  /** The instruction at {@code pc}, with {@code x} for its first operand. */
  private void emit(int pc, boolean last, int x) {
    int op = code[pc];
    int y = operand(pc, 2);
    int z = operand(pc, 3);
    int w = operand(pc, 4);
    int index = pc - ctx.functionEntry;
    switch (op) {
      case Op.MOV -> {
        if (ctx.inlined.boundary(pc) != null) {
          callEmitter.giveBackLevels(y);
        } else {
          slots.move(x, y);
        }
      }
      case Op.CONST_I -> {
        if (ctx.inlined.boundary(pc) != null) {
          callEmitter.inlinedCallBoundary(pc, ctx.inlined.boundary(pc));
        } else if (!slots.folded(x)) {
          slots.constant(x, y); // a folded constant is an immediate of the instructions that use it
        }
      }
      case Op.CONST_K -> slots.constant(x, program.constant(y));
      case Op.ADD_I -> arithmetic.commutative(AluOp.ADD, x, y, z);
      case Op.AND_I -> arithmetic.commutative(AluOp.AND, x, y, z);
      case Op.OR_I -> arithmetic.commutative(AluOp.OR, x, y, z);
      case Op.XOR_I -> arithmetic.commutative(AluOp.XOR, x, y, z);
      case Op.SUB_I -> arithmetic.subtract(x, y, z);
      case Op.MUL_I -> arithmetic.multiply(x, y, z);
      case Op.DIV_I, Op.REM_I -> division.divide(op == Op.REM_I, x, y, z, w);
      case Op.SHL_I -> arithmetic.shift(ShiftOp.SHL, x, y, z);
      case Op.SHR_I -> arithmetic.shift(ShiftOp.SAR, x, y, z);
      case Op.USHR_I -> arithmetic.shift(ShiftOp.SHR, x, y, z);
      case Op.ADD_I_IMM -> arithmetic.addImmediate(x, y, z);
      case Op.MUL_I_IMM -> arithmetic.multiplyImmediate(x, y, z);
      case Op.DIV_I_IMM -> division.divideImmediate(x, y, z, exactDivisions[index]);
      case Op.REM_I_IMM -> {
        if (ctx.zeroTest(pc) == null) {
          division.remainderImmediate(x, y, z);
        }
      }
      case Op.AND_I_IMM -> {
        if (ctx.zeroTest(pc) == null) {
          arithmetic.immediate(AluOp.AND, x, y, z);
        }
      }
      case Op.OR_I_IMM -> arithmetic.immediate(AluOp.OR, x, y, z);
      case Op.XOR_I_IMM -> arithmetic.immediate(AluOp.XOR, x, y, z);
      case Op.SHL_I_IMM -> arithmetic.shiftImmediate(ShiftOp.SHL, x, y, z);
      case Op.SHR_I_IMM -> arithmetic.shiftImmediate(ShiftOp.SAR, x, y, z);
      case Op.USHR_I_IMM -> arithmetic.shiftImmediate(ShiftOp.SHR, x, y, z);
      case Op.NEG_I -> arithmetic.unary(x, y, true);
      case Op.NOT_I -> arithmetic.unary(x, y, false);
      case Op.NOT_B -> arithmetic.immediate(AluOp.XOR, x, y, 1);
      case Op.ADD_F -> floats.arithmetic(SseOp.ADDSD, x, y, z);
      case Op.SUB_F -> floats.arithmetic(SseOp.SUBSD, x, y, z);
      case Op.MUL_F -> floats.arithmetic(SseOp.MULSD, x, y, z);
      case Op.DIV_F -> floats.arithmetic(SseOp.DIVSD, x, y, z);
      case Op.NEG_F -> floats.negate(x, y);
      case Op.I2F -> floats.intToFloat(x, y);
      case Op.F2I -> floats.floatToInt(x, y);
      case Op.EQ_I -> arithmetic.compare(Cond.E, x, y, z);
      case Op.NE_I -> arithmetic.compare(Cond.NE, x, y, z);
      case Op.LT_I -> arithmetic.compare(Cond.L, x, y, z);
      case Op.LE_I -> arithmetic.compare(Cond.LE, x, y, z);
      case Op.EQ_F, Op.NE_F -> floats.equality(op == Op.EQ_F, x, y, z);
      // a < b is b > a: "above" is false on unordered operands (CF = ZF = 1), as IEEE wants.
      case Op.LT_F -> floats.order(Cond.A, x, y, z);
      case Op.LE_F -> floats.order(Cond.AE, x, y, z);
      case Op.JMP -> branches.jump(pc, x);
      case Op.JT, Op.JF, Op.J_EQ_I, Op.J_NE_I, Op.J_LT_I, Op.J_LE_I, Op.J_GT_I, Op.J_GE_I,
          Op.J_EQ_I_IMM, Op.J_NE_I_IMM, Op.J_LT_I_IMM, Op.J_LE_I_IMM, Op.J_GT_I_IMM, Op.J_GE_I_IMM,
          Op.J_EQ_F, Op.J_NE_F, Op.J_LT_F, Op.J_LE_F, Op.J_NLT_F, Op.J_NLE_F, Op.FOR_I, Op.FOR_I_IMM -> {
        boolean invert = pc == invertedBranch;
        branches.conditionalBranch(pc, invert, invert ? invertedTarget : Op.target(code, pc));
      }
      case Op.NEW_ARRAY -> arrays.newArray(x, y, z);
      case Op.HEAP_MARK -> arrays.heapMark(x);
      case Op.HEAP_FREE -> arrays.heapFree(x);
      case Op.LEN -> arrays.length(x, y);
      case Op.ALOAD -> {
        if (loadCompares[index]) {
          branches.compareNext(arrays.element(y, z, w, proven(pc))); // compared in place (LoadCompares)
        } else {
          arrays.load(x, y, z, w, proven(pc));
        }
      }
      case Op.ASTORE -> arrays.store(x, y, z, w, proven(pc));
      case Op.CALL -> callEmitter.call(pc, x, y, z, w);
      case Op.RET -> {
        if (ctx.returnsFloat()) {
          slots.toXmm(XMM0, x);
        } else {
          slots.load(RAX, x);
        }
        if (!last) {
          emitEpilogue();
        }
      }
      case Op.RET_VOID -> {
        if (!last) {
          emitEpilogue();
        }
      }
      case Op.PRINT_I -> upcalls.print(JitContext.PRINT_INT, x, y);
      case Op.PRINT_F -> upcalls.print(JitContext.PRINT_FLOAT, x, y);
      case Op.PRINT_B -> upcalls.print(JitContext.PRINT_BOOL, x, y);
      case Op.PRINT_S -> upcalls.print(JitContext.PRINT_STRING, -1 - x, y);
      case Op.ASSERT -> {
        slots.aluImm(AluOp.CMP, x, 0);
        a.jcc(Cond.E, ctx.error(RuntimeErrorKind.ASSERTION_FAILED, y));
      }
      default -> throw new IllegalStateException("no JIT translation for opcode " + op + " at " + pc);
    }
  }
}
