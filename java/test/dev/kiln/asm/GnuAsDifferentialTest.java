package dev.kiln.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.asm.text.AsmParser;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Assembles thousands of generated instruction forms with this assembler and with GNU as (one
 * {@code as} run per group), and compares them instruction by instruction: the bytes, and the
 * listing text against objdump's disassembly. The scale knob
 * {@code -Dkiln.asm.diff.count=N} (default 1) multiplies the random memory-form samples and the
 * generated branch programs. Skipped, with a message, where binutils is not installed.
 */
class GnuAsDifferentialTest {
  private static final int SCALE = Integer.getInteger("kiln.asm.diff.count", 1);

  @TempDir Path dir;

  @BeforeAll
  static void requireBinutils() {
    Assumptions.assumeTrue(GnuAs.available(),
        "GNU as/objcopy not found: skipping the differential tests against binutils");
  }

  @TestFactory
  Stream<DynamicTest> instructionFormsMatchGnuAs() {
    List<Function<FormGenerator, FormGenerator>> groups = List.of(
        FormGenerator::addressing, FormGenerator::registerPairs, FormGenerator::memoryForms,
        FormGenerator::immediates, FormGenerator::unaryAndShifts,
        FormGenerator::multiplyAndExtend, FormGenerator::stackAndControl, FormGenerator::sse);
    String[] names = {"addressing", "register pairs", "memory forms", "immediates",
        "unary and shifts", "multiply and extend", "stack and control", "sse"};
    return java.util.stream.IntStream.range(0, groups.size()).mapToObj(i -> DynamicTest.dynamicTest(
        names[i], () -> compare(groups.get(i).apply(new FormGenerator(42 + i, 2 * SCALE)).lines)));
  }

  private void compare(List<String> lines) throws Exception {
    String source = String.join("\n", lines) + "\n";
    AsmParser.Result ours = AsmParser.assemble(source);
    assertTrue(ours.errors().isEmpty(), () -> "kiln rejected: " + ours.errors().subList(0,
        Math.min(5, ours.errors().size())));
    byte[] gas = GnuAs.assemble(dir, source);
    int i = 0;
    for (dev.kiln.asm.Listing.Line line : ours.lines()) {
      byte[] expected = Arrays.copyOfRange(gas, line.offset(),
          Math.min(gas.length, line.offset() + line.bytes().length));
      if (!Arrays.equals(expected, line.bytes())) {
        fail("line " + (i + 1) + " '" + lines.get(i) + "': kiln " + line.hexBytes()
            + ", GNU as " + hex(Arrays.copyOfRange(gas, line.offset(),
                Math.min(gas.length, line.offset() + 16))) + "...");
      }
      i++;
    }
    assertEquals(lines.size(), i);
    System.out.printf("%d instruction forms identical to GNU as (%d bytes)%n", i, gas.length);
    assertEquals(gas.length, ours.code().length, "total size");
    // The listing text is objdump's: the same mnemonic spelling, operand order and hex style.
    List<String> objdump = GnuAs.disassemble(dir);
    for (int k = 0; k < ours.lines().size(); k++) {
      assertEquals(objdump.get(k), ours.lines().get(k).text(), "text of '" + lines.get(k) + "'");
    }
  }

  /** Branches at distances around the rel8 limit, forwards and backwards, jmp and jcc. */
  @Test
  void branchesAroundTheRel8LimitMatchGnuAs() throws Exception {
    StringBuilder src = new StringBuilder();
    int n = 0;
    for (int dist = 120; dist <= 136; dist++) {
      for (String jump : new String[] {"jmp", "jne", "jl"}) {
        src.append(jump).append(" f").append(n).append('\n');
        src.append("nop\n".repeat(dist));
        src.append("f").append(n).append(":\n");
        src.append("b").append(n).append(":\n");
        src.append("nop\n".repeat(dist));
        src.append(jump).append(" b").append(n).append('\n');
        n++;
      }
    }
    compareProgram(src.toString(), "rel8 boundary program");
  }

  /** Random programs whose branches cross each other, so growing one pushes others out of reach. */
  @Test
  void randomBranchProgramsMatchGnuAs() throws Exception {
    java.util.Random rnd = new java.util.Random(7);
    String[] filler = {"nop", "mov eax, 1", "add rax, QWORD PTR [rbx+rcx*8+1000]", "push rbx",
        "movsd xmm1, QWORD PTR [rsp+8]", "imul r9, r10, 100000"};
    for (int p = 0; p < 4 * SCALE; p++) {
      int labels = 30;
      StringBuilder src = new StringBuilder();
      for (int i = 0; i < 600; i++) {
        if (rnd.nextInt(20) == 0) {
          src.append("l").append(rnd.nextInt(labels)).append("_").append(i).append(":\n");
        }
        if (rnd.nextInt(6) == 0) {
          String mn = rnd.nextBoolean() ? "jmp" : "j" + FormGenerator.CONDS[rnd.nextInt(16)];
          src.append(mn).append(" t").append(rnd.nextInt(labels)).append('\n');
        } else {
          src.append(filler[rnd.nextInt(filler.length)]).append('\n');
        }
        if (i % 20 == 0) {
          src.append("t").append(i / 20).append(":\n");
        }
      }
      compareProgram(src.toString(), "random branch program " + p);
    }
  }

  private void compareProgram(String source, String what) throws Exception {
    AsmParser.Result ours = AsmParser.assemble(source);
    assertTrue(ours.errors().isEmpty(), () -> what + ": " + ours.errors());
    byte[] gas = GnuAs.assemble(dir, source);
    System.out.printf("code size, %s: kiln %d bytes, GNU as %d bytes%n", what,
        ours.code().length, gas.length);
    assertTrue(ours.code().length <= gas.length, what + " is larger than GNU as emits");
    if (ours.code().length == gas.length) {
      assertArrayEquals(gas, ours.code(), what);
    }
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x ", x));
    }
    return sb.toString().trim();
  }
}
