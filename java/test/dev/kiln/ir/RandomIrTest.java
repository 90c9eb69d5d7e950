package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backend.opt.ConstantFolding;
import dev.kiln.backend.opt.DeadCodeElimination;
import dev.kiln.backend.opt.LoopInvariantCodeMotion;
import dev.kiln.backend.opt.Pass;
import dev.kiln.backend.opt.ValueNumbering;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Random valid modules ({@link RandomIrGenerator}) are accepted by the verifier, print and parse
 * back to the same text, and run deterministically: twice built and once parsed, with the same
 * result or trap, memory and observed values; and compiled code, in both calling conventions,
 * agrees with the interpreter on all of that, the trap's code, index and length included. {@code -Dkiln.ir.random.count=N} and
 * {@code -Dkiln.ir.random.seed=S} run more; a failing module is saved under target/ir-repro/.
 */
class RandomIrTest {
  private static final int COUNT = Integer.getInteger("kiln.ir.random.count", 200);
  private static final long SEED = Long.getLong("kiln.ir.random.seed", 1);

  @Test
  void randomModulesVerifyRoundTripAndRunDeterministically() throws IOException {
    for (long seed = SEED; seed < SEED + COUNT; seed++) {
      RandomIrGenerator generator = new RandomIrGenerator(seed);
      Module module = generator.generate();
      Function entry = module.functions().get(module.functions().size() - 1);
      Object[] args = generator.arguments(entry);
      String text = null;
      try {
        text = IrPrinter.print(module);
        module.verify();
        Module parsed = IrParser.parse(text);
        parsed.verify();
        assertEquals(text, IrPrinter.print(parsed), "print(parse(print(m)))");
        BiFunction<Module, InstanceOptions, Instance> interp = Interpreter::instantiate;
        String outcome = outcome(module, entry.name(), args, interp);
        assertEquals(outcome, outcome(module, entry.name(), args, interp), "the same run twice");
        assertEquals(outcome, outcome(parsed, entry.name(), args, interp), "the parsed module");
        for (var mode : IrFileTest.MODES.entrySet()) {
          assertEquals(outcome, outcome(module, entry.name(), args, mode.getValue()),
              mode.getKey());
        }
      } catch (RuntimeException | AssertionError e) {
        Path repro = Path.of("target/ir-repro/seed-" + seed + ".ir");
        Files.createDirectories(repro.getParent());
        Files.writeString(repro, "; seed " + seed + ", @" + entry.name() + Arrays.toString(args)
            + "\n" + (text != null ? text : "; (the module did not print)\n"));
        throw new AssertionError("random module, seed " + seed + " (reproducer: " + repro + "): "
            + e.getMessage(), e);
      }
    }
  }

  /** What a run shows: its result or trap, the memory, and the values the sink saw. */
  private static String outcome(Module module, String entry, Object[] args,
      BiFunction<Module, InstanceOptions, Instance> mode) {
    long[] seen = {17};
    InstanceOptions options = new InstanceOptions()
        .bind("sink", a -> {
          seen[0] = seen[0] * 31 + a[0];
          return 0;
        })
        .control(RunControl.withTimeLimit(Duration.ofSeconds(20)));
    String result;
    byte[] bytes;
    try (Instance instance = mode.apply(module, options)) {
      try {
        Object r = instance.call(entry, args);
        result = "returns " + (r instanceof Double d ? Long.toHexString(
            Double.doubleToRawLongBits(d)) : r);
      } catch (TrapException e) {
        result = "traps: " + e.getMessage() + " (code " + e.code() + ", index " + e.index()
            + ", length " + e.length() + ")";
      }
      ByteBuffer memory = instance.memory("mem"); // read before close frees compiled memory
      bytes = new byte[memory.capacity()];
      memory.get(0, bytes);
    }
    return result + ", memory " + Arrays.hashCode(bytes) + ", sink " + seen[0];
  }

  @Test
  void theGeneratorCoversTheInstructionSet() {
    EnumSet<Opcode> seen = EnumSet.noneOf(Opcode.class);
    for (long seed = 1; seed <= 300; seed++) {
      for (Function f : new RandomIrGenerator(seed).generate().functions()) {
        for (Block block : f.blocks()) {
          for (Instruction inst : block.instructions()) {
            seen.add(inst.opcode());
          }
        }
      }
    }
    assertEquals(EnumSet.allOf(Opcode.class), seen, "opcodes the generator emits");
  }

  /** Each IR pass changes some of the first 100 modules, so the differential test covers it. */
  @Test
  void theGeneratorGivesEveryPassWork() {
    List<Pass> passes = List.of(new ConstantFolding(), new ValueNumbering(),
        new LoopInvariantCodeMotion(), new DeadCodeElimination());
    Map<String, Integer> changed = new TreeMap<>();
    for (long seed = 1; seed <= 100; seed++) {
      Module module = new RandomIrGenerator(seed).generate().copy();
      for (Pass pass : passes) {
        for (Function f : module.functions()) {
          String before = IrPrinter.print(f);
          pass.run(f);
          if (!before.equals(IrPrinter.print(f))) {
            changed.merge(pass.name(), 1, Integer::sum);
          }
        }
      }
    }
    for (Pass pass : passes) {
      assertTrue(changed.getOrDefault(pass.name(), 0) >= 10, "functions changed: " + changed);
    }
  }
}
