package dev.kiln.jit;

import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.R13;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.bytecode.Program;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.vm.RuntimeErrorKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What the emitters of one program share while {@link KilnCodeGenerator} translates it: the
 * assembler, the program (with its small calls inlined, {@link Inliner}) and the host convention,
 * and the function being generated: its frame,
 * its branch targets and its out-of-line stubs, which follow its code, out of the hot path but
 * with its frame layout. A failing check jumps to an error stub, which writes the error to the
 * context block and leaves through {@link #unwind}.
 */
final class EmitContext {
  final Assembler a;
  /** The program with its small calls inlined: {@link #program} is its code. */
  final Inlined inlined;
  final Program program;
  final int[] code;
  final CallingConvention convention;
  /** Whether to write listing comments (building their text costs compile time). */
  final boolean listing;
  /** The entry stub's unwind code ({@link EntryStub}): eax = the run's status. */
  final Label unwind;
  private final List<Runnable> stubs = new ArrayList<>();

  // Per function.
  int functionIndex;
  Frame frame;
  int functionEntry;
  int functionEnd;
  /** Branch targets of the current function, indexed by pc - functionEntry (the end included). */
  private Label[] targets;

  EmitContext(Assembler a, Inlined inlined, CallingConvention convention, boolean listing) {
    this.a = a;
    this.inlined = inlined;
    this.program = inlined.program();
    this.code = program.code();
    this.convention = convention;
    this.listing = listing;
    this.unwind = a.label("unwind");
  }

  /** Starts function {@code f}, whose branch targets are {@code targets}. */
  void begin(int f, Frame frame, Label[] targets) {
    this.functionIndex = f;
    this.frame = frame;
    this.functionEntry = program.function(f).entry();
    this.functionEnd = program.function(f).end();
    this.targets = targets;
  }

  /** The current function's branch-target labels. */
  Label[] targets() {
    return targets;
  }

  /**
   * Replaces the branch-target labels: each version of a counted loop has labels of its own for
   * the targets inside it ({@link CountedLoops}).
   */
  void targets(Label[] labels) {
    this.targets = labels;
  }

  /** The label of a branch target of the current function, or null if nothing jumps to {@code pc}. */
  Label label(int pc) {
    return targets[pc - functionEntry];
  }

  /** Marks where the code of the instruction at {@code pc} starts, by its original offset. */
  void mark(int pc) {
    int offset = inlined.originalOffset(pc, functionIndex);
    if (offset >= 0) {
      a.mark(offset);
    }
  }

  /** The listing comment of the instruction at {@code pc} (see {@link Inlined#describe}). */
  String describe(int pc) {
    return inlined.describe(pc, functionIndex);
  }

  /** Whether the current function returns a float. */
  boolean returnsFloat() {
    return Frame.returnsFloat(program.function(functionIndex));
  }

  /** The zero test the instruction at {@code pc} is half of, or null (see {@link HandOvers.ZeroTest}). */
  HandOvers.ZeroTest zeroTest(int pc) {
    return frame.handOvers.zeroTests()[pc - functionEntry];
  }

  /** Register of the host convention's integer argument {@code n}. */
  Reg hostArgument(int n) {
    return Reg.of(convention.integerArguments().get(n), 64);
  }

  /** Adds out-of-line code to emit after the current function. */
  void stub(Runnable stub) {
    stubs.add(stub);
  }

  /** Emits the current function's out-of-line stubs, and those they add (an upcall's failure). */
  void emitStubs() {
    for (int i = 0; i < stubs.size(); i++) {
      stubs.get(i).run();
    }
    stubs.clear();
  }

  /** An out-of-line stub raising {@code kind} at position {@code position}. */
  Label error(RuntimeErrorKind kind, int position) {
    Label stub = a.label();
    stubs.add(() -> {
      a.bind(stub);
      raise(kind, position);
    });
    return stub;
  }

  /** Writes the error to the context block and unwinds. */
  void raise(RuntimeErrorKind kind, int position) {
    a.mov(Mem.qword(R13, JitContext.ERROR_KIND), kind.ordinal());
    a.mov(Mem.qword(R13, JitContext.ERROR_POSITION), position);
    leave(JitContext.ERROR);
  }

  /** Unwinds the whole Kiln stack, with the entry stub returning {@code status}. */
  void leave(long status) {
    a.mov(EAX, (int) status);
    a.jmp(unwind);
  }

  /** Polls the time-limit flag, like a safepoint poll: set, it raises the error at {@code position}. */
  void poll(int position) {
    a.cmp(Mem.byte_(R13, JitContext.POLL), 0);
    a.jcc(Cond.NE, error(RuntimeErrorKind.TIME_LIMIT_EXCEEDED, position));
  }
}
