package dev.kiln.backend.emit;

import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.R15;
import static dev.kiln.asm.Reg.RAX;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Operand;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.TrapKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A function's out-of-line trap stubs, emitted after its body: each records the trap's kind, code,
 * position, function and operands in the context block and unwinds to the entry stub with status
 * {@link ContextBlock#STATUS_TRAP}. The hot path only has the compare and the branch.
 */
final class TrapStubs {
  private final Assembler a;
  private final Locations at;
  private final Linkage link;
  private final int function;
  /** The function the stubs requested now report: an inlined instruction's origin. */
  private int reported;
  private final List<Runnable> stubs = new ArrayList<>();

  TrapStubs(Assembler a, Locations at, Linkage link, int function) {
    this.a = a;
    this.at = at;
    this.link = link;
    this.function = function;
    this.reported = function;
  }

  /**
   * Makes the stubs requested from now on report {@code origin} as the function that trapped
   * (an inlined instruction's, as the interpreter reports it), or the emitted one if null.
   */
  void reportAs(Function origin) {
    reported = origin == null ? function : origin.index();
  }

  /**
   * A trap stub for later emission; returns its label. The operands are read when the stub runs,
   * so they must still hold the values at the branch.
   *
   * @param index the trap's first operand, or {@code null}
   * @param length its second operand, or {@code null} for {@code lengthConstant}
   */
  Label stub(TrapKind kind, long code, int position, Operand index, Operand length,
      long lengthConstant) {
    Label l = a.label();
    int in = reported;
    stubs.add(() -> {
      a.bind(l);
      a.mov(Mem.qword(R15, ContextBlock.TRAP_KIND), kind.ordinal());
      record(code, position, in, index, length, lengthConstant);
    });
    return l;
  }

  /** The stub of the prologue's native-stack check. */
  Label stackOverflow() {
    return stub(TrapKind.STACK_OVERFLOW, 0, Instruction.NO_POSITION, null, null, 0);
  }

  /**
   * A poll: one compare of the context block's flag, out of line when it is raised; the stub's
   * trap kind is the flag's value minus one.
   */
  void poll(int position) {
    Label due = a.label();
    a.cmp(Mem.byte_(R15, ContextBlock.POLL), 0);
    a.jcc(Cond.NE, due);
    int in = reported;
    stubs.add(() -> {
      a.bind(due);
      a.movzx(EAX, Mem.byte_(R15, ContextBlock.POLL));
      a.dec(EAX);
      a.mov(Mem.qword(R15, ContextBlock.TRAP_KIND), RAX);
      record(0, position, in, null, null, 0);
    });
  }

  /** Emits every stub requested so far. */
  void emit() {
    for (Runnable stub : stubs) {
      stub.run();
    }
  }

  /** Records the trap's details (in function number {@code in}) and unwinds to the entry stub. */
  private void record(long code, int position, int in, Operand index, Operand length,
      long lengthConstant) {
    if (index != null) {
      at.move(Mem.qword(R15, ContextBlock.TRAP_INDEX), index);
      if (length != null) {
        at.move(Mem.qword(R15, ContextBlock.TRAP_LENGTH), length);
      } else {
        at.load(Mem.qword(R15, ContextBlock.TRAP_LENGTH), lengthConstant);
      }
    }
    at.load(Mem.qword(R15, ContextBlock.TRAP_CODE), code);
    a.mov(Mem.qword(R15, ContextBlock.TRAP_POSITION), position);
    a.mov(Mem.qword(R15, ContextBlock.TRAP_FUNCTION), in);
    a.mov(EAX, (int) ContextBlock.STATUS_TRAP);
    a.jmp(link.unwind());
  }
}
