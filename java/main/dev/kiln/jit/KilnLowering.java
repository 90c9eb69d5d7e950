package dev.kiln.jit;

import dev.kiln.backend.CompileOptions;
import dev.kiln.backend.CompilerThreads;
import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.bytecode.ValueKind;
import dev.kiln.ir.Function;
import dev.kiln.ir.FunctionBuilder;
import dev.kiln.ir.Module;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import dev.kiln.vm.Limits;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

/**
 * Lowers a Kiln {@link Program} to one IR module: a function per Kiln function that {@code main}
 * may call, directly or not (the others can never run), of the same name (Kiln names are ASCII
 * identifiers, and the glue's names have a dot), with ints, bools and
 * array references as i64 and floats as f64; the heap as a memory and the run-time glue as Java
 * imports ({@link RuntimeImports}). Each function's frame takes the levels of the call-depth
 * limit that the interpreter counts for it ({@link Limits#frameLevels}), so both overflow at the
 * same depth.
 */
public final class KilnLowering {
  private KilnLowering() {}

  /**
   * The module of {@code program}, a large one's function bodies lowered on several threads.
   *
   * @param heapBytes the size of the heap's memory: the bytes of the buffer that will be bound
   *     to it
   */
  public static Module lower(Program program, long heapBytes) {
    return lower(program, heapBytes, true);
  }

  /**
   * The module of {@code program}, the same whether its function bodies were lowered on several
   * threads or not.
   *
   * @param heapBytes the size of the heap's memory: the bytes of the buffer that will be bound
   *     to it
   * @param parallel whether other threads may lower function bodies ({@link
   *     CompileOptions#parallel(boolean)}), which they do in a large program
   */
  public static Module lower(Program program, long heapBytes, boolean parallel) {
    return lower(program, heapBytes, parallel, new BitSet[program.functions().size()], false);
  }

  /**
   * The module an interpreter running {@code program} hands it over to: as
   * {@link #lower(Program, long, boolean)}, but {@code main} only if a function it reaches calls
   * it (the interpreter runs main's frame, and compiled code would only ever call main again),
   * plus for each loop header that {@code resumptions} lists a function that takes over an
   * interpreted frame there ({@link #resumeName}): its parameters are the frame's slots, raw, in
   * slot order.
   *
   * @param resumptions by the program's function index: the loop headers (bytecode pcs) at which
   *     its frames go on in compiled code, or null for none
   */
  public static Module lowerForHandOver(Program program, long heapBytes, boolean parallel,
      BitSet[] resumptions) {
    return lower(program, heapBytes, parallel, resumptions, true);
  }

  private static Module lower(Program program, long heapBytes, boolean parallel,
      BitSet[] resumptions, boolean handOver) {
    Module module = new Module();
    RuntimeImports runtime = new RuntimeImports(module, heapBytes);
    List<FunctionBuilder> builders = new ArrayList<>();
    List<Integer> lowered = new ArrayList<>();
    // by the program's function index; null for a function main never reaches
    List<Function> functions = new ArrayList<>();
    Reach reach = reachedFromMain(program);
    boolean[] reached = reach.functions();
    for (int f = 0; f < program.functions().size(); f++) {
      if (!reached[f] || f == program.mainIndex() && handOver && !reach.mainCalled()) {
        functions.add(null);
        continue;
      }
      FunctionInfo info = program.function(f);
      // A time limit polled at the entry reports the function's first statement.
      FunctionBuilder b = define(module, info.name(), signature(info), info,
          program.positionAt(info.entry()));
      builders.add(b);
      lowered.add(f);
      functions.add(b.function());
    }
    List<Integer> headers = new ArrayList<>();
    for (int f = 0; f < resumptions.length; f++) {
      if (resumptions[f] == null || !reached[f]) {
        continue;
      }
      FunctionInfo info = program.function(f);
      for (int header = resumptions[f].nextSetBit(0); header >= 0;
          header = resumptions[f].nextSetBit(header + 1)) {
        List<Type> slots = Collections.nCopies(FunctionLowering.slots(info), Type.I64);
        builders.add(define(module, resumeName(program, f, header),
            Signature.of(slots, signature(info).result()), info, program.positionAt(header)));
        lowered.add(f);
        headers.add(header);
      }
    }
    // a bytecode word lowers to about one IR instruction
    boolean large = CompilerThreads.worthSharing(program.code().length);
    CompilerThreads.forEach(CompilerThreads.helpers(parallel && large, builders.size()),
        builders.size(), new Bodies(program, builders, lowered, headers, functions, runtime));
    return module;
  }

  /** The IR name of the function that resumes {@code f}'s frame at loop header {@code header}. */
  public static String resumeName(Program program, int f, int header) {
    return program.function(f).name() + ".resume." + header;
  }

  /**
   * A function of the module: its frame takes the interpreter's levels of the call-depth limit,
   * and a time limit polled at its entry reports {@code position} (if it is one).
   */
  private static FunctionBuilder define(Module module, String name, Signature signature,
      FunctionInfo info, int position) {
    FunctionBuilder b = module.define(name, signature).levels(Limits.frameLevels(info.frameSize()));
    if (position >= 0) {
      b.functionPosition(position);
    }
    return b;
  }

  /**
   * Which functions {@code main} reaches through calls, by the program's function index, and
   * whether one of them calls main.
   */
  private record Reach(boolean[] functions, boolean mainCalled) {}

  private static Reach reachedFromMain(Program program) {
    int[] code = program.code();
    int main = program.mainIndex();
    boolean[] reached = new boolean[program.functions().size()];
    boolean mainCalled = false;
    int[] work = new int[reached.length];
    int top = 0;
    reached[main] = true;
    work[top++] = main;
    while (top > 0) {
      FunctionInfo info = program.function(work[--top]);
      for (int pc = info.entry(); pc < info.end(); pc += Op.length(code[pc])) {
        // CALL d f s p: the callee is f
        if (code[pc] == Op.CALL) {
          mainCalled |= code[pc + 2] == main;
          if (!reached[code[pc + 2]]) {
            reached[code[pc + 2]] = true;
            work[top++] = code[pc + 2];
          }
        }
      }
    }
    return new Reach(reached, mainCalled);
  }

  /**
   * Lowers a function's body: it reads the program and the module's declarations and writes only
   * its own function, so bodies may be lowered on different threads.
   */
  private record Bodies(Program program, List<FunctionBuilder> builders, List<Integer> lowered,
      List<Integer> headers, List<Function> functions, RuntimeImports runtime)
      implements CompilerThreads.Work {
    /** Builder {@code k}: a function as called, or after them the resumptions at headers. */
    @Override
    public void run(int k) {
      FunctionLowering lowering =
          new FunctionLowering(program, lowered.get(k), builders.get(k), functions, runtime);
      int resumption = k - (builders.size() - headers.size());
      if (resumption < 0) {
        lowering.lower();
      } else {
        lowering.lowerFrom(headers.get(resumption));
      }
      builders.get(k).finish();
    }
  }

  private static Signature signature(FunctionInfo info) {
    List<Type> params = new ArrayList<>();
    for (ValueKind kind : info.params()) {
      params.add(type(kind));
    }
    return Signature.of(params, info.result() == ValueKind.VOID ? null : type(info.result()));
  }

  private static Type type(ValueKind kind) {
    return kind == ValueKind.FLOAT ? Type.F64 : Type.I64;
  }
}
