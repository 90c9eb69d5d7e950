package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The proof of indexed accesses marked {@code inbounds} (docs/ir.md, memory): each accepted
 * form verifies, and each change that breaks one step of the proof is rejected at the access.
 */
class IndexedAccessProofTest {
  /**
   * A checked index into an array at {@code v0} (its length word, then i64 elements) whose
   * length guards put inside a memory of 64 bytes: {@code v0 <=u 56} and
   * {@code len <=u (56 - v0) >> 3}.
   */
  private static final String CHECKED = """
      memory $m 64
      function @f(i64, i64) -> i64 {
      block0(v0: i64, v1: i64):
          v2 = load.i64 $m [v0]
          v3 = iconst 56
          v4 = icmp ule v0, v3
          brif v4, block1, block3
      block1:
          v5 = isub v3, v0
          v6 = iconst 3
          v7 = ushr v5, v6
          v8 = icmp ule v2, v7
          brif v8, block2, block3
      block2:
          bounds_check v1, v2
          v9 = load.i64 $m [v0 + v1*8 + 8] inbounds
          return v9
      block3:
          v10 = iconst -1
          return v10
      }
      """;

  /**
   * The sum of the first {@code v1} elements of the array at {@code v0} by an induction variable
   * from 0 by 1 while the stepped value is below {@code v1}, as loop-bce's copy does it: guards
   * on the base, the length at most 2^31 - 1, fitting after the base, {@code n <=s len} and
   * {@code start <s len}.
   */
  private static final String INDUCTION = """
      memory $m 64
      function @f(i64, i64) -> i64 {
      block0(v0: i64, v1: i64):
          v2 = iconst 0
          v3 = iconst -1
          v4 = iconst 56
          v23 = iconst 64
          v5 = icmp ule v0, v4
          brif v5, block1, block6
      block1:
          v6 = load.i64 $m [v0]
          v7 = iconst 2147483647
          v8 = icmp ule v6, v7
          brif v8, block2, block6
      block2:
          v9 = isub v4, v0
          v10 = iconst 3
          v11 = ushr v9, v10
          v12 = icmp ule v6, v11
          brif v12, block3, block6
      block3:
          v13 = icmp sle v1, v6
          brif v13, block4, block6
      block4:
          v14 = icmp slt v2, v6
          brif v14, block5(v2, v2), block6
      block5(v15: i64, v16: i64):
          v17 = load.i64 $m [v0 + v15*8 + 8] inbounds
          v18 = iadd v16, v17
          v19 = iconst 1
          v20 = iadd v15, v19
          v21 = icmp slt v20, v1
          brif v21, block5(v20, v18), block7(v18)
      block6:
          return v3
      block7(v22: i64):
          return v22
      }
      """;

  /**
   * Ones stored at every second element of the array at {@code v0} from {@code v1} while the
   * index is at most {@code v2}, tested at the loop's header as loop-bce's copy of a while loop
   * does it: guards on the base, the length, the room, {@code n <s len} and last
   * {@code start >=s 0}.
   */
  private static final String TESTED = """
      memory $m 64
      function @f(i64, i64, i64) -> i64 {
      block0(v0: i64, v1: i64, v2: i64):
          v3 = iconst 0
          v4 = iconst 56
          v5 = icmp ule v0, v4
          brif v5, block1, block6
      block1:
          v6 = load.i64 $m [v0]
          v7 = iconst 2147483647
          v8 = icmp ule v6, v7
          brif v8, block2, block6
      block2:
          v9 = isub v4, v0
          v10 = iconst 3
          v11 = ushr v9, v10
          v12 = icmp ule v6, v11
          brif v12, block3, block6
      block3:
          v13 = icmp slt v2, v6
          brif v13, block4, block6
      block4:
          v14 = icmp sge v1, v3
          brif v14, block5(v1), block6
      block5(v15: i64):
          v16 = icmp sle v15, v2
          brif v16, block7, block8
      block7:
          v17 = iconst 1
          store.i64 v17, $m [v0 + v15*8 + 8] inbounds
          v18 = iconst 2
          v19 = iadd v15, v18
          jump block5(v19)
      block6:
          v20 = iconst -1
          return v20
      block8:
          return v3
      }
      """;

