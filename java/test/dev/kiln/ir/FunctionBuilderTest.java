package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder turns variables into minimal SSA with block parameters, and refuses misuse. */
class FunctionBuilderTest {
  private static final Signature I64_TO_I64 = Signature.of(List.of(Type.I64), Type.I64);
  private final Module module = new Module();

  @Test
  void straightCodeNeedsNoParameters() {
    FunctionBuilder b = module.define("f", I64_TO_I64);
    Variable x = b.declare(Type.I64);
    b.def(x, b.param(0));
    b.def(x, b.iadd(b.use(x), b.iconst(1)));
    b.def(x, b.imul(b.use(x), b.use(x)));
    b.ret(b.use(x));
    assertEquals("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = iadd v0, v1
            v3 = imul v2, v2
            return v3
        }
        """, IrPrinter.print(b.finish()));
    module.verify();
  }

  @Test
  void aStoreMarkedInBoundsIsAcceptedOnlyWhereAGuardProvesIt() {
    Memory m = module.memory("m", 64);
    FunctionBuilder b = module.define("f", Signature.of(List.of(Type.I64), null));
    Block guarded = b.newBlock();
    Block out = b.newBlock();
    b.brif(b.icmp(IntCond.ULE, b.param(0), b.iconst(48)), guarded, out);
    b.switchTo(guarded);
    b.seal(guarded);
    b.storeInBounds(MemType.I64, m, Address.at(b.param(0), 8), b.param(0));
    b.ret();
    b.switchTo(out);
    b.seal(out);
    b.storeInBounds(MemType.I64, m, Address.at(b.param(0)), b.param(0));
    b.ret();
    b.finish();
    assertEquals("""
        memory $m 64

        function @f(i64) {
        block0(v0: i64):
            v1 = iconst 48
            v2 = icmp ule v0, v1
            brif v2, block1, block2
        block1:
            store.i64 v0, $m [v0 + 8] inbounds
            return
        block2:
            store.i64 v0, $m [v0] inbounds
            return
        }
        """, IrPrinter.print(module));
    // [v0 + 8] lies in [8, 64) under the guard; [v0] in block2 has no proof
    IrVerificationException e = assertThrows(IrVerificationException.class, module::verify);
    assertTrue(e.getMessage().contains("block2"), e.getMessage());
  }

  @Test
  void ifElseMergesDifferentValuesInAParameter() {
    FunctionBuilder b = module.define("abs", I64_TO_I64);
    Variable x = b.declare(Type.I64);
    b.def(x, b.param(0));
    Block negative = b.newBlock();
    Block done = b.newBlock();
    b.brif(b.icmp(IntCond.SLT, b.param(0), b.iconst(0)), negative, done);
    b.switchTo(negative);
    b.seal(negative);
    b.def(x, b.ineg(b.use(x)));
    b.jump(done);
    b.switchTo(done);
    b.seal(done);
    b.ret(b.use(x));
    assertEquals("""
        function @abs(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            v2 = icmp slt v0, v1
            brif v2, block1, block2(v0)
        block1:
            v3 = ineg v0
            jump block2(v3)
        block2(v4: i64):
            return v4
        }
        """, IrPrinter.print(b.finish()));
    module.verify();
  }

  @Test
  void theSameValueOnEveryPathNeedsNoParameter() {
    FunctionBuilder b = module.define("f", I64_TO_I64);
    Variable x = b.declare(Type.I64);
    b.def(x, b.param(0));
    Block then = b.newBlock();
    Block otherwise = b.newBlock();
    Block done = b.newBlock();
    b.brif(b.param(0), then, otherwise);
    for (Block arm : List.of(then, otherwise)) {
      b.switchTo(arm);
      b.seal(arm);
      b.jump(done);
    }
    b.switchTo(done);
    b.seal(done);
    b.ret(b.use(x));
    Function f = b.finish();
    assertTrue(f.blocks().get(3).params().isEmpty(), IrPrinter.print(f));
    assertEquals("return v0", f.blocks().get(3).terminator().toString());
  }

  /** Two if-elses in a row; {@code changeFirst} assigns x in the first one's then arm. */
  private Function twoIfsInARow(String name, boolean changeFirst) {
    FunctionBuilder b = module.define(name, I64_TO_I64);
    Variable x = b.declare(Type.I64);
    b.def(x, b.param(0));
    for (int k = 0; k < 2; k++) {
      Block then = b.newBlock();
      Block otherwise = b.newBlock();
      Block done = b.newBlock();
      b.brif(b.param(0), then, otherwise);
      for (Block arm : List.of(then, otherwise)) {
        b.switchTo(arm);
        b.seal(arm);
        if (changeFirst && k == 0 && arm == then) {
          b.def(x, b.iconst(5));
        }
        b.jump(done);
      }
      b.switchTo(done);
      b.seal(done);
    }
    b.ret(b.use(x));
    return b.finish();
  }

  @Test
  void aMergeAfterAMergeNeedsNoParameterWhenNoArmAssigns() {
    assertEquals("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            jump block3
        block2:
            jump block3
        block3:
            brif v0, block4, block5
        block4:
            jump block6
        block5:
            jump block6
        block6:
            return v0
        }
        """, IrPrinter.print(twoIfsInARow("f", false)));
    module.verify();
  }

  @Test
  void aMergeKeepsItsParameterAndTheMergeAfterItNeedsNone() {
    assertEquals("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            v1 = iconst 5
            jump block3(v1)
        block2:
            jump block3(v0)
        block3(v2: i64):
            brif v0, block4, block5
        block4:
            jump block6
        block5:
            jump block6
        block6:
            return v2
        }
        """, IrPrinter.print(twoIfsInARow("f", true)));
    module.verify();
  }

  @Test
  void aValueOnlyFromAnUnreachableBranchKeepsNoParameter() {
    FunctionBuilder b = module.define("f", I64_TO_I64);
    Variable x = b.declare(Type.I64);
    b.def(x, b.param(0));
    Block dead = b.newBlock();
    Block done = b.newBlock();
    b.jump(done);
    b.switchTo(dead);
    b.seal(dead);
    b.def(x, b.iconst(9));
    b.jump(done);
    b.switchTo(done);
    b.seal(done);
    // Read here, x is v0 or 9; once the dead branch is dropped it is only v0.
    b.ret(b.use(x));
    assertEquals("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1
        block1:
            return v0
        }
        """, IrPrinter.print(b.finish()));
    module.verify();
  }

  @Test
  void aLoopThatOnlyPassesAVariableAroundLeavesNoParameter() {
    // x's parameter in the header gets x or itself; the exit's gets the header's on both edges.
    FunctionBuilder b = module.define("f", I64_TO_I64);
    Variable x = b.declare(Type.I64);
    Variable i = b.declare(Type.I64);
    b.def(x, b.param(0));
    b.def(i, b.param(0));
    Block header = b.newBlock();
    Block body = b.newBlock();
    Block exit = b.newBlock();
    b.jump(header);
    b.switchTo(header);
    b.brif(b.use(i), body, exit);
    b.switchTo(body);
    b.seal(body);
    b.def(x, b.use(x));
    b.def(i, b.isub(b.use(i), b.iconst(1)));
    b.brif(b.use(i), header, exit);
    b.seal(header);
    b.switchTo(exit);
    b.seal(exit);
    b.ret(b.use(x));
    Function f = b.finish();
    module.verify();
    assertEquals(1, f.blocks().get(1).params().size(), IrPrinter.print(f)); // i only
    assertTrue(f.blocks().get(3).params().isEmpty(), IrPrinter.print(f));
    assertEquals("return v0", f.blocks().get(3).terminator().toString());
  }

  /** The sum of 0..n-1 with a loop whose header is sealed only after its back edge. */
  @Test
  void aLoopGetsParametersOnlyForTheVariablesItChanges() {
    FunctionBuilder b = module.define("sum", I64_TO_I64);
    Variable s = b.declare(Type.I64);
    Variable i = b.declare(Type.I64);
    Variable limit = b.declare(Type.I64);
    b.def(limit, b.param(0));
    b.def(s, b.iconst(0));
    b.def(i, b.use(s));
    Block header = b.newBlock();
    Block body = b.newBlock();
    Block exit = b.newBlock();
    b.jump(header);
    b.switchTo(header);
    b.brif(b.icmp(IntCond.SLT, b.use(i), b.use(limit)), body, exit);
    b.switchTo(body);
    b.seal(body);
    b.def(s, b.iadd(b.use(s), b.use(i)));
    b.def(i, b.iadd(b.use(i), b.iconst(1)));
    b.jump(header);
    b.seal(header);
    b.switchTo(exit);
    b.seal(exit);
    b.ret(b.use(s));
    assertEquals("""
        function @sum(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            jump block1(v1, v1)
        block1(v2: i64, v3: i64):
            v4 = icmp slt v2, v0
            brif v4, block2, block3
        block2:
            v5 = iadd v3, v2
            v6 = iconst 1
            v7 = iadd v2, v6
            jump block1(v7, v5)
        block3:
            return v3
        }
        """, IrPrinter.print(b.finish()));
    module.verify();
  }

  @Test
  void nestedLoopsLeaveNoTrivialParameters() {
    // for i < n: for j < n: count += 1, with all blocks sealed only at finish
    FunctionBuilder b = module.define("square", I64_TO_I64);
    Variable n = b.declare(Type.I64);
    Variable i = b.declare(Type.I64);
    Variable j = b.declare(Type.I64);
    Variable count = b.declare(Type.I64);
    b.def(n, b.param(0));
    Block outer = b.newBlock();
    Block outerBody = b.newBlock();
    Block inner = b.newBlock();
    Block innerBody = b.newBlock();
    Block innerExit = b.newBlock();
    Block exit = b.newBlock();
    b.jump(outer);
    b.switchTo(outer);
    b.brif(b.icmp(IntCond.SLT, b.use(i), b.use(n)), outerBody, exit);
    b.switchTo(outerBody);
    b.def(j, b.iconst(0));
    b.jump(inner);
    b.switchTo(inner);
    b.brif(b.icmp(IntCond.SLT, b.use(j), b.use(n)), innerBody, innerExit);
    b.switchTo(innerBody);
    b.def(count, b.iadd(b.use(count), b.iconst(1)));
    b.def(j, b.iadd(b.use(j), b.iconst(1)));
    b.jump(inner);
    b.switchTo(innerExit);
    b.def(i, b.iadd(b.use(i), b.iconst(1)));
    b.jump(outer);
    b.switchTo(exit);
    b.ret(b.use(count));
    Function f = b.finish();
    module.verify();
    // outer: i and count; inner: j and count; n is never a parameter
    assertEquals(2, f.blocks().get(1).params().size(), IrPrinter.print(f));
    assertEquals(2, f.blocks().get(3).params().size(), IrPrinter.print(f));
    for (Block block : List.of(f.blocks().get(2), f.blocks().get(4), f.blocks().get(5))) {
      assertTrue(block.params().isEmpty(), IrPrinter.print(f));
    }
    assertEquals(16L, Interpreter.instantiate(module).call("square", 4L));
  }

  /** SSA construction walks long chains of blocks without recursion on the Java stack. */
  @Test
  void aLongChainOfBranchesBuilds() {
    FunctionBuilder b = module.define("f", I64_TO_I64);
    Variable x = b.declare(Type.I64);
    Variable last = b.declare(Type.I64);
    b.def(x, b.param(0));
    for (int i = 0; i < 20_000; i++) {
      Block then = b.newBlock();
      Block join = b.newBlock();
      b.brif(b.param(0), then, join);
      b.switchTo(then);
      b.seal(then);
      b.def(last, b.iconst(i));
      b.jump(join);
      b.switchTo(join);
      b.seal(join);
    }
    b.ret(b.iadd(b.use(x), b.use(last)));
    Function f = b.finish();
    module.verify();
    // each join merges only 'last': x is the function's parameter everywhere
    assertEquals(1, f.blocks().get(2).params().size());
    assertEquals(1, f.blocks().get(40_000).params().size());
    assertEquals(20_004L, Interpreter.instantiate(module).call("f", 5L));
    assertEquals(0L, Interpreter.instantiate(module).call("f", 0L));
  }

  @Test
  void aVariableNeverAssignedOnAPathIsZero() {
    FunctionBuilder b = module.define("f", I64_TO_I64);
    Variable x = b.declare(Type.I64);
    Variable y = b.declare(Type.F64);
    Block set = b.newBlock();
    Block done = b.newBlock();
    b.brif(b.param(0), set, done);
    b.switchTo(set);
    b.def(x, b.iconst(7));
    b.jump(done);
    b.switchTo(done);
    b.ret(b.iadd(b.use(x), b.fcvtToSintSat(b.use(y))));
    b.finish();
    module.verify();
    Instance run = Interpreter.instantiate(module);
    assertEquals(7L, run.call("f", 1L));
    assertEquals(0L, run.call("f", 0L));
  }

  @Test
  void unreachableBlocksAreDropped() {
    FunctionBuilder b = module.define("f", I64_TO_I64);
    Block dead = b.newBlock();
    b.ret(b.param(0));
    b.switchTo(dead);
    b.trap(1);
    assertEquals(1, b.finish().blocks().size());
  }

  @Test
  void explicitBlockParametersStay() {
    FunctionBuilder b = module.define("f", I64_TO_I64);
    Block next = b.newBlock();
    Value p = b.appendParam(next, Type.I64);
    b.jump(next, b.param(0));
    b.switchTo(next);
    b.ret(p);
    assertEquals("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            return v1
        }
        """, IrPrinter.print(b.finish()));
  }

  @Test
  void positionsAreAttachedToTheFollowingInstructions() {
    FunctionBuilder b = module.define("f", I64_TO_I64).functionPosition(3);
    b.at(12);
    Value q = b.sdiv(b.param(0), b.param(0));
    b.at(Instruction.NO_POSITION);
    b.ret(q);
    assertEquals("""
        function @f(i64) -> i64 @3 {
        block0(v0: i64):
            v1 = sdiv v0, v0 @12
            return v1
        }
        """, IrPrinter.print(b.finish()));
  }

  @Test
  void misuseIsRefusedAtTheCall() {
    FunctionBuilder b = module.define("f", I64_TO_I64);
    FunctionBuilder other = module.define("g", I64_TO_I64);
    Value x = b.fconst(1.5);
    assertEquals("iadd's first operand v1 is f64, expected i64",
        assertThrows(IllegalArgumentException.class, () -> b.iadd(x, b.param(0))).getMessage());
    assertEquals("iadd's second operand v0 belongs to @g, not @f",
        assertThrows(IllegalArgumentException.class, () -> b.iadd(b.param(0), other.param(0)))
            .getMessage());
    assertEquals("@f must return a i64",
        assertThrows(IllegalArgumentException.class, b::ret).getMessage());
    assertEquals("nothing may branch to the entry block",
        assertThrows(IllegalArgumentException.class, () -> b.jump(b.function().entry()))
            .getMessage());
    assertEquals("store.u8 does not exist: a store truncates, use the signed type",
        assertThrows(IllegalArgumentException.class, () -> b.store(MemType.U8,
            module.memory("m", 8), Address.at(b.param(0)), b.param(0))).getMessage());
    Block sealed = b.newBlock();
    b.seal(sealed);
    assertTrue(assertThrows(IllegalStateException.class, () -> b.jump(sealed)).getMessage()
        .startsWith("block1 is sealed"));
    b.ret(b.param(0));
    assertTrue(assertThrows(IllegalStateException.class, () -> b.iconst(1)).getMessage()
        .startsWith("no current block in @f"));
    assertEquals("block0 already ends in a terminator",
        assertThrows(IllegalStateException.class, () -> b.switchTo(b.function().entry()))
            .getMessage());
    b.finish();
    assertEquals("@f is already finished",
        assertThrows(IllegalStateException.class, b::finish).getMessage());
    assertEquals("a scale needs an index",
        assertThrows(IllegalArgumentException.class,
            () -> new Address(other.param(0), null, 4, 0)).getMessage());
  }

  @Test
  void aReachableBlockWithoutTerminatorCannotFinish() {
    FunctionBuilder b = module.define("f", I64_TO_I64);
    b.iconst(1);
    assertEquals("@f block0 does not end in a terminator",
        assertThrows(IllegalStateException.class, b::finish).getMessage());
  }

  /** The example of docs/ir.md, "Building from Java", as written there. */
  @Test
  void theDocumentedExampleRuns() {
    Module m = new Module();
    m.memory("heap", 65_536);
    List<Long> printed = new java.util.ArrayList<>();
    JavaFunction print = m.importJava("print", Signature.of(List.of(Type.I64), null),
        args -> {
          printed.add(args[0]);
          return 0;
        });
    FunctionBuilder b = m.define("sum", Signature.of(List.of(Type.I64), Type.I64));
    Variable s = b.declare(Type.I64);
    Variable i = b.declare(Type.I64);
    b.def(s, b.iconst(0));
    b.def(i, b.iconst(0));
    Block header = b.newBlock();
    Block body = b.newBlock();
    Block exit = b.newBlock();
    b.jump(header);
    b.switchTo(header);
    b.brif(b.icmp(IntCond.SLT, b.use(i), b.param(0)), body, exit);
    b.switchTo(body);
    b.seal(body);
    b.at(7);
    b.def(s, b.iadd(b.use(s), b.use(i)));
    b.def(i, b.iadd(b.use(i), b.iconst(1)));
    b.jump(header);
    b.seal(header);
    b.switchTo(exit);
    b.seal(exit);
    b.call(print, b.use(s));
    b.ret(b.use(s));
    b.finish();
    m.verify();
    assertEquals(45L, Interpreter.instantiate(m).call("sum", 10L));
    assertEquals(List.of(45L), printed);
  }

  @Test
  void loadInvariantMarksTheLoadAndPrintsTheMark() {
    Memory m = module.memory("m", 64);
    FunctionBuilder b = module.define("f", I64_TO_I64);
    b.ret(b.loadInvariant(MemType.I64, m, Address.at(b.param(0))));
    b.finish();
    module.verify();
    assertTrue(module.functions().get(0).entry().instructions().get(0).invariant());
    assertEquals("""
        memory $m 64

        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.i64 $m [v0] invariant
            return v1
        }
        """, IrPrinter.print(module));
  }
}
