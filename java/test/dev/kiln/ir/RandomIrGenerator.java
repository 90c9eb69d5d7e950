package dev.kiln.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates random valid modules through the {@link FunctionBuilder} (so its SSA construction is
 * exercised too): functions with variables of both types, nested loops with bounded trip counts,
 * if/else, calls down the module and bounded self-recursion (also returned, maybe combined with
 * an operand: tail and accumulator recursion), levels of the call-depth limit held around calls
 * and heavy frames that reach it, small leaf functions (to inline), indirect calls with right and
 * wrong signatures, memory accesses in and out of bounds, integer and float edge values, and traps at
 * random points; for the optimization passes also constant operands and branch conditions,
 * expressions repeated over the same variables and loop bodies reading variables the loop does
 * not assign. Every function's first parameter is its recursion fuel, so every run ends.
 *
 * <p>The modules import {@code @sink(i64)}, which the caller binds (it observes values).
 */
final class RandomIrGenerator {
  private static final long[] INT_EDGES = {0, 1, -1, 2, 7, 63, 64, 65, -64, 255, 256, 65535,
      Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE};
  private static final double[] FLOAT_EDGES = {0.0, -0.0, 1.0, -1.5, 0.1, Double.NaN,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE,
      9.223372036854776E18, -9.223372036854776E18, 1e-300};
  private static final Opcode[] INT_BINARY = {Opcode.IADD, Opcode.ISUB, Opcode.IMUL, Opcode.BAND,
      Opcode.BOR, Opcode.BXOR, Opcode.ISHL, Opcode.SSHR, Opcode.USHR, Opcode.SDIV, Opcode.SREM,
      Opcode.UDIV, Opcode.UREM, Opcode.SMULHI, Opcode.UMULHI};
  /** Operations a tail self-call's result goes through: associative ones, and some that are not. */
  private static final Opcode[] TAIL_OPERATIONS = {Opcode.IADD, Opcode.IMUL, Opcode.BAND,
      Opcode.BOR, Opcode.BXOR, Opcode.ISUB, Opcode.ISHL};
  /** Levels of a heavy frame: three nested take 90% of the default call-depth limit. */
  private static final int DEEP_LEVELS = 30_000;
  /** Statements of a small leaf function (no calls of the module's functions), to be inlined. */
  private static final int LEAF_STATEMENTS = 3;
  private static final Opcode[] FLOAT_BINARY = {Opcode.FADD, Opcode.FSUB, Opcode.FMUL,
      Opcode.FDIV};

  private final Random random;
  private final Module module = new Module();
  private Memory memory;
  private JavaFunction sink;
  private FunctionBuilder b;
  private List<Variable> ints;
  private List<Variable> floats;
  private Function current;
  private int position;
  private int statements;
  private int statementLimit;
  /** An integer expression over two variables of the current function, to be repeated. */
  private Expression repeatable;

  private record Expression(Opcode op, Variable x, Variable y) {}

  RandomIrGenerator(long seed) {
    this.random = new Random(seed);
  }

