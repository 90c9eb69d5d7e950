package dev.kiln.runtime;

import java.util.List;

/**
 * A C calling convention for x86-64, as data, so code generators can be written against it.
 *
 * <p>Registers are numbered as the x86 instruction encoding numbers them (Intel SDM Vol. 2A, Table
 * 2-2 with REX.B/R): general-purpose {@code 0=rax 1=rcx 2=rdx 3=rbx 4=rsp 5=rbp 6=rsi 7=rdi
 * 8..15=r8..r15}, and vector registers {@code n = xmmn}. This package sits below the assembler, so
 * it uses the numbers and not the assembler's register types; the constants below name the
 * general-purpose ones.
 *
 * <p>Sources: System V AMD64 ABI, §3.2 "Function Calling Sequence"; Microsoft, "x64 calling
 * convention" and "x64 ABI conventions: Register volatility and preservation".
 */
public final class CallingConvention {
  /** The register number of rax. */
  public static final int RAX = 0;

  /** The register number of rcx. */
  public static final int RCX = 1;

  /** The register number of rdx. */
  public static final int RDX = 2;

  /** The register number of rbx. */
  public static final int RBX = 3;

  /** The register number of rsp. */
  public static final int RSP = 4;

  /** The register number of rbp. */
  public static final int RBP = 5;

  /** The register number of rsi. */
  public static final int RSI = 6;

  /** The register number of rdi. */
  public static final int RDI = 7;

  /** The register number of r8. */
  public static final int R8 = 8;

  /** The register number of r9. */
  public static final int R9 = 9;

  /** The register number of r10. */
  public static final int R10 = 10;

  /** The register number of r11. */
  public static final int R11 = 11;

  /** The register number of r12. */
  public static final int R12 = 12;

  /** The register number of r13. */
  public static final int R13 = 13;

  /** The register number of r14. */
  public static final int R14 = 14;

  /** The register number of r15. */
  public static final int R15 = 15;

  /** Linux, macOS and the BSDs. Arguments take the next free register of their class. */
  public static final CallingConvention SYSTEM_V =
      new CallingConvention(
          0,
          "System V AMD64",
          List.of(RDI, RSI, RDX, RCX, R8, R9),
          List.of(0, 1, 2, 3, 4, 5, 6, 7),
          List.of(RBX, RBP, R12, R13, R14, R15),
          List.of(),
          0,
          128,
          false);

  /**
   * Windows x64. Arguments take the register of their position, whichever class (the second
   * argument is rdx or xmm1); rdi, rsi and xmm6-xmm15 are callee-saved; the caller reserves 32
   * bytes of shadow space above the return address.
   */
  public static final CallingConvention WINDOWS_X64 =
      new CallingConvention(
          1,
          "Microsoft x64",
          List.of(RCX, RDX, R8, R9),
          List.of(0, 1, 2, 3),
          List.of(RBX, RBP, RDI, RSI, R12, R13, R14, R15),
          List.of(6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
          32,
          0,
          true);

  private final int id;
  private final String name;
  private final List<Integer> integerArguments;
  private final List<Integer> floatArguments;
  private final List<Integer> calleeSaved;
  private final List<Integer> calleeSavedXmm;
  private final int shadowSpace;
  private final int redZone;
  private final boolean positionalArguments;

  private CallingConvention(
      int id,
      String name,
      List<Integer> integerArguments,
      List<Integer> floatArguments,
      List<Integer> calleeSaved,
      List<Integer> calleeSavedXmm,
      int shadowSpace,
      int redZone,
      boolean positionalArguments) {
    this.id = id;
    this.name = name;
    this.integerArguments = integerArguments;
    this.floatArguments = floatArguments;
    this.calleeSaved = calleeSaved;
    this.calleeSavedXmm = calleeSavedXmm;
    this.shadowSpace = shadowSpace;
    this.redZone = redZone;
    this.positionalArguments = positionalArguments;
  }

  /** {@return the host C compiler's convention} {@link #WINDOWS_X64} on Windows, else System V. */
  public static CallingConvention host() {
    return Platform.host().isWindows() ? WINDOWS_X64 : SYSTEM_V;
  }

  /** {@return the shim's number for this convention} 0 System V, 1 Microsoft x64. */
  public int id() {
    return id;
  }

  /** {@return the convention's name, such as {@code System V AMD64}} */
  public String name() {
    return name;
  }

  /** {@return the registers of the integer and pointer arguments, in order} */
  public List<Integer> integerArguments() {
    return integerArguments;
  }

  /** {@return the xmm registers of the floating-point arguments, in order} */
  public List<Integer> floatArguments() {
    return floatArguments;
  }

  /**
   * How an argument's register is chosen.
   *
   * @return true when by its position among all arguments (Windows), false when by its position
   *     among the arguments of its class (System V)
   */
  public boolean positionalArguments() {
    return positionalArguments;
  }

  /** {@return the register of integer results, rax} */
  public int integerReturn() {
    return RAX;
  }

  /** {@return the xmm register of floating-point results, xmm0} */
  public int floatReturn() {
    return 0;
  }

  /** {@return the general-purpose registers a callee must preserve} rsp is always preserved too. */
  public List<Integer> calleeSaved() {
    return calleeSaved;
  }

  /** {@return the xmm registers a callee must preserve (their low 128 bits)} */
  public List<Integer> calleeSavedXmm() {
    return calleeSavedXmm;
  }

  /** {@return the bytes a caller reserves above the return address} 32 on Windows, else 0. */
  public int shadowSpace() {
    return shadowSpace;
  }

  /** {@return the alignment of rsp at every call instruction, 16} So it is 8 mod 16 at entry. */
  public int stackAlignment() {
    return 16;
  }

  /** {@return the bytes below rsp a leaf may use without moving rsp} 128 on System V, else 0. */
  public int redZone() {
    return redZone;
  }

  /** {@return whether a callee may use the bytes below rsp} That is, {@link #redZone()} &gt; 0. */
  public boolean hasRedZone() {
    return redZone > 0;
  }

  @Override
  public String toString() {
    return name;
  }
}
