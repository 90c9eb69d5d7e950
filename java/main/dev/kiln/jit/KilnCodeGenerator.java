package dev.kiln.jit;

import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.EDX;
import static dev.kiln.asm.Reg.R13;
import static dev.kiln.asm.Reg.R15;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RCX;
import static dev.kiln.asm.Reg.RDX;
import static dev.kiln.asm.Reg.RSP;
import static dev.kiln.asm.Xmm.XMM0;
import static dev.kiln.asm.Xmm.XMM1;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.asm.ShiftOp;
import dev.kiln.asm.SseOp;
import dev.kiln.asm.Xmm;
import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.bytecode.ValueKind;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.vm.Heap;
import dev.kiln.vm.Limits;
import dev.kiln.vm.RuntimeErrorKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Translates a whole {@link Program} into one block of x86-64 code: first the entry stub
 * {@code long run(long context)} in the host convention, then every function in
 * the internal convention of {@link Frame}, each followed by its out-of-line stubs.
 *
 * <p>Fixed registers while Kiln code runs: r13 = context block ({@link JitContext}), r15 = calls
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
final class KilnCodeGenerator implements CountedLoopCode.Slots {
  private static final int LOOP_ALIGNMENT = 16;
  /** How many instructions ahead a call looks for the next call (see {@link #call}). */
  private static final int CALL_LOOKAHEAD = 32;
  /** The longest array {@code new} allocates in compiled code, without an upcall (see {@link #newArray}). */
  static final int INLINE_ARRAY_ELEMENTS = 16;

  private final Program program;
  private final int[] code;
  private final CallingConvention convention;
  private final long upcallAddress;
  private final Assembler a;
  /** Whether to write listing comments (building their text costs compile time). */
  private final boolean listing;
  private final CallGraph calls;
  /** Each function's frame, laid out before any code so upcalls know the registers in use. */
  private final Frame[] frames;
  private final Label[] functionLabels;
  /** Each function's guard clause, or null; its call sites test it too (see {@link #call}). */
  private final EarlyReturn[] guards;
  /** Where a function goes on after its guard clause: the prologue, which calls past the guard enter. */
  private final Label[] bodies;
  private final Label unwind;
  private final List<Runnable> stubs = new ArrayList<>();
  private final int maxFrameBytes;
  /** Whether calls compare rsp with the stack guard: only if the depth limit alone cannot. */
  private final boolean stackGuard;

  // Per function.
  private int functionIndex;
  private Frame frame;
  private int functionEntry;
  private int functionEnd;
  /** Whether r15 already counts the frame of the next call (see {@link #call}). */
  private boolean depthCounted;
  /** The scratch register a slot is handed over in at the current instruction, else null. */
  private Reg[] handed;
  private Xmm[] handedXmm;
  /** Branch targets of the current function, indexed by pc - functionEntry (the end included). */
  private Label[] targets;
  /** Per instruction: whether it divides a known multiple of its power-of-two divisor. */
  private boolean[] exactDivisions;
  /** Per instruction: for a jump replaced by a copy of its target's code, that code's end. */
  private int[] tailCopies;
  /** Per instruction: whether it is a conditional branch emitted inverted over the jump after it. */
  private boolean[] inversions;
  /** Per instruction: whether it is an array load folded into the compare after it. */
  private boolean[] loadCompares;
  /** The element a folded load left for the compare right after it, else null. */
  private Mem loadedForCompare;
  /** The conditional branch to emit inverted next, -1 if none, and where it jumps instead. */
  private int invertedBranch = -1;
  private int invertedTarget;
  private final CheckedIndexes checkedIndexes = new CheckedIndexes();
  /** The current function's counted loops, and those whose fast version is being emitted. */
  private CountedLoops.Result countedLoops;
  private final List<CountedLoops.Loop> fastLoops = new ArrayList<>();
  private final CountedLoopCode loopCode;
  /** Per instruction: whether a loop header is at it (aligned when reached only by jumps). */
  private boolean[] loopHeaders;
  /** Whether the instruction emitted last may fall through to the next. */
  private boolean fallsThrough;

  private KilnCodeGenerator(Program program, CallingConvention convention, long upcallAddress, boolean listing) {
    this.program = program;
    this.code = program.code();
    this.convention = convention;
    this.upcallAddress = upcallAddress;
    this.listing = listing;
    this.a = listing ? Assembler.withListing() : new Assembler();
    this.functionLabels = new Label[program.functions().size()];
    for (int f = 0; f < functionLabels.length; f++) {
      functionLabels[f] = a.label(program.function(f).name());
    }
    this.unwind = a.label("unwind");
    this.calls = CallGraph.of(program);
    SlotAllocator.Homes[] homes = new SlotAllocator.Homes[functionLabels.length];
    Set<Object> registersInUse = new HashSet<>();
    for (int f = 0; f < homes.length; f++) {
      homes[f] = SlotAllocator.allocate(program, program.function(f));
      registersInUse.addAll(Arrays.asList(homes[f].gpr()));
      registersInUse.addAll(Arrays.asList(homes[f].xmm()));
    }
    this.frames = new Frame[homes.length];
    int maxBytes = 0;
    for (int f = 0; f < homes.length; f++) {
      FunctionInfo fn = program.function(f);
      frames[f] = new Frame(homes[f], fn.params().size(), maxCallArgs(fn), calls.makesUpcalls(f),
          calls.reachesUpcall(f), registersInUse, convention);
      maxBytes = Math.max(maxBytes, frames[f].totalBytes());
    }
    this.maxFrameBytes = maxBytes;
    this.guards = new EarlyReturn[homes.length];
    this.bodies = new Label[homes.length];
    for (int f = 0; f < homes.length; f++) {
      guards[f] = EarlyReturn.find(program, program.function(f), frames[f]);
      bodies[f] = guards[f] == null ? functionLabels[f] : a.label(program.function(f).name() + ".body");
    }
    this.stackGuard = !ThreadStack.holdsMaxDepth(maxBytes);
    this.loopCode = new CountedLoopCode(a, this);
  }

  /** The generated (not yet finished) code, its function labels and its largest frame. */
  record Generated(Assembler assembler, Label[] functions, int maxFrameBytes) {}

  static Generated generate(Program program, CallingConvention convention, long upcallAddress, boolean listing) {
    KilnCodeGenerator g = new KilnCodeGenerator(program, convention, upcallAddress, listing);
    g.emitEntry();
    for (int f = 0; f < g.functionLabels.length; f++) {
      g.emitFunction(f);
    }
    return new Generated(g.a, g.functionLabels, g.maxFrameBytes);
  }

  /** Whether {@code fn} returns a float, which the internal convention returns in xmm0. */
  private static boolean returnsFloat(FunctionInfo fn) {
    return fn.result() == ValueKind.FLOAT;
  }

  private Reg arg(int n) {
    return Reg.of(convention.integerArguments().get(n), 64);
  }

  // ------------------------------------------------------------------ entry and unwinding