  /** A module whose last function, {@code @f<N>}, is the one to run. */
  Module generate() {
    memory = module.memory("mem", 8 + random.nextInt(120));
    sink = module.importJava("sink", Signature.of(List.of(Type.I64), null));
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      function(i);
    }
    return module;
  }

  /** Random arguments for {@code f}: its fuel, then edge or random values. */
  Object[] arguments(Function f) {
    List<Type> params = f.signature().params();
    Object[] args = new Object[params.size()];
    args[0] = (long) random.nextInt(4);
    for (int i = 1; i < args.length; i++) {
      args[i] = params.get(i) == Type.I64 ? (Object) intValue() : (Object) floatValue();
    }
    return args;
  }

  private void function(int index) {
    List<Type> params = new ArrayList<>(List.of(Type.I64));
    for (int i = random.nextInt(3); i > 0; i--) {
      params.add(type());
    }
    Type result = random.nextInt(4) == 0 ? null : type();
    b = module.define("f" + index, Signature.of(params, result));
    current = b.function();
    b.functionPosition(position++);
    ints = new ArrayList<>();
    floats = new ArrayList<>();
    repeatable = null;
    for (int i = 0; i < params.size(); i++) {
      Variable v = b.declare(params.get(i));
      b.def(v, b.param(i));
      (params.get(i) == Type.I64 ? ints : floats).add(v);
    }
    for (int i = 0; i < 2; i++) {
      Variable v = b.declare(Type.I64);
      b.def(v, b.iconst(intValue()));
      ints.add(v);
      Variable w = b.declare(Type.F64);
      b.def(w, b.fconst(floatValue()));
      floats.add(w);
    }
    statements = 0;
    boolean leaf = random.nextInt(3) == 0;
    statementLimit = leaf ? LEAF_STATEMENTS : 60;
    if (random.nextInt(4) == 0) {
      b.levels(DEEP_LEVELS); // a few frames of it reach the call-depth limit
    }
    block(0);
    if (!leaf && random.nextInt(3) == 0) {
      tailCall(result);
    }
    if (result == null) {
      b.ret();
    } else {
      b.ret(b.use(pick(result)));
    }
    b.finish();
  }

  /**
   * While there is fuel, returns a fuelled self-call's result, maybe combined with an operand by
   * an integer or float operation (tail and accumulator recursion, or shapes that are neither).
   */
  private void tailCall(Type result) {
    Block done = ifFuelled();
    Value operand = result == null ? null : operand(result);
    Value v = b.call(current, fuelledArguments(current));
    if (result == Type.I64 && random.nextInt(4) > 0) {
      Opcode op = pick(TAIL_OPERATIONS);
      v = random.nextBoolean() ? binary(op, v, operand) : binary(op, operand, v);
    } else if (result == Type.F64 && random.nextBoolean()) {
      v = binary(Opcode.FADD, operand, v);
    }
    if (result == null) {
      b.ret();
    } else {
      b.ret(v);
    }
    b.switchTo(done);
    b.seal(done);
  }

  private void block(int depth) {
    for (int n = 1 + random.nextInt(6); n > 0 && statements < statementLimit; n--) {
      statements++;
      b.at(position++);
      int choice = random.nextInt(depth < 2 ? 20 : 16);
      switch (choice) {
        case 0, 1, 2, 3 -> def(Type.I64, intExpression());
        case 4, 5 -> def(Type.F64, floatExpression());
        case 6 -> def(Type.I64, b.icmp(pick(IntCond.values()), intOperand(), intOperand()));
        case 7 -> def(Type.I64, b.fcmp(pick(FloatCond.values()), floatOperand(), floatOperand()));
        case 8 -> conversion();
        case 9 -> memoryAccess();
        case 10 -> b.call(sink, intOperand());
        case 11 -> {
          if (statementLimit == LEAF_STATEMENTS) {
            def(Type.I64, intExpression()); // a leaf calls no function of the module
          } else {
            call();
          }
        }
        case 12 -> trap();
        case 13 -> {
          Value c = intOperand();
          Type t = type();
          def(t, b.select(c, operand(t), operand(t)));
        }
        case 14 -> def(Type.I64, random.nextBoolean() ? b.ineg(intOperand()) : b.bnot(intOperand()));
        case 15 -> def(Type.F64, random.nextBoolean() ? b.fneg(floatOperand())
            : random.nextBoolean() ? b.fabs(floatOperand()) : b.fsqrt(floatOperand()));
        case 16, 17 -> ifElse(depth);
        default -> loop(depth);
      }
    }
  }

  private Value intExpression() {
    if (repeatable != null && random.nextInt(4) == 0) {
      return binary(repeatable.op(), b.use(repeatable.x()), b.use(repeatable.y()));
    }
    Opcode op = pick(INT_BINARY);
    if (random.nextInt(3) == 0) {
      repeatable = new Expression(op, pickAny(ints), pickAny(ints));
      return binary(op, b.use(repeatable.x()), b.use(repeatable.y()));
    }
    return binary(op, intOperand(), intOperand());
  }

  private Value floatExpression() {
    return binary(pick(FLOAT_BINARY), floatOperand(), floatOperand());
  }

  private Value binary(Opcode op, Value x, Value y) {
    return switch (op) {
      case IADD -> b.iadd(x, y);
      case ISUB -> b.isub(x, y);
      case IMUL -> b.imul(x, y);
      case SMULHI -> b.smulhi(x, y);
      case UMULHI -> b.umulhi(x, y);
      case BAND -> b.band(x, y);
      case BOR -> b.bor(x, y);
      case BXOR -> b.bxor(x, y);
      case ISHL -> b.ishl(x, y);
      case SSHR -> b.sshr(x, y);
      case USHR -> b.ushr(x, y);
      case SDIV -> b.sdiv(x, y);
      case SREM -> b.srem(x, y);
      case UDIV -> b.udiv(x, y);
      case UREM -> b.urem(x, y);
      case FADD -> b.fadd(x, y);
      case FSUB -> b.fsub(x, y);
      case FMUL -> b.fmul(x, y);
      default -> b.fdiv(x, y);
    };
  }

  private void conversion() {
    switch (random.nextInt(4)) {
      case 0 -> def(Type.F64, b.fcvtFromSint(intOperand()));
      case 1 -> def(Type.I64, b.fcvtToSintSat(floatOperand()));
      case 2 -> def(Type.F64, b.bitcast(Type.F64, intOperand()));
      default -> def(Type.I64, b.bitcast(Type.I64, b.fconst(floatValue())));
    }
  }

  /**
   * Mostly in bounds (a masked index), sometimes anywhere; a third of the time a burst of
   * accesses on one base at nearby offsets (repeated loads, a load after a store, overwritten
   * stores), the patterns the memory passes rewrite.
   */
  private void memoryAccess() {
    Value base = random.nextInt(8) == 0 ? intOperand()
        : b.band(intOperand(), b.iconst(random.nextInt(8) == 0 ? 255 : 7));
    if (random.nextInt(3) == 0) {
      for (int n = 2 + random.nextInt(5); n > 0; n--) {
        access(Address.at(base, random.nextInt(6) - 1));
      }
      return;
    }
    int scale = 1 << random.nextInt(4);
    access(random.nextBoolean() ? Address.at(base, random.nextInt(16) - 2)
        : Address.at(base, b.band(intOperand(), b.iconst(3)), scale, random.nextInt(8)));
  }

  /** A load or store of a random type at {@code address}. */
  private void access(Address address) {
    MemType type = pick(MemType.values());
    if (random.nextBoolean() && type.storable()) {
      b.store(type, memory, address, operand(type.type()));
    } else {
      def(type.type(), b.load(type, memory, address));
    }
  }

  /** A call down the module, a fuelled self-call, or an indirect call (maybe mismatched). */
  private void call() {
    if (random.nextInt(4) == 0) { // levels held around a call, as an inlined body holds them
      int levels = 1 + random.nextInt(DEEP_LEVELS);
      b.depthEnter(levels);
      callWithFuel(current, false);
      b.depthLeave(b.iconst(levels));
      return;
    }
    int index = current.index();
    int kind = random.nextInt(3);
    if (kind == 0 && index > 0) {
      callWithFuel(module.functions().get(random.nextInt(index)), false);
    } else if (kind == 1) {
      callWithFuel(current, false);
    } else if (index > 0) {
      callWithFuel(module.functions().get(random.nextInt(index)), true);
    }
  }

  /** Calls {@code f} with fuel - 1 if the fuel is above 0 (a recursion ends with the fuel). */
  private void callWithFuel(Function f, boolean indirect) {
    Block done = ifFuelled();
    Value[] args = fuelledArguments(f);
    List<Type> params = f.signature().params();
    Value result;
    if (indirect) {
      Signature sig = random.nextInt(4) == 0 ? Signature.of(params, null) : f.signature();
      result = b.callIndirect(sig, b.funcRef(f), args);
    } else {
      result = b.call(f, args);
    }
    if (result != null) {
      def(result.type(), result);
    }
    b.jump(done);
    b.switchTo(done);
    b.seal(done);
  }

  /** Branches on the fuel being above 0 to a new block, the current one now; returns the join. */
  private Block ifFuelled() {
    Block call = b.newBlock();
    Block done = b.newBlock();
    b.brif(b.icmp(IntCond.SGT, b.use(ints.get(0)), b.iconst(0)), call, done);
    b.switchTo(call);
    b.seal(call);
    return done;
  }

  /** Arguments for a call of {@code f}: the fuel minus 1, then operands. */
  private Value[] fuelledArguments(Function f) {
    List<Type> params = f.signature().params();
    Value[] args = new Value[params.size()];
    args[0] = b.isub(b.use(ints.get(0)), b.iconst(1));
    for (int i = 1; i < args.length; i++) {
      args[i] = operand(params.get(i));
    }
    return args;
  }

  private void trap() {
    switch (random.nextInt(3)) {
      case 0 -> b.trapnz(b.icmp(IntCond.EQ, intOperand(), b.iconst(intValue())), random.nextInt());
      case 1 -> b.trapz(intOperand(), random.nextInt(100));
      default -> b.boundsCheck(intOperand(), b.iconst(random.nextInt(300)));
    }
  }

  private void ifElse(int depth) {
    Block then = b.newBlock();
    Block otherwise = b.newBlock();
    Block merge = b.newBlock();
    b.brif(intOperand(), then, otherwise);
    for (Block arm : List.of(then, otherwise)) {
      b.switchTo(arm);
      b.seal(arm);
      block(depth + 1);
      if (random.nextInt(10) == 0) {
        b.trap(random.nextInt(1000));
      } else {
        b.jump(merge);
      }
    }
    b.switchTo(merge);
    b.seal(merge);
  }

  /** {@code for (k = 0; k < N; k++)} with N from 0 to 4; the header is sealed after the body. */
  private void loop(int depth) {
    Variable k = b.declare(Type.I64);
    b.def(k, b.iconst(0));
    Block header = b.newBlock();
    Block body = b.newBlock();
    Block exit = b.newBlock();
    b.jump(header);
    b.switchTo(header);
    b.brif(b.icmp(IntCond.SLT, b.use(k), b.iconst(random.nextInt(5))), body, exit);
    b.switchTo(body);
    b.seal(body);
    block(depth + 1);
    b.def(k, b.iadd(b.use(k), b.iconst(1)));
    b.jump(header);
    b.seal(header);
    b.switchTo(exit);
    b.seal(exit);
  }

  private void def(Type type, Value v) {
    b.def(pick(type), v);
  }

  private Variable pick(Type type) {
    List<Variable> vars = type == Type.I64 ? ints : floats;
    // the fuel (ints[0]) is never reassigned, so recursion always ends
    return type == Type.I64 ? vars.get(1 + random.nextInt(vars.size() - 1))
        : vars.get(random.nextInt(vars.size()));
  }

  private Value operand(Type type) {
    return type == Type.I64 ? intOperand() : floatOperand();
  }

  private Value intOperand() {
    return random.nextInt(4) == 0 ? b.iconst(intValue()) : b.use(pickAny(ints));
  }

  private Value floatOperand() {
    return random.nextInt(4) == 0 ? b.fconst(floatValue()) : b.use(pickAny(floats));
  }

  private Variable pickAny(List<Variable> vars) {
    return vars.get(random.nextInt(vars.size()));
  }

  private long intValue() {
    return random.nextBoolean() ? INT_EDGES[random.nextInt(INT_EDGES.length)]
        : random.nextInt(2000) - 1000;
  }

  private double floatValue() {
    return random.nextBoolean() ? FLOAT_EDGES[random.nextInt(FLOAT_EDGES.length)]
        : random.nextGaussian() * 100;
  }

  private Type type() {
    return random.nextBoolean() ? Type.I64 : Type.F64;
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }
}