  /**
   * A loop summing checked elements, entered from the guards on its base and room: the room's
   * guard holds in the whole loop, entered only there and its operands defined before it.
   */
  private static final String ENTERED = """
      memory $m 64
      function @f(i64, i64) -> i64 {
      block0(v0: i64, v1: i64):
          v2 = iconst 0
          v3 = iconst 56
          v4 = load.i64 $m [v0]
          v5 = icmp ule v0, v3
          brif v5, block1, block3
      block1:
          v6 = isub v3, v0
          v7 = iconst 3
          v8 = ushr v6, v7
          v9 = icmp ule v4, v8
          brif v9, block2(v2, v2), block3
      block2(v10: i64, v11: i64):
          bounds_check v10, v4
          v12 = load.i64 $m [v0 + v10*8 + 8] inbounds
          v13 = iadd v11, v12
          v14 = iconst 1
          v15 = iadd v10, v14
          v16 = icmp slt v15, v1
          brif v16, block2(v15, v13), block4(v13)
      block3:
          v17 = iconst -1
          return v17
      block4(v18: i64):
          return v18
      }
      """;

  /** {@code text} with {@code from} (which it must contain once) replaced by {@code to}. */
  private static String change(String text, String from, String to) {
    assertEquals(text.indexOf(from), text.lastIndexOf(from), from);
    assertTrue(text.contains(from), from);
    return text.replace(from, to);
  }

  private static void assertVerifies(String text) {
    Module m = IrParser.parse(text);
    assertDoesNotThrow(m::verify);
  }

