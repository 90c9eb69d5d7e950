package dev.kiln.ir;

import java.util.Locale;

/**
 * The operation of an {@link Instruction}, with its {@link Format} and, where fixed, the type of
 * its operands and of its result. docs/ir.md defines each one's semantics; the
 * {@link Interpreter} implements exactly that.
 */
public enum Opcode {
  ICONST(Format.CONST, null, Type.I64),
  FCONST(Format.CONST, null, Type.F64),
  IADD(Format.BINARY, Type.I64, Type.I64),
  ISUB(Format.BINARY, Type.I64, Type.I64),
  IMUL(Format.BINARY, Type.I64, Type.I64),
  INEG(Format.UNARY, Type.I64, Type.I64),
  BAND(Format.BINARY, Type.I64, Type.I64),
  BOR(Format.BINARY, Type.I64, Type.I64),
  BXOR(Format.BINARY, Type.I64, Type.I64),
  BNOT(Format.UNARY, Type.I64, Type.I64),
  ISHL(Format.BINARY, Type.I64, Type.I64),
  SSHR(Format.BINARY, Type.I64, Type.I64),
  USHR(Format.BINARY, Type.I64, Type.I64),
  SDIV(Format.BINARY, Type.I64, Type.I64),
  SREM(Format.BINARY, Type.I64, Type.I64),
  UDIV(Format.BINARY, Type.I64, Type.I64),
  UREM(Format.BINARY, Type.I64, Type.I64),
  ICMP(Format.COMPARE, Type.I64, Type.I64),
  SELECT(Format.SELECT, null, null),
  FADD(Format.BINARY, Type.F64, Type.F64),
  FSUB(Format.BINARY, Type.F64, Type.F64),
  FMUL(Format.BINARY, Type.F64, Type.F64),
  FDIV(Format.BINARY, Type.F64, Type.F64),
  FNEG(Format.UNARY, Type.F64, Type.F64),
  FABS(Format.UNARY, Type.F64, Type.F64),
  FSQRT(Format.UNARY, Type.F64, Type.F64),
  FCMP(Format.COMPARE, Type.F64, Type.I64),
  FCVT_FROM_SINT(Format.UNARY, Type.I64, Type.F64),
  FCVT_TO_SINT_SAT(Format.UNARY, Type.F64, Type.I64),
  BITCAST(Format.BITCAST, null, null),
  LOAD(Format.LOAD, null, null),
  STORE(Format.STORE, null, null),
  TRAP(Format.TRAP, null, null),
  TRAPNZ(Format.TRAP_IF, Type.I64, null),
  TRAPZ(Format.TRAP_IF, Type.I64, null),
  BOUNDS_CHECK(Format.BOUNDS_CHECK, Type.I64, null),
  CALL(Format.CALL, null, null),
  FUNC_REF(Format.FUNC_REF, null, Type.I64),
  CALL_INDIRECT(Format.CALL_INDIRECT, null, null),
  JUMP(Format.JUMP, null, null),
  BRIF(Format.BRIF, Type.I64, null),
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

  /** Its format. */
  public Format format() {
    return format;
  }

  /** The type of every value operand where the opcode fixes it, else {@code null}. */
  public Type operandType() {
    return operandType;
  }

  /** The result type where the opcode fixes it, else {@code null}. */
  public Type resultType() {
    return resultType;
  }

  /** Whether it ends a block: {@code jump}, {@code brif}, {@code return}, {@code trap}. */
  public boolean isTerminator() {
    return format == Format.JUMP || format == Format.BRIF || format == Format.RETURN
        || format == Format.TRAP;
  }

  /** Its name in the text form ({@code load} and {@code store} add {@code .TYPE}). */
  public String mnemonic() {
    return mnemonic;
  }
}
