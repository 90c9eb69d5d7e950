package dev.kiln.asm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The instructions an assembler emitted, recorded only when a listing was requested (see
 * {@link Assembler#withListing()}), so the encoding hot path never builds text. Entries keep the
 * mnemonic and operands; offsets, bytes and Intel-syntax text (objdump -M intel style: mnemonic,
 * operands separated by commas, immediates in hex at the operand's width) are produced after
 * {@link Assembler#finish()}, when final offsets are known.
 */
public final class Listing {
  /**
   * One listed instruction.
   *
   * @param offset the instruction's final offset in the code
   * @param bytes the instruction's bytes
   * @param text the instruction in Intel syntax, as objdump prints it
   * @param comment the comment the client attached with {@link Assembler#comment}, or null
   */
  public record Line(int offset, byte[] bytes, String text, String comment) {
    /** {@return the bytes as lowercase two-digit hex separated by single spaces} */
    public String hexBytes() {
      StringBuilder sb = new StringBuilder(bytes.length * 3);
      for (byte b : bytes) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
      }
      return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Line l && l.offset == offset && Arrays.equals(l.bytes, bytes)
          && l.text.equals(text) && java.util.Objects.equals(l.comment, comment);
    }

    @Override
    public int hashCode() {
      return offset * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return String.format("%6x:  %-30s %s%s", offset, hexBytes(), text,
          comment == null ? "" : "    ; " + comment);
    }
  }

  /** Show the immediate in decimal (objdump prints shift-by-one as {@code shl rax,1}). */
  static final int DECIMAL = -1;

  private record Entry(int rawStart, int sitesStart, int rawEnd, int sitesEnd, String mnemonic,
      Operand a, Operand b, Operand c, long imm, int immBits, String comment) {}

  private final List<Entry> entries = new ArrayList<>();
  private String pendingComment;
  private List<Line> lines;

  void comment(String text) {
    pendingComment = pendingComment == null ? text : pendingComment + "; " + text;
  }

  void add(int rawStart, int sitesStart, int rawEnd, int sitesEnd, String mnemonic,
      Operand a, Operand b, Operand c, long imm, int immBits) {
    entries.add(new Entry(rawStart, sitesStart, rawEnd, sitesEnd, mnemonic, a, b, c, imm, immBits,
        pendingComment));
    pendingComment = null;
  }

  /** Resolves every entry against the final layout (called once by finish). */
  void resolve(Relaxer relaxer, byte[] code) {
    List<Line> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      int start = relaxer.finalOffset(e.rawStart, e.sitesStart);
      int end = relaxer.finalOffset(e.rawEnd, e.sitesEnd);
      if (end > start || e.comment != null) {
        out.add(new Line(start, Arrays.copyOfRange(code, start, end), text(e, relaxer),
            e.comment));
      }
    }
    lines = Collections.unmodifiableList(out);
  }

  /**
   * The listed instructions in code order.
   *
   * @return the lines, unmodifiable
   * @throws AsmException before {@link Assembler#finish()}
   */
  public List<Line> lines() {
    if (lines == null) {
      throw new AsmException("the listing is available after finish()");
    }
    return lines;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Line l : lines()) {
      sb.append(l).append('\n');
    }
    return sb.toString();
  }

  private static String text(Entry e, Relaxer relaxer) {
    StringBuilder ops = new StringBuilder();
    for (Operand o : new Operand[] {e.a, e.b, e.c}) {
      if (o != null) {
        if (ops.length() > 0) {
          ops.append(',');
        }
        ops.append(o instanceof Label l
            ? "0x" + Integer.toHexString(relaxer.labelOffset(l.id)) + " <" + l.name() + ">"
            : o.toString());
      }
    }
    if (e.immBits != 0) {
      if (ops.length() > 0) {
        ops.append(',');
      }
      ops.append(e.immBits == DECIMAL ? Long.toString(e.imm) : hex(e.imm, e.immBits));
    }
    return ops.length() == 0 ? e.mnemonic : String.format("%-6s %s", e.mnemonic, ops);
  }

  /** An immediate as objdump prints it: the operand-width two's complement value in hex. */
  static String hex(long v, int bits) {
    long masked = bits >= 64 ? v : v & ((1L << bits) - 1);
    return "0x" + Long.toHexString(masked);
  }
}
