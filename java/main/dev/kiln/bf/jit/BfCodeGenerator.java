package dev.kiln.bf.jit;

import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.R12;
import static dev.kiln.asm.Reg.R13;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RBX;
import static dev.kiln.asm.Reg.RCX;
import static dev.kiln.asm.Reg.RSP;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.bf.BfProgram;
import dev.kiln.runtime.CallingConvention;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates {@link BfProgram} IR into one machine-code function {@code long run(long tape,
 * long context)}.
 *
 * <p>Register use: {@code rbx} = tape base, {@code r12} = cell pointer p, {@code r13} = context
 * block. All three are callee-saved in both System V and Microsoft x64, so they survive the
 * upcalls without spilling. The function returns 0, or a status {@code instruction << 8 | kind}
 * (see {@link BfContext}).
 *
 * <p>Bounds checks: within a straight-line block p does not change (the IR moves the pointer
 * only at block ends), so the generator remembers the interval of offsets already checked and
 * skips checks inside it: a run like {@code >+>+>+} costs one check per new extreme, not one
 * per access. Each failing check jumps to an out-of-line stub that records the cell and returns.
 */
public final class BfCodeGenerator {
  private final BfProgram program;
  private final CallingConvention convention;
  private final long upcallAddress;
  private final Assembler a;
  private final Label[] labels;
  private final Label exit;
  private final List<Runnable> stubs = new ArrayList<>();

  /** Offsets known to be inside the tape since the last label or pointer move. */
  private int checkedLow = 1;
  private int checkedHigh = 0;

  private BfCodeGenerator(BfProgram program, CallingConvention convention, long upcallAddress, boolean listing) {
    this.program = program;
    this.convention = convention;
    this.upcallAddress = upcallAddress;
    this.a = listing ? Assembler.withListing() : new Assembler();
    this.labels = new Label[program.size() + 1];
    this.exit = a.label("exit");
  }

  /**
   * Generates the code.
   *
   * @param upcallAddress the runtime's upcall helper in {@code convention}
   * @param listing whether to keep an instruction listing (for {@code --dump=asm})
   */
  public static Assembler generate(BfProgram program, CallingConvention convention, long upcallAddress, boolean listing) {
    BfCodeGenerator g = new BfCodeGenerator(program, convention, upcallAddress, listing);
    g.markTargets();
    g.emitFunction();
    return g.a;
  }

  private void markTargets() {
    for (int i = 0; i < program.size(); i++) {
      int op = program.op(i);
      if (op == BfProgram.JZ || op == BfProgram.JNZ) {
        int target = program.a(i);
        if (labels[target] == null) {
          labels[target] = a.label();
        }
      }
    }
  }

  private Reg arg(int n) {
    return Reg.of(convention.integerArguments().get(n), 64);
  }

  private void emitFunction() {
    // Three pushes after the return address leave rsp 16-byte aligned; the 32 bytes below are
    // the Microsoft x64 shadow space for upcalls (harmless under System V), keeping alignment.
    a.push(RBX);
    a.push(R12);
    a.push(R13);
    a.sub(RSP, 32);
    a.mov(RBX, arg(0));
    a.mov(R13, arg(1));
    a.xor(Reg.R12D, Reg.R12D);
    for (int i = 0; i < program.size(); i++) {
      if (labels[i] != null) {
        a.bind(labels[i]);
        forgetChecks();
      }
      a.mark(i);
      a.comment("bf " + i);
      emit(i);
    }
    if (labels[program.size()] != null) {
      a.bind(labels[program.size()]);
    }
    a.xor(EAX, EAX);
    a.bind(exit);
    a.add(RSP, 32);
    a.pop(R13);
    a.pop(R12);
    a.pop(RBX);
    a.ret();
    for (Runnable stub : stubs) {
      stub.run();
    }
  }

