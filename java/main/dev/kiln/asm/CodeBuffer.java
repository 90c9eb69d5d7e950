package dev.kiln.asm;

import java.util.Arrays;

/**
 * The growable byte buffer instructions are encoded into, before branch relaxation ("raw" bytes:
 * relaxable branches and alignment padding occupy no bytes here; {@link Relaxer} inserts them).
 * Little-endian, as x86 immediates and displacements are.
 */
final class CodeBuffer {
  // A typical JIT-compiled function fits; growth doubles, so big ones cost O(n) copying overall.
  private byte[] data = new byte[4096];
  private int size;
  private boolean sealed;

  int size() {
    return size;
  }

  byte[] data() {
    return data;
  }

  private void ensure(int n) {
    if (size + n > data.length) {
      grow(n);
    }
  }

  private void grow(int n) {
    if (sealed) {
      throw new AsmException("the assembler is finished; no more code can be added");
    }
    data = Arrays.copyOf(data, Math.max(data.length * 2, size + n));
  }

  /**
   * Makes room for one whole instruction (at most 15 bytes, Intel SDM Vol. 2, 2.3.11), so the
   * encoder's byte writes need no capacity check of their own.
   */
  void reserveInstruction() {
    ensure(16);
  }

  void put1(int b) {
    ensure(1);
    data[size++] = (byte) b;
  }

  /** Writes one byte of an instruction whose room {@link #reserveInstruction} made. */
  void emit1(int b) {
    data[size++] = (byte) b;
  }

  /** Writes four bytes of an instruction whose room {@link #reserveInstruction} made. */
  void emit4(int v) {
    writeInt(data, size, v);
    size += 4;
  }

  void put4(int v) {
    ensure(4);
    data[size] = (byte) v;
    data[size + 1] = (byte) (v >>> 8);
    data[size + 2] = (byte) (v >>> 16);
    data[size + 3] = (byte) (v >>> 24);
    size += 4;
  }

  void put8(long v) {
    put4((int) v);
    put4((int) (v >>> 32));
  }

  /**
   * Writes the low {@code bytes} (0, 1, 2, 4 or 8) bytes of {@code v}: an instruction's trailing
   * immediate, inside the room {@link #reserveInstruction} made.
   */
  void emitImm(long v, int bytes) {
    switch (bytes) {
      case 0: break;
      case 1: emit1((int) v); break;
      case 2: emit1((int) v); emit1((int) v >>> 8); break;
      case 4: emit4((int) v); break;
      default: emit4((int) v); emit4((int) (v >>> 32)); break;
    }
  }

  /**
   * Drops the storage after the final code was produced: any later emission then lands in
   * {@link #grow} and fails loudly instead of being silently lost.
   */
  void seal() {
    sealed = true;
    data = new byte[0];
    size = 0;
  }

  static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | b[at + 3] << 24;
  }

  static void writeInt(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }
}
