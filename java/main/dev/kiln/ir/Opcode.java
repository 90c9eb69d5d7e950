package dev.kiln.ir;

import java.util.Locale;

/**
 * The operation of an {@link Instruction}, with its {@link Format} and, where fixed, the type of
 * its operands and of its result. docs/ir.md defines each one's semantics; the
 * {@link Interpreter} implements exactly that.
 */
public enum Opcode {
  /** {@code iconst N}: an i64 constant. */
  ICONST(Format.CONST, null, Type.I64),
  /** {@code fconst X}: an f64 constant with exact bits. */
  FCONST(Format.CONST, null, Type.F64),
  /** {@code iadd}: wrapping addition. */
  IADD(Format.BINARY, Type.I64, Type.I64),
  /** {@code isub}: wrapping subtraction. */
  ISUB(Format.BINARY, Type.I64, Type.I64),
  /** {@code imul}: wrapping multiplication. */
  IMUL(Format.BINARY, Type.I64, Type.I64),
  /** {@code smulhi}: the high 64 bits of the signed 128-bit product. */
  SMULHI(Format.BINARY, Type.I64, Type.I64),
  /** {@code umulhi}: the high 64 bits of the unsigned 128-bit product. */
  UMULHI(Format.BINARY, Type.I64, Type.I64),
  /** {@code ineg}: wrapping negation. */
  INEG(Format.UNARY, Type.I64, Type.I64),
  /** {@code band}: bitwise and. */
  BAND(Format.BINARY, Type.I64, Type.I64),
  /** {@code bor}: bitwise or. */
  BOR(Format.BINARY, Type.I64, Type.I64),
  /** {@code bxor}: bitwise exclusive or. */
  BXOR(Format.BINARY, Type.I64, Type.I64),
  /** {@code bnot}: bitwise complement. */
  BNOT(Format.UNARY, Type.I64, Type.I64),
  /** {@code ishl}: shift left by the count mod 64. */
  ISHL(Format.BINARY, Type.I64, Type.I64),
  /** {@code sshr}: arithmetic shift right by the count mod 64. */
  SSHR(Format.BINARY, Type.I64, Type.I64),
  /** {@code ushr}: logical shift right by the count mod 64. */
  USHR(Format.BINARY, Type.I64, Type.I64),
  /** {@code sdiv}: signed division; traps on zero; {@code MIN / -1 == MIN}. */
  SDIV(Format.BINARY, Type.I64, Type.I64),
  /** {@code srem}: signed remainder (the dividend's sign); traps on zero. */
  SREM(Format.BINARY, Type.I64, Type.I64),
  /** {@code udiv}: unsigned division; traps on zero. */
  UDIV(Format.BINARY, Type.I64, Type.I64),
  /** {@code urem}: unsigned remainder; traps on zero. */
  UREM(Format.BINARY, Type.I64, Type.I64),
  /** {@code icmp COND}: integer compare, 1 or 0. */
  ICMP(Format.COMPARE, Type.I64, Type.I64),
  /** {@code select c, a, b}: {@code c != 0 ? a : b}. */
  SELECT(Format.SELECT, null, null),
  /** {@code fadd}: IEEE addition. */
  FADD(Format.BINARY, Type.F64, Type.F64),
  /** {@code fsub}: IEEE subtraction. */
  FSUB(Format.BINARY, Type.F64, Type.F64),
  /** {@code fmul}: IEEE multiplication. */
  FMUL(Format.BINARY, Type.F64, Type.F64),
  /** {@code fdiv}: IEEE division. */
  FDIV(Format.BINARY, Type.F64, Type.F64),
  /** {@code fneg}: flips the sign bit. */
  FNEG(Format.UNARY, Type.F64, Type.F64),
  /** {@code fabs}: clears the sign bit. */
  FABS(Format.UNARY, Type.F64, Type.F64),
  /** {@code fsqrt}: IEEE square root. */
  FSQRT(Format.UNARY, Type.F64, Type.F64),
  /** {@code fcmp COND}: float compare, 1 or 0 ({@code ne} holds when unordered). */
  FCMP(Format.COMPARE, Type.F64, Type.I64),
  /** {@code fcvt_from_sint}: i64 to the nearest f64. */
  FCVT_FROM_SINT(Format.UNARY, Type.I64, Type.F64),
  /** {@code fcvt_to_sint_sat}: f64 to i64 as Java's {@code (long)} (NaN 0, saturating). */
  FCVT_TO_SINT_SAT(Format.UNARY, Type.F64, Type.I64),
  /** {@code bitcast.T}: the same bits as the other type. */
  BITCAST(Format.BITCAST, null, null),
  /** {@code load.T}: a checked memory read. */
  LOAD(Format.LOAD, null, null),
  /** {@code store.T}: a checked memory write. */
  STORE(Format.STORE, null, null),
  /** {@code trap CODE}: traps (a terminator). */
  TRAP(Format.TRAP, null, null),
  /** {@code trapnz v, CODE}: traps if {@code v != 0}. */
  TRAPNZ(Format.TRAP_IF, Type.I64, null),
  /** {@code trapz v, CODE}: traps if {@code v == 0}. */
  TRAPZ(Format.TRAP_IF, Type.I64, null),
  /** {@code bounds_check index, length}: traps unless {@code index <u length}. */
  BOUNDS_CHECK(Format.BOUNDS_CHECK, Type.I64, null),
  /** {@code call @f(args)}: a direct call. */
  CALL(Format.CALL, null, null),
  /** {@code func_ref @f}: the handle of a module function. */
  FUNC_REF(Format.FUNC_REF, null, Type.I64),
  /** {@code call_indirect SIG, h(args)}: a checked call through a handle. */
  CALL_INDIRECT(Format.CALL_INDIRECT, null, null),
  /** {@code depth_enter N}: takes N levels of the call-depth limit, trapping as a call would. */
  DEPTH_ENTER(Format.DEPTH_ENTER, null, null),
  /** {@code depth_leave v}: gives back {@code v} levels that {@code depth_enter} took. */
  DEPTH_LEAVE(Format.DEPTH_LEAVE, Type.I64, null),
  /** {@code jump}: an unconditional branch. */
  JUMP(Format.JUMP, null, null),
  /** {@code brif}: a two-way branch on {@code c != 0}. */
  BRIF(Format.BRIF, Type.I64, null),
  /** {@code return}: returns from the function. */
  RETURN(Format.RETURN, null, null);

