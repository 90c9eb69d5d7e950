package dev.kiln.asm;

/**
 * The 16 x86 condition codes, in encoding order (Intel SDM Vol. 2, Appendix B.1.4.7, "tttn"): the
 * ordinal is the low nibble of Jcc (70+cc, 0F 80+cc), SETcc (0F 90+cc) and CMOVcc (0F 40+cc).
 * Aliases ({@code Z}, {@code NZ}, {@code C}, ...) are static fields naming the same constants.
 */
public enum Cond {
  O("o"), NO("no"), B("b"), AE("ae"), E("e"), NE("ne"), BE("be"), A("a"),
  S("s"), NS("ns"), P("p"), NP("np"), L("l"), GE("ge"), LE("le"), G("g");

  public static final Cond C = B;
  public static final Cond NAE = B;
  public static final Cond NC = AE;
  public static final Cond NB = AE;
  public static final Cond Z = E;
  public static final Cond NZ = NE;
  public static final Cond NA = BE;
  public static final Cond NBE = A;
  public static final Cond PE = P;
  public static final Cond PO = NP;
  public static final Cond NGE = L;
  public static final Cond NL = GE;
  public static final Cond NG = LE;
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

  /** The 4-bit condition code. */
  public int code() {
    return ordinal();
  }

  /** The opposite condition: the encodings pair up so that flipping bit 0 negates. */
  public Cond negate() {
    return VALUES[ordinal() ^ 1];
  }

  /** The condition for a suffix as written in assembly, including aliases (z, nz, c, nge...). */
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