  private void emitEntry() {
    if (listing) {
      a.comment("entry stub (" + convention.name() + "): run(context)");
    }
    List<Integer> saved = convention.calleeSaved();
    for (int r : saved) {
      a.push(Reg.of(r, 64));
    }
    // Microsoft x64 makes xmm6-xmm15 callee-saved, all 128 bits: kept in 16-byte aligned cells.
    List<Xmm> savedXmm = new ArrayList<>();
    for (Xmm x : SlotAllocator.XMM_POOL) {
      if (convention.calleeSavedXmm().contains(x.code())) {
        savedXmm.add(x);
      }
    }
    int pad = (saved.size() % 2 == 0 ? 8 : 0) + 16 * savedXmm.size();
    if (pad != 0) {
      a.sub(RSP, pad);
    }
    for (int k = 0; k < savedXmm.size(); k++) {
      a.movaps(Mem.xmmword(RSP, 16 * k), savedXmm.get(k));
    }
    a.mov(R13, arg(0));
    a.mov(Mem.qword(R13, JitContext.ENTRY_RSP), RSP);
    a.mov(RAX, RSP);
    a.sub(RAX, Mem.qword(R13, JitContext.STACK_BUDGET));
    a.mov(Mem.qword(R13, JitContext.STACK_GUARD), RAX);
    a.mov(R15, Limits.MAX_CALL_DEPTH - 1);
    a.call(functionLabels[program.mainIndex()]);
    a.xor(EAX, EAX);
    a.bind(unwind);
    a.comment("unwind: eax = status");
    a.mov(RSP, Mem.qword(R13, JitContext.ENTRY_RSP));
    for (int k = 0; k < savedXmm.size(); k++) {
      a.movaps(savedXmm.get(k), Mem.xmmword(RSP, 16 * k));
    }
    if (pad != 0) {
      a.add(RSP, pad);
    }
    for (int i = saved.size() - 1; i >= 0; i--) {
      a.pop(Reg.of(saved.get(i), 64));
    }
    a.ret();
  }

  /** An out-of-line stub raising {@code kind} at position {@code position}. */
  private Label error(RuntimeErrorKind kind, int position) {
    Label stub = a.label();
    stubs.add(() -> {
      a.bind(stub);
      raise(kind, position);
    });
    return stub;
  }

  private void raise(RuntimeErrorKind kind, int position) {
    a.mov(Mem.qword(R13, JitContext.ERROR_KIND), kind.ordinal());
    a.mov(Mem.qword(R13, JitContext.ERROR_POSITION), position);
    a.mov(EAX, (int) JitContext.ERROR);
    a.jmp(unwind);
  }

  // ------------------------------------------------------------------ functions