  /** How an instruction's operands and immediates are laid out, in the text form and in memory. */
  public enum Format {
    /** {@code vR = iconst N}, {@code vR = fconst X}: no operand, one immediate. */
    CONST,
    /** {@code vR = op vA}. */
    UNARY,
    /** {@code vR = op vA, vB}. */
    BINARY,
    /** {@code vR = icmp COND vA, vB}. */
    COMPARE,
    /** {@code vR = select vC, vA, vB}. */
    SELECT,
    /** {@code vR = bitcast.TYPE vA}. */
    BITCAST,
    /** {@code vR = load.T $mem [vBase + vIndex*S + OFF]}. */
    LOAD,
    /** {@code store.T vValue, $mem [vBase + vIndex*S + OFF]}. */
    STORE,
    /** {@code trap CODE}: a terminator. */
    TRAP,
    /** {@code trapnz vA, CODE}. */
    TRAP_IF,
    /** {@code bounds_check vIndex, vLength}. */
    BOUNDS_CHECK,
    /** {@code [vR =] call @f(args)}. */
    CALL,
    /** {@code vR = func_ref @f}. */
    FUNC_REF,
    /** {@code [vR =] call_indirect SIGNATURE, vCallee(args)}. */
    CALL_INDIRECT,
    /** {@code depth_enter N}: no operand, the levels as the immediate. */
    DEPTH_ENTER,
    /** {@code depth_leave vA}: one operand, no result. */
    DEPTH_LEAVE,
    /** {@code jump blockN(args)}. */
    JUMP,
    /** {@code brif vC, blockA(args), blockB(args)}. */
    BRIF,
    /** {@code return [vA]}. */
    RETURN
  }

  private final Format format;
  private final Type operandType;
  private final Type resultType;
  private final String mnemonic;

  Opcode(Format format, Type operandType, Type resultType) {
    this.format = format;
    this.operandType = operandType;
    this.resultType = resultType;
    this.mnemonic = name().toLowerCase(Locale.ROOT);
  }

  /** {@return its format} */
  public Format format() {
    return format;
  }

  /** {@return the type of every value operand where the opcode fixes it, else {@code null}} */
  public Type operandType() {
    return operandType;
  }

  /** {@return the result type where the opcode fixes it, else {@code null}} */
  public Type resultType() {
    return resultType;
  }

  /** {@return whether it ends a block: {@code jump}, {@code brif}, {@code return}, {@code trap}} */
  public boolean isTerminator() {
    return format == Format.JUMP || format == Format.BRIF || format == Format.RETURN
        || format == Format.TRAP;
  }

  /** {@return its name in the text form ({@code load} and {@code store} add {@code .TYPE})} */
  public String mnemonic() {
    return mnemonic;
  }
}
