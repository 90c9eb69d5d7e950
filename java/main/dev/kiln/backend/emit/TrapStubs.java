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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A function's out-of-line trap stubs, emitted after its body: each records the trap's kind, code,
 * position, function and operands in the context block and unwinds to the entry stub with status
 * {@link ContextBlock#STATUS_TRAP}. The hot path only has the compare and the branch.
 *
 * <p>A stub only stores what differs per check (its register operands, and its position in eax)
 * and jumps to a tail shared by every stub of the same kind, code, function and constant length,
 * which stores the rest; identical stubs are one.
 */
final class TrapStubs {
  /**
   * What a shared tail records: {@code kind} null for a poll (whose kind is the flag's value),
   * {@code length} the constant length of a trap with an index operand but no length operand.
   * (A class, not a record: a record's equals and hashCode bootstrap an invokedynamic, which a
   * cold JVM pays for.)
   */
  private static final class Tail {
    final TrapKind kind;
    final long code;
    final int function;
    final boolean storesLength;
    final long length;

    Tail(TrapKind kind, long code, int function, boolean storesLength, long length) {
      this.kind = kind;
      this.code = code;
      this.function = function;
      this.storesLength = storesLength;
      this.length = length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tail t && t.kind == kind && t.code == code && t.function == function
          && t.storesLength == storesLength && t.length == length;
    }

    @Override
    public int hashCode() {
      return ((Objects.hashCode(kind) * 31 + Long.hashCode(code)) * 31 + function) * 31
          + Long.hashCode(length);
    }
  }

  /** One stub: its tail, position and register operands (or null); its label once requested. */
  private static final class Stub {
    final Tail tail;
    final int position;
    final Operand index;
    final Operand length;
    Label label;

    Stub(Tail tail, int position, Operand index, Operand length) {
      this.tail = tail;
      this.position = position;
      this.index = index;
      this.length = length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Stub s && s.tail.equals(tail) && s.position == position
          && Objects.equals(s.index, index) && Objects.equals(s.length, length);
    }

    @Override
    public int hashCode() {
      return (tail.hashCode() * 31 + position) * 31 + Objects.hashCode(index);
    }
  }

  private final Assembler a;
  private final Locations at;
  private final Linkage link;
  private final int function;
  /** The function the stubs requested now report: an inlined instruction's origin. */
  private int reported;
  private final Map<Stub, Stub> stubs;
  private final List<Stub> order = new ArrayList<>();
  private final Map<Tail, Label> tails = new HashMap<>();
  /** The prologue check's stub and where it goes, once requested. */
  private Label entryCheck;
  private Label entryPoll;
  private Label entryOverflow;

  /**
   * @param instructions the function's linear indexes: the map of stubs has room for one each,
   *     about the most a function requests (a Brainfuck program's loads and stores all check),
   *     so that it is not rehashed as it fills
   */
  TrapStubs(Assembler a, Locations at, Linkage link, int function, int instructions) {
    this.a = a;
    this.at = at;
    this.link = link;
    this.function = function;
    this.reported = function;
    this.stubs = new HashMap<>(instructions);
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
    boolean storesLength = index != null && length == null;
    Tail tail = new Tail(kind, code, reported, storesLength, storesLength ? lengthConstant : 0);
    return request(new Stub(tail, position, index, index == null ? null : length));
  }

  /** The stub of a native-stack overflow. */
  private Label stackOverflow() {
    return stub(TrapKind.STACK_OVERFLOW, 0, Instruction.NO_POSITION, null, null, 0);
  }

  /**
   * The out-of-line side of the prologue's one check, {@code cmp rsp, [STACK_LIMIT]; jb}, which
   * is the function's entry poll too: the watchdog sets the limit to all ones after raising the
   * poll flag, so the flag tells a poll (at {@code position}) from a native-stack overflow.
   */
  Label entryCheck(int position) {
    entryCheck = a.label();
    entryPoll = request(new Stub(new Tail(null, 0, reported, false, 0), position, null, null));
    entryOverflow = stackOverflow();
    return entryCheck;
  }

  /**
   * A poll: one compare of the context block's flag, out of line when it is raised; the stub's
   * trap kind is the flag's value minus one.
   */
  void poll(int position) {
    a.cmp(Mem.byte_(R15, ContextBlock.POLL), 0);
    a.jcc(Cond.NE, request(new Stub(new Tail(null, 0, reported, false, 0), position, null, null)));
  }

  private Label request(Stub s) {
    Stub known = stubs.putIfAbsent(s, s);
    if (known != null) {
      return known.label;
    }
    s.label = a.label();
    order.add(s);
    return s.label;
  }

  /** Emits every stub requested so far, then their tails. */
  void emit() {
    if (entryCheck != null) {
      a.bind(entryCheck);
      a.cmp(Mem.byte_(R15, ContextBlock.POLL), 0);
      a.jcc(Cond.NE, entryPoll);
      a.jmp(entryOverflow);
    }
    List<Tail> used = new ArrayList<>();
    for (Stub s : order) {
      emit(s, used);
    }
    for (Tail t : used) {
      a.bind(tails.get(t));
      tail(t);
    }
  }

  /**
   * Emits stub {@code s}, which jumps to its tail, adding a tail not yet used to {@code used} (a
   * method per stub, which C1 compiles early).
   */
  private void emit(Stub s, List<Tail> used) {
    a.bind(s.label);
    if (s.index != null) {
      at.move(Mem.qword(R15, ContextBlock.TRAP_INDEX), s.index);
      if (s.length != null) {
        at.move(Mem.qword(R15, ContextBlock.TRAP_LENGTH), s.length);
      }
    }
    a.mov(EAX, s.position);
    Label tail = tails.get(s.tail);
    if (tail == null) {
      tail = a.label();
      tails.put(s.tail, tail);
      used.add(s.tail);
    }
    a.jmp(tail);
  }

  /** A shared tail: eax holds the position; records the rest and unwinds to the entry stub. */
  private void tail(Tail t) {
    a.movsxd(RAX, EAX);
    a.mov(Mem.qword(R15, ContextBlock.TRAP_POSITION), RAX);
    if (t.kind == null) {
      a.movzx(EAX, Mem.byte_(R15, ContextBlock.POLL));
      a.dec(EAX);
      a.mov(Mem.qword(R15, ContextBlock.TRAP_KIND), RAX);
    } else {
      a.mov(Mem.qword(R15, ContextBlock.TRAP_KIND), t.kind.ordinal());
    }
    if (t.storesLength) {
      at.load(Mem.qword(R15, ContextBlock.TRAP_LENGTH), t.length);
    }
    at.load(Mem.qword(R15, ContextBlock.TRAP_CODE), t.code);
    a.mov(Mem.qword(R15, ContextBlock.TRAP_FUNCTION), t.function);
    a.mov(EAX, (int) ContextBlock.STATUS_TRAP);
    a.jmp(link.unwind());
  }
}
