package dev.kiln.asm;

/**
 * The 16 x86 condition codes, in encoding order (Intel SDM Vol. 2, Appendix B.1.4.7, "tttn"): the
 * ordinal is the low nibble of Jcc (70+cc, 0F 80+cc), SETcc (0F 90+cc) and CMOVcc (0F 40+cc).
 * Aliases ({@code Z}, {@code NZ}, {@code C}, ...) are static fields naming the same constants.
 */
public enum Cond {
  /** Overflow: OF = 1. */
  O("o"),
  /** No overflow: OF = 0. */
  NO("no"),
  /** Below, unsigned {@code <}: CF = 1. */
  B("b"),
  /** Above or equal, unsigned {@code >=}: CF = 0. */
  AE("ae"),
  /** Equal (zero): ZF = 1. */
  E("e"),
  /** Not equal (not zero): ZF = 0. */
  NE("ne"),
  /** Below or equal, unsigned {@code <=}: CF = 1 or ZF = 1. */
  BE("be"),
  /** Above, unsigned {@code >}: CF = 0 and ZF = 0. */
  A("a"),
  /** Sign (negative): SF = 1. */
  S("s"),
  /** No sign (not negative): SF = 0. */
  NS("ns"),
  /** Parity even: PF = 1; after {@code ucomisd}, unordered (a NaN operand). */
  P("p"),
  /** Parity odd: PF = 0; after {@code ucomisd}, ordered. */
  NP("np"),
  /** Less, signed {@code <}: SF != OF. */
  L("l"),
  /** Greater or equal, signed {@code >=}: SF = OF. */
  GE("ge"),
  /** Less or equal, signed {@code <=}: ZF = 1 or SF != OF. */
  LE("le"),
  /** Greater, signed {@code >}: ZF = 0 and SF = OF. */
  G("g");

  /** Carry: the same code as {@link #B}. */
  public static final Cond C = B;
  /** Not above or equal: the same code as {@link #B}. */
  public static final Cond NAE = B;
  /** No carry: the same code as {@link #AE}. */
  public static final Cond NC = AE;
  /** Not below: the same code as {@link #AE}. */
  public static final Cond NB = AE;
  /** Zero: the same code as {@link #E}. */
  public static final Cond Z = E;
  /** Not zero: the same code as {@link #NE}. */
  public static final Cond NZ = NE;
  /** Not above: the same code as {@link #BE}. */
  public static final Cond NA = BE;
  /** Not below or equal: the same code as {@link #A}. */
  public static final Cond NBE = A;
  /** Parity even: the same code as {@link #P}. */
  public static final Cond PE = P;
  /** Parity odd: the same code as {@link #NP}. */
  public static final Cond PO = NP;
  /** Not greater or equal: the same code as {@link #L}. */
  public static final Cond NGE = L;
  /** Not less: the same code as {@link #GE}. */
  public static final Cond NL = GE;
  /** Not greater: the same code as {@link #LE}. */
  public static final Cond NG = LE;
  /** Not less or equal: the same code as {@link #G}. */
  public static final Cond NLE = G;

  private static final Cond[] VALUES = values();

  /** The mnemonic suffix objdump prints (jne, sete, cmovl...). */
  public final String suffix;

  // Mnemonics precomputed so that encoding a branch never concatenates strings.
  final String jcc;
  final String setcc;
  final String cmov;

  Cond(String suffix) {
    this.suffix = suffix;
    this.jcc = "j" + suffix;
    this.setcc = "set" + suffix;
    this.cmov = "cmov" + suffix;
  }

  /** {@return the 4-bit condition code, the low nibble of the opcodes}. */
  public int code() {
    return ordinal();
  }

  /** {@return the opposite condition} The encodings pair up so that flipping bit 0 negates. */
  public Cond negate() {
    return VALUES[ordinal() ^ 1];
  }

  /**
   * The condition for a suffix as written in assembly, including aliases (z, nz, c, nge...).
   *
   * @param s the lower-case suffix, as in {@code jnz} or {@code cmovge}
   * @return the condition, or null if {@code s} names none
   */
  public static Cond fromSuffix(String s) {
    switch (s) {
      case "c": case "nae": return B;
      case "nc": case "nb": return AE;
      case "z": return E;
      case "nz": return NE;
      case "na": return BE;
      case "nbe": return A;
      case "pe": return P;
      case "po": return NP;
      case "nge": return L;
      case "nl": return GE;
      case "ng": return LE;
      case "nle": return G;
      default:
        for (Cond c : VALUES) {
          if (c.suffix.equals(s)) {
            return c;
          }
        }
        return null;
    }
  }
}