  private void emit(int i) {
    int x = program.a(i);
    int y = program.b(i);
    switch (program.op(i)) {
      case BfProgram.ADD -> a.add(cell(i, x), (byte) y);
      case BfProgram.SET -> a.mov(cell(i, x), (byte) y);
      case BfProgram.MOVE -> {
        a.add(R12, x);
        forgetChecks();
      }
      case BfProgram.OUT -> emitOut(i, x);
      case BfProgram.IN -> emitIn(i, x);
      case BfProgram.JZ -> {
        a.cmp(cell(i, 0), 0);
        a.jcc(Cond.E, labels[x]);
      }
      case BfProgram.JNZ -> {
        // The back edge polls the time-limit flag, like a safepoint poll.
        a.cmp(Mem.byte_(R13, BfContext.POLL), 0);
        a.jcc(Cond.NE, status(i, BfContext.TIME_LIMIT));
        a.cmp(cell(i, 0), 0);
        a.jcc(Cond.NE, labels[x]);
      }
      case BfProgram.MUL -> {
        Mem target = cell(i, x);
        a.movzx(EAX, cell(i, 0));
        if (y == 1) {
          a.add(target, Reg.AL);
        } else if (y == 255) {
          a.sub(target, Reg.AL);
        } else {
          a.imul(EAX, EAX, y);
          a.add(target, Reg.AL);
        }
      }
      case BfProgram.SCAN -> {
        forgetChecks();
        Label loop = a.here();
        a.add(R12, x);
        a.cmp(cell(i, 0), 0);
        forgetChecks();
        a.jcc(Cond.NE, loop);
      }
      default -> throw new IllegalStateException("bad Brainfuck IR op " + program.op(i));
    }
  }

  /** Appends the cell to the output buffer; drains the buffer through an upcall when full. */
  private void emitOut(int i, int offset) {
    a.movzx(EAX, cell(i, offset));
    a.mov(RCX, Mem.qword(R13, BfContext.OUT_COUNT));
    a.mov(Mem.byte_(R13, RCX, 1, BfContext.OUT_BUFFER), Reg.AL);
    a.inc(RCX);
    a.mov(Mem.qword(R13, BfContext.OUT_COUNT), RCX);
    a.cmp(RCX, BfContext.OUT_CAPACITY);
    Label done = a.label();
    a.jcc(Cond.B, done);
    upcall(i, BfContext.UPCALL_FLUSH);
    a.bind(done);
  }

  /** Reads one byte through an upcall: -1 at end of input leaves the cell unchanged. */
  private void emitIn(int i, int offset) {
    Mem target = cell(i, offset);
    upcall(i, BfContext.UPCALL_READ);
    Label done = a.label();
    a.jcc(Cond.E, done); // the upcall's compare with -1: end of input
    a.mov(target, Reg.AL);
    a.bind(done);
  }

  /**
   * Calls the upcall helper with selector {@code what}; leaves flags from {@code cmp rax, -1}.
   * The helper returns {@code Upcall.FAILED} (the most negative long) if the Java side threw:
   * then the code returns at once, as the runtime requires.
   */
  private void upcall(int i, int what) {
    a.mov(arg(0).width(32), what);
    a.xor(arg(1).width(32), arg(1).width(32));
    a.xor(arg(2).width(32), arg(2).width(32));
    a.callAbsolute(upcallAddress);
    a.cmp(RAX, -1);
    a.jcc(Cond.L, status(i, BfContext.UPCALL_FAILED));
  }

  /** The memory operand of cell p+offset, checked to lie on the tape unless already known. */
  private Mem cell(int i, int offset) {
    if (offset < checkedLow || offset > checkedHigh) {
      a.lea(RAX, Mem.qword(R12, offset));
      a.cmp(RAX, BfProgram.TAPE_SIZE);
      Label stub = a.label();
      a.jcc(Cond.AE, stub); // unsigned: negative indexes fail too
      stubs.add(
          () -> {
            a.bind(stub);
            a.mov(Mem.qword(R13, BfContext.FAULT_CELL), RAX);
            a.mov(EAX, (i << 8) | BfContext.CELL_OUT_OF_RANGE);
            a.jmp(exit);
          });
      if (checkedLow > checkedHigh) {
        checkedLow = checkedHigh = offset;
      } else {
        checkedLow = Math.min(checkedLow, offset);
        checkedHigh = Math.max(checkedHigh, offset);
      }
    }
    return Mem.byte_(RBX, R12, 1, offset);
  }

  private void forgetChecks() {
    checkedLow = 1;
    checkedHigh = 0;
  }

  /** An out-of-line stub returning status {@code kind} for instruction {@code i}. */
  private Label status(int i, int kind) {
    Label stub = a.label();
    stubs.add(
        () -> {
          a.bind(stub);
          a.mov(EAX, (i << 8) | kind);
          a.jmp(exit);
        });
    return stub;
  }
}
