package dev.kiln.asm;

import static dev.kiln.asm.Mem.qword;
import static dev.kiln.asm.Reg.*;
import static dev.kiln.asm.Xmm.*;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Instructions encoded per second for a JIT-like mix: register and memory moves (frame slots off
 * rbp, array elements base+index*8), ALU with immediates, compares and branches to labels (forward
 * and backward, relaxed at finish), SSE scalar double arithmetic, a constant-pool load. Each
 * invocation assembles a whole function of {@link #INSNS} instructions including {@code finish()}
 * (relaxation and fixups), so the score is end-to-end instructions per second.
 *
 * <p>{@code mvn -Pbench test-compile exec:exec -Djmh.args="AsmBench -f 1"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AsmBench {
  private static final int BLOCKS = 50;
  private static final int PER_BLOCK = 24;
  static final int INSNS = BLOCKS * PER_BLOCK;

  @Benchmark
  @OperationsPerInvocation(INSNS)
  public byte[] jitMix() {
    Assembler a = new Assembler();
    Label exit = a.label();
    for (int b = 0; b < BLOCKS; b++) {
      Label top = a.here();
      Label skip = a.label();
      int slot = -8 * (b % 32 + 1);
      a.mov(RAX, qword(RBP, slot));                 // load a local
      a.mov(RCX, qword(RBP, slot - 8));
      a.add(RAX, RCX);
      a.sub(RAX, 1);
      a.imul(RDX, RAX, 10);
      a.mov(qword(RBP, slot), RDX);                 // store a local
      a.cmp(RAX, 1000);
      a.jcc(Cond.GE, skip);                         // forward branch
      a.mov(R8, qword(RBX, RCX, 8, 16));            // array element
      a.lea(R9, qword(R8, R8, 2, 0));
      a.xor(R10D, R10D);
      a.test(R9, R9);
      a.setcc(Cond.NE, R10B);
      a.shl(R9, 3);
      a.movsd(XMM0, qword(RBP, slot - 16));         // float local
      a.addsd(XMM0, XMM1);
      a.mulsd(XMM0, a.constant(2.5));               // constant pool
      a.cvttsd2si(R11, XMM0);
      a.movsd(qword(RBP, slot - 16), XMM0);
      a.bind(skip);
      a.inc(qword(RBX, 8));
      a.cmp(RCX, qword(RBP, -16));
      a.jcc(Cond.L, top);                           // backward branch
      a.jcc(Cond.O, exit);                          // long forward branch
      a.mov(qword(RBX, RCX, 8, 0), RAX);
    }
    a.bind(exit);
    a.ret();
    return a.finish();
  }
}
