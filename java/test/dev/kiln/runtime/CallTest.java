package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Calls into generated code in both conventions, with every supported signature. */
class CallTest {
  private final CodeCache cache = new CodeCache();

  @AfterEach
  void close() {
    cache.close();
  }

  /** The conventions this build can call: both on Linux, Windows x64 (at least) on Windows. */
  static List<CallingConvention> conventions() {
    List<CallingConvention> all = new ArrayList<>();
    for (CallingConvention cc :
        List.of(CallingConvention.SYSTEM_V, CallingConvention.WINDOWS_X64)) {
      if ((Shim.supportedConventions() >> cc.id() & 1) != 0) {
        all.add(cc);
      }
    }
    return all;
  }

  private InstalledCode install(byte[] code, Signature signature, CallingConvention cc) {
    return cache.install(new CodeCache.Function(code, signature, cc));
  }

  @Test
  void theClassicIncrementReturnsTwoAndKeepsAll64Bits() {
    byte[] code = {0x48, (byte) 0x8d, 0x47, 0x01, (byte) 0xc3};
    assumeTrue(conventions().contains(CallingConvention.SYSTEM_V));
    assertArrayEquals(code, TestCode.increment(CallingConvention.SYSTEM_V));
    InstalledCode f = install(code, Signature.longs(1), CallingConvention.SYSTEM_V);
    assertEquals(2, f.invoke1(1));
    assertEquals((1L << 32) + 1, f.invoke1(1L << 32));
    assertEquals(Long.MIN_VALUE, f.invoke1(Long.MAX_VALUE));
  }

  @Test
  void theWindowsTwinReturnsTwoThroughTheMicrosoftConvention() {
    byte[] code = {0x48, (byte) 0x8d, 0x41, 0x01, (byte) 0xc3};
    assertArrayEquals(code, TestCode.increment(CallingConvention.WINDOWS_X64));
    InstalledCode f = install(code, Signature.longs(1), CallingConvention.WINDOWS_X64);
    assertEquals(2, f.invoke1(1));
    assertEquals(2, f.invoke(1));
    assertEquals((1L << 32) + 1, f.invoke1(1L << 32));
  }

  static List<Arguments> argumentPositions() {
    List<Arguments> cases = new ArrayList<>();
    for (CallingConvention cc : conventions()) {
      for (int k = 0; k < Signature.MAX_LONG_ARGUMENTS; k++) {
        cases.add(Arguments.of(cc, k));
      }
    }
    return cases;
  }

  @ParameterizedTest
  @MethodSource("argumentPositions")
  void eachOfSixArgumentsArrivesWhereTheConventionPutsIt(CallingConvention cc, int k) {
    InstalledCode f = install(TestCode.argument(cc, k), Signature.longs(6), cc);
    long[] args = {11, -22, 33, Long.MIN_VALUE, 0x1234_5678_9abcL, Long.MAX_VALUE};
    assertEquals(args[k], f.invoke(args));
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void everyArityHasItsTypedEntry(CallingConvention cc) {
    for (int arity = 1; arity <= Signature.MAX_LONG_ARGUMENTS; arity++) {
      InstalledCode f = install(TestCode.argument(cc, arity - 1), Signature.longs(arity), cc);
      long[] args = new long[arity];
      args[arity - 1] = 100 + arity;
      assertEquals(100 + arity, f.invoke(args));
    }
    assertEquals(7, install(TestCode.constant(7), Signature.longs(0), cc).invoke0());
    assertEquals(-9, install(TestCode.argument(cc, 1), Signature.longs(2), cc).invoke2(5, -9));
    assertEquals(3, install(TestCode.argument(cc, 2), Signature.longs(3), cc).invoke3(1, 2, 3));
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void doubleShapes(CallingConvention cc) {
    InstalledCode divide = install(TestCode.divideDoubles(), Signature.doubles(2), cc);
    assertEquals(2.5, divide.invokeWithDoubles(5.0, 2.0));
    InstalledCode convert = install(TestCode.longToDouble(cc), Signature.longsToDouble(1), cc);
    assertEquals(-3.0, convert.invokeForDouble(-3));
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void codeCallsAHostHelperWithAnAlignedStack(CallingConvention cc) {
    long add = HostFunction.ADD.address(cc);
    assertEquals(42, install(TestCode.callOut(cc, add, 1), Signature.longs(2), cc).invoke2(40, 2));
    long misalignment = HostFunction.STACK_MISALIGNMENT.address(cc);
    InstalledCode probe = install(TestCode.callOut(cc, misalignment, 1), Signature.longs(0), cc);
    assertEquals(0, probe.invoke0(), "rsp mod 16 at the helper's call instruction");
    InstalledCode skewed =
        install(TestCode.callOutMisaligned(cc, misalignment, 1), Signature.longs(0), cc);
    assertEquals(8, skewed.invoke0(), "the helper measures a misaligned caller too");
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void generatedCodeEntersWithTheReturnAddressPushedOnAnAlignedStack(CallingConvention cc) {
    InstalledCode probe = install(TestCode.entryStackMisalignment(), Signature.longs(0), cc);
    assertEquals(8, probe.invoke0(), "rsp mod 16 at entry: 16-aligned call, 8-byte return address");
  }
}
