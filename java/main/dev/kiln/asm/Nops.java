package dev.kiln.asm;

/**
 * Multi-byte NOPs for alignment padding: the sequences Intel recommends (SDM Vol. 2B, NOP,
 * Table 4-12), one instruction per up-to-9 bytes so padding costs as few decode slots as possible.
 */
final class Nops {
  private static final byte[][] SEQ = {
    {},
    {(byte) 0x90},
    {0x66, (byte) 0x90},
    {0x0f, 0x1f, 0x00},
    {0x0f, 0x1f, 0x40, 0x00},
    {0x0f, 0x1f, 0x44, 0x00, 0x00},
    {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},
    {0x0f, 0x1f, (byte) 0x80, 0x00, 0x00, 0x00, 0x00},
    {0x0f, 0x1f, (byte) 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
    {0x66, 0x0f, 0x1f, (byte) 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
  };

  private Nops() {}

  /** Fills {@code out[at, at+n)} with NOP instructions. */
  static void fill(byte[] out, int at, int n) {
    while (n > 0) {
      byte[] s = SEQ[Math.min(n, SEQ.length - 1)];
      System.arraycopy(s, 0, out, at, s.length);
      at += s.length;
      n -= s.length;
    }
  }
}
