package dev.kiln.asm;

import static dev.kiln.asm.Mem.qword;
import static dev.kiln.asm.Reg.*;
import static dev.kiln.asm.Xmm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.runtime.CallingConvention;
import dev.kiln.runtime.CodeCache;
import dev.kiln.runtime.InstalledCode;
import dev.kiln.runtime.Signature;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Functions assembled here and run through the runtime's executable memory, in every calling
 * convention the host can call: loops, relaxed long branches, division, float arithmetic with the
 * constant pool, conditional moves and sets, and a call to an absolute address.
 */
class ExecuteTest {
  private final CodeCache cache = new CodeCache();

  @AfterEach
  void close() {
    cache.close();
  }

  /** The Microsoft convention is callable everywhere; System V where it is the host's. */
  static List<CallingConvention> conventions() {
    List<CallingConvention> all = new ArrayList<>(List.of(CallingConvention.WINDOWS_X64));
    if (CallingConvention.host() == CallingConvention.SYSTEM_V) {
      all.add(CallingConvention.SYSTEM_V);
    }
    return all;
  }

  private static Reg arg(CallingConvention cc, int k) {
    return Reg.of(cc.integerArguments().get(k), 64);
  }

  private InstalledCode install(Assembler a, Signature sig, CallingConvention cc) {
    return cache.install(new CodeCache.Function(a.finish(), sig, cc));
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void sumLoop(CallingConvention cc) {
    Assembler a = new Assembler();
    Examples.sumOneToN(a, arg(cc, 0));
    InstalledCode f = install(a, Signature.longs(1), cc);
    assertEquals(5050, f.invoke1(100));
    assertEquals(0, f.invoke1(-3));
    assertEquals(500000500000L, f.invoke1(1_000_000));
  }

  /** A loop body over 127 bytes: the backward jcc must have been relaxed to rel32 to work. */
  @ParameterizedTest
  @MethodSource("conventions")
  void longLoopBodyNeedsRel32(CallingConvention cc) {
    Assembler a = new Assembler();
    Reg n = arg(cc, 0);
    a.xor(EAX, EAX);
    Label loop = a.here();
    for (int i = 0; i < 40; i++) {
      a.add(RAX, 3);       // 4 bytes each
    }
    a.sub(RAX, 119);       // net +1 per iteration
    a.dec(n);
    a.jcc(Cond.NZ, loop);
    a.ret();
    InstalledCode f = install(a, Signature.longs(1), cc);
    assertEquals(7, f.invoke1(7));
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void signedDivisionAndRemainder(CallingConvention cc) {
    // (a / b) * 1000 + (a % b), with a, b in the argument registers (rdx is clobbered by cqo).
    Assembler a = new Assembler();
    a.mov(R8, arg(cc, 0));
    a.mov(R9, arg(cc, 1));
    a.mov(RAX, R8);
    a.cqo();
    a.idiv(R9);
    a.imul(RAX, RAX, 1000);
    a.add(RAX, RDX);
    a.ret();
    InstalledCode f = install(a, Signature.longs(2), cc);
    assertEquals(14 * 1000 + 2, f.invoke2(100, 7));
    assertEquals(-14 * 1000 - 2, f.invoke2(-100, 7));
    assertEquals(-14 * 1000 + 2, f.invoke2(100, -7));
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void floatArithmeticWithConstantPool(CallingConvention cc) {
    // -(sqrt(x*x + y*y) * 0.5), negated by xorpd with a 16-byte sign mask from the pool.
    Assembler a = new Assembler();
    a.mulsd(XMM0, XMM0);
    a.mulsd(XMM1, XMM1);
    a.addsd(XMM0, XMM1);
    a.sqrtsd(XMM0, XMM0);
    a.mulsd(XMM0, a.constant(0.5));
    a.xorpd(XMM0, a.constant128(0x8000000000000000L, 0x8000000000000000L));
    a.ret();
    InstalledCode f = install(a, Signature.doubles(2), cc);
    assertEquals(-2.5, f.invokeWithDoubles(3.0, 4.0));
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void conversionsRoundTrip(CallingConvention cc) {
    // (long) ((double) x / 3.0), truncating toward zero.
    Assembler a = new Assembler();
    a.cvtsi2sd(XMM0, arg(cc, 0));
    a.divsd(XMM0, a.constant(3.0));
    a.cvttsd2si(RAX, XMM0);
    a.ret();
    InstalledCode f = install(a, Signature.longs(1), cc);
    assertEquals(33, f.invoke1(100));
    assertEquals(-33, f.invoke1(-100));
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void cmovAndSetcc(CallingConvention cc) {
    // max(a, b) * 2 + (a == b ? 1 : 0)
    Assembler a = new Assembler();
    Reg x = arg(cc, 0);
    Reg y = arg(cc, 1);
    a.mov(RAX, x);
    a.cmp(x, y);
    a.cmov(Cond.L, RAX, y);
    a.setcc(Cond.E, R8B);
    a.movzx(R8D, R8B);
    a.lea(RAX, Mem.mem(R8, RAX, 2, 0));
    a.ret();
    InstalledCode f = install(a, Signature.longs(2), cc);
    assertEquals(18, f.invoke2(9, -4));
    assertEquals(18, f.invoke2(-4, 9));
    assertEquals(11, f.invoke2(5, 5));
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void stackMemoryOperands(CallingConvention cc) {
    // Spill both arguments, then combine them from memory: (a << 4) - b.
    Assembler a = new Assembler();
    a.push(RBX);
    a.sub(RSP, 16);
    a.mov(qword(RSP), arg(cc, 0));
    a.mov(qword(RSP, 8), arg(cc, 1));
    a.mov(RBX, qword(RSP));
    a.shl(qword(RSP), 4);
    a.mov(RAX, qword(RSP));
    a.sub(RAX, qword(RSP, 8));
    a.add(RSP, 16);
    a.pop(RBX);
    a.ret();
    InstalledCode f = install(a, Signature.longs(2), cc);
    assertEquals(16 * 7 - 3, f.invoke2(7, 3));
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void callAbsoluteAddress(CallingConvention cc) {
    Assembler inc = new Assembler();
    inc.lea(RAX, Mem.mem(arg(cc, 0), 1));
    inc.ret();
    InstalledCode helper = install(inc, Signature.longs(1), cc);

    // g(x) = helper(x) * 2; the stack is realigned to 16 with the convention's shadow space.
    Assembler a = new Assembler();
    int frame = 8 + cc.shadowSpace();
    a.sub(RSP, frame);
    a.callAbsolute(helper.address());
    a.add(RAX, RAX);
    a.add(RSP, frame);
    a.ret();
    InstalledCode g = install(a, Signature.longs(1), cc);
    assertEquals(84, g.invoke1(41));
  }
}
