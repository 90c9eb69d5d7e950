package dev.kiln.asm;

/**
 * SSE/SSE2 instructions of the form {@code prefix 0F op xmm, xmm/m} (Intel SDM Vol. 2): the
 * mandatory prefix selects the data type (F2 scalar double, 66 packed double or integer, none for
 * packed single). The moves also have a store form {@code m, xmm}; a scalar operation reads 8
 * bytes of memory, a packed one 16 (aligned for movapd, movaps and the logic operations).
 */
public enum SseOp {
  /** Moves a scalar double; from memory it zeroes the upper half. */
  MOVSD(0xF2, 0x0F10, 0x0F11, 8),
  /** Moves 16 aligned bytes of packed doubles. */
  MOVAPD(0x66, 0x0F28, 0x0F29, 16),
  /** Moves 16 aligned bytes of packed singles (one byte shorter than {@link #MOVAPD}). */
  MOVAPS(0, 0x0F28, 0x0F29, 16),
  /** Scalar double addition. */
  ADDSD(0xF2, 0x0F58, 0, 8),
  /** Scalar double subtraction. */
  SUBSD(0xF2, 0x0F5C, 0, 8),
  /** Scalar double multiplication. */
  MULSD(0xF2, 0x0F59, 0, 8),
  /** Scalar double division. */
  DIVSD(0xF2, 0x0F5E, 0, 8),
  /** Scalar double square root of the source. */
  SQRTSD(0xF2, 0x0F51, 0, 8),
  /** Scalar double minimum (the source when either is NaN or both are zero). */
  MINSD(0xF2, 0x0F5D, 0, 8),
  /** Scalar double maximum (the source when either is NaN or both are zero). */
  MAXSD(0xF2, 0x0F5F, 0, 8),
  /** Compares scalar doubles into ZF, PF, CF; unordered (NaN) sets all three. */
  UCOMISD(0x66, 0x0F2E, 0, 8),
  /** As {@link #UCOMISD}, but a quiet NaN also raises the invalid exception. */
  COMISD(0x66, 0x0F2F, 0, 8),
  /** Bitwise xor of 128 bits (e.g. sign flip with a mask). */
  XORPD(0x66, 0x0F57, 0, 16),
  /** Bitwise and of 128 bits (e.g. absolute value with a mask). */
  ANDPD(0x66, 0x0F54, 0, 16),
  /** Bitwise {@code ~d & s} of 128 bits. */
  ANDNPD(0x66, 0x0F55, 0, 16),
  /** Bitwise or of 128 bits. */
  ORPD(0x66, 0x0F56, 0, 16),
  /** Bitwise xor of 128 integer bits (zeroing idiom {@code pxor x, x}). */
  PXOR(0x66, 0x0FEF, 0, 16);

  final int prefix;
  final int load;
  final int store;
  final int memBytes;
  final String mnemonic = name().toLowerCase(java.util.Locale.ROOT);

  SseOp(int prefix, int load, int store, int memBytes) {
    this.prefix = prefix;
    this.load = load;
    this.store = store;
    this.memBytes = memBytes;
  }
}
