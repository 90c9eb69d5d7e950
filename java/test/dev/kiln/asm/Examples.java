package dev.kiln.asm;

import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.RAX;

/** Small functions shared by the byte-level and the execute tests. */
final class Examples {
  private Examples() {}

  /** The README example: rax = 1 + 2 + ... + n (0 when n <= 0); n is consumed. */
  static void sumOneToN(Assembler a, Reg n) {
    Label loop = a.label("loop");
    Label done = a.label("done");
    a.xor(EAX, EAX);
    a.test(n, n);
    a.jcc(Cond.LE, done);
    a.bind(loop);
    a.add(RAX, n);
    a.dec(n);
    a.jcc(Cond.NE, loop);
    a.bind(done);
    a.ret();
  }
}
