package dev.kiln.asm;

import static dev.kiln.asm.Mem.mem;
import static dev.kiln.asm.Mem.qword;
import static dev.kiln.asm.Reg.*;
import static dev.kiln.asm.Xmm.XMM0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Illegal requests throw {@link AsmException} naming instruction and operands, emitting nothing. */
class AssemblerErrorTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        e(a -> a.add(RAX, EBX), "add rax, ebx: operand sizes differ"),
        e(a -> a.mov(EAX, qword(RBX)), "mov eax, QWORD PTR [rbx]: operand sizes differ"),
        e(a -> a.mov(RAX, qword(RBX, RSP, 1, 0)),
            "rsp cannot be an index register: [rbx+rsp*1]"),
        e(a -> a.mov(RAX, qword(RBX, RCX, 3, 0)), "scale must be 1, 2, 4 or 8: [rbx+rcx*3]"),
        e(a -> a.mov(RAX, qword(EBX)), "address registers must be 64-bit: [ebx]"),
        e(a -> a.add(RAX, 1L << 40),
            "add rax, 1099511627776: immediate does not fit a sign-extended 32-bit field"),
        e(a -> a.mov(qword(RAX), 1L << 32),
            "mov QWORD PTR [rax], 4294967296: immediate does not fit a sign-extended 32-bit field"),
        e(a -> a.mov(AL, 256), "mov al, 256: immediate does not fit 8 bits"),
        e(a -> a.mov(AH, SIL),
            "mov ah, sil: ah/bh/ch/dh cannot be used in an instruction that needs a REX prefix"),
        e(a -> a.add(BH, R8B),
            "add bh, r8b: ah/bh/ch/dh cannot be used in an instruction that needs a REX prefix"),
        e(a -> a.mov(CH, Mem.byte_(R9)),
            "mov ch, BYTE PTR [r9]: ah/bh/ch/dh cannot be used in an instruction that needs a REX prefix"),
        e(a -> a.inc(mem(RAX)), "inc [rax]: memory operand needs a size (BYTE/WORD/DWORD/QWORD PTR)"),
        e(a -> a.shl(RAX, RBX), "shl rax, rbx: the count register must be cl"),
        e(a -> a.shl(RAX, 256), "shl rax, 256: shift count must be 0..255"),
        e(a -> a.push(EAX), "push eax: needs a 64- or 16-bit register"),
        e(a -> a.imul(AL, BL), "imul al, bl: has no 8-bit form"),
        e(a -> a.movzx(RAX, EAX),
            "movzx rax, eax: source must be 8 or 16 bits and narrower than the destination"),
        e(a -> a.movsd(XMM0, Mem.dword(RAX)), "movsd xmm0, DWORD PTR [rax]: needs a QWORD memory operand"),
        e(a -> a.sse(SseOp.ADDSD, qword(RAX), XMM0), "addsd QWORD PTR [rax], xmm0: has no memory destination form"),
        e(a -> a.movq(XMM0, EAX), "movq xmm0, eax: needs a 64-bit general register"),
        e(a -> a.cvtsi2sd(XMM0, mem(RAX)), "cvtsi2sd xmm0, [rax]: needs a DWORD or QWORD memory operand"),
        e(a -> a.call(EAX), "call eax: needs a 64-bit register"),
        e(a -> a.setcc(Cond.NE, EAX), "setne eax: needs an 8-bit register"),
        e(a -> a.align(3), "align 3: not a power of two in 1..4096"),
        e(a -> a.align(16, -1), "align 16: negative maximum padding -1"),
        e(a -> a.mov(RAX, qword(RBX, Integer.MAX_VALUE).plus(1)),
            "displacement 2147483647 + 1 = 2147483648 does not fit a signed 32-bit displacement:"
                + " QWORD PTR [rbx+0x7fffffff].plus(1)"),
        e(a -> a.lea(RAX, mem(RBX, RCX, 8, Integer.MIN_VALUE).plus(-1)),
            "displacement -2147483648 + -1 = -2147483649 does not fit a signed 32-bit displacement:"
                + " [rbx+rcx*8-0x80000000].plus(-1)"));
  }

  /** Errors about labels and the assembler's life cycle rather than one instruction's operands. */
  static Stream<Arguments> stateCases() {
    return Stream.of(
        e(a -> {
          Label l = a.label("twice");
          a.bind(l);
          a.bind(l);
        }, "label 'twice' is bound twice"),
        e(a -> {
          a.jmp(a.label("nowhere"));
          a.finish();
        }, "label 'nowhere' is used but never bound"),
        e(a -> a.jmp(new Assembler().label("foreign")), "label foreign belongs to another assembler"),
        e(a -> {
          a.finish();
          a.ret();
        }, "the assembler is finished; no more code can be added"));
  }

  private static Arguments e(Consumer<Assembler> emit, String message) {
    return Arguments.of(emit, message);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource({"cases", "stateCases"})
  void rejects(Consumer<Assembler> emit, String message) {
    Assembler a = new Assembler();
    AsmException ex = assertThrows(AsmException.class, () -> emit.accept(a));
    assertEquals(message, ex.getMessage());
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("cases")
  void emitsNothingWhenRejecting(Consumer<Assembler> emit, String message) {
    Assembler a = new Assembler();
    a.nop();
    assertThrows(AsmException.class, () -> emit.accept(a));
    assertEquals(1, a.size(), "only the nop remains");
  }
}
