package dev.kiln.jit.lowering;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Program;
import dev.kiln.bytecode.ValueKind;
import dev.kiln.ir.Function;
import dev.kiln.ir.FunctionBuilder;
import dev.kiln.ir.Module;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import dev.kiln.vm.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Lowers a Kiln {@link Program} to one IR module: a function per Kiln function (ints, bools and
 * array references as i64, floats as f64), the heap as a memory and the run-time glue as Java
 * imports ({@link RuntimeImports}). Each function's frame takes the levels of the call-depth
 * limit that the interpreter counts for it ({@link Limits#frameLevels}), so both overflow at the
 * same depth.
 */
public final class KilnLowering {
  /** Kiln names that are also valid IR names keep them; others become {@code fn.INDEX}. */
  private static final Pattern IR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private KilnLowering() {}

  /**
   * The module of {@code program}.
   *
   * @param heapBytes the size of the heap's memory: the bytes of the buffer that will be bound
   *     to it
   */
  public static Module lower(Program program, long heapBytes) {
    Module module = new Module();
    RuntimeImports runtime = new RuntimeImports(module, heapBytes);
    List<FunctionBuilder> builders = new ArrayList<>();
    List<Function> functions = new ArrayList<>();
    for (int f = 0; f < program.functions().size(); f++) {
      FunctionInfo info = program.function(f);
      FunctionBuilder b = module.define(irName(f, info), signature(info))
          .levels(Limits.frameLevels(info.frameSize()));
      builders.add(b);
      functions.add(b.function());
    }
    for (int f = 0; f < builders.size(); f++) {
      new FunctionLowering(program, f, builders.get(f), functions, runtime).lower();
      builders.get(f).finish();
    }
    return module;
  }

  /** The IR name of {@code program}'s {@code main}. */
  public static String mainName(Program program) {
    return irName(program.mainIndex(), program.function(program.mainIndex()));
  }

  private static String irName(int index, FunctionInfo info) {
    return IR_NAME.matcher(info.name()).matches() ? info.name() : "fn." + index;
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
