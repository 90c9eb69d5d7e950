package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A function whose frame takes several levels of the call-depth limit, in every mode. */
class LevelsTest {
  private static final String HEAVY = """
      function @leaf() -> i64 {
      block0:
          v0 = iconst 7
          return v0
      }

      function @heavy() -> i64 levels 300 @4 {
      block0:
          v0 = call @leaf() @9
          return v0
      }
      """;

  @Test
  void aRunWhoseFirstFrameDoesNotFitTrapsAtItsEntry() {
    for (var mode : IrFileTest.MODES.entrySet()) {
      try (Instance run = mode.getValue().apply(IrParser.parse(HEAVY),
          new InstanceOptions().maxCallDepth(300))) {
        TrapException e = assertThrows(TrapException.class, () -> run.call("heavy"),
            mode.getKey());
        assertEquals("stack overflow in @heavy at position 9", e.getMessage(), mode.getKey());
      }
      try (Instance run = mode.getValue().apply(IrParser.parse(HEAVY),
          new InstanceOptions().maxCallDepth(299))) {
        TrapException e = assertThrows(TrapException.class, () -> run.call("heavy"),
            mode.getKey());
        assertEquals("stack overflow in @heavy", e.getMessage(), mode.getKey());
      }
      try (Instance run = mode.getValue().apply(IrParser.parse(HEAVY),
          new InstanceOptions().maxCallDepth(301))) {
        assertEquals(7L, run.call("heavy"), mode.getKey());
      }
    }
  }

  @Test
  void levelsAreAtLeastOne() {
    FunctionBuilder b = new Module().define("f", Signature.of(List.of(), null));
    assertEquals("a frame takes at least 1 level, not 0",
        assertThrows(IllegalArgumentException.class, () -> b.levels(0)).getMessage());
    assertEquals(5, b.levels(5).function().levels());
    IrSyntaxException e = assertThrows(IrSyntaxException.class,
        () -> IrParser.parse("function @f() levels 0 {\nblock0:\n    return\n}\n"));
    assertEquals("a frame takes 1 to 2147483647 levels, not 0", e.reason());
  }

  @Test
  void depthEnterTakesAtLeastOneLevelAndDepthLeaveAnInteger() {
    FunctionBuilder b = new Module().define("f", Signature.of(List.of(Type.F64), null));
    assertEquals("depth_enter takes at least 1 level, not 0",
        assertThrows(IllegalArgumentException.class, () -> b.depthEnter(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.depthLeave(b.param(0)));
    IrSyntaxException e = assertThrows(IrSyntaxException.class,
        () -> IrParser.parse("function @f() {\nblock0:\n    depth_enter 0\n    return\n}\n"));
    assertEquals("depth_enter takes 1 to 2147483647 levels, not 0", e.reason());
    IrVerificationException v = assertThrows(IrVerificationException.class,
        () -> IrParser.parse("function @f(f64) {\nblock0(v0: f64):\n    depth_leave v0\n"
            + "    return\n}\n").verify());
    assertTrue(v.getMessage().contains("depth_leave"), v.getMessage());
  }
}
