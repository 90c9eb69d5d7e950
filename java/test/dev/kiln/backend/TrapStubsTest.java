package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.Instance;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Trap stubs: each check's stub stores only its operands and position, then jumps to a tail shared
 * by the checks of the same kind, which records the rest; every check still reports its own trap.
 */
class TrapStubsTest {
  /** Three checked loads, a bounds check with a length operand, and a user trap. */
  private static final String CHECKS = """
      memory $m 64
      function @f(i64, i64, i64, i64, i64) -> i64 {
      block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64):
          v5 = load.i64 $m [v0] @11
          v6 = load.i64 $m [v1] @12
          v7 = load.i64 $m [v2] @13
          bounds_check v3, v4 @14
          trapnz v3, 9 @15
          v8 = iadd v5, v6
          v9 = iadd v8, v7
          return v9
      }
      """;

  private static List<String> lines(String listing) {
    return Arrays.stream(listing.split("\n"))
        .map(l -> l.replaceFirst("^\\s*[0-9a-f]+:\\s+([0-9a-f]{2} )+\\s*", ""))
        .map(l -> l.replaceAll("\\s+", " ").trim())
        .toList();
  }

  private static long count(List<String> code, String regex) {
    return code.stream().filter(l -> l.matches(regex)).count();
  }

  @Test
  void theChecksOfOneKindShareOneTail() {
    List<String> code = lines(Backend.listing(IrParser.parse(CHECKS), new CompileOptions()));
    // a stub per check: the position in eax (and a jump to its tail)
    for (int position = 11; position <= 15; position++) {
      assertEquals(1, count(code, "mov eax,0x" + Integer.toHexString(position)),
          position + " in\n" + String.join("\n", code));
    }
    // one trap-kind store per tail: memory, bounds check, user trap, stack overflow, poll
    assertEquals(4, count(code, "mov QWORD PTR \\[r15\\+0x38\\],0x\\d+"), String.join("\n", code));
    assertEquals(1, count(code, "mov QWORD PTR \\[r15\\+0x38\\],rax"), String.join("\n", code));
  }

  static List<String> engines() {
    return Engines.names();
  }

  @ParameterizedTest
  @MethodSource("engines")
  void everyCheckReportsItsOwnPositionAndOperands(String engine) {
    Module m = IrParser.parse(CHECKS);
    BiFunction<Module, InstanceOptions, Instance> make = Engines.ALL.get(engine);
    try (Instance run = make.apply(m, new InstanceOptions())) {
      assertEquals(0L, run.call("f", 0L, 8L, 16L, 0L, 1L));
      assertTrap(run, TrapKind.MEMORY_OUT_OF_BOUNDS, 12, 0, 60, 64, 0L, 60L, 0L, 0L, 1L);
      assertTrap(run, TrapKind.MEMORY_OUT_OF_BOUNDS, 13, 0, 57, 64, 0L, 8L, 57L, 0L, 1L);
      assertTrap(run, TrapKind.INDEX_OUT_OF_BOUNDS, 14, 0, 7, 3, 0L, 8L, 16L, 7L, 3L);
      assertTrap(run, TrapKind.USER, 15, 9, 7, 3, 0L, 8L, 16L, 2L, 3L);
    }
  }

  /** A length loaded for one bounds check only: the check compares the index with the memory. */
  private static final String LENGTH = """
      memory $m 64
      function @f(i64, i64) -> i64 {
      block0(v0: i64, v1: i64):
          v2 = load.i64 $m [v0] @1
          bounds_check v1, v2 @2
          v3 = load.i64 $m [v0 + v1*8 + 8] @3
          return v3
      }
      """;

  @Test
  void aLengthLoadedForOneBoundsCheckOnlyIsItsMemoryOperand() {
    List<String> code = lines(Backend.listing(IrParser.parse(LENGTH), new CompileOptions()));
    assertEquals(1, count(code, "cmp rsi,QWORD PTR \\[r13\\+rdi\\*1\\+0x0\\].*"),
        String.join("\n", code));
    // used by a second check too, the length is loaded into a register
    List<String> twice = lines(Backend.listing(IrParser.parse(LENGTH.replace(
        "bounds_check v1, v2 @2", "bounds_check v1, v2 @2\n    bounds_check v0, v2 @4")),
        new CompileOptions()));
    assertEquals(0, count(twice, "cmp r..,QWORD PTR \\[r13.*"), String.join("\n", twice));
  }

  @ParameterizedTest
  @MethodSource("engines")
  void aBoundsCheckOfALengthInMemoryReportsThatLength(String engine) {
    Module m = IrParser.parse(LENGTH);
    try (Instance run = Engines.ALL.get(engine).apply(m, new InstanceOptions())) {
      run.memory("m").putLong(0, 3);
      assertEquals(0L, run.call("f", 0L, 2L));
      assertTrap(run, TrapKind.INDEX_OUT_OF_BOUNDS, 2, 0, 3, 3, 0L, 3L);
      assertTrap(run, TrapKind.INDEX_OUT_OF_BOUNDS, 2, 0, -1, 3, 0L, -1L);
      assertTrap(run, TrapKind.MEMORY_OUT_OF_BOUNDS, 1, 0, 60, 64, 60L, 0L);
    }
  }

  private static void assertTrap(Instance run, TrapKind kind, int position, long code,
      long index, long length, Object... args) {
    TrapException e = assertThrows(TrapException.class, () -> run.call("f", args));
    assertEquals(kind, e.kind(), e.getMessage());
    assertEquals(position, e.position(), e.getMessage());
    assertEquals("f", e.function(), e.getMessage());
    assertEquals(code, e.code(), e.getMessage());
    if (kind != TrapKind.USER) {
      assertEquals(index, e.index(), e.getMessage());
      assertEquals(length, e.length(), e.getMessage());
    }
  }
}
