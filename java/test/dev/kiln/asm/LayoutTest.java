package dev.kiln.asm;

import static dev.kiln.asm.Mem.qword;
import static dev.kiln.asm.Reg.*;
import static dev.kiln.asm.Xmm.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Branch relaxation, alignment, the position map, the constant pool and the listing. */
class LayoutTest {
  private static String hex(byte[] b, int from, int to) {
    return HexFormat.ofDelimiter(" ").formatHex(b, from, to);
  }

  private static void nops(Assembler a, int n) {
    for (int i = 0; i < n; i++) {
      a.nop();
    }
  }

  @Test
  void forwardJumpStaysShortUpTo127BytesAndGrowsAt128() {
    for (int gap : new int[] {127, 128}) {
      Assembler a = new Assembler();
      Label l = a.label();
      a.jmp(l);
      nops(a, gap);
      a.bind(l);
      byte[] code = a.finish();
      assertEquals(gap == 127 ? "eb 7f" : "e9 80 00 00 00",
          hex(code, 0, gap == 127 ? 2 : 5), "gap " + gap);
      assertEquals(code.length, a.offsetOf(l));
    }
  }

  @Test
  void backwardConditionalJumpReachesMinus128Only() {
    for (int gap : new int[] {126, 127}) {
      Assembler a = new Assembler();
      Label l = a.here();
      nops(a, gap);
      a.jcc(Cond.NE, l);
      byte[] code = a.finish();
      String expected = gap == 126 ? "75 80" : "0f 85 7b ff ff ff"; // -(127 + 6) = -133
      assertEquals(expected, hex(code, gap, code.length));
    }
  }

