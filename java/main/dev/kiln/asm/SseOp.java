package dev.kiln.asm;

/**
 * SSE/SSE2 instructions of the form {@code prefix 0F op xmm, xmm/m} (Intel SDM Vol. 2): the
 * mandatory prefix selects the data type (F2 scalar double, 66 packed double or integer, none for
 * packed single). {@link #store} is the opcode of the {@code m, xmm} direction, 0 if none;
 * {@link #memBytes} the memory access size.
 */
public enum SseOp {
  MOVSD(0xF2, 0x0F10, 0x0F11, 8),
  MOVAPD(0x66, 0x0F28, 0x0F29, 16),
  MOVAPS(0, 0x0F28, 0x0F29, 16),
  ADDSD(0xF2, 0x0F58, 0, 8),
  SUBSD(0xF2, 0x0F5C, 0, 8),
  MULSD(0xF2, 0x0F59, 0, 8),
  DIVSD(0xF2, 0x0F5E, 0, 8),
  SQRTSD(0xF2, 0x0F51, 0, 8),
  MINSD(0xF2, 0x0F5D, 0, 8),
  MAXSD(0xF2, 0x0F5F, 0, 8),
  UCOMISD(0x66, 0x0F2E, 0, 8),
  COMISD(0x66, 0x0F2F, 0, 8),
  XORPD(0x66, 0x0F57, 0, 16),
  ANDPD(0x66, 0x0F54, 0, 16),
  ANDNPD(0x66, 0x0F55, 0, 16),
  ORPD(0x66, 0x0F56, 0, 16),
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
