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
  public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
  public static final int R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14;
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

  /** The convention of the host's C compiler: {@link #WINDOWS_X64} on Windows, else System V. */
  public static CallingConvention host() {
    return Platform.host().isWindows() ? WINDOWS_X64 : SYSTEM_V;
  }

  /** The shim's number for this convention (0 System V, 1 Microsoft x64). */
  public int id() {
    return id;
  }

  public String name() {
    return name;
  }

  /** Registers of the integer and pointer arguments, in order. */
  public List<Integer> integerArguments() {
    return integerArguments;
  }

  /** xmm registers of the floating-point arguments, in order. */
  public List<Integer> floatArguments() {
    return floatArguments;
  }

  /**
   * True when an argument's register is chosen by its position among all arguments (Windows), false
   * when by its position among the arguments of its class (System V).
   */
  public boolean positionalArguments() {
    return positionalArguments;
  }

  /** rax: integer results. */
  public int integerReturn() {
    return RAX;
  }

  /** xmm0: floating-point results. */
  public int floatReturn() {
    return 0;
  }

  /** General-purpose registers a callee must preserve (rsp is always preserved too). */
  public List<Integer> calleeSaved() {
    return calleeSaved;
  }

  /** xmm registers a callee must preserve (their low 128 bits). */
  public List<Integer> calleeSavedXmm() {
    return calleeSavedXmm;
  }

  /** Bytes the caller reserves just above the return address for the callee (32 on Windows). */
  public int shadowSpace() {
    return shadowSpace;
  }

  /** rsp is a multiple of this at every call instruction (so it is 8 mod 16 at entry). */
  public int stackAlignment() {
    return 16;
  }

  /** Bytes below rsp a leaf function may use without moving rsp (128 on System V, else 0). */
  public int redZone() {
    return redZone;
  }

  /** True when a callee may use the bytes below rsp ({@link #redZone()} > 0). */
  public boolean hasRedZone() {
    return redZone > 0;
  }

  @Override
  public String toString() {
    return name;
  }
}
