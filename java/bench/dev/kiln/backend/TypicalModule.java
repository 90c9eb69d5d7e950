package dev.kiln.backend;

import dev.kiln.ir.Address;
import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.FunctionBuilder;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.MemType;
import dev.kiln.ir.Memory;
import dev.kiln.ir.Module;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import dev.kiln.ir.Variable;
import java.util.List;
import java.util.Random;

/**
 * Builds a module of the shape a JIT front end produces: functions with nested counted loops over
 * a memory, integer and float arithmetic on a handful of live variables, if/else diamonds, and
 * calls to the functions defined before. The same seed builds the same module.
 */
final class TypicalModule {
  private static final int VARIABLES = 8;

  private final Random random;
  private final Module module = new Module();
  private final Memory memory;
  private FunctionBuilder b;
  private Variable[] ints;
  private Variable[] floats;

  private TypicalModule(long seed) {
    this.random = new Random(seed);
    this.memory = module.memory("data", 8 * 1024);
  }

  /** A module of {@code functions} functions with about {@code statements} statements each. */
  static Module build(long seed, int functions, int statements) {
    TypicalModule t = new TypicalModule(seed);
    for (int i = 0; i < functions; i++) {
      t.function(i, statements);
    }
    return t.module;
  }

  /** The number of IR instructions in {@code module}. */
  static int instructions(Module module) {
    int n = 0;
    for (Function f : module.functions()) {
      for (Block block : f.blocks()) {
        n += block.instructions().size();
      }
    }
    return n;
  }

  private void function(int index, int statements) {
    b = module.define("f" + index, Signature.of(List.of(Type.I64, Type.I64), Type.I64));
    ints = new Variable[VARIABLES];
    floats = new Variable[VARIABLES / 2];
    for (int i = 0; i < ints.length; i++) {
      ints[i] = b.declare(Type.I64);
      b.def(ints[i], i < 2 ? b.param(i) : b.iconst(random.nextInt(100)));
    }
    for (int i = 0; i < floats.length; i++) {
      floats[i] = b.declare(Type.F64);
      b.def(floats[i], b.fconst(random.nextDouble()));
    }
    int done = 0;
    while (done < statements) {
      done += loop(2, statements - done);
    }
    Value sum = b.use(ints[0]);
    for (int i = 1; i < ints.length; i++) {
      sum = b.iadd(sum, b.use(ints[i]));
    }
    b.ret(b.iadd(sum, b.fcvtToSintSat(b.use(floats[0]))));
    b.finish();
  }

  /** A counted loop whose body holds statements and possibly an inner loop; its statement count. */
  private int loop(int depth, int budget) {
    Variable i = b.declare(Type.I64);
    b.def(i, b.iconst(0));
    Block head = b.newBlock();
    Block body = b.newBlock();
    Block exit = b.newBlock();
    b.jump(head);
    b.switchTo(head);
    b.brif(b.icmp(IntCond.SLT, b.use(i), b.iconst(4 + random.nextInt(60))), body, exit);
    b.seal(body);
    b.switchTo(body);
    int count = 0;
    int length = Math.min(budget, 6 + random.nextInt(20));
    while (count < length) {
      if (depth > 0 && random.nextInt(8) == 0) {
        count += loop(depth - 1, length - count);
      } else {
        statement(i);
        count++;
      }
    }
    b.def(i, b.iadd(b.use(i), b.iconst(1)));
    b.jump(head);
    b.seal(head);
    b.seal(exit);
    b.switchTo(exit);
    return count;
  }

  private void statement(Variable counter) {
    Variable x = ints[random.nextInt(ints.length)];
    Value y = b.use(ints[random.nextInt(ints.length)]);
    switch (random.nextInt(10)) {
      case 0, 1, 2 -> b.def(x, b.iadd(b.use(x), b.imul(y, b.iconst(3 + random.nextInt(9)))));
      case 3 -> b.def(x, b.bxor(b.ushr(b.use(x), b.iconst(7)), y));
      case 4 -> {
        Value slot = b.band(b.iadd(b.use(counter), y), b.iconst(1023));
        b.def(x, b.iadd(b.use(x), b.load(MemType.I64, memory, Address.at(slot, slot, 8, 0))));
      }
      case 5 -> {
        Value slot = b.band(b.use(x), b.iconst(1023));
        b.store(MemType.I64, memory, Address.at(slot, slot, 8, 0), y);
      }
      case 6 -> {
        Variable f = floats[random.nextInt(floats.length)];
        Value g = b.use(floats[random.nextInt(floats.length)]);
        b.def(f, b.fadd(b.fmul(b.use(f), g), b.fcvtFromSint(y)));
      }
      case 7 -> diamond(x, y);
      default -> {
        Function callee = module.functions().get(random.nextInt(module.functions().size()));
        if (callee == b.function()) {
          b.def(x, b.isub(b.use(x), y));
        } else {
          b.def(x, b.call(callee, b.band(y, b.iconst(1)), b.use(x)));
        }
      }
    }
  }

  private void diamond(Variable x, Value y) {
    Block then = b.newBlock();
    Block otherwise = b.newBlock();
    Block join = b.newBlock();
    b.brif(b.icmp(IntCond.SGT, b.use(x), y), then, otherwise);
    b.seal(then);
    b.seal(otherwise);
    b.switchTo(then);
    b.def(x, b.isub(b.use(x), y));
    b.jump(join);
    b.switchTo(otherwise);
    b.def(x, b.iadd(b.use(x), b.iconst(1)));
    b.jump(join);
    b.seal(join);
    b.switchTo(join);
  }
}