  @Test
  void growingOneBranchCanPushAnotherOutOfReach() {
    // jmp near fits while jmp far is short; growing jmp far (needed) pushes near out of reach.
    Assembler a = new Assembler();
    Label far = a.label();
    Label near = a.label();
    a.jmp(near);     // 2 bytes while near is reachable
    a.jmp(far);      // must grow: 200 bytes away
    nops(a, 123);
    a.bind(near);    // near = 2 + 5 + 123 = 130 once 'jmp far' has grown: out of rel8 reach
    nops(a, 200);
    a.bind(far);
    byte[] code = a.finish();
    assertEquals("e9", hex(code, 0, 1));
    assertEquals(5 + 5 + 123, a.offsetOf(near));
    assertEquals(a.offsetOf(near) - 5, ByteBuffer.wrap(code, 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
  }

  @Test
  void alignmentIsRecomputedAfterRelaxationAndPositionsFollow() {
    Assembler a = new Assembler();
    Label end = a.label();
    a.mark(0);
    a.jcc(Cond.E, end);
    nops(a, 200);
    a.mark(1);
    a.align(16);
    Label aligned = a.here();
    a.mark(2);
    a.ret();
    a.bind(end);
    a.ret();
    byte[] code = a.finish();
    assertEquals(0, a.offsetOf(aligned) % 16);
    assertEquals(6 + 200, a.position(1)); // the jcc grew to 6 bytes before the mark
    assertEquals(a.offsetOf(aligned), a.position(2));
    assertEquals((byte) 0xC3, code[a.position(2)]);
    assertEquals(3, a.positions().size());
  }

  @Test
  void paddingUsesMultiByteNops() {
    Assembler a = new Assembler();
    a.nop();
    a.align(16);
    a.ret();
    byte[] code = a.finish();
    // 15 bytes of padding: a 9-byte and a 6-byte NOP (Intel SDM Table 4-12).
    assertEquals("66 0f 1f 84 00 00 00 00 00 66 0f 1f 44 00 00", hex(code, 1, 16));
  }

  @Test
  void alignmentWithAMaximumPadsOnlyWhenThatIsCheap() {
    Assembler a = new Assembler();
    nops(a, 5);
    a.align(16, 10); // 11 bytes would be needed: none
    Label unpadded = a.here();
    nops(a, 5);
    a.align(16, 10); // 6 bytes
    Label padded = a.here();
    a.ret();
    a.finish();
    assertEquals(5, a.offsetOf(unpadded));
    assertEquals(16, a.offsetOf(padded));
  }

  @Test
  void constantPoolIsDeduplicatedAlignedAndAddressedRipRelative() {
    Assembler a = new Assembler();
    Mem one = a.constant(1.0);
    Mem again = a.constant(1.0);
    Mem mask = a.constant128(0x8000000000000000L, 0);
    a.movsd(XMM0, one);
    a.xorpd(XMM0, mask);
    a.callAbsolute(0x1122334455667788L);
    a.ret();
    byte[] code = a.finish();
    assertSame(one.label, again.label);
    int maskAt = a.offsetOf(mask.label);
    int oneAt = a.offsetOf(one.label);
    assertEquals(0, maskAt % 16);
    assertEquals(0, oneAt % 8);
    ByteBuffer bb = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0x8000000000000000L, bb.getLong(maskAt));
    assertEquals(0L, bb.getLong(maskAt + 8));
    assertEquals(Double.doubleToRawLongBits(1.0), bb.getLong(oneAt));
    // movsd xmm0,[rip+d]: f2 0f 10 05 d, with d relative to the instruction's end (8 bytes).
    assertEquals(oneAt - 8, bb.getInt(4));
    // call [rip+d]: ff 15 d after movsd (8 bytes) and xorpd (8 bytes).
    assertEquals("ff 15", hex(code, 16, 18));
    int slot = 22 + bb.getInt(18);
    assertEquals(0x1122334455667788L, bb.getLong(slot));
  }

  @Test
  void listingShowsFinalOffsetsBytesTextAndComments() {
    Assembler a = Assembler.withListing();
    Label loop = a.label("loop");
    a.xor(EAX, EAX);
    a.bind(loop);
    a.comment("bytecode 4");
    a.add(RAX, qword(RSI, RCX, 8, -8));
    a.dec(RCX);
    a.jcc(Cond.NE, loop);
    a.ret();
    a.finish();
    List<Listing.Line> lines = a.listing().lines();
    assertEquals(5, lines.size());
    assertEquals("xor    eax,eax", lines.get(0).text());
    assertEquals(2, lines.get(1).offset());
    assertEquals("48 03 44 ce f8", lines.get(1).hexBytes());
    assertEquals("add    rax,QWORD PTR [rsi+rcx*8-0x8]", lines.get(1).text());
    assertEquals("bytecode 4", lines.get(1).comment());
    assertEquals("jne    0x2 <loop>", lines.get(3).text());
    assertEquals("75 f6", lines.get(3).hexBytes()); // 2 - 12
    assertEquals("ret", lines.get(4).text());
  }

  @Test
  void hereWithANameBindsANamedLabelAtTheCurrentPosition() {
    Assembler a = Assembler.withListing();
    a.xor(EAX, EAX);
    Label top = a.here("top");
    a.inc(EAX);
    a.jmp(top);
    a.finish();
    assertEquals("top", top.name());
    assertEquals(2, a.offsetOf(top));
    assertEquals("jmp    0x2 <top>", a.listing().lines().get(2).text());
  }

  @Test
  void readmeSumExampleAssemblesToTheExpectedBytes() {
    Assembler a = new Assembler();
    Examples.sumOneToN(a, RDI);
    byte[] code = a.finish();
    assertEquals("31 c0 48 85 ff 7e 08 48 01 f8 48 ff cf 75 f8 c3", hex(code, 0, code.length));
  }

  @Test
  void finishTwiceReturnsEqualCopies() {
    Assembler a = new Assembler();
    a.ret();
    byte[] first = a.finish();
    byte[] second = a.finish();
    assertArrayEquals(first, second);
    assertNotSame(first, second);
  }
}
