package dev.kiln.asm.text;

import dev.kiln.asm.AsmException;
import dev.kiln.asm.Assembler;
import dev.kiln.asm.Imm;
import dev.kiln.asm.Label;
import dev.kiln.asm.Listing;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Operand;
import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Assembles text in the GNU as {@code .intel_syntax noprefix} subset: one instruction per line,
 * {@code name:} labels (also before an instruction on the same line), {@code #} and {@code ;}
 * comments, operands like {@code rax}, {@code xmm3}, {@code 42}, {@code -0x10}, {@code QWORD PTR
 * [rbx+rcx*8+16]}, {@code [rip+label]} and branch targets by label name. Directives: {@code
 * .intel_syntax noprefix} and {@code .text} (accepted, nothing to do), {@code .align N},
 * {@code .quad V}. Every error of the file is collected with its line number.
 */
public final class AsmParser {
  /**
   * An error at a source line.
   *
   * @param line the 1-based line number
   * @param message what is wrong
   */
  public record Diagnostic(int line, String message) {}

  /**
   * The outcome of {@link #assemble}.
   *
   * @param errors every error in line order; empty on success
   * @param code the machine code on success, else null
   * @param lines the listing on success, else empty
   */
  public record Result(List<Diagnostic> errors, byte[] code, List<Listing.Line> lines) {}

  private static final Pattern LABEL = Pattern.compile("^([A-Za-z_.$][\\w.$]*)\\s*:");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_.$][\\w.$]*");
  private static final Pattern SIZED =
      Pattern.compile("(?i)^(byte|word|dword|qword|xmmword)\\s+ptr\\s*(.*)$");
  private static final Map<String, Operand> REGISTERS = registers();

  private final Assembler asm = Assembler.withListing();
  private final Map<String, Label> labels = new HashMap<>();
  private final Map<String, Integer> firstUse = new LinkedHashMap<>();
  private final Map<String, Integer> definedAt = new HashMap<>();
  private final List<Diagnostic> errors = new ArrayList<>();

  private AsmParser() {}

  /**
   * Assembles a whole source text.
   *
   * @param source the text, lines separated by {@code \n} or {@code \r\n}
   * @return every error with its line, or the code and its listing
   */
  public static Result assemble(String source) {
    return new AsmParser().run(source);
  }

  private Result run(String source) {
    String[] lines = source.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      try {
        line(lines[i], i + 1);
      } catch (AsmException e) {
        errors.add(new Diagnostic(i + 1, e.getMessage()));
      }
    }
    firstUse.forEach((name, line) -> {
      if (!definedAt.containsKey(name)) {
        errors.add(new Diagnostic(line, "undefined label '" + name + "'"));
      }
    });
    if (!errors.isEmpty()) {
      errors.sort((a, b) -> Integer.compare(a.line(), b.line()));
      return new Result(List.copyOf(errors), null, List.of());
    }
    byte[] code = asm.finish();
    return new Result(List.of(), code, asm.listing().lines());
  }

  private void line(String text, int lineNo) {
    String s = stripComment(text).strip();
    Matcher m = LABEL.matcher(s);
    while (m.find()) {
      define(m.group(1), lineNo);
      s = s.substring(m.end()).strip();
      m = LABEL.matcher(s);
    }
    if (s.isEmpty()) {
      return;
    }
    int space = firstSpace(s);
    String mnemonic = s.substring(0, space).toLowerCase(Locale.ROOT);
    String rest = s.substring(space).strip();
    if (mnemonic.startsWith(".")) {
      directive(mnemonic, rest);
      return;
    }
    List<Operand> ops = new ArrayList<>();
    if (!rest.isEmpty()) {
      for (String part : rest.split(",", -1)) {
        ops.add(operand(part.strip(), lineNo));
      }
    }
    InstructionSet.emit(asm, mnemonic, ops);
  }

  private static String stripComment(String s) {
    int hash = s.indexOf('#');
    int semi = s.indexOf(';');
    int cut = hash < 0 ? semi : semi < 0 ? hash : Math.min(hash, semi);
    return cut < 0 ? s : s.substring(0, cut);
  }

  private static int firstSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return s.length();
  }

  private void define(String name, int lineNo) {
    Integer previous = definedAt.putIfAbsent(name, lineNo);
    if (previous != null) {
      throw new AsmException("label '" + name + "' is already defined on line " + previous);
    }
    asm.bind(label(name));
  }

  private Label label(String name) {
    return labels.computeIfAbsent(name, asm::label);
  }

  private void directive(String name, String arg) {
    switch (name) {
      case ".intel_syntax":
        if (!arg.isEmpty() && !arg.equalsIgnoreCase("noprefix")) {
          throw new AsmException(".intel_syntax " + arg + ": only 'noprefix' is supported");
        }
        return;
      case ".text":
        return;
      case ".align":
      case ".balign":
        asm.align((int) number(arg));
        return;
      case ".quad":
        asm.data(number(arg));
        return;
      default:
        throw new AsmException("unknown directive " + name);
    }
  }

  private Operand operand(String s, int lineNo) {
    if (s.isEmpty()) {
      throw new AsmException("missing operand");
    }
    Matcher sized = SIZED.matcher(s);
    if (sized.matches()) {
      return memory(sized.group(2).strip(), sizeOf(sized.group(1)), lineNo);
    }
    if (s.startsWith("[") || s.toLowerCase(Locale.ROOT).startsWith("ds:")) {
      return memory(s, 0, lineNo);
    }
    Operand reg = REGISTERS.get(s.toLowerCase(Locale.ROOT));
    if (reg != null) {
      return reg;
    }
    if (NAME.matcher(s).matches()) {
      firstUse.putIfAbsent(s, lineNo);
      return label(s);
    }
    return new Imm(number(s));
  }

  private static int sizeOf(String keyword) {
    switch (keyword.toLowerCase(Locale.ROOT)) {
      case "byte": return 1;
      case "word": return 2;
      case "dword": return 4;
      case "qword": return 8;
      default: return 16;
    }
  }

  /** {@code [base + index*scale + disp]}, terms in any order, or {@code [rip + label + disp]}. */
  private Mem memory(String s, int size, int lineNo) {
    if (s.toLowerCase(Locale.ROOT).startsWith("ds:")) {
      // objdump's spelling of an absolute address, so listings read back in.
      return Mem.mem(null, null, 1, (int) displacement(number(s.substring(3)), s)).withSize(size);
    }
    if (!s.startsWith("[") || !s.endsWith("]")) {
      throw new AsmException("malformed memory operand '" + s + "'");
    }
    String body = s.substring(1, s.length() - 1).replace(" ", "");
    Reg base = null;
    Reg index = null;
    int scale = 1;
    long disp = 0;
    boolean rip = false;
    String labelName = null;
    Matcher t = Pattern.compile("([+-]?)([^+-]+)").matcher(body);
    int consumed = 0;
    while (t.find()) {
      if (t.start() != consumed) {
        break;
      }
      consumed = t.end();
      boolean minus = t.group(1).equals("-");
      String term = t.group(2).toLowerCase(Locale.ROOT);
      int star = term.indexOf('*');
      if (star >= 0) {
        String l = term.substring(0, star);
        String r = term.substring(star + 1);
        boolean regFirst = REGISTERS.get(l) != null;
        Reg idx = gpr(regFirst ? l : r, s);
        int sc = (int) number(regFirst ? r : l);
        if (index != null || minus) {
          throw new AsmException("malformed memory operand '" + s + "'");
        }
        index = idx;
        scale = sc;
      } else if (term.equals("rip")) {
        rip = true;
      } else if (REGISTERS.get(term) != null) {
        if (minus) {
          throw new AsmException("malformed memory operand '" + s + "'");
        }
        if (base == null) {
          base = gpr(term, s);
        } else if (index == null) {
          index = gpr(term, s);
        } else {
          throw new AsmException("too many registers in '" + s + "'");
        }
      } else if (NAME.matcher(t.group(2)).matches()) {
        labelName = t.group(2);
      } else {
        long v = number(term);
        disp += minus ? -v : v;
      }
    }
    if (consumed != body.length() || body.isEmpty()) {
      throw new AsmException("malformed memory operand '" + s + "'");
    }
    displacement(disp, s);
    if (rip || labelName != null) {
      if (!rip || labelName == null || base != null || index != null) {
        throw new AsmException("labels are addressed as [rip+label]: '" + s + "'");
      }
      firstUse.putIfAbsent(labelName, lineNo);
      return Mem.mem(label(labelName)).withSize(size).plus((int) disp);
    }
    return Mem.mem(base, index, scale, (int) disp).withSize(size);
  }

  private static long displacement(long disp, String context) {
    if (!Imm.fits32(disp)) {
      throw new AsmException("displacement " + disp + " does not fit 32 bits in '" + context + "'");
    }
    return disp;
  }

  private static Reg gpr(String name, String context) {
    if (!(REGISTERS.get(name) instanceof Reg r)) {
      throw new AsmException("'" + name + "' cannot address memory in '" + context + "'");
    }
    return r;
  }

  private static long number(String s) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    boolean minus = t.startsWith("-");
    if (minus || t.startsWith("+")) {
      t = t.substring(1);
    }
    try {
      long v;
      if (t.startsWith("0x")) {
        v = Long.parseUnsignedLong(t.substring(2), 16);
      } else {
        v = Long.parseUnsignedLong(t);
      }
      return minus ? -v : v;
    } catch (NumberFormatException e) {
      throw new AsmException("bad number or operand '" + s.strip() + "'");
    }
  }

  private static Map<String, Operand> registers() {
    Map<String, Operand> m = new HashMap<>();
    for (int bits : new int[] {8, 16, 32, 64}) {
      for (int code = 0; code < 16; code++) {
        Reg r = Reg.of(code, bits);
        m.put(r.name(), r);
      }
    }
    for (Reg r : new Reg[] {Reg.AH, Reg.CH, Reg.DH, Reg.BH}) {
      m.put(r.name(), r);
    }
    for (int code = 0; code < 16; code++) {
      m.put("xmm" + code, Xmm.of(code));
    }
    return m;
  }
}
