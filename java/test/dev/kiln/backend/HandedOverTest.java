package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.backend.opt.Thresholds;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import dev.kiln.ir.RandomModules;
import org.junit.jupiter.api.Test;

/**
 * A module handed over to the back end ({@link Backend#compileHandedOver}) is optimized in place
 * and compiles to the same bytes as the copy {@link Backend#compile} optimizes.
 */
class HandedOverTest {
  private static final int COUNT = Integer.getInteger("kiln.ir.random.count", 200);

  @Test
  void randomModulesHandedOverCompileToTheSameBytesAsCopies() {
    for (long seed = 1; seed <= COUNT; seed++) {
      Module copied = RandomModules.generate(seed);
      Module handedOver = RandomModules.generate(seed);
      copied.verify();
      handedOver.verify();
      CompileOptions options = new CompileOptions().listing(true);
      Pipeline.Result a = Pipeline.run(copied, options);
      Pipeline.Result b =
          Pipeline.run(handedOver, true, options, Thresholds.PARALLEL_MIN_INSTRUCTIONS);
      assertArrayEquals(a.emitted().code(), b.emitted().code(), "seed " + seed);
      assertEquals(a.emitted().listing().toString(), b.emitted().listing().toString());
    }
  }

  @Test
  void theCompiledModuleRunsAndNamesTheFunctionsAsBefore() {
    Module m = IrParser.parse("""
        function @square(i64) -> i64 {
        block0(v0: i64):
            v1 = imul v0, v0
            return v1
        }
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = call @square(v0)
            v2 = iconst 1
            v3 = iadd v1, v2
            return v3
        }
        """);
    try (CompiledModule c =
        Backend.compileHandedOver(m, new CompileOptions(), new InstanceOptions())) {
      assertEquals(50L, c.call("f", 7L));
      assertEquals(49L, c.call("square", 7L));
      assertEquals(m, c.module());
    }
  }
}
