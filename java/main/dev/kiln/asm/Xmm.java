package dev.kiln.asm;

/** An SSE register XMM0-XMM15; {@code import static dev.kiln.asm.Xmm.*}. */
public final class Xmm implements Operand {
  /** The SSE register xmm0. */
  public static final Xmm XMM0 = new Xmm(0);
  /** The SSE register xmm1. */
  public static final Xmm XMM1 = new Xmm(1);
  /** The SSE register xmm2. */
  public static final Xmm XMM2 = new Xmm(2);
  /** The SSE register xmm3. */
  public static final Xmm XMM3 = new Xmm(3);
  /** The SSE register xmm4. */
  public static final Xmm XMM4 = new Xmm(4);
  /** The SSE register xmm5. */
  public static final Xmm XMM5 = new Xmm(5);
  /** The SSE register xmm6. */
  public static final Xmm XMM6 = new Xmm(6);
  /** The SSE register xmm7. */
  public static final Xmm XMM7 = new Xmm(7);
  /** The SSE register xmm8. */
  public static final Xmm XMM8 = new Xmm(8);
  /** The SSE register xmm9. */
  public static final Xmm XMM9 = new Xmm(9);
  /** The SSE register xmm10. */
  public static final Xmm XMM10 = new Xmm(10);
  /** The SSE register xmm11. */
  public static final Xmm XMM11 = new Xmm(11);
  /** The SSE register xmm12. */
  public static final Xmm XMM12 = new Xmm(12);
  /** The SSE register xmm13. */
  public static final Xmm XMM13 = new Xmm(13);
  /** The SSE register xmm14. */
  public static final Xmm XMM14 = new Xmm(14);
  /** The SSE register xmm15. */
  public static final Xmm XMM15 = new Xmm(15);

  private static final Xmm[] ALL = {
    XMM0, XMM1, XMM2, XMM3, XMM4, XMM5, XMM6, XMM7,
    XMM8, XMM9, XMM10, XMM11, XMM12, XMM13, XMM14, XMM15
  };

  private final int code;

  private Xmm(int code) {
    this.code = code;
  }

  /**
   * The register with a hardware number.
   *
   * @param code the number n of xmm<i>n</i>, 0-15
   * @return the register
   * @throws AsmException if {@code code} is outside 0-15
   */
  public static Xmm of(int code) {
    if (code < 0 || code > 15) {
      throw new AsmException("no register xmm" + code);
    }
    return ALL[code];
  }

  /** {@return the hardware register number 0-15} */
  public int code() {
    return code;
  }

  @Override
  public String toString() {
    return "xmm" + code;
  }
}