  private void emitFunction(int f) {
    FunctionInfo fn = program.function(f);
    functionIndex = f;
    frame = frames[f];
    functionEntry = fn.entry();
    functionEnd = fn.end();
    depthCounted = false;
    handed = new Reg[fn.frameSize()];
    handedXmm = new Xmm[fn.frameSize()];
    targets = new Label[fn.end() - functionEntry + 1];
    exactDivisions = ExactDivisions.find(program, fn);
    tailCopies = TailCopies.find(program, fn);
    loadCompares = LoadCompares.find(program, fn, frame.handOvers);
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
    boolean[] jumpTargets = new boolean[targets.length];
    for (int i = 0; i < targets.length; i++) {
      jumpTargets[i] = targets[i] != null;
    }
    inversions = BranchInversions.find(program, fn, jumpTargets, tailCopies);
    countedLoops = CountedLoops.find(program, fn, frame.handOvers.only(), tailCopies);
    for (CountedLoops.Loop loop : countedLoops.startingAt()) {
      if (loop != null && label(loop.end()) == null) {
        targets[loop.end() - functionEntry] = a.label(); // where the fast version leaves
      }
    }
    a.align(LOOP_ALIGNMENT);
    a.bind(functionLabels[f]);
    if (listing) {
      a.comment("fn " + fn.name() + ": " + describe(frame));
    }
    EarlyReturn early = guards[f];
    if (early != null) {
      emitEarlyReturn(early, bodies[f]);
    }
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
        fromXmm(j, Frame.floatArgument(fn, j));
      } else if (j < Frame.ARGUMENT_REGISTERS.size()) {
        store(j, Frame.ARGUMENT_REGISTERS.get(j)); // to its register, or its frame cell
      } else if (!frame.inMemory(j)) {
        store(j, Mem.qword(RSP, frame.incoming(j)));
      }
    }
    if (calls.isRecursive(f)) {
      // A cycle of calls can run forever without a loop: its entries poll like back edges.
      a.cmp(Mem.byte_(R13, JitContext.POLL), 0);
      a.jcc(Cond.NE, error(RuntimeErrorKind.TIME_LIMIT_EXCEEDED, program.positionAt(fn.entry())));
    }
    fallsThrough = true;
    checkedIndexes.clear();
    for (int pc = early != null ? early.resume() : fn.entry(); pc < fn.end(); ) {
      pc = emitNext(pc);
    }
    Label end = label(fn.end());
    if (end != null) {
      a.bind(end); // dead jumps past a final return (after if/else that both return)
    }
    emitEpilogue();
    // The function's out-of-line stubs follow it, out of the hot path but with its frame layout.
    for (Runnable stub : stubs) {
      stub.run();
    }
    stubs.clear();
  }

  /** The counted loop starting at {@code pc}, or else the instruction there ({@link #emitAt}). */
  private int emitNext(int pc) {
    CountedLoops.Loop loop = countedLoops.startingAt()[pc - functionEntry];
    if (loop == null) {
      return emitAt(pc);
    }
    emitCountedLoop(loop);
    return loop.end();
  }

  /** A version of {@code loop}: its first instruction, then what follows up to {@code end}. */
  private void emitVersion(CountedLoops.Loop loop, int from, int end) {
    for (int pc = from; pc < end; ) {
      pc = pc == loop.start() ? emitAt(pc) : emitNext(pc);
    }
  }

  /**
   * The instruction at {@code pc} (with the jump after it, if the instruction is inverted over
   * it), preceded by its label if it is a jump target; returns the pc of the next instruction.
   */
  private int emitAt(int pc) {
    Label target = label(pc);
    if (target != null) {
      if (!fallsThrough && loopHeaders[pc - functionEntry]) {
        a.align(LOOP_ALIGNMENT);
      }
      a.bind(target);
      checkedIndexes.clear();
    }
    a.mark(pc);
    if (listing) {
      a.comment(String.format("%04d %s", pc, Op.name(code[pc])));
    }
    int op = code[pc];
    if (inversions[pc - functionEntry]) {
      int jump = pc + Op.length(op);
      emitInverted(pc, code[jump + 1]);
      a.mark(jump); // left out: the inverted branch does its work
      if (listing) {
        a.comment(String.format("%04d JMP (left out: the branch before is inverted)", jump));
      }
      fallsThrough = true; // into the branch's own target
      return jump + Op.length(Op.JMP);
    } else if (tailCopies[pc - functionEntry] != 0) {
      fallsThrough = emitTailCopy(pc, tailCopies[pc - functionEntry]);
    } else {
      emitInstruction(pc, pc + Op.length(op) >= functionEnd);
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
    int start = loop.start() - functionEntry;
    if (targets[start] != null) {
      a.bind(targets[start]);
    }
    checkedIndexes.clear();
    Label[] original = targets;
    Label checked = a.label();
    if (loop.guarded()) {
      loopCode.entryTest(loop, checked);
    }
    targets = versionLabels(loop);
    fastLoops.add(loop);
    fallsThrough = true;
    if (loop.stripMined()) {
      emitStripMined(loop, original[loop.end() - functionEntry]);
    } else {
      emitVersion(loop, loop.start(), loop.end());
    }
    fastLoops.remove(fastLoops.size() - 1);
    if (!loop.guarded()) {
      targets = original;
      return;
    }
    if (fallsThrough) {
      a.jmp(original[loop.end() - functionEntry]);
      fallsThrough = false;
    }
    targets = versionLabels(loop);
    targets[start] = checked;
    checkedIndexes.clear();
    emitVersion(loop, loop.start(), loop.end());
    targets = original;
  }

  /**
   * The fast version of a strip-mined loop: its entry test (a while loop's jump to the condition,
   * a for loop's guard) becomes a jump to the test at the back edge, which also sets up the first
   * strip; the body; the strip-mined back edge ({@link CountedLoopCode#stripBackEdge}).
   */
  private void emitStripMined(CountedLoops.Loop loop, Label exit) {
    Label test = a.label();
    a.mark(loop.start());
    if (listing) {
      a.comment(String.format("%04d %s (to the strip's test)", loop.start(), Op.name(code[loop.start()])));
    }
    a.jmp(test);
    fallsThrough = false; // the header is reached only by jumps: aligned
    int pc = loop.start() + Op.length(code[loop.start()]);
    while (pc < loop.backEdge()) {
      pc = emitAt(pc); // no loop inside a strip-mined one
    }
    Label target = label(pc);
    if (target != null) {
      a.bind(target);
    }
    a.mark(pc);
    if (listing) {
      a.comment(String.format("%04d %s (strip-mined)", pc, Op.name(code[pc])));
    }
    loopCode.stripBackEdge(loop, code, label(loop.header()), exit,
        error(RuntimeErrorKind.TIME_LIMIT_EXCEEDED, program.positionAt(pc)), test);
    fallsThrough = false; // the back edge ends in a jump to the header
  }

  /** The current labels, with fresh ones for the jump targets inside {@code loop}. */
  private Label[] versionLabels(CountedLoops.Loop loop) {
    Label[] labels = targets.clone();
    for (int pc = loop.start(); pc < loop.end(); pc++) {
      if (labels[pc - functionEntry] != null) {
        labels[pc - functionEntry] = a.label();
      }
    }
    return labels;
  }

  /** One instruction's code, with the slots it hands over in scratch registers. */
  private void emitInstruction(int pc, boolean last) {
    HandOvers.HandOver[] here = frame.handOvers.at()[pc - functionEntry];
    setHandOvers(here, true);
    emit(pc, last);
    checkedIndexes.written(writtenSlot(pc));
    setHandOvers(here, false);
  }

  /**
   * Instead of the jump at {@code pc}, a copy of the instructions from its target to {@code end}
   * (see {@link TailCopies}), then a jump to where their branch falls through. The copy is
   * reached only by this jump, so what held at the target holds in it; the hand-overs between
   * its instructions are the originals'. Returns whether the copy falls through to the code
   * after the jump: when its branch, inverted, jumps to the copy's end instead.
   */
  private boolean emitTailCopy(int pc, int end) {
    checkedIndexes.clear(); // the target is a join
    int next = pc + Op.length(Op.JMP);
    for (int copied = code[pc + 1]; copied < end; copied += Op.length(code[copied])) {
      if (listing) {
        a.comment(String.format("%04d %s (copy)", copied, Op.name(code[copied])));
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
    a.jmp(label(end));
    return false;
  }

  /** The conditional branch at {@code pc}, inverted: to {@code target} when it would fall through. */
  private void emitInverted(int pc, int target) {
    invertedBranch = pc;
    invertedTarget = target;
    emitInstruction(pc, false);
    invertedBranch = -1;
  }

  /** The guard clause before the prologue: its branch goes on to the prologue, which follows. */
  private void emitEarlyReturn(EarlyReturn early, Label prologue) {
    for (int pc : early.pcs()) {
      a.mark(pc);
      if (listing) {
        a.comment(String.format("%04d %s (before the prologue)", pc, Op.name(code[pc])));
      }
    }
    testGuard(early, prologue);
    if (returnsFloat(program.function(functionIndex))) {
      if (early.result() != null) {
        a.movq(XMM0, early.result());
      } else if (early.constant() == 0) {
        a.xorpd(XMM0, XMM0);
      } else {
        a.movq(XMM0, a.constantBits(early.constant()));
      }
    } else if (early.result() != null) {
      if (early.result() != RAX) {
        a.mov(RAX, early.result());
      }
    } else if (early.constant() == 0) {
      a.xor(EAX, EAX);
    } else {
      a.mov(RAX, early.constant());
    }
    a.ret();
    a.bind(prologue);
  }

  /** Compares the guard's operands, in their argument registers, and goes on to {@code body} if it fails. */
  private void testGuard(EarlyReturn early, Label body) {
    if (early.right() != null) {
      a.cmp(early.left(), early.right());
    } else {
      a.cmp(early.left(), early.imm());
    }
    a.jcc(early.cond(), body);
  }

  /** Restores what the prologue saved and returns: a few bytes, so each return gets a copy. */
  private void emitEpilogue() {
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

  private void setHandOvers(HandOvers.HandOver[] here, boolean on) {
    if (here != null) {
      for (HandOvers.HandOver h : here) {
        handed[h.slot()] = on ? h.register() : null;
        handedXmm[h.slot()] = on ? h.xmm() : null;
      }
    }
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

  private int maxCallArgs(FunctionInfo fn) {
    int max = 0;
    for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(code[pc])) {
      if (code[pc] == Op.CALL) {
        max = Math.max(max, program.function(code[pc + 2]).params().size());
      }
    }
    return max;
  }

  // ------------------------------------------------------------------ slot access

  /** The slot's general register, if it has one (an int, bool or array slot) or is handed over in one. */
  private Reg reg(int slot) {
    return handed[slot] != null ? handed[slot] : frame.registers[slot];
  }

  /** The slot's XMM register, if it has one (a float slot) or is handed over in one. */
  private Xmm xmm(int slot) {
    return handedXmm[slot] != null ? handedXmm[slot] : frame.xmmRegisters[slot];
  }

  private Mem mem(int slot) {
    return frame.memory(slot);
  }

  /** r = the slot's 64 bits, wherever it lives. */
  private void load(Reg r, int slot) {
    Reg home = reg(slot);
    if (frame.folded[slot]) {
      a.mov(r, frame.constants[slot]);
    } else if (xmm(slot) != null) {
      a.movq(r, xmm(slot));
    } else if (home == null) {
      a.mov(r, mem(slot));
    } else if (home != r) {
      a.mov(r, home);
    }
  }

  private void store(int slot, Reg r) {
    Reg home = reg(slot);
    if (xmm(slot) != null) {
      a.movq(xmm(slot), r);
    } else if (home == null) {
      a.mov(mem(slot), r);
    } else if (home != r) {
      a.mov(home, r);
    }
  }

  /** Loads a register-homed slot from memory {@code m}. */
  private void store(int slot, Mem m) {
    if (xmm(slot) != null) {
      a.movq(xmm(slot), m);
    } else {
      a.mov(reg(slot), m);
    }
  }

  /** The slot's general register, or the slot loaded into {@code scratch}. */
  @Override
  public Reg inReg(int slot, Reg scratch) {
    Reg home = reg(slot);
    if (home != null) {
      return home;
    }
    load(scratch, slot);
    return scratch;
  }

  /** The slot's XMM register, or the slot loaded into {@code scratch}. */
  private Xmm inXmm(int slot, Xmm scratch) {
    if (xmm(slot) != null) {
      return xmm(slot);
    }
    toXmm(scratch, slot);
    return scratch;
  }

  /** Where to compute a float result for slot d: its XMM register, or xmm0. */
  private Xmm xmmTarget(int d) {
    return xmm(d) != null ? xmm(d) : XMM0;
  }

  /** Where to compute a result for slot d: its register, or rax. */
  private Reg target(int d) {
    return reg(d) != null ? reg(d) : RAX;
  }

  private void alu(AluOp op, Reg d, int slot) {
    Reg home = reg(slot);
    if (frame.folded[slot]) {
      a.alu(op, d, frame.constants[slot]);
    } else if (home == null) {
      a.alu(op, d, mem(slot));
    } else {
      a.alu(op, d, home);
    }
  }

  @Override
  public void aluImm(AluOp op, int slot, long imm) {
    Reg home = reg(slot);
    if (home == null) {
      a.alu(op, mem(slot), imm);
    } else {
      a.alu(op, home, imm);
    }
  }

  private void toXmm(Xmm x, int slot) {
    Reg home = reg(slot);
    if (xmm(slot) != null) {
      if (xmm(slot) != x) {
        a.movapd(x, xmm(slot));
      }
    } else if (home == null) {
      a.movq(x, mem(slot));
    } else {
      a.movq(x, home);
    }
  }

  private void fromXmm(int slot, Xmm x) {
    Reg home = reg(slot);
    if (xmm(slot) != null) {
      if (xmm(slot) != x) {
        a.movapd(xmm(slot), x);
      }
    } else if (home == null) {
      a.movq(mem(slot), x);
    } else {
      a.movq(home, x);
    }
  }

  private Label label(int target) {
    return targets[target - functionEntry];
  }

  // ------------------------------------------------------------------ instructions

  private void emit(int pc, boolean last) {
    int op = code[pc];
    int x = code.length > pc + 1 ? code[pc + 1] : 0;
    int y = code.length > pc + 2 ? code[pc + 2] : 0;
    int z = code.length > pc + 3 ? code[pc + 3] : 0;
    int w = code.length > pc + 4 ? code[pc + 4] : 0;
    switch (op) {
      case Op.MOV -> move(x, y);
      case Op.CONST_I -> {
        if (!frame.folded[x]) {
          constant(x, y); // a folded constant is an immediate of the instructions that use it
        }
      }
      case Op.CONST_K -> constant(x, program.constant(y));
      case Op.ADD_I -> commutative(AluOp.ADD, x, y, z);
      case Op.AND_I -> commutative(AluOp.AND, x, y, z);
      case Op.OR_I -> commutative(AluOp.OR, x, y, z);
      case Op.XOR_I -> commutative(AluOp.XOR, x, y, z);
      case Op.SUB_I -> subtract(x, y, z);
      case Op.MUL_I -> multiply(x, y, z);
      case Op.DIV_I, Op.REM_I -> divide(op == Op.REM_I, x, y, z, w);
      case Op.SHL_I -> shift(ShiftOp.SHL, x, y, z);
      case Op.SHR_I -> shift(ShiftOp.SAR, x, y, z);
      case Op.USHR_I -> shift(ShiftOp.SHR, x, y, z);
      case Op.ADD_I_IMM -> addImmediate(x, y, z);
      case Op.MUL_I_IMM -> multiplyImmediate(x, y, z);
      case Op.DIV_I_IMM -> divideImmediate(x, y, z, exactDivisions[pc - functionEntry]);
      case Op.REM_I_IMM -> {
        if (zeroTest(pc) == null) {
          remainderImmediate(x, y, z);
        }
      }
      case Op.AND_I_IMM -> {
        if (zeroTest(pc) == null) {
          immediate(AluOp.AND, x, y, z);
        }
      }
      case Op.OR_I_IMM -> immediate(AluOp.OR, x, y, z);
      case Op.XOR_I_IMM -> immediate(AluOp.XOR, x, y, z);
      case Op.SHL_I_IMM -> shiftImmediate(ShiftOp.SHL, x, y, z);
      case Op.SHR_I_IMM -> shiftImmediate(ShiftOp.SAR, x, y, z);
      case Op.USHR_I_IMM -> shiftImmediate(ShiftOp.SHR, x, y, z);
      case Op.NEG_I -> unary(x, y, true);
      case Op.NOT_I -> unary(x, y, false);
      case Op.NOT_B -> immediate(AluOp.XOR, x, y, 1);
      case Op.ADD_F -> floatArithmetic(SseOp.ADDSD, x, y, z);
      case Op.SUB_F -> floatArithmetic(SseOp.SUBSD, x, y, z);
      case Op.MUL_F -> floatArithmetic(SseOp.MULSD, x, y, z);
      case Op.DIV_F -> floatArithmetic(SseOp.DIVSD, x, y, z);
      case Op.NEG_F -> negateFloat(x, y);
      case Op.I2F -> intToFloat(x, y);
      case Op.F2I -> floatToInt(x, y);
      case Op.EQ_I -> compareInts(Cond.E, x, y, z);
      case Op.NE_I -> compareInts(Cond.NE, x, y, z);
      case Op.LT_I -> compareInts(Cond.L, x, y, z);
      case Op.LE_I -> compareInts(Cond.LE, x, y, z);
      case Op.EQ_F, Op.NE_F -> floatEquality(op == Op.EQ_F, x, y, z);
      // a < b is b > a: "above" is false on unordered operands (CF = ZF = 1), as IEEE wants.
      case Op.LT_F -> floatOrder(Cond.A, x, y, z);
      case Op.LE_F -> floatOrder(Cond.AE, x, y, z);
      case Op.JMP -> jump(pc, x);
      case Op.JT, Op.JF, Op.J_EQ_I, Op.J_NE_I, Op.J_LT_I, Op.J_LE_I, Op.J_GT_I, Op.J_GE_I,
          Op.J_EQ_I_IMM, Op.J_NE_I_IMM, Op.J_LT_I_IMM, Op.J_LE_I_IMM, Op.J_GT_I_IMM, Op.J_GE_I_IMM,
          Op.J_EQ_F, Op.J_NE_F, Op.J_LT_F, Op.J_LE_F, Op.J_NLT_F, Op.J_NLE_F, Op.FOR_I, Op.FOR_I_IMM -> {
        boolean invert = pc == invertedBranch;
        conditionalBranch(pc, invert, invert ? invertedTarget : Op.target(code, pc));
      }
      case Op.NEW_ARRAY -> newArray(x, y, z);
      case Op.HEAP_MARK -> {
        Reg t = target(x);
        a.mov(t, Mem.qword(R13, JitContext.HEAP_TOP));
        store(x, t);
      }
      case Op.HEAP_FREE -> a.mov(Mem.qword(R13, JitContext.HEAP_TOP), inReg(x, RAX));
      case Op.LEN -> {
        Reg ref = inReg(y, RAX);
        Reg t = target(x);
        a.mov(t, Mem.qword(ref, 0));
        store(x, t);
      }
      case Op.ALOAD -> {
        Mem element = element(pc, y, z, w);
        if (loadCompares[pc - functionEntry]) {
          loadedForCompare = element; // the branch after compares it in place (LoadCompares)
        } else if (xmm(x) != null) {
          a.movq(xmm(x), element);
        } else {
          Reg t = target(x);
          a.mov(t, element);
          store(x, t);
        }
      }
      case Op.ASTORE -> {
        Mem element = element(pc, x, y, w);
        if (xmm(z) != null) {
          a.movq(element, xmm(z));
        } else if (frame.folded[z]) {
          a.mov(element, frame.constants[z]);
        } else {
          a.mov(element, inReg(z, RDX));
        }
      }
      case Op.CALL -> call(pc, x, y, z, w);
      case Op.RET -> {
        if (returnsFloat(program.function(functionIndex))) {
          toXmm(XMM0, x);
        } else {
          load(RAX, x);
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
      case Op.PRINT_I -> print(JitContext.UPCALL_PRINT_INT, x, y);
      case Op.PRINT_F -> print(JitContext.UPCALL_PRINT_FLOAT, x, y);
      case Op.PRINT_B -> print(JitContext.UPCALL_PRINT_BOOL, x, y);
      case Op.PRINT_S -> print(JitContext.UPCALL_PRINT_STRING, -1 - x, y);
      case Op.ASSERT -> {
        aluImm(AluOp.CMP, x, 0);
        a.jcc(Cond.E, error(RuntimeErrorKind.ASSERTION_FAILED, y));
      }
      default -> throw new IllegalStateException("no JIT translation for opcode " + op + " at " + pc);
    }
  }

  /**
   * The conditional branch at {@code pc}, to {@code target}; {@code invert}ed, it jumps exactly
   * when the bytecode's branch would fall through (see {@link BranchInversions}).
   */
  private void conditionalBranch(int pc, boolean invert, int target) {
    int op = code[pc];
    int x = code[pc + 1];
    int y = code[pc + 2];
    switch (op) {
      case Op.JT, Op.JF -> {
        poll(pc, target);
        aluImm(AluOp.CMP, x, 0);
        a.jcc(negatedIf(invert, op == Op.JT ? Cond.NE : Cond.E), label(target));
      }
      case Op.J_EQ_I, Op.J_NE_I, Op.J_LT_I, Op.J_LE_I, Op.J_GT_I, Op.J_GE_I ->
          branchInts(pc, negatedIf(invert, intBranchCondition(op)), x, y, target);
      case Op.J_EQ_I_IMM, Op.J_NE_I_IMM, Op.J_LT_I_IMM, Op.J_LE_I_IMM, Op.J_GT_I_IMM, Op.J_GE_I_IMM ->
          branchImmediate(pc, negatedIf(invert, intBranchCondition(op)), x, y, target);
      case Op.J_EQ_F, Op.J_NE_F -> {
        if ((op == Op.J_EQ_F) != invert) {
          branchFloatEqual(pc, x, y, target);
        } else {
          branchFloatNotEqual(pc, x, y, target);
        }
      }
      case Op.J_LT_F -> branchFloat(pc, negatedIf(invert, Cond.A), x, y, target);
      case Op.J_LE_F -> branchFloat(pc, negatedIf(invert, Cond.AE), x, y, target);
      case Op.J_NLT_F -> branchFloat(pc, negatedIf(invert, Cond.BE), x, y, target);
      case Op.J_NLE_F -> branchFloat(pc, negatedIf(invert, Cond.B), x, y, target);
      case Op.FOR_I -> {
        poll(pc, target);
        aluImm(AluOp.ADD, x, 1);
        Reg counter = inReg(x, RAX);
        alu(AluOp.CMP, counter, y);
        a.jcc(negatedIf(invert, Cond.L), label(target));
      }
      case Op.FOR_I_IMM -> {
        poll(pc, target);
        aluImm(AluOp.ADD, x, 1);
        aluImm(AluOp.CMP, x, y);
        a.jcc(negatedIf(invert, Cond.L), label(target));
      }
      default -> throw new IllegalStateException("not a conditional branch: " + Op.name(op));
    }
  }

  private static Cond negatedIf(boolean invert, Cond cond) {
    return invert ? cond.negate() : cond;
  }

  /** The condition of an integer compare-and-branch, or null for another instruction. */
  static Cond intBranchCondition(int op) {
    return switch (op) {
      case Op.J_EQ_I, Op.J_EQ_I_IMM -> Cond.E;
      case Op.J_NE_I, Op.J_NE_I_IMM -> Cond.NE;
      case Op.J_LT_I, Op.J_LT_I_IMM -> Cond.L;
      case Op.J_LE_I, Op.J_LE_I_IMM -> Cond.LE;
      case Op.J_GT_I, Op.J_GT_I_IMM -> Cond.G;
      case Op.J_GE_I, Op.J_GE_I_IMM -> Cond.GE;
      default -> null;
    };
  }

  private void move(int d, int s) {
    Reg rd = reg(d);
    if (xmm(d) != null) {
      toXmm(xmm(d), s);
    } else if (rd != null) {
      load(rd, s);
    } else {
      store(d, inReg(s, RAX));
    }
  }

  private void constant(int d, long value) {
    Reg rd = reg(d);
    if (xmm(d) != null) {
      if (value == 0) {
        a.xorpd(xmm(d), xmm(d));
      } else {
        a.movq(xmm(d), a.constantBits(value)); // from the RIP-relative constant pool
      }
    } else if (rd != null) {
      if (value == 0) {
        a.xor(rd.width(32), rd.width(32));
      } else {
        a.mov(rd, value);
      }
    } else if (value == (int) value) {
      a.mov(mem(d), value);
    } else {
      a.mov(RAX, value);
      a.mov(mem(d), RAX);
    }
  }

  private void commutative(AluOp op, int d, int x, int y) {
    if (frame.folded[x] && !frame.folded[y]) {
      commutative(op, d, y, x); // the constant goes where an immediate fits
      return;
    }
    Reg t = target(d);
    if (t == reg(y) && t != reg(x)) {
      alu(op, t, x); // d = y op x, the same value
    } else {
      load(t, x);
      alu(op, t, y);
    }
    store(d, t);
  }

  private void subtract(int d, int x, int y) {
    Reg t = target(d);
    if (t == reg(y) && t != reg(x)) {
      t = RAX;
    }
    load(t, x);
    alu(AluOp.SUB, t, y);
    store(d, t);
  }

  private void multiply(int d, int x, int y) {
    if (frame.folded[x] || frame.folded[y]) {
      boolean right = frame.folded[y];
      multiplyImmediate(d, right ? x : y, (int) frame.constants[right ? y : x]);
      return;
    }
    Reg t = target(d);
    if (t == reg(y) && t != reg(x)) {
      a.imul(t, inReg(x, RAX));
    } else {
      load(t, x);
      Reg home = reg(y);
      if (home == null) {
        a.imul(t, mem(y));
      } else {
        a.imul(t, home);
      }
    }
    store(d, t);
  }

  private void immediate(AluOp op, int d, int x, long imm) {
    Reg t = target(d);
    load(t, x);
    a.alu(op, t, imm);
    store(d, t);
  }

  private void addImmediate(int d, int x, int imm) {
    Reg t = target(d);
    Reg src = reg(x);
    if (src != null && src != t) {
      a.lea(t, Mem.qword(src, imm)); // a three-operand add that leaves x alone
    } else if (reg(d) == null && d == x) {
      a.add(mem(d), imm);
      return;
    } else {
      load(t, x);
      a.add(t, imm);
    }
    store(d, t);
  }

  /**
   * x * 2^k is a shift; x * 3, x * 5 and x * 9 are one {@code lea t, [x + x*2^k]}, which has a
   * shorter latency than imul's 3 cycles (Agner Fog, instruction tables: LEA, IMUL r64,r64,imm).
   */
  private void multiplyImmediate(int d, int x, int imm) {
    Reg t = target(d);
    if (imm > 0 && Integer.bitCount(imm) == 1) {
      load(t, x);
      if (imm > 1) {
        a.shl(t, Integer.numberOfTrailingZeros(imm));
      }
    } else if (imm == 3 || imm == 5 || imm == 9) {
      Reg src = inReg(x, RAX);
      a.lea(t, Mem.qword(src, src, imm - 1, 0));
    } else if (reg(x) == null && frame.inMemory(x)) {
      a.imul(t, mem(x), imm);
    } else {
      a.imul(t, inReg(x, RAX), imm);
    }
    store(d, t);
  }

  private void unary(int d, int x, boolean negate) {
    Reg t = target(d);
    load(t, x);
    if (negate) {
      a.neg(t);
    } else {
      a.not(t);
    }
    store(d, t);
  }

  private void shift(ShiftOp op, int d, int x, int count) {
    load(RCX, count); // the hardware masks a 64-bit shift count to 6 bits: "mod 64"
    Reg t = target(d);
    load(t, x);
    a.shift(op, t, Reg.CL);
    store(d, t);
  }

  private void shiftImmediate(ShiftOp op, int d, int x, int count) {
    Reg t = target(d);
    load(t, x);
    if ((count & 63) != 0) {
      a.shift(op, t, count & 63);
    }
    store(d, t);
  }

  /**
   * x86 idiv traps on a zero divisor and on MIN / -1 (Intel SDM Vol. 2A, IDIV: #DE), so both are
   * tested first: zero is the Kiln error; -1 goes out of line to a negation (MIN / -1 = MIN) or 0.
   */
  private void divide(boolean remainder, int d, int x, int y, int position) {
    Reg divisor = inReg(y, RCX);
    a.test(divisor, divisor);
    a.jcc(Cond.E, error(RuntimeErrorKind.DIVISION_BY_ZERO, position));
    a.cmp(divisor, -1);
    Label minusOne = a.label();
    Label join = a.label();
    a.jcc(Cond.E, minusOne);
    load(RAX, x);
    a.cqo();
    a.idiv(divisor);
    a.bind(join);
    store(d, remainder ? RDX : RAX);
    stubs.add(() -> {
      a.bind(minusOne);
      if (remainder) {
        a.xor(EDX, EDX);
      } else {
        load(RAX, x);
        a.neg(RAX);
      }
      a.jmp(join);
    });
  }

  /**
   * Division by a constant. A power of two 2^k becomes shifts that round toward zero like idiv:
   * a negative dividend gets 2^k - 1 added first (the bias is (x >> 63) >>> (64 - k)), unless
   * the dividend is known to be a multiple of 2^k ({@code exact}, see {@link ExactDivisions}).
   */
  private void divideImmediate(int d, int x, int imm, boolean exact) {
    int k = Integer.numberOfTrailingZeros(imm);
    if (imm == 1) {
      move(d, x);
    } else if (imm == -1) {
      unary(d, x, true);
    } else if (imm > 0 && Integer.bitCount(imm) == 1) {
      Reg t = target(d);
      if (exact) {
        load(t, x);
      } else {
        roundedTowardZero(t, x, k);
      }
      a.sar(t, k);
      store(d, t);
    } else {
      magicQuotient(x, imm);
      store(d, RDX);
    }
  }

  /** x % imm: for 2^k, x - ((x + bias) & -2^k); imm -1 gives 0 (idiv would trap on MIN). */
  private void remainderImmediate(int d, int x, int imm) {
    if (imm == 1 || imm == -1) {
      constant(d, 0);
    } else if (imm > 0 && Integer.bitCount(imm) == 1) {
      roundedTowardZero(RDX, x, Integer.numberOfTrailingZeros(imm));
      a.and(RDX, -imm);
      Reg t = target(d);
      load(t, x);
      a.sub(t, RDX);
      store(d, t);
    } else {
      magicQuotient(x, imm);
      a.imul(RDX, RDX, imm);
      Reg t = target(d);
      load(t, x);
      a.sub(t, RDX);
      store(d, t);
    }
  }

  /**
   * rdx = x / divisor (truncated) without idiv: the high half of x times a magic reciprocal,
   * corrected and shifted, plus one for negative quotients (Hacker's Delight, 2nd ed., 10-1;
   * {@link MagicDivisor}). Uses rax and rdx.
   */
  private void magicQuotient(int x, int divisor) {
    MagicDivisor magic = MagicDivisor.of(divisor);
    a.mov(RAX, magic.multiplier());
    Reg home = reg(x);
    if (home == null) {
      a.imul(mem(x));
    } else {
      a.imul(home);
    }
    if (divisor > 0 && magic.multiplier() < 0) {
      alu(AluOp.ADD, RDX, x);
    } else if (divisor < 0 && magic.multiplier() > 0) {
      alu(AluOp.SUB, RDX, x);
    }
    if (magic.shift() > 0) {
      a.sar(RDX, magic.shift());
    }
    a.mov(RAX, RDX);
    a.shr(RAX, 63);
    a.add(RDX, RAX);
  }

  /** t = x + (x < 0 ? 2^k - 1 : 0), using rcx. */
  private void roundedTowardZero(Reg t, int x, int k) {
    load(RCX, x);
    a.sar(RCX, 63);
    a.shr(RCX, 64 - k);
    load(t, x);
    a.add(t, RCX);
  }

  private void floatArithmetic(SseOp op, int d, int x, int y) {
    Xmm t = xmmTarget(d);
    boolean commutes = op == SseOp.ADDSD || op == SseOp.MULSD;
    if (t == xmm(y) && t != xmm(x)) {
      if (commutes) {
        a.sse(op, t, inXmm(x, XMM1)); // d = x op y computed as y op x
        fromXmm(d, t); // t is xmm0 when y is handed over in it and d lives elsewhere
        return;
      }
      t = XMM0;
    }
    Xmm right = inXmm(y, XMM1);
    toXmm(t, x);
    a.sse(op, t, right);
    fromXmm(d, t);
  }

  /** -x flips the sign bit (xorpd with a RIP-relative mask), so -(0.0) is -0.0 and NaN stays NaN. */
  private void negateFloat(int d, int x) {
    Xmm t = xmmTarget(d);
    toXmm(t, x);
    a.xorpd(t, a.constant128(Long.MIN_VALUE, 0));
    fromXmm(d, t);
  }

  private void intToFloat(int d, int x) {
    Xmm t = xmmTarget(d);
    a.xorpd(t, t); // breaks cvtsi2sd's false dependence on the register's old value
    Reg home = reg(x);
    if (home == null) {
      a.cvtsi2sd(t, mem(x));
    } else {
      a.cvtsi2sd(t, home);
    }
    fromXmm(d, t);
  }

  /**
   * Java's (long) cast. cvttsd2si returns MIN ("integer indefinite") for NaN and out-of-range
   * values; {@code cmp rax, 1} overflows exactly for MIN, and only then the out-of-line fix-up
   * decides: NaN gives 0, a positive value MAX, a negative one keeps MIN.
   */
  private void floatToInt(int d, int x) {
    toXmm(XMM0, x);
    a.cvttsd2si(RAX, XMM0);
    a.cmp(RAX, 1);
    Label fix = a.label();
    Label join = a.label();
    a.jcc(Cond.O, fix);
    a.bind(join);
    store(d, RAX);
    stubs.add(() -> {
      a.bind(fix);
      Label nan = a.label();
      a.ucomisd(XMM0, XMM0);
      a.jcc(Cond.P, nan);
      a.xorpd(XMM1, XMM1);
      a.ucomisd(XMM0, XMM1);
      a.jcc(Cond.B, join);
      a.mov(RAX, Long.MAX_VALUE);
      a.jmp(join);
      a.bind(nan);
      a.xor(EAX, EAX);
      a.jmp(join);
    });
  }

  private void compareInts(Cond cond, int d, int x, int y) {
    alu(AluOp.CMP, inReg(x, RAX), y);
    a.setcc(cond, Reg.AL);
    a.movzx(EAX, Reg.AL);
    store(d, RAX);
  }

  /** ucomisd sets ZF, PF and CF all to 1 for unordered (NaN) operands (Intel SDM Vol. 2B, UCOMISD). */
  private void floatEquality(boolean equal, int d, int x, int y) {
    a.ucomisd(inXmm(x, XMM0), inXmm(y, XMM1));
    a.setcc(equal ? Cond.E : Cond.NE, Reg.AL);
    a.setcc(equal ? Cond.NP : Cond.P, Reg.CL);
    a.alu(equal ? AluOp.AND : AluOp.OR, Reg.AL, Reg.CL);
    a.movzx(EAX, Reg.AL);
    store(d, RAX);
  }

  /** x < y as y > x ("above"), x <= y as y >= x ("above or equal"): both false on NaN. */
  private void floatOrder(Cond cond, int d, int x, int y) {
    a.ucomisd(inXmm(y, XMM0), inXmm(x, XMM1));
    a.setcc(cond, Reg.AL);
    a.movzx(EAX, Reg.AL);
    store(d, RAX);
  }

  // ------------------------------------------------------------------ control flow

  /** A back edge polls the time-limit flag, like a safepoint poll. */
  private void poll(int pc, int target) {
    if (target <= pc) {
      a.cmp(Mem.byte_(R13, JitContext.POLL), 0);
      a.jcc(Cond.NE, error(RuntimeErrorKind.TIME_LIMIT_EXCEEDED, program.positionAt(pc)));
    }
  }

  private void jump(int pc, int target) {
    poll(pc, target);
    if (target != pc + Op.length(Op.JMP)) {
      a.jmp(label(target));
    }
  }

  private void branchInts(int pc, Cond cond, int x, int y, int target) {
    poll(pc, target);
    if (loadedForCompare != null) {
      if (frame.folded[y]) {
        a.alu(AluOp.CMP, takeLoadedForCompare(), frame.constants[y]);
      } else {
        a.alu(AluOp.CMP, takeLoadedForCompare(), inReg(y, RDX)); // rax and rcx may address it
      }
    } else {
      alu(AluOp.CMP, inReg(x, RAX), y);
    }
    a.jcc(cond, label(target));
  }

  /** The element operand an array load left for this compare, which uses it up. */
  private Mem takeLoadedForCompare() {
    Mem m = loadedForCompare;
    loadedForCompare = null;
    return m;
  }

  private void branchImmediate(int pc, Cond cond, int x, int imm, int target) {
    poll(pc, target);
    HandOvers.ZeroTest test = zeroTest(pc);
    if (test != null) {
      a.test(inReg(test.operand(), RAX), test.mask()); // x % 2^k or x & mask, compared with 0
    } else if (loadedForCompare != null) {
      a.alu(AluOp.CMP, takeLoadedForCompare(), imm);
    } else {
      aluImm(AluOp.CMP, x, imm);
    }
    a.jcc(cond, label(target));
  }

  private HandOvers.ZeroTest zeroTest(int pc) {
    return frame.handOvers.zeroTests()[pc - functionEntry];
  }

  private void branchFloat(int pc, Cond cond, int x, int y, int target) {
    poll(pc, target);
    a.ucomisd(inXmm(y, XMM0), inXmm(x, XMM1));
    a.jcc(cond, label(target));
  }

  private void branchFloatEqual(int pc, int x, int y, int target) {
    poll(pc, target);
    a.ucomisd(inXmm(x, XMM0), inXmm(y, XMM1));
    Label skip = a.label();
    a.jcc(Cond.P, skip);
    a.jcc(Cond.E, label(target));
    a.bind(skip);
  }

  private void branchFloatNotEqual(int pc, int x, int y, int target) {
    poll(pc, target);
    a.ucomisd(inXmm(x, XMM0), inXmm(y, XMM1));
    a.jcc(Cond.P, label(target));
    a.jcc(Cond.NE, label(target));
  }

  // ------------------------------------------------------------------ arrays

  /**
   * The element operand {@code [array + index*8 + 8]}, after one unsigned bounds check (a
   * negative index is a huge unsigned one) to an out-of-line stub, unless the same array and
   * index passed it on the way here ({@link CheckedIndexes}).
   */
  private Mem element(int pc, int array, int indexSlot, int position) {
    Reg ref = inReg(array, RAX);
    Reg index = inReg(indexSlot, RCX);
    CountedLoops.Loop provenIn = countedLoops.uncheckedIn()[pc - functionEntry];
    boolean proven = provenIn != null && fastLoops.contains(provenIn);
    if (!proven && !checkedIndexes.holds(array, indexSlot)) {
      a.cmp(index, Mem.qword(ref, 0));
      Label stub = a.label();
      a.jcc(Cond.AE, stub);
      stubs.add(() -> {
        a.bind(stub);
        a.mov(Mem.qword(R13, JitContext.ERROR_A), index);
        a.mov(RDX, Mem.qword(ref, 0));
        a.mov(Mem.qword(R13, JitContext.ERROR_B), RDX);
        raise(RuntimeErrorKind.INDEX_OUT_OF_BOUNDS, position);
      });
      checkedIndexes.checked(array, indexSlot);
    }
    return Mem.qword(ref, index, Heap.ELEMENT_BYTES, Heap.HEADER_BYTES);
  }

  /** The slot the instruction at {@code pc} writes, or -1: its result, or a for loop's counter. */
  private int writtenSlot(int pc) {
    int op = code[pc];
    return op == Op.FOR_I || op == Op.FOR_I_IMM ? code[pc + 1] : Op.resultSlot(code, pc);
  }

  // ------------------------------------------------------------------ calls

  private void call(int pc, int d, int f, int first, int position) {
    int n = program.function(f).params().size();
    // Stack arguments first: they use rax as scratch, which then carries a register argument.
    for (int j = Frame.ARGUMENT_REGISTERS.size(); j < n; j++) {
      a.mov(Mem.qword(RSP, 8 * j), inReg(first + j, RAX));
    }
    for (int j = 0; j < n && j < Frame.ARGUMENT_REGISTERS.size(); j++) {
      Xmm floatArgument = Frame.floatArgument(program.function(f), j);
      if (floatArgument != null) {
        toXmm(floatArgument, first + j); // no argument is handed over in xmm0 or xmm1
      } else {
        load(Frame.ARGUMENT_REGISTERS.get(j), first + j);
      }
    }
    // The interpreter's depth limit: r15 calls are still allowed. A leaf makes no calls, so its
    // frame need not be counted in r15, only allowed. After a counted call r15 stays counted if
    // the next instruction to make a call is one, straight on: that call cannot fail either.
    boolean leaf = calls.isLeaf(f);
    boolean check = leaf || !depthCounted || stackGuard;
    Label overflow = check ? error(RuntimeErrorKind.STACK_OVERFLOW, position) : null;
    if (leaf) {
      a.test(R15, R15);
      a.jcc(Cond.E, overflow);
    } else if (!depthCounted) {
      a.sub(R15, 1);
      a.jcc(Cond.B, overflow);
    }
    if (stackGuard) {
      a.cmp(RSP, Mem.qword(R13, JitContext.STACK_GUARD));
      a.jcc(Cond.B, overflow);
    }
    // The callee's guard clause, inlined on the arguments: when it holds, its result is the
    // call's without a call. It comes after the depth check, as the interpreter counts the frame
    // anyway, and before the count is given back, so both paths leave r15 alike.
    EarlyReturn guard = guards[f];
    Label join = null;
    if (guard != null) {
      Label enter = a.label();
      join = a.label();
      testGuard(guard, enter);
      if (d >= 0 && guard.result() != null) {
        store(d, guard.result());
      } else if (d >= 0) {
        constant(d, guard.constant());
      }
      a.jmp(join);
      a.bind(enter);
    }
    a.call(bodies[f]);
    if (d >= 0 && returnsFloat(program.function(f))) {
      fromXmm(d, XMM0);
    } else if (d >= 0) {
      store(d, RAX);
    }
    if (join != null) {
      a.bind(join);
    }
    if (!leaf) {
      depthCounted = nextCallIsCountedStraightOn(pc);
      if (!depthCounted) {
        a.add(R15, 1);
      }
    }
  }

  /**
   * Whether the first call after the one at {@code pc} is to a function that is not a leaf and
   * comes before any jump, jump target or return, within a short look-ahead.
   */
  private boolean nextCallIsCountedStraightOn(int pc) {
    int end = functionEnd;
    int next = pc + Op.length(code[pc]);
    for (int steps = 0; steps < CALL_LOOKAHEAD && next < end; steps++) {
      int op = code[next];
      if (label(next) != null || Op.isBranch(op) || op == Op.RET || op == Op.RET_VOID) {
        return false;
      }
      if (op == Op.CALL) {
        return !calls.isLeaf(code[next + 2]);
      }
      next += Op.length(op);
    }
    return false;
  }

  private void print(int what, int valueSlot, int lastFlag) {
    upcall(what | (lastFlag == 1 ? JitContext.LAST_ARGUMENT : 0), valueSlot, 0);
  }

  /**
   * Calls the host's upcall helper with {@code (what, value, extra)} in the host convention,
   * saving the slot registers it may clobber. {@code valueSlot} < 0 passes {@code -1 - valueSlot}
   * as an immediate. A negative result means the Java handler threw: unwind at once, and
   * {@code invokeWithUpcall} rethrows the handler's exception (a KilnRuntimeError for
   * {@code new}).
   */
  private void upcall(int what, int valueSlot, int extra) {
    if (valueSlot >= 0) {
      load(RAX, valueSlot);
    } else {
      a.mov(EAX, -1 - valueSlot);
    }
    upcallWithRax(what, extra);
  }

  /**
   * {@code d = new T[length]}. An array of at most {@link #INLINE_ARRAY_ELEMENTS} elements is
   * bump-allocated in place from the heap's state in the context block ({@link
   * JitContext#HEAP_TOP}): the bytes left under the cap are counted down, the end of the memory
   * ever used is moved up, and the elements are zeroed, since the memory may be reused. Anything
   * else (a large or negative length, the cap reached) is the {@code Heap}'s, through the upcall,
   * which raises the interpreter's errors. An upcall costs ~100 ns; a small array in a function
   * called in a loop is the common case.
   */
  private void newArray(int d, int lengthSlot, int position) {
    Label slow = a.label();
    Label done = a.label();
    load(RCX, lengthSlot);
    a.cmp(RCX, INLINE_ARRAY_ELEMENTS);
    a.jcc(Cond.A, slow); // unsigned: a negative length goes there too
    a.lea(RDX, Mem.qword(RCX, 1));
    a.shift(ShiftOp.SHL, RDX, 3); // the bytes: the length word and the elements
    a.cmp(Mem.qword(R13, JitContext.HEAP_BUDGET), RDX);
    a.jcc(Cond.L, slow);
    a.sub(Mem.qword(R13, JitContext.HEAP_BUDGET), RDX);
    a.mov(RAX, Mem.qword(R13, JitContext.HEAP_TOP));
    a.add(RDX, RAX);
    a.mov(Mem.qword(R13, JitContext.HEAP_TOP), RDX);
    Label below = a.label();
    a.cmp(Mem.qword(R13, JitContext.HEAP_DIRTY), RDX);
    a.jcc(Cond.AE, below);
    a.mov(Mem.qword(R13, JitContext.HEAP_DIRTY), RDX);
    a.bind(below);
    a.add(RAX, Mem.qword(R13, JitContext.HEAP_BASE)); // the reference made an address
    a.mov(Mem.qword(RAX, 0), RCX);
    Label zeroed = a.label();
    Label zero = a.label();
    a.test(RCX, RCX);
    a.jcc(Cond.E, zeroed);
    a.bind(zero); // elements length-1 down to 0, at [array + 8 * (k + 1)]
    a.mov(Mem.qword(RAX, RCX, 8, 0), 0);
    a.sub(RCX, 1);
    a.jcc(Cond.NE, zero);
    a.bind(zeroed);
    a.jmp(done);
    a.bind(slow);
    a.mov(RAX, RCX); // the length: its slot's home may be a scratch register, changed above
    upcallWithRax(JitContext.UPCALL_NEW_ARRAY, position);
    a.add(RAX, Mem.qword(R13, JitContext.HEAP_BASE));
    a.bind(done);
    store(d, RAX);
  }

  /** {@link #upcall} with its value already in rax. */
  private void upcallWithRax(int what, int extra) {
    int gprs = frame.upcallClobbered.size();
    for (int k = 0; k < gprs; k++) {
      a.mov(frame.saveCell(k), frame.upcallClobbered.get(k));
    }
    for (int k = 0; k < frame.upcallClobberedXmm.size(); k++) {
      a.movsd(frame.saveCell(gprs + k), frame.upcallClobberedXmm.get(k));
    }
    a.mov(arg(1), RAX);
    a.mov(arg(0).width(32), what);
    a.mov(arg(2).width(32), extra);
    a.callAbsolute(upcallAddress);
    for (int k = 0; k < gprs; k++) {
      a.mov(frame.upcallClobbered.get(k), frame.saveCell(k));
    }
    for (int k = 0; k < frame.upcallClobberedXmm.size(); k++) {
      a.movsd(frame.upcallClobberedXmm.get(k), frame.saveCell(gprs + k));
    }
    a.test(RAX, RAX);
    Label failed = a.label();
    a.jcc(Cond.S, failed);
    stubs.add(() -> {
      a.bind(failed);
      a.mov(EAX, (int) JitContext.UPCALL_FAILED);
      a.jmp(unwind);
    });
  }
}
