package dev.kiln.jit.lowering;

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
    return lower(program, heapBytes, parallel, new BitSet[program.functions().size()], true);
  }

  /**
   * The module an interpreter running {@code program} hands it over to: as
   * {@link #lower(Program, long, boolean)}, but {@code main} only if a function calls it (the
   * interpreter runs main's frame, and compiled code would only ever call main again), plus for
   * each loop header that {@code resumptions} lists a function that takes over an interpreted
   * frame there ({@link #resumeName}): its parameters are the frame's slots, raw, in slot order.
   *
   * @param resumptions by the program's function index: the loop headers (bytecode pcs) at which
   *     its frames go on in compiled code, or null for none
   */
  public static Module lowerForHandOver(Program program, long heapBytes, boolean parallel,
      BitSet[] resumptions) {
    return lower(program, heapBytes, parallel, resumptions, calls(program, program.mainIndex()));
  }

  private static Module lower(Program program, long heapBytes, boolean parallel,
      BitSet[] resumptions, boolean withMain) {
    Module module = new Module();
    RuntimeImports runtime = new RuntimeImports(module, heapBytes);
    List<FunctionBuilder> builders = new ArrayList<>();
    List<Integer> lowered = new ArrayList<>();
    // by the program's function index; null for a function main never reaches
    List<Function> functions = new ArrayList<>();
    boolean[] reached = reachedFromMain(program);
    for (int f = 0; f < program.functions().size(); f++) {
      if (!reached[f] || f == program.mainIndex() && !withMain) {
        functions.add(null);
        continue;
      }
      FunctionInfo info = program.function(f);
      FunctionBuilder b = module.define(info.name(), signature(info))
          .levels(Limits.frameLevels(info.frameSize()));
      // A time limit polled at the entry reports the function's first statement.
      int position = program.positionAt(info.entry());
      if (position >= 0) {
        b.functionPosition(position);
      }
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
      for (int header : resumptions[f].stream().toArray()) {
        List<Type> slots = Collections.nCopies(FunctionLowering.slots(info), Type.I64);
        FunctionBuilder b = module.define(resumeName(program, f, header),
                Signature.of(slots, signature(info).result()))
            .levels(Limits.frameLevels(info.frameSize()));
        int position = program.positionAt(header);
        if (position >= 0) {
          b.functionPosition(position);
        }
        builders.add(b);
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

  /** Whether a {@code CALL} of {@code program} calls function {@code f}. */
  private static boolean calls(Program program, int f) {
    int[] code = program.code();
    for (FunctionInfo info : program.functions()) {
      for (int pc = info.entry(); pc < info.end(); pc += Op.length(code[pc])) {
        // CALL d f s p: the callee is f
        if (code[pc] == Op.CALL && code[pc + 2] == f) {
          return true;
        }
      }
    }
    return false;
  }

  /** Which functions {@code main} reaches through calls, by the program's function index. */
  private static boolean[] reachedFromMain(Program program) {
    int[] code = program.code();
    boolean[] reached = new boolean[program.functions().size()];
    int[] work = new int[reached.length];
    int top = 0;
    reached[program.mainIndex()] = true;
    work[top++] = program.mainIndex();
    while (top > 0) {
      FunctionInfo info = program.function(work[--top]);
      for (int pc = info.entry(); pc < info.end(); pc += Op.length(code[pc])) {
        // CALL d f s p: the callee is f
        if (code[pc] == Op.CALL && !reached[code[pc + 2]]) {
          reached[code[pc + 2]] = true;
          work[top++] = code[pc + 2];
        }
      }
    }
    return reached;
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

  /** The IR name of {@code program}'s {@code main}. */
  public static String mainName(Program program) {
    return program.function(program.mainIndex()).name();
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
