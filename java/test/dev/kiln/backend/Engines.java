package dev.kiln.backend;

import dev.kiln.ir.Instance;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.Interpreter;
import dev.kiln.ir.Module;
import dev.kiln.runtime.CallingConvention;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Every way a module runs, by name, for tests that must hold for all of them: the reference
 * interpreter, and compiled code (optimized) in each calling convention, compiled whole or each
 * function on its first call.
 */
public final class Engines {
  /** The engines, each making an instance of a module with the given options. */
  public static final Map<String, BiFunction<Module, InstanceOptions, Instance>> ALL =
      engines();

  private Engines() {}

  private static Map<String, BiFunction<Module, InstanceOptions, Instance>> engines() {
    Map<String, BiFunction<Module, InstanceOptions, Instance>> all = new LinkedHashMap<>();
    all.put("interp", Interpreter::instantiate);
    all.put("compiled-sysv", (m, o) -> Backend.compile(m,
        new CompileOptions().convention(CallingConvention.SYSTEM_V), o));
    all.put("compiled-win64", (m, o) -> Backend.compile(m,
        new CompileOptions().convention(CallingConvention.WINDOWS_X64), o));
    all.put("lazy-sysv", (m, o) -> Backend.compile(m,
        new CompileOptions().convention(CallingConvention.SYSTEM_V).lazy(true), o));
    all.put("lazy-win64", (m, o) -> Backend.compile(m,
        new CompileOptions().convention(CallingConvention.WINDOWS_X64).lazy(true), o));
    return Collections.unmodifiableMap(all);
  }

  /** {@return the engines' names, for a {@code @MethodSource}} */
  public static List<String> names() {
    return new ArrayList<>(ALL.keySet());
  }

  /** {@return an instance of {@code m} in every engine, with default options} */
  public static List<Instance> instancesOf(Module m) {
    List<Instance> instances = new ArrayList<>();
    for (BiFunction<Module, InstanceOptions, Instance> engine : ALL.values()) {
      instances.add(engine.apply(m, new InstanceOptions()));
    }
    return instances;
  }
}
