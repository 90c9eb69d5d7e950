package dev.kiln.asm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates GNU-as Intel-syntax lines covering the assembler's instruction forms: every register
 * in every position for register forms, every base/index combination with boundary
 * displacements for addressing, boundary immediates for every operand width, and a seeded random
 * sample of memory forms per instruction ({@code samples} per register, scaled by the knob).
 */
final class FormGenerator {
  static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
  static final String[] UNARY = {"inc", "dec", "not", "neg", "mul", "imul", "div", "idiv"};
  static final String[] SHIFTS = {"rol", "ror", "shl", "shr", "sar", "sal"};
  static final String[] CONDS = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np",
      "l", "ge", "le", "g", "c", "nc", "z", "nz", "nae", "nb", "na", "nbe", "pe", "po", "nge",
      "nl", "ng", "nle"};
  static final String[] SSE = {"addsd", "subsd", "mulsd", "divsd", "sqrtsd", "minsd", "maxsd",
      "ucomisd", "comisd", "xorpd", "andpd", "andnpd", "orpd", "pxor", "movsd", "movapd",
      "movaps"};
  static final long[] DISPS = {0, 1, -1, 127, -128, 128, -129, Integer.MAX_VALUE,
      Integer.MIN_VALUE};
  static final long[] IMMS = {0, 1, -1, 127, -128, 128, -129, 255, 256, 32767, -32768, 65535,
      Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFFFFFFL};

  private final Random rnd;
  private final int samples;
  final List<String> lines = new ArrayList<>();

  FormGenerator(long seed, int samples) {
    this.rnd = new Random(seed);
    this.samples = samples;
  }

  static String[] regs(int bits) {
    String[] r = new String[16];
    for (int i = 0; i < 16; i++) {
      r[i] = Reg.of(i, bits).name();
    }
    return r;
  }

  static String xmm(int i) {
    return "xmm" + i;
  }

  private static String sizeWord(int bits) {
    switch (bits) {
      case 8: return "BYTE PTR ";
      case 16: return "WORD PTR ";
      case 32: return "DWORD PTR ";
      case 64: return "QWORD PTR ";
      case 128: return "XMMWORD PTR ";
      default: return "";
    }
  }

  static String address(String base, String index, int scale, long disp) {
    StringBuilder sb = new StringBuilder("[");
    if (base != null) {
      sb.append(base);
    }
    if (index != null) {
      sb.append(base != null ? "+" : "").append(index).append('*').append(scale);
    }
    if (base == null && index == null) {
      sb.append(disp);
    } else if (disp != 0) {
      sb.append(disp < 0 ? "" : "+").append(disp);
    }
    return sb.append(']').toString();
  }

  /** A random memory operand of the given width in bits (0: unsized). */
  String mem(int bits) {
    String[] r64 = regs(64);
    String base = rnd.nextInt(10) == 0 ? null : r64[rnd.nextInt(16)];
    String index = null;
    if (rnd.nextBoolean()) {
      int i = rnd.nextInt(15);
      index = r64[i >= 4 ? i + 1 : i];
    }
    long disp = DISPS[rnd.nextInt(DISPS.length)];
    return sizeWord(bits) + address(base, index, 1 << rnd.nextInt(4), disp);
  }

  private void add(String mn, String... ops) {
    lines.add(mn + " " + String.join(", ", ops));
  }

  private static boolean immFits(long v, int bits) {
    return bits == 64 ? v == (int) v : Imm.fitsWidth(v, bits);
  }

  /** Every base (or none) with every index (or none), cycling scales and boundary disps. */
  FormGenerator addressing() {
    String[] r64 = regs(64);
    int n = 0;
    for (int b = -1; b < 16; b++) {
      for (int i = -1; i < 16; i++) {
        if (i == 4) {
          continue;
        }
        for (long disp : DISPS) {
          String base = b < 0 ? null : r64[b];
          String index = i < 0 ? null : r64[i];
          add("mov", regs(64)[n % 16], "QWORD PTR " + address(base, index, 1 << (n % 4), disp));
          n++;
        }
      }
    }
    return this;
  }

  FormGenerator registerPairs() {
    for (int bits : new int[] {8, 16, 32, 64}) {
      String[] r = regs(bits);
      for (String mn : concat(ALU, "mov", "test", "xchg")) {
        for (String a : r) {
          for (String b : r) {
            add(mn, a, b);
          }
        }
      }
    }
    String[] legacy = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
    for (String mn : new String[] {"mov", "add", "cmp", "test", "xchg"}) {
      for (String a : legacy) {
        for (String b : legacy) {
          add(mn, a, b);
        }
      }
    }
    return this;
  }

  FormGenerator memoryForms() {
    for (int bits : new int[] {8, 16, 32, 64}) {
      for (String r : regs(bits)) {
        for (int k = 0; k < samples; k++) {
          for (String mn : concat(ALU, "mov")) {
            add(mn, r, mem(bits));
            add(mn, mem(bits), r);
          }
          add("test", mem(bits), r);
          add("xchg", r, mem(bits));
        }
      }
    }
    return this;
  }

  FormGenerator immediates() {
    for (int bits : new int[] {8, 16, 32, 64}) {
      for (long imm : IMMS) {
        if (!immFits(imm, bits)) {
          continue;
        }
        for (String mn : concat(ALU, "mov", "test")) {
          for (String r : regs(bits)) {
            add(mn, r, Long.toString(imm));
          }
          add(mn, mem(bits), Long.toString(imm));
        }
      }
    }
    for (String r : regs(64)) {
      add("mov", r, "0x123456789abcdef0");
      add("movabs", r, "-2");
      add("mov", r, "-9223372036854775808");
    }
    for (long imm : new long[] {0, 1, -1, 127, -128, 128, -129, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      add("push", Long.toString(imm));
    }
    return this;
  }

  FormGenerator unaryAndShifts() {
    for (int bits : new int[] {8, 16, 32, 64}) {
      for (String r : regs(bits)) {
        for (String mn : UNARY) {
          add(mn, r);
        }
        for (String mn : SHIFTS) {
          for (int count : new int[] {0, 1, 2, 7, 31, 63, 255}) {
            add(mn, r, Integer.toString(count));
          }
          add(mn, r, "cl");
        }
      }
      for (int k = 0; k < samples * 4; k++) {
        for (String mn : UNARY) {
          add(mn, mem(bits));
        }
        for (String mn : SHIFTS) {
          add(mn, mem(bits), "1");
          add(mn, mem(bits), Integer.toString(rnd.nextInt(256)));
          add(mn, mem(bits), "cl");
        }
      }
    }
    return this;
  }

  FormGenerator multiplyAndExtend() {
    for (int bits : new int[] {16, 32, 64}) {
      String[] r = regs(bits);
      for (String a : r) {
        for (String b : r) {
          add("imul", a, b);
        }
        add("imul", a, mem(bits));
        for (long imm : IMMS) {
          if (immFits(imm, bits)) {
            add("imul", a, r[rnd.nextInt(16)], Long.toString(imm));
            add("imul", a, mem(bits), Long.toString(imm));
          }
        }
        for (String mn : new String[] {"movzx", "movsx"}) {
          for (String s : regs(8)) {
            add(mn, a, s);
          }
          add(mn, a, mem(8));
          if (bits > 16) {
            for (String s : regs(16)) {
              add(mn, a, s);
            }
            add(mn, a, mem(16));
          }
        }
        add("lea", a, mem(0));
        add("lea", a, mem(64));
      }
    }
    for (String a : regs(64)) {
      for (String b : regs(32)) {
        add("movsxd", a, b);
      }
      add("movsxd", a, mem(32));
    }
    return this;
  }

  FormGenerator stackAndControl() {
    for (String r : concat(regs(64), regs(16))) {
      add("push", r);
      add("pop", r);
    }
    for (String r : regs(64)) {
      add("call", r);
      add("jmp", r);
    }
    for (int k = 0; k < samples * 8; k++) {
      add("push", mem(64));
      add("pop", mem(64));
      add("call", mem(64));
      add("jmp", mem(64));
    }
    for (String c : CONDS) {
      for (String r : regs(8)) {
        add("set" + c, r);
      }
      add("set" + c, mem(8));
      for (int bits : new int[] {16, 32, 64}) {
        add("cmov" + c, regs(bits)[rnd.nextInt(16)], regs(bits)[rnd.nextInt(16)]);
        add("cmov" + c, regs(bits)[rnd.nextInt(16)], mem(bits));
      }
    }
    for (String mn : new String[] {"ret", "cqo", "cdq", "leave", "nop", "int3", "ud2"}) {
      lines.add(mn);
    }
    add("ret", "8");
    return this;
  }

  FormGenerator sse() {
    for (String mn : SSE) {
      int memBits = mn.endsWith("sd") || mn.endsWith("sd ") ? 64 : 128;
      for (int a = 0; a < 16; a++) {
        for (int b = 0; b < 16; b++) {
          add(mn, xmm(a), xmm(b));
        }
        add(mn, xmm(a), mem(memBits));
        if (mn.startsWith("mov")) {
          add(mn, mem(memBits), xmm(a));
        }
      }
    }
    for (int a = 0; a < 16; a++) {
      for (int b = 0; b < 16; b++) {
        add("movq", xmm(a), regs(64)[b]);
        add("movq", regs(64)[b], xmm(a));
        add("movq", xmm(a), xmm(b));
        add("cvtsi2sd", xmm(a), regs(64)[b]);
        add("cvtsi2sd", xmm(a), regs(32)[b]);
        add("cvttsd2si", regs(64)[b], xmm(a));
        add("cvttsd2si", regs(32)[b], xmm(a));
      }
      add("movq", xmm(a), mem(64));
      add("movq", mem(64), xmm(a));
      add("cvtsi2sd", xmm(a), mem(64));
      add("cvtsi2sd", xmm(a), mem(32));
      add("cvttsd2si", regs(64)[a], mem(64));
    }
    return this;
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