  /** Asserts that {@code text} has one problem: the marked access in {@code block}. */
  private static void assertRejected(String text, String block) {
    Module m = IrParser.parse(text);
    String message = assertThrows(IrVerificationException.class, m::verify).getMessage();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("@f " + block + ": ") && message.contains(" inbounds: is"
        + " marked inbounds, but") && message.endsWith("nor indexed below a length that fits"
        + " after its base"), message);
  }

  @Test
  void aCheckedIndexBelowALengthThatFitsAfterItsBaseIsProven() {
    assertVerifies(CHECKED);
    // bytes: the room (56 - v0) is the length itself, no shift
    assertVerifies(change(change(CHECKED, "v8 = icmp ule v2, v7", "v8 = icmp ule v2, v5"),
        "load.i64 $m [v0 + v1*8 + 8]", "load.u8 $m [v0 + v1 + 8]"));
  }

  @Test
  void aCheckedIndexNeedsEveryStepOfTheProof() {
    assertRejected(change(CHECKED, "    bounds_check v1, v2\n", ""), "block2");
    assertRejected(change(CHECKED, "bounds_check v1, v2", "bounds_check v1, v0"), "block2");
    assertRejected(change(CHECKED, "    bounds_check v1, v2\n    v9 = load.i64 $m [v0 + v1*8 + 8]"
        + " inbounds\n", "    v9 = load.i64 $m [v0 + v1*8 + 8] inbounds\n    bounds_check v1,"
        + " v2\n"), "block2");
    // the access where the length guard failed
    assertRejected(change(CHECKED, "brif v8, block2, block3", "brif v8, block3, block2"),
        "block2");
    assertRejected(change(CHECKED, "v8 = icmp ule v2, v7", "v8 = icmp ule v7, v2"), "block2");
    // the base bounded by the length word's load, not by a guard
    assertVerifies(change(CHECKED, "brif v4, block1, block3", "jump block1"));
    // no bound on the base: 56 - v0 may wrap
    String unguarded = change(CHECKED, "brif v4, block1, block3", "jump block1");
    assertRejected(change(unguarded, "v2 = load.i64 $m [v0]", "v2 = load.i64 $m [v0 + 8]"),
        "block2");
    assertRejected(change(unguarded, "v2 = load.i64 $m [v0]", "v2 = load.i32 $m [v0]"),
        "block2");
    assertRejected(change(unguarded, "v2 = load.i64 $m [v0]", "v2 = load.i64 $m [v1]"),
        "block2");
    assertRejected(change(CHECKED, "v3 = iconst 56", "v3 = iconst 57"), "block2");
    assertRejected(change(CHECKED, "v6 = iconst 3", "v6 = iconst 2"), "block2");
    assertRejected(change(CHECKED, "v5 = isub v3, v0", "v5 = isub v3, v1"), "block2");
    assertRejected(change(CHECKED, "[v0 + v1*8 + 8]", "[v0 + v1*8 + 16]"), "block2");
    assertRejected(change(CHECKED, "[v0 + v1*8 + 8]", "[v0 + v1*8 - 8]"), "block2");
    assertRejected(change(CHECKED, "load.i64 $m [v0 + v1*8 + 8]", "load.u8 $m [v0 + v1 + 8]"),
        "block2");
  }

  /**
   * {@link #CHECKED} with a constant index, checked in one block and used in the next by its own
   * copy of the constant, as remat leaves it.
   */
  private static final String CONSTANT_INDEX = change(CHECKED,
      "    bounds_check v1, v2\n    v9 = load.i64 $m [v0 + v1*8 + 8] inbounds\n",
      "    v11 = iconst 2\n    bounds_check v11, v2\n    jump block4\nblock4:\n"
          + "    v12 = iconst 2\n    v9 = load.i64 $m [v0 + v12*8 + 8] inbounds\n");

  @Test
  void aConstantIndexIsCheckedByACheckOfAnotherCopyOfItsConstant() {
    assertVerifies(CONSTANT_INDEX);
    assertRejected(change(CONSTANT_INDEX, "v12 = iconst 2", "v12 = iconst 3"), "block4");
    assertRejected(change(CONSTANT_INDEX, "bounds_check v11, v2", "bounds_check v11, v0"),
        "block4");
    // the check on a way that does not dominate the access
    assertRejected(change(CONSTANT_INDEX, "brif v4, block1, block3", "brif v4, block1, block4"),
        "block4");
  }

  @Test
  void anInductionVariableBelowALengthThatFitsAfterItsBaseIsProven() {
    assertVerifies(INDUCTION);
    // the largest step that cannot wrap
    assertVerifies(change(INDUCTION, "v19 = iconst 1", "v19 = iconst 2147483648"));
    // an inclusive test on a bound below the length
    assertVerifies(change(change(INDUCTION, "v21 = icmp slt v20, v1", "v21 = icmp sle v20, v1"),
        "v13 = icmp sle v1, v6", "v13 = icmp slt v1, v6"));
  }

  @Test
  void anInductionVariableNeedsEveryStepOfTheProof() {
    assertRejected(change(INDUCTION, "v19 = iconst 1", "v19 = iconst 0"), "block5");
    assertRejected(change(INDUCTION, "v19 = iconst 1", "v19 = iconst -1"), "block5");
    assertRejected(change(INDUCTION, "v19 = iconst 1", "v19 = iconst 2147483649"), "block5");
    // a negative start below the length
    assertRejected(change(INDUCTION, "v14 = icmp slt v2, v6\n    brif v14, block5(v2, v2)",
        "v14 = icmp slt v3, v6\n    brif v14, block5(v3, v2)"), "block5");
    assertRejected(change(INDUCTION, "v14 = icmp slt v2, v6", "v14 = icmp sle v2, v6"),
        "block5");
    // off by one: the stepped value up to a bound that may be the length
    assertRejected(change(INDUCTION, "v21 = icmp slt v20, v1", "v21 = icmp sle v20, v1"),
        "block5");
    assertRejected(change(INDUCTION, "v13 = icmp sle v1, v6", "v13 = icmp sle v0, v6"),
        "block5");
    // the test on the variable, not on the stepped value
    assertRejected(change(INDUCTION, "v21 = icmp slt v20, v1", "v21 = icmp slt v15, v1"),
        "block5");
    // the loop goes on while the test fails
    assertRejected(change(INDUCTION, "brif v21, block5(v20, v18), block7(v18)",
        "brif v21, block7(v18), block5(v20, v18)"), "block5");
    // no bound on the length: the stepped value may wrap
    assertRejected(change(INDUCTION, "brif v8, block2, block6", "jump block2"), "block5");
    assertRejected(change(change(INDUCTION, "brif v5, block1, block6", "jump block1"),
        "v6 = load.i64 $m [v0]", "v6 = load.i64 $m [v0 + 8]"), "block5");
    // the base guarded up to more than the room is measured from
    assertRejected(change(change(INDUCTION, "v5 = icmp ule v0, v4", "v5 = icmp ule v0, v23"),
        "v6 = load.i64 $m [v0]", "v6 = load.i64 $m [v0 + 8]"), "block5");
    assertRejected(change(INDUCTION, "v12 = icmp ule v6, v11", "v12 = icmp ule v1, v11"),
        "block5");
  }

  @Test
  void aStepThatIsAValueNeedsAGuardToOneThrough2To31() {
    String stepped = change(change(INDUCTION, "function @f(i64, i64) -> i64 {\nblock0(v0: i64,"
        + " v1: i64):", "function @f(i64, i64, i64) -> i64 {\nblock0(v0: i64, v1: i64, v24:"
        + " i64):"), "    v19 = iconst 1\n    v20 = iadd v15, v19", "    v20 = iadd v15, v24");
    String guarded = change(stepped, "block4:\n", """
        block4:
            v25 = iadd v24, v3
            v26 = iconst 2147483647
            v27 = icmp ule v25, v26
            brif v27, block8, block6
        block8:
        """);
    assertVerifies(guarded);
    assertRejected(stepped, "block5");
    assertRejected(change(guarded, "v26 = iconst 2147483647", "v26 = iconst 2147483648"),
        "block5");
    assertRejected(change(guarded, "v25 = iadd v24, v3", "v25 = iadd v24, v2"), "block5");
  }

  @Test
  void aVariableTestedBelowALengthAndSteppedFromZeroUpIsProven() {
    assertVerifies(TESTED);
    assertVerifies(change(change(TESTED, "v16 = icmp sle v15, v2", "v16 = icmp slt v15, v2"),
        "v13 = icmp slt v2, v6", "v13 = icmp sle v2, v6"));
  }

  @Test
  void aTestedVariableNeedsEveryStepOfTheProof() {
    // the start may be negative
    assertRejected(change(TESTED, "brif v14, block5(v1), block6", "jump block5(v1)"), "block7");
    assertRejected(change(TESTED, "v18 = iconst 2", "v18 = iconst 0"), "block7");
    assertRejected(change(TESTED, "v18 = iconst 2", "v18 = iconst -2"), "block7");
    assertRejected(change(TESTED, "v18 = iconst 2", "v18 = iconst 2147483649"), "block7");
    // off by one: the index up to a bound that may be the length
    assertRejected(change(TESTED, "v13 = icmp slt v2, v6", "v13 = icmp sle v2, v6"), "block7");
    assertRejected(change(TESTED, "v16 = icmp sle v15, v2", "v16 = icmp sle v15, v1"),
        "block7");
    // the access where the test failed
    assertRejected(change(TESTED, "brif v16, block7, block8", "brif v16, block8, block7"),
        "block7");
    // no bound on the length: the bound and so the stepped index may be huge
    assertRejected(change(TESTED, "brif v8, block2, block6", "jump block2"), "block7");
  }

  /**
   * {@link #TESTED} stepping in a latch after the store's block: the latch dominates no access,
   * but its step is one of the proof's steps.
   */
  @Test
  void aLatchOffTheAccessesDominatorsStepsTheInduction() {
    String latched = change(TESTED, """
                v18 = iconst 2
                v19 = iadd v15, v18
                jump block5(v19)
            """, """
                jump block9
            block9:
                v18 = iconst 2
                v19 = iadd v15, v18
                jump block5(v19)
            """);
    assertVerifies(latched);
    assertRejected(change(latched, "v18 = iconst 2", "v18 = iconst 0"), "block7");
  }

  @Test
  void aGuardOnALoopsOnlyWayInHoldsInTheLoop() {
    assertVerifies(ENTERED);
    // a second way in that skips the room's guard
    assertRejected(change(ENTERED, "brif v5, block1, block3", "brif v5, block1, block2(v2, v2)"),
        "block2");
    // the guard on the way out, not the way in
    assertRejected(change(ENTERED, "brif v9, block2(v2, v2), block3", "brif v9, block3,"
        + " block2(v2, v2)"), "block2");
  }
}
