package dev.kiln.asm;

import static dev.kiln.asm.Mem.byte_;
import static dev.kiln.asm.Mem.dword;
import static dev.kiln.asm.Mem.mem;
import static dev.kiln.asm.Mem.qword;
import static dev.kiln.asm.Reg.*;
import static dev.kiln.asm.Xmm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-checked encodings (Intel SDM Vol. 2, tables 2-2 and 2-3), concentrating on the addressing
 * special cases where assemblers go wrong and on the choice between immediate forms.
 */
class AssemblerGoldenTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        // rsp/r12 as base need a SIB byte (rm=100 means SIB follows).
        c("mov rax,[rsp]", a -> a.mov(RAX, qword(RSP)), "48 8b 04 24"),
        c("mov rax,[r12]", a -> a.mov(RAX, qword(R12)), "49 8b 04 24"),
        c("mov [rsp+8],rdi", a -> a.mov(qword(RSP, 8), RDI), "48 89 7c 24 08"),
        // rbp/r13 as base need a displacement (mod=00 rm=101 is RIP-relative).
        c("mov rax,[rbp]", a -> a.mov(RAX, qword(RBP)), "48 8b 45 00"),
        c("mov rax,[r13]", a -> a.mov(RAX, qword(R13)), "49 8b 45 00"),
        c("mov rax,[rbp+rcx]", a -> a.mov(RAX, qword(RBP, RCX, 1, 0)), "48 8b 44 0d 00"),
        // r12 is a legal index (REX.X distinguishes it from "no index").
        c("mov rax,[rbx+r12]", a -> a.mov(RAX, qword(RBX, R12, 1, 0)), "4a 8b 04 23"),
        // disp8 versus disp32 at the boundaries.
        c("disp 127", a -> a.mov(RAX, qword(RBX, 127)), "48 8b 43 7f"),
        c("disp 128", a -> a.mov(RAX, qword(RBX, 128)), "48 8b 83 80 00 00 00"),
        c("disp -128", a -> a.mov(RAX, qword(RBX, -128)), "48 8b 43 80"),
        c("disp -129", a -> a.mov(RAX, qword(RBX, -129)), "48 8b 83 7f ff ff ff"),
        c("disp min", a -> a.mov(RAX, qword(RBX, Integer.MIN_VALUE)), "48 8b 83 00 00 00 80"),
        // no base: SIB base=101 with a disp32; absolute: no index either.
        c("[rcx*8+16]", a -> a.mov(RAX, qword(null, RCX, 8, 16)), "48 8b 04 cd 10 00 00 00"),
        c("[16]", a -> a.mov(EAX, dword(null, null, 1, 16)), "8b 04 25 10 00 00 00"),
        c("all extended", a -> a.mov(R15, qword(R13, R14, 4, -8)), "4f 8b 7c b5 f8"),
        // immediates: imm8 sign-extended, accumulator short form, imm32.
        c("add rax,1", a -> a.add(RAX, 1), "48 83 c0 01"),
        c("add rax,128", a -> a.add(RAX, 128), "48 05 80 00 00 00"),
        c("add rbx,128", a -> a.add(RBX, 128), "48 81 c3 80 00 00 00"),
        c("add rbx,-128", a -> a.add(RBX, -128), "48 83 c3 80"),
        c("cmp eax,0xffffffff", a -> a.cmp(EAX, 0xFFFFFFFFL), "83 f8 ff"),
        c("and al,0x7f", a -> a.and(AL, 0x7F), "24 7f"),
        c("or byte [rdi],1", a -> a.or(byte_(RDI), 1), "80 0f 01"),
        c("sub word [rax],300", a -> a.sub(Mem.word(RAX), 300), "66 81 28 2c 01"),
        c("test ecx,ecx", a -> a.test(ECX, ECX), "85 c9"),
        c("test rax,1", a -> a.test(RAX, 1), "48 a9 01 00 00 00"),
        // byte registers: SPL..DIL force REX, AH..BH forbid it.
        c("mov sil,al", a -> a.mov(SIL, AL), "40 88 c6"),
        c("mov ah,al", a -> a.mov(AH, AL), "88 c4"),
        c("mov r8b,al", a -> a.mov(R8B, AL), "41 88 c0"),
        c("movzx eax,dil", a -> a.movzx(EAX, DIL), "40 0f b6 c7"),
        c("movzx eax,ah", a -> a.movzx(EAX, AH), "0f b6 c4"),
        c("sete al", a -> a.setcc(Cond.E, AL), "0f 94 c0"),
        // moves of immediates.
        c("mov rax,-1", a -> a.mov(RAX, -1), "48 c7 c0 ff ff ff ff"),
        c("mov rax,0xffffffff (zero-extending mov eax)", a -> a.mov(RAX, 0xFFFFFFFFL),
            "b8 ff ff ff ff"),
        c("mov r9,1<<40", a -> a.mov(R9, 1L << 40), "49 b9 00 00 00 00 00 01 00 00"),
        c("movabs rax,1", a -> a.movabs(RAX, 1), "48 b8 01 00 00 00 00 00 00 00"),
        c("mov qword [rax],-1", a -> a.mov(qword(RAX), -1), "48 c7 00 ff ff ff ff"),
        // the rest of the integer set.
        c("lea rax,[rax+rax*2]", a -> a.lea(RAX, mem(RAX, RAX, 2, 0)), "48 8d 04 40"),
        c("imul rax,rbx,10", a -> a.imul(RAX, RBX, 10), "48 6b c3 0a"),
        c("imul eax,[rsi],1000", a -> a.imul(EAX, dword(RSI), 1000), "69 06 e8 03 00 00"),
        c("idiv r11", a -> a.idiv(R11), "49 f7 fb"),
        c("cqo", Assembler::cqo, "48 99"),
        c("shl rax,1", a -> a.shl(RAX, 1), "48 d1 e0"),
        c("sar r10d,5", a -> a.sar(R10D, 5), "41 c1 fa 05"),
        c("shr rdx,cl", a -> a.shr(RDX, CL), "48 d3 ea"),
        c("push r12", a -> a.push(R12), "41 54"),
        c("pop rbp", a -> a.pop(RBP), "5d"),
        c("push -1", a -> a.push(-1), "6a ff"),
        c("call r11", a -> a.call(R11), "41 ff d3"),
        c("jmp [rax+8]", a -> a.jmp(qword(RAX, 8)), "ff 60 08"),
        c("cmovl rax,rcx", a -> a.cmov(Cond.L, RAX, RCX), "48 0f 4c c1"),
        c("xchg rax,r8", a -> a.xchg(RAX, R8), "49 90"),
        c("xchg eax,eax", a -> a.xchg(EAX, EAX), "87 c0"),
        c("movsxd rax,ecx", a -> a.movsxd(RAX, ECX), "48 63 c1"),
        // SSE2.
        c("addsd xmm0,xmm1", a -> a.addsd(XMM0, XMM1), "f2 0f 58 c1"),
        c("movsd xmm8,[r9+8]", a -> a.movsd(XMM8, qword(R9, 8)), "f2 45 0f 10 41 08"),
        c("movsd [rsp],xmm15", a -> a.movsd(qword(RSP), XMM15), "f2 44 0f 11 3c 24"),
        c("movq xmm0,rax", a -> a.movq(XMM0, RAX), "66 48 0f 6e c0"),
        c("movq r10,xmm3", a -> a.movq(R10, XMM3), "66 49 0f 7e da"),
        c("cvtsi2sd xmm1,r8", a -> a.cvtsi2sd(XMM1, R8), "f2 49 0f 2a c8"),
        c("cvttsd2si eax,xmm2", a -> a.cvttsd2si(EAX, XMM2), "f2 0f 2c c2"),
        c("ucomisd xmm9,xmm10", a -> a.ucomisd(XMM9, XMM10), "66 45 0f 2e ca"),
        c("pxor xmm0,xmm0", a -> a.pxor(XMM0, XMM0), "66 0f ef c0"),
        // RIP-relative: the displacement counts from the end of the instruction, immediate included.
        c("lea rax,[rip+L] with L next", a -> {
          Label l = a.label();
          a.lea(RAX, mem(l));
          a.bind(l);
        }, "48 8d 05 00 00 00 00"),
        c("mov dword [rip+L],5 with L next", a -> {
          Label l = a.label();
          a.mov(dword(l), 5);
          a.bind(l);
        }, "c7 05 00 00 00 00 05 00 00 00"),
        c("cmp byte [rip+L],1 with L before", a -> {
          Label l = a.here();
          a.cmp(byte_(l), 1);
        }, "80 3d f9 ff ff ff 01"));
  }

  private static Arguments c(String name, Consumer<Assembler> emit, String hex) {
    return Arguments.of(name, emit, hex);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void encodes(String name, Consumer<Assembler> emit, String hex) {
    Assembler a = new Assembler();
    emit.accept(a);
    assertEquals(hex, HexFormat.ofDelimiter(" ").formatHex(a.finish()));
  }
}
