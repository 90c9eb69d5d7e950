package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.ir.Instance;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.Interpreter;
import dev.kiln.ir.IrParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Backend#warmUp}: one daemon thread per JVM compiles a small built-in module. */
class WarmUpTest {
  @Test
  void startsOneDaemonThreadPerJvmThatEndsOnItsOwn() throws InterruptedException {
    assumeTrue(CompilerThreads.HELPERS > 0, "a single processor gets no warm-up");
    Backend.warmUp();
    Thread first = WarmUp.start();
    assertSame(first, WarmUp.start());
    assertTrue(first.isDaemon());
    first.join(60_000);
    assertFalse(first.isAlive());
  }

  /** The module it compiles is valid and compiles to code that agrees with the interpreter. */
  @Test
  void theBuiltInModuleCompilesToCodeThatAgreesWithTheInterpreter() {
    List<Long> compiledSinks = new ArrayList<>();
    List<Long> interpretedSinks = new ArrayList<>();
    try (Instance compiled = Backend.compile(IrParser.parse(WarmUp.MODULE),
            new CompileOptions(), sink(compiledSinks));
        Instance interpreted = Interpreter.instantiate(IrParser.parse(WarmUp.MODULE),
            sink(interpretedSinks))) {
      for (long n : new long[] {0, 7, -12}) {
        compiled.call("main", n);
        interpreted.call("main", n);
      }
    }
    assertEquals(interpretedSinks, compiledSinks);
    assertEquals(3, compiledSinks.size());
  }

  private static InstanceOptions sink(List<Long> values) {
    return new InstanceOptions().bind("sink", args -> {
      values.add(args[0]);
      return 0;
    });
  }
}
