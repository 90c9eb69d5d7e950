package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.backend.Backend;
import dev.kiln.backend.CompileOptions;
import dev.kiln.backend.CompiledModule;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import org.junit.jupiter.api.Test;

class BitcastFoldingTest {
  private static final Pass BITCAST = new BitcastFolding();

  @Test
  void loadsAFloatReadOnlyThroughBitcastsAsAFloat() {
    assertPasses("""
        memory $m 64
        function @f(i64) -> f64 {
        block0(v0: i64):
            v1 = load.i64 $m [v0 + 8] @3
            v2 = bitcast.f64 v1
            v3 = bitcast.f64 v1
            v4 = fadd v2, v3
            return v4
        }
        """, """
        memory $m 64
        function @f(i64) -> f64 {
        block0(v0: i64):
            v1 = load.f64 $m [v0 + 8] @3
            v2 = fadd v1, v1
            return v2
        }
        """, BITCAST);
  }

  @Test
  void storesTheFloatInsteadOfItsBitsAndDropsTheUnusedBitcast() {
    assertPasses("""
        memory $m 64
        function @f(i64, f64) {
        block0(v0: i64, v1: f64):
            v2 = fmul v1, v1
            v3 = bitcast.i64 v2
            store.i64 v3, $m [v0 + v0*8 + 8]
            return
        }
        """, """
        memory $m 64
        function @f(i64, f64) {
        block0(v0: i64, v1: f64):
            v2 = fmul v1, v1
            store.f64 v2, $m [v0 + v0*8 + 8]
            return
        }
        """, BITCAST);
  }

  @Test
  void keepsABitcastStillReadAsAnIntegerButStoresItsOperand() {
    assertPasses("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.f64 $m [v0]
            v2 = bitcast.i64 v1
            v3 = iconst 1
            v4 = iadd v2, v3
            store.i64 v4, $m [v0 + 8]
            store.i64 v2, $m [v0 + 16]
            return v2
        }
        """, """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.f64 $m [v0]
            v2 = bitcast.i64 v1
            v3 = iconst 1
            v4 = iadd v2, v3
            store.i64 v4, $m [v0 + 8]
            store.f64 v1, $m [v0 + 16]
            return v2
        }
        """, BITCAST);
  }

  @Test
  void doesNotRetypeALoadAlsoReadAsItsOwnTypeOrPassedToABlock() {
    String mixed = """
        memory $m 64
        function @f(i64) -> f64 {
        block0(v0: i64):
            v1 = load.i64 $m [v0]
            v2 = bitcast.f64 v1
            brif v1, block1(v1), block2
        block1(v3: i64):
            v4 = bitcast.f64 v3
            return v4
        block2:
            return v2
        }
        """;
    assertPasses(mixed, mixed, BITCAST);
  }

  @Test
  void leavesNarrowAccessesAlone() {
    String narrow = """
        memory $m 64
        function @f(i64) -> f64 {
        block0(v0: i64):
            v1 = load.i32 $m [v0]
            v2 = bitcast.f64 v1
            return v2
        }
        """;
    assertPasses(narrow, narrow, BITCAST);
  }

  @Test
  void aStoredLoadKeepsItsTypeWhenItsBitcastIsStored() {
    assertPasses("""
        memory $m 64
        function @f(i64) {
        block0(v0: i64):
            v1 = load.f64 $m [v0]
            v2 = bitcast.i64 v1
            store.i64 v2, $m [v0 + 8]
            return
        }
        """, """
        memory $m 64
        function @f(i64) {
        block0(v0: i64):
            v1 = load.f64 $m [v0]
            store.f64 v1, $m [v0 + 8]
            return
        }
        """, BITCAST);
  }

  @Test
  void aRoundTripIsTheOriginalValue() {
    assertPasses("""
        function @f(f64) -> f64 {
        block0(v0: f64):
            v1 = bitcast.i64 v0
            v2 = bitcast.f64 v1
            v3 = bitcast.i64 v2
            v4 = bitcast.f64 v3
            return v4
        }
        """, """
        function @f(f64) -> f64 {
        block0(v0: f64):
            return v0
        }
        """, BITCAST);
  }

  @Test
  void keepsTheBitsOfNaNsAndNegativeZeroThroughMemory() {
    Module m = IrParser.parse("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            store.i64 v0, $m [v1]
            v2 = load.i64 $m [v1]
            v3 = bitcast.f64 v2
            v4 = bitcast.i64 v3
            store.i64 v4, $m [v1 + 8]
            v5 = load.i64 $m [v1 + 8]
            v6 = bitcast.f64 v5
            v7 = fneg v6
            v8 = fneg v7
            v9 = bitcast.i64 v8
            return v9
        }
        """);
    try (CompiledModule compiled = Backend.compile(m, new CompileOptions())) {
      for (long bits : new long[] {0x7ff0000000000001L, 0xfff8000000000123L, 0x7ff8000000000000L,
          Double.doubleToRawLongBits(-0.0), 0x8000000000000001L, 0x7ff0000000000000L}) {
        assertEquals(bits, compiled.callRaw("f", bits), Long.toHexString(bits));
      }
    }
  }
}
