package dev.kiln.runtime;

import java.io.ByteArrayOutputStream;

/**
 * Hand-encoded x86-64 test functions (the assembler sits above this package). Encodings from the
 * Intel SDM Vol. 2; register numbers as in {@link CallingConvention}.
 */
final class TestCode {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private TestCode bytes(int... values) {
    for (int v : values) {
      out.write(v);
    }
    return this;
  }

  private byte[] ret() {
    return bytes(0xc3).out.toByteArray();
  }

  /**
   * lea rax, [first argument + 1]; ret: {@code 48 8d 47 01 c3} (System V), {@code 48 8d 41 01 c3}
   * (Windows x64).
   */
  static byte[] increment(CallingConvention cc) {
    int arg = cc.integerArguments().get(0);
    return new TestCode().bytes(0x48, 0x8d, 0x40 | arg, 0x01).ret();
  }

  /** mov eax, value; ret. */
  static byte[] constant(int value) {
    return new TestCode()
        .bytes(0xb8, value & 0xff, value >>> 8 & 0xff, value >>> 16 & 0xff, value >>> 24)
        .ret();
  }

  /** Returns its argument number k (0-based) of six: proves argument placement. */
  static byte[] argument(CallingConvention cc, int k) {
    TestCode code = new TestCode();
    if (k < cc.integerArguments().size()) {
      int reg = cc.integerArguments().get(k);
      // mov rax, reg: REX.W (+REX.R for r8-r15), 89 /r, mod=11 reg=source rm=rax.
      code.bytes(0x48 | (reg >= 8 ? 0x04 : 0), 0x89, 0xc0 | (reg & 7) << 3);
    } else {
      // Stack arguments sit above the return address and the shadow space: mov rax, [rsp+d8].
      int disp = 8 + cc.shadowSpace() + 8 * (k - cc.integerArguments().size());
      code.bytes(0x48, 0x8b, 0x44, 0x24, disp);
    }
    return code.ret();
  }

  /** mov rax, rsp; and rax, 15; ret: rsp mod 16 at entry. */
  static byte[] entryStackMisalignment() {
    return new TestCode().bytes(0x48, 0x89, 0xe0, 0x48, 0x83, 0xe0, 0x0f).ret();
  }

  /**
   * Calls {@code helper} with the caller's arguments still in place and returns its result, {@code
   * times} times in a row: sub rsp, N; (mov rax, imm64; call rax) x times; add rsp, N; ret. N
   * realigns rsp to 16 at the call and reserves the shadow space.
   */
  static byte[] callOut(CallingConvention cc, long helper, int times) {
    return callOut(cc, helper, times, 8 + cc.shadowSpace());
  }

  /** As {@link #callOut}, but with rsp 8 bytes off the ABI's 16-byte alignment at each call. */
  static byte[] callOutMisaligned(CallingConvention cc, long helper, int times) {
    return callOut(cc, helper, times, 16 + cc.shadowSpace());
  }

  private static byte[] callOut(CallingConvention cc, long helper, int times, int frame) {
    TestCode code = new TestCode().bytes(0x48, 0x83, 0xec, frame);
    for (int i = 0; i < times; i++) {
      code.bytes(0x48, 0xb8);
      for (int b = 0; b < 8; b++) {
        code.bytes((int) (helper >>> (8 * b)) & 0xff);
      }
      code.bytes(0xff, 0xd0);
    }
    return code.bytes(0x48, 0x83, 0xc4, frame).ret();
  }

  /** mov rax, target; jmp rax: a tail call of the code at {@code target}. */
  static byte[] jumpTo(long target) {
    TestCode code = new TestCode().bytes(0x48, 0xb8);
    for (int b = 0; b < 8; b++) {
      code.bytes((int) (target >>> (8 * b)) & 0xff);
    }
    return code.bytes(0xff, 0xe0).out.toByteArray();
  }

  /** mov rax, [p]; jmp rax, p being the first argument: a tail call through a call table. */
  static byte[] jumpThroughTable(CallingConvention cc) {
    int p = cc.integerArguments().get(0);
    return new TestCode().bytes(0x48, 0x8b, p, 0xff, 0xe0).out.toByteArray();
  }

  /** divsd xmm0, xmm1; ret: a / b for two doubles (xmm0, xmm1 in both conventions). */
  static byte[] divideDoubles() {
    return new TestCode().bytes(0xf2, 0x0f, 0x5e, 0xc1).ret();
  }

  /** cvtsi2sd xmm0, first argument; ret: (long) -> double. */
  static byte[] longToDouble(CallingConvention cc) {
    int arg = cc.integerArguments().get(0);
    return new TestCode().bytes(0xf2, 0x48, 0x0f, 0x2a, 0xc0 | arg).ret();
  }

  /** mov rax, [p]; mov qword [p+8], 42; ret, p being the first argument. */
  static byte[] loadAndStore(CallingConvention cc) {
    int p = cc.integerArguments().get(0);
    return new TestCode().bytes(0x48, 0x8b, p, 0x48, 0xc7, 0x40 | p, 0x08, 42, 0, 0, 0).ret();
  }
}
