package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * What only the interpreter does; its contract with its Java host, the same as compiled code's,
 * is dev.kiln.backend.InstanceContractTest's.
 */
class InterpreterTest {
  @Test
  void refusesToCallCFunctionsWhenCalled() {
    Module m = IrParser.parse("""
        import c @sqrt(f64) -> f64
        function @f(f64) -> f64 {
        block0(v0: f64):
            v1 = call @sqrt(v0)
            return v1
        }
        """);
    try (Instance run = Interpreter.instantiate(m)) {
      assertEquals("@f calls the C function @sqrt: the interpreter cannot call C functions",
          assertThrows(UnsupportedOperationException.class, () -> run.call("f", 2.0))
              .getMessage());
    }
  }
}
