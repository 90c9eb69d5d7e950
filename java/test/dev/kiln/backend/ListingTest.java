package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.Instance;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.Interpreter;
import dev.kiln.ir.IrParser;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The machine code of a few key shapes, as the listing shows it. */
class ListingTest {
  /**
   * A doubly recursive function: isub, not iadd, so no accumulator recursion; inlined into itself,
   * its calls stay calls at the deepest level.
   */
  private static final String FIB = """
      function @fib(i64) -> i64 {
      block0(v0: i64):
          v1 = iconst 2
          v2 = icmp slt v0, v1
          brif v2, block1, block2
      block1:
          return v0
      block2:
          v3 = iconst 1
          v4 = isub v0, v3
          v5 = call @fib(v4)
          v6 = isub v0, v1
          v7 = call @fib(v6)
          v8 = isub v5, v7
          return v8
      }
      """;

  /** The instructions of the listing (mnemonic and operands), without offsets and bytes. */
  private static List<String> code(String ir) {
    return code(ir, new CompileOptions());
  }

  /** As {@link #code(String)}, compiled with {@code options}. */
  private static List<String> code(String ir, CompileOptions options) {
    String listing = Backend.listing(IrParser.parse(ir), options);
    return Arrays.stream(listing.split("\n"))
        .map(line -> line.replaceFirst("^\\s*[0-9a-f]+:\\s+([0-9a-f]{2} )+\\s*", ""))
        .map(line -> line.replaceAll("\\s+", " ").trim())
        .toList();
  }

  private static void assertHas(List<String> code, String regex) {
    Pattern p = Pattern.compile(regex);
    assertTrue(code.stream().anyMatch(l -> p.matcher(l).find()),
        regex + " in\n" + String.join("\n", code));
  }

  /** The listing from the first line containing {@code text} on (past the entry stub). */
  private static List<String> from(List<String> code, String text) {
    return code.subList(code.indexOf(code.stream().filter(l -> l.contains(text)).findFirst()
        .orElseThrow()), code.size());
  }

  @Test
  void argumentsTravelInTheirRegistersAndTheDepthInR14() {
    List<String> code = code(FIB);
    code = from(code, "function @fib");
    // the argument is computed in rdi, where the callee receives it: no stack slot, no copy
    assertHas(code, "^lea rdi,\\[\\w+-0x1\\] ; (block\\d+:; )?(v\\d+ = iconst \\d+; )*v\\d+ = isub v\\d+, v\\d+$");
    assertHas(code, "^lea rdi,\\[\\w+-0x2\\] ; ");
    assertFalse(code.stream().anyMatch(l -> l.matches("mov (QWORD PTR )?\\[rsp.*")),
        String.join("\n", code));
    assertHas(code, "^sub r14,0x1 ; (block\\d+:; )?v\\d+ = call @fib\\(v\\d+\\)$");
    assertHas(code, "^add r14,0x1$");
    assertFalse(code.stream().anyMatch(l -> l.contains("[r15+0x20]")), String.join("\n", code));
  }

  @Test
  void theProloguesStackCheckIsTheEntryPoll() {
    List<String> code = from(code(FIB), "function @fib");
    assertTrue(code.get(0).startsWith("cmp rsp,QWORD PTR [r15+0x18] ; function @fib"), code.get(0));
    assertTrue(code.get(1).matches("jb 0x\\w+ <L\\d+>"), code.get(1));
    // no poll in the body (fib has no loop): the check's stub tells a raised flag from an overflow
    List<String> polls =
        code.stream().filter(l -> l.startsWith("cmp BYTE PTR [r15],0x0")).toList();
    assertEquals(1, polls.size(), String.join("\n", code));
    int poll = code.indexOf(polls.get(0));
    assertTrue(code.get(poll + 1).startsWith("jne "), String.join("\n", code));
    assertTrue(code.get(poll + 2).startsWith("jmp "), String.join("\n", code));
  }

  @Test
  void aLoopTopIsAlignedTo16BytesHoweverManyNopsThatTakes() {
    // the tutorial's counting loop: its top lands 12 bytes before a 16-byte boundary
    String listing = Backend.listing(IrParser.parse("""
        import @print(i64)
        function @main(i64) -> i64 @8 {
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
            call @print(v3)
            return v1
        }
        """), new CompileOptions());
    String top = Arrays.stream(listing.split("\n")).filter(l -> l.contains("block2:"))
        .findFirst().orElseThrow();
    int offset = Integer.parseInt(top.trim().replaceFirst(":.*", ""), 16);
    assertEquals(0, offset % 16, listing);
    assertTrue(listing.contains(".align 16"), listing);
  }

  @Test
  void inlinedSiblingCallsClaimTheirFrameOnce() {
    List<String> code = from(code(FIB), "function @fib");
    // the first inlined call's depth_leave and the second's depth_enter cancel: one claim for
    // each pair of inlined siblings (the outer pair and the pair inside each), given back on
    // each of its two exits
    List<String> claims = code.stream().filter(l -> l.matches("sub r14,0x1 ; .*depth_enter 1.*"))
        .toList();
    List<String> releases = code.stream().filter(l -> l.matches("add r14,0x1 ; .*depth_leave.*"))
        .toList();
    assertEquals(3, claims.size(), String.join("\n", code));
    assertEquals(6, releases.size(), String.join("\n", code));
  }

  @Test
  void levelsClaimedAndGivenBackAtOnceAreOnlyCompared() {
    List<String> code = from(code("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 3
            depth_enter 3 @7
            depth_leave v1
            return v0
        }
        """), "function @f");
    // the trap of the claim without the claim: r14 < 3 is the borrow of r14 - 3
    assertHas(code, "^cmp r14,0x3 ; .*depth_enter 3 @7$");
    assertFalse(code.stream().anyMatch(l -> l.matches("(sub|add) r14,.*")),
        String.join("\n", code));
  }

  @Test
  void aLoopCounterIsIncrementedInPlace() {
    List<String> code = code("""
        function @count(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            jump block1(v1)
        block1(v2: i64):
            v3 = icmp slt v2, v0
            brif v3, block2, block3
        block2:
            v4 = iconst 1
            v5 = iadd v2, v4
            jump block1(v5)
        block3:
            return v0
        }
        """);
    // v5 takes v2's register, so the back edge needs no move; a leaf needs no frame
    code = from(code, "function @count");
    int add = code.indexOf(code.stream().filter(l -> l.contains("v5 = iadd")).findFirst()
        .orElseThrow());
    assertTrue(code.get(add).matches("add (\\w+),0x1 ; .*"), code.get(add));
    String reg = code.get(add).replaceFirst("add (\\w+),.*", "$1");
    assertHas(code, "^cmp " + reg + ",rdi ");
    assertFalse(code.stream().anyMatch(l -> l.startsWith("mov " + reg + ",r")),
        String.join("\n", code));
    assertFalse(code.stream().anyMatch(l -> l.matches("(sub|add) rsp,.*")),
        String.join("\n", code));
  }


  @Test
  void aConstantSubtractedIntoAnotherRegisterIsOneLea() {
    List<String> code = from(code("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 5
            v2 = isub v0, v1
            v3 = iconst -2147483648
            v4 = isub v0, v3
            v5 = imul v2, v4
            v6 = iadd v5, v0
            return v6
        }
        """), "function @f");
    // v0 stays live, so v2 goes to another register: lea computes it there without a mov
    assertHas(code, "^lea \\w+,\\[rdi-0x5\\] ; (block\\d+:; )?(v\\d+ = iconst -?\\d+; )*v2 = isub v0, v1$");
    // must not fire: -(-2^31) is no 32-bit displacement, so that one stays a mov and a sub
    assertFalse(code.stream().anyMatch(l -> l.matches("lea .*0x80000000.*")),
        String.join("\n", code));
    assertHas(code, "^sub \\w+,0xffffffff80000000$");
  }

  @Test
  void aConstantSubtractedInPlaceStaysASub() {
    List<String> code = from(code("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 7
            v2 = isub v0, v1
            return v2
        }
        """), "function @f");
    // v0 dies at the isub, so v2 takes its register: sub in place, no lea
    assertHas(code, "^sub rdi,0x7 ; ");
    assertFalse(code.stream().anyMatch(l -> l.startsWith("lea ")), String.join("\n", code));
  }

  @Test
  void constantsFoldIntoImmediateOperands() {
    List<String> code = code("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 5
            v2 = iadd v0, v1
            v3 = iconst 3
            v4 = ishl v2, v3
            v5 = iconst -7
            v6 = imul v4, v5
            return v6
        }
        """);
    assertHas(code, "^add r\\w+,0x5 ; block0:; (v\\d+ = iconst -?\\d+; )*v2 = iadd v0, v1$");
    assertHas(code, "^shl r\\w+,0x3 ");
    assertHas(code, "^imul r\\w+,r\\w+,0xfffffffffffffff9 ");
    assertFalse(code.stream().anyMatch(l -> l.startsWith("movabs")), String.join("\n", code));
  }

  @Test
  void aConstantMultiplierOfAHighProductGoesToRaxAndTheOtherOperandStaysInItsRegister() {
    // x / 7 by its magic number: the constant takes no register, and x is the multiply's operand
    String text = """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 5270498306774157605
            v2 = smulhi v0, v1
            v3 = iconst 1229782938247303441
            v4 = umulhi v2, v3
            v5 = iadd v4, v1
            return v5
        }
        """;
    List<String> code = code(text);
    assertHas(code, "^movabs rax,0x4924924924924925 ; v2 = smulhi v0, v1$");
    assertHas(code, "^imul rdi$");
    assertHas(code, "^movabs rax,0x1111111111111111 ; v4 = umulhi v2, v3$");
    assertHas(code, "^mul r\\w+$");
    try (CompiledModule m = Backend.compile(IrParser.parse(text), new CompileOptions(),
        new InstanceOptions());
        Instance reference = Interpreter.instantiate(IrParser.parse(text),
            new InstanceOptions())) {
      for (long x : new long[] {0, 7, -7, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE}) {
        assertEquals(reference.call("f", x), m.call("f", x), "f(" + x + ")");
      }
    }
  }

  /** {@code x*3+1} and {@code y + (x << 3)} as one lea each; other products stay on their own. */
  private static final String SCALED = """
      function @f(i64, i64) -> i64 {
      block0(v0: i64, v1: i64):
          v2 = iconst 3
          v3 = imul v0, v2
          v4 = iconst 1
          v5 = iadd v3, v4
          v6 = ishl v1, v2
          v7 = iadd v5, v6
          v8 = iconst 2
          v9 = ishl v7, v8
          v10 = iconst -7
          v11 = iadd v9, v10
          return v11
      }
      function @g(i64, i64) -> i64 {
      block0(v0: i64, v1: i64):
          v2 = iconst 3
          v3 = imul v0, v2
          v4 = iadd v3, v1
          v5 = iconst 4
          v6 = ishl v4, v5
          v7 = iadd v6, v1
          v8 = iconst 7
          v9 = imul v7, v8
          v10 = iadd v9, v2
          v11 = ishl v10, v2
          v12 = iadd v11, v2
          v13 = iadd v12, v11
          return v13
      }
      """;

  @Test
  void aSmallMultipleOrShiftAddedIsOneLea() {
    List<String> code = code(SCALED);
    assertHas(code, "^lea r\\w+,\\[(r\\w+)\\+\\1\\*2\\+0x1\\] ; .*v3 = imul v0, v2; "
        + "v5 = iadd v3, v4$");
    assertHas(code, "^lea r\\w+,\\[r\\w+\\+r\\w+\\*8\\] ; v6 = ishl v1, v2; v7 = iadd v5, v6$");
    assertHas(code, "^lea r\\w+,\\[r\\w+\\*4-0x7\\] ; v9 = ishl v7, v8; v11 = iadd v9, v10$");
    // not fused: a register added to x*3, a shift by 4, a multiple by 7, a product used twice
    List<String> g = from(code, "function @g");
    assertHas(g, "^lea r\\w+,\\[(r\\w+)\\+\\1\\*2(\\+0x0)?\\] ; .*v3 = imul v0, v2$");
    assertHas(g, "^shl r\\w+,0x4 ");
    assertHas(g, "^imul r\\w+,r\\w+,0x7 ");
    assertHas(g, "^shl r\\w+,0x3 ");
    try (CompiledModule m = Backend.compile(IrParser.parse(SCALED), new CompileOptions(),
        new InstanceOptions());
        Instance reference = Interpreter.instantiate(IrParser.parse(SCALED),
            new InstanceOptions())) {
      for (long x : new long[] {0, 5, -3, Long.MAX_VALUE, Long.MIN_VALUE}) {
        for (String fn : new String[] {"f", "g"}) {
          assertEquals(reference.call(fn, x, 11L), m.call(fn, x, 11L), fn + "(" + x + ")");
        }
      }
    }
  }

  @Test
  void aConstantThatAlsoNeedsARegisterIsStillAnImmediateWhereItFolds() {
    List<String> code = code("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = sshr v0, v1
            v3 = iadd v2, v1
            brif v0, block1, block2
        block1:
            return v3
        block2:
            return v1
        }
        """);
    assertHas(code, "^sar r\\w+,1$");
    assertHas(code, "^add r\\w+,0x1 ; v3 = iadd v2, v1$");
    assertFalse(code.stream().anyMatch(l -> l.endsWith(",cl")), String.join("\n", code));
  }

  @Test
  void aBandOfAnImmediateComparedWithZeroIsATest() {
    List<String> code = code("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 6
            v3 = iconst 0
            v4 = band v0, v2
            v5 = icmp eq v4, v3
            brif v5, block1, block2
        block1:
            return v0
        block2:
            v6 = band v1, v2
            v7 = icmp ne v6, v3
            v8 = select v7, v0, v1
            v9 = band v0, v1
            v10 = icmp eq v9, v3
            v11 = select v10, v8, v1
            v12 = band v11, v2
            v13 = icmp eq v12, v3
            v14 = select v13, v12, v0
            return v14
        }
        """);
    assertHas(code, "^test rdi,0x6 ; (block0:; )?(v\\d+ = iconst \\d+; )*v4 = band v0, v2; v5 = icmp eq v4,"
        + " v3; brif v5, ");
    assertHas(code, "^test rsi,0x6 ; (block2:; )?(v\\d+ = iconst \\d+; )*v6 = band v1, v\\d+; v7 = icmp ne v6,"
        + " v\\d+; v8 = ");
    assertHas(code, "^test r\\w+,r\\w+ ; v9 = band v0, v1; v10 = icmp eq v9, v\\d+; v11 = ");
    // a band whose result is also used otherwise stays
    assertHas(code, "^and (r\\w+),0x6 ; v12 = band v11, v\\d+$");
    assertHas(code, "^test (r\\w+),\\1 ; v13 = icmp eq v12, v\\d+; v14 = ");
  }

  @Test
  void aBandThatIsTheConditionOfABranchIsATest() {
    List<String> code = code("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 255
            v2 = band v0, v1
            brif v2, block1, block2
        block1:
            return v0
        block2:
            return v1
        }
        """);
    assertHas(code, "^test rdi,0xff ; (block0:; )?(v1 = iconst 255; )?v2 = band v0, v1; brif v2, ");
    assertFalse(code.stream().anyMatch(l -> l.startsWith("and ")), String.join("\n", code));
  }

  @Test
  void aLoadUsesOneAddressingModeAndOneUnsignedCheck() {
    List<String> code = code("""
        memory $m 4096
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.i64 $m [v0 + v1*8 + 16]
            return v2
        }
        """);
    int lea = indexOf(code, "^lea rax,\\[r\\w+\\+r\\w+\\*8\\+0x10\\]");
    assertEquals("cmp rax,0xff8", code.get(lea + 1));
    assertTrue(code.get(lea + 2).matches("ja .*"), code.get(lea + 2));
    assertTrue(code.get(lea + 3).matches("mov r\\w+,QWORD PTR \\[r13\\+rax\\*1(\\+0x0)?\\]"),
        code.get(lea + 3));
  }

  @Test
  void aStoredConstantIsAnImmediateOfTheStoresWidth() {
    List<String> code = from(code("""
        memory $m 64
        function @f(i64) {
        block0(v0: i64):
            v1 = iconst 300
            v2 = iconst -2
            store.i8 v1, $m [v0 + 1]
            store.i16 v2, $m [v0 + 2]
            store.i64 v2, $m [v0 + 8]
            return
        }
        """), "function @f");
    // the low bytes of the constant, as the store writes them; no register holds it
    assertHas(code, "^mov BYTE PTR \\[r13\\+rax\\*1(\\+0x0)?\\],0x2c$");
    assertHas(code, "^mov WORD PTR \\[r13\\+rax\\*1(\\+0x0)?\\],0xfffe$");
    assertHas(code, "^mov QWORD PTR \\[r13\\+rax\\*1(\\+0x0)?\\],0xfffffffffffffffe$");
    assertFalse(code.stream().anyMatch(l -> l.matches("mov \\w+,0x12c.*")),
        String.join("\n", code));
  }

  @Test
  void aProvenAccessAtAConstantAddressIsOneDisplacementFromTheMemorysBase() {
    List<String> code = from(code("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 8
            v2 = load.u8 $m [v1 + 2] inbounds
            store.i8 v0, $m [v1 - 3] inbounds
            v3 = load.u8 $m [v1 + 60]
            v4 = iadd v2, v3
            return v4
        }
        """), "function @f");
    assertHas(code, "^movzx \\w+,BYTE PTR \\[r13\\+0xa\\] ; .*v2 = load.u8 \\$m \\[v1 \\+ 2\\].*");
    assertHas(code, "^mov BYTE PTR \\[r13\\+0x5\\],dil ; store.i8 .*");
    // one past the end stays checked: its address is computed for the compare with the size
    assertHas(code, "^lea rax,\\[\\w+\\+0x3c\\] ; .*v3 = load.u8 .*");
    assertHas(code, "^cmp rax,0x3f$");
  }

  @Test
  void aValueAddedToAProvenByteIsOneAddToMemory() {
    List<String> code = from(code("""
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v10 = iconst 60
            v11 = icmp ule v0, v10
            brif v11, block1, block2
        block2:
            trap 1
        block1:
            v2 = load.i64 $m [v0]
            v3 = load.u8 $m [v0 + 1] inbounds
            v4 = iadd v3, v1
            store.i8 v4, $m [v0 + 1] inbounds
            v5 = load.u8 $m [v0 + 2] inbounds
            v6 = iadd v1, v5
            store.i8 v6, $m [v0 + 2] inbounds
            return v2
        }
        """), "function @f");
    // proven by the guard: either order adds in memory
    assertHas(code, "^add BYTE PTR \\[r13\\+\\w+\\*1\\+0x1\\],sil ; .*v3 = load.u8 .*");
    assertHas(code, "^add BYTE PTR \\[r13\\+\\w+\\*1\\+0x2\\],sil ; .*v5 = load.u8 .*");
    assertFalse(code.stream().anyMatch(l -> l.matches("movzx \\w+,BYTE PTR \\[r13.*")),
        String.join("\n", code));
  }

  @Test
  void aLoopThatItsChecksBoundPollsOnlyWhereItMayRunLong() {
    // a scan moving by 9 over 30,000 bytes checks its pointer every time: at most 3,334 rounds
    String scan = """
        memory $tape 30000
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = load.u8 $tape [v1]
            v3 = iconst STEP
            v4 = iadd v1, v3
            brif v2, block1(v4), block2
        block2:
            return v1
        }
        """;
    List<String> bounded = from(code(scan.replace("STEP", "9")), "function @f");
    List<String> still = from(code(scan.replace("STEP", "0")), "function @f");
    // the one poll left in the bounded loop's code is the entry stub's
    assertEquals(1, polls(bounded), String.join("\n", bounded));
    assertEquals(2, polls(still), String.join("\n", still));
  }

  private static long polls(List<String> code) {
    return code.stream().filter(l -> l.startsWith("cmp BYTE PTR [r15],0x0")).count();
  }

  @Test
  void theMostAccessedMemoryHasItsBasePinnedInR13AndTheOthersLoadTheirs() {
    List<String> code = code("""
        memory $a 256
        memory $b 4096
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.u8 $b [v0]
            v3 = load.u8 $b [v1]
            v4 = load.u8 $a [v0 + 1]
            v5 = iadd v2, v3
            v6 = iadd v5, v4
            return v6
        }
        """);
    // the entry stub loads $b's base (the second memory: after $a's slot) once per run
    int entry = indexOf(code, "^mov r13,QWORD PTR \\[r15\\+0x\\w+\\]$");
    String baseB = code.get(entry).replaceFirst(".*(\\[r15\\+0x\\w+\\])$", "$1");
    code = from(code, "function @f");
    assertFalse(code.stream().anyMatch(l -> l.contains(baseB)), String.join("\n", code));
    assertFalse(code.stream().anyMatch(l -> l.matches("(push|pop|mov) r13\\b.*")),
        String.join("\n", code));
    // a checked access at offset 0 compares the address where it is: no lea
    // (r13 as a base needs a displacement byte: Intel SDM vol. 2, table 2-2)
    assertHas(code, "^cmp rdi,0xfff ; (block0:; )?v2 = load.u8 \\$b \\[v0\\]$");
    assertHas(code, "^movzx \\w+,BYTE PTR \\[r13\\+rdi\\*1\\+0x0\\]$");
    assertHas(code, "^cmp rsi,0xfff ; v3 = load.u8 \\$b \\[v1\\]$");
    assertHas(code, "^movzx \\w+,BYTE PTR \\[r13\\+rsi\\*1\\+0x0\\]$");
    // $a keeps the base loaded from the context block
    assertHas(code, "^lea rax,\\[rdi\\+0x1\\]");
    assertHas(code, "^mov rcx,QWORD PTR \\[r15\\+0x\\w+\\]$");
    assertHas(code, "^movzx \\w+,BYTE PTR \\[rcx\\+rax\\*1\\]$");
  }

  @Test
  void r13IsAllocatedOnlyInAModuleWithoutMemories() {
    String function = FIB + """
        function @f(i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            v4 = call @fib(v0)
            v5 = iadd v0, v1
            v6 = iadd v2, v3
            v7 = iadd v5, v6
            v8 = iadd v7, v4
            return v8
        }
        """;
    // four values live across the (recursive, not inlined) call: all four callee-saved registers
    assertHas(from(code(function), "function @f ("), "^push r13$");
    List<String> pinned = from(code("memory $m 16\n" + function), "function @f (");
    assertFalse(pinned.stream().anyMatch(l -> l.matches("(push|pop|mov) r13\\b.*")),
        String.join("\n", pinned));
  }

  @Test
  void onlyAFunctionWhoseCallsMayReachTheHostPadsItsFrameToAlignRsp() {
    String f = """
        function @f(i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            v4 = call @fib(v0)
            v5 = iadd v0, v1
            v6 = iadd v2, v3
            v7 = iadd v5, v6
            v8 = iadd v7, v4
            %s
            return v8
        }
        """;
    // four pushes and the return address: 8 bytes short of a 16-byte multiple, which only a
    // call into the host needs
    List<String> internal = from(code(FIB + f.formatted("")), "function @f (");
    assertHas(internal, "^push r13$");
    assertFalse(internal.stream().anyMatch(l -> l.startsWith("sub rsp,")),
        String.join("\n", internal));
    List<String> host =
        from(code("import @print(i64)\n" + FIB + f.formatted("call @print(v8)")), "function @f (");
    assertHas(host, "^push r13$");
    assertHas(host, "^sub rsp,0x8$");
  }

  @Test
  void aCompareOfABranchBecomesCmpAndJcc() {
    List<String> code = code("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 10
            v2 = icmp ult v0, v1
            brif v2, block1, block2
        block1:
            return v0
        block2:
            v3 = ineg v0
            return v3
        }
        """);
    int cmp = indexOf(code,
        "^cmp r\\w+,0xa ; block0:; v1 = iconst 10; v2 = icmp ult v0, v1; brif");
    assertTrue(code.get(cmp + 1).matches("jae .*"), code.get(cmp + 1));
    assertFalse(code.stream().anyMatch(l -> l.startsWith("set")), String.join("\n", code));
  }

  @Test
  void aLoadUsedOnlyByTheCompareOfABranchIsTheCompareMemoryOperand() {
    List<String> code = from(code("""
        memory $m 4096
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = load.i64 $m [v0 + v1*8 + 8]
            v4 = icmp slt v3, v2
            brif v4, block1, block2
        block1:
            v5 = load.i64 $m [v0]
            v6 = iconst 7
            v7 = icmp eq v5, v6
            brif v7, block2, block3
        block2:
            return v0
        block3:
            v8 = load.i64 $m [v1]
            v9 = icmp sgt v2, v8
            brif v9, block2, block4
        block4:
            return v8
        }
        """), "function @f");
    assertHas(code, "^cmp QWORD PTR \\[r13\\+rax\\*1(\\+0x0)?\\],r\\w+$");
    assertHas(code, "^cmp QWORD PTR \\[r13\\+rdi\\*1\\+0x0\\],0x7$");
    // v8 has another use: loaded into a register, then compared
    assertHas(code, "^mov r\\w+,QWORD PTR \\[r13\\+rsi\\*1\\+0x0\\]$");
    assertFalse(code.stream().anyMatch(l -> l.matches("mov r\\w+,QWORD PTR \\[r13\\+r(ax|di).*")),
        String.join("\n", code));
  }

  @Test
  void aWhileLoopEndsInItsTestBranchingBackToTheBody() {
    List<String> code = code("""
        function @f(i64) -> i64 {
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
        """);
    int enter = indexOf(code, "^jmp \\S+ <L\\d+>");
    int body = indexOf(code, "; block2:");
    int test = indexOf(code, "^cmp r\\w+,r\\w+ ; block1:; v4 = icmp slt v2, v0; brif");
    int exit = indexOf(code, "; block3:");
    assertTrue(enter < body && body < test && test + 2 == exit, String.join("\n", code));
    assertTrue(code.get(test + 1).matches("jl \\S+ <L\\d+>"), code.get(test + 1));
    assertFalse(code.subList(body, test).stream().anyMatch(l -> l.startsWith("jmp ")),
        "no jump inside the loop:\n" + String.join("\n", code));
  }

  @Test
  void aMinimumIsACompareAndACmovWithoutABranch() {
    List<String> code = code("""
        function @min(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = icmp slt v0, v1
            brif v2, block1(v0), block1(v1)
        block1(v3: i64):
            return v3
        }
        """);
    int cmp = indexOf(code, "^cmp r\\w+,r\\w+ ; block0:; v2 = icmp slt v0, v1; v\\d+ = select");
    // the "no" value is moved into the result's register unless it is there already
    int cmov = code.get(cmp + 1).matches("mov r\\w+,r\\w+") ? cmp + 2 : cmp + 1;
    assertTrue(code.get(cmov).matches("cmovl r\\w+,r\\w+"), code.get(cmov));
    List<String> body = code.subList(cmp, cmp + code.subList(cmp, code.size()).indexOf("ret"));
    assertFalse(body.stream().anyMatch(l -> l.matches("j[a-z]+ .*")), String.join("\n", body));
  }

  /** The loop of Brainfuck's {@code [>>]}: the pointer moves by lea, the cell is tested in memory. */
  @Test
  void aBranchOnALoadComparesTheMemoryWithZeroAndASumIntoAnotherRegisterIsOneLea() {
    List<String> code = code("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 2
            v3 = iadd v1, v2
            v4 = load.u8 $m [v3]
            brif v4, block1(v3), block2
        block2:
            return v1
        }
        """);
    assertHas(code, "^cmp BYTE PTR \\[r13\\+r\\w+\\*1\\+0x0\\],0x0$");
    assertHas(code, "^lea r\\w+,\\[r\\w+\\+0x2\\] ; .*v3 = iadd v1, v\\d+");
    assertFalse(code.stream().anyMatch(l -> l.matches("movzx .*\\[r13.*")),
        String.join("\n", code));
  }

  @Test
  void aFloatSelectMovesTheBitsThroughCmov() {
    List<String> code = code("""
        function @f(f64, f64, i64) -> f64 {
        block0(v0: f64, v1: f64, v2: i64):
            v3 = select v2, v0, v1
            return v3
        }
        """);
    int cmp = indexOf(code, "^test (r\\w+),\\1 ; block0:; v3 = select");
    assertTrue(code.get(cmp + 1).matches("movq rax,xmm\\d+"), code.get(cmp + 1));
    assertTrue(code.get(cmp + 2).matches("movq rcx,xmm\\d+"), code.get(cmp + 2));
    assertEquals("cmovne rax,rcx", code.get(cmp + 3));
  }

  @Test
  void aFloatSelectOfItsStrictComparesOperandsIsMaxsdOrMinsd() {
    List<String> code = code("""
        function @f(f64, f64) -> f64 {
        block0(v0: f64, v1: f64):
            v2 = fcmp lt v0, v1
            v3 = select v2, v1, v0
            v4 = fcmp lt v3, v0
            v5 = select v4, v3, v0
            v6 = fcmp le v5, v1
            v7 = select v6, v5, v1
            return v7
        }
        """);
    // "yes" is moved into the result's register first unless it is there already
    int max = indexOf(code, "; .*v3 = select v2, v1, v0");
    assertTrue(code.get(max).startsWith("maxsd") || code.get(max + 1).startsWith("maxsd"),
        String.join("\n", code));
    int min = indexOf(code, "; .*v5 = select v4, v3, v0");
    assertTrue(code.get(min).startsWith("minsd") || code.get(min + 1).startsWith("minsd"),
        String.join("\n", code));
    // le differs from minsd on equal zeros: it stays a compare and a cmov
    assertHas(code, "^ucomisd xmm\\d+,xmm\\d+ ; .*v7 = select v6, v5, v1");
    assertEquals(1, code.stream().filter(l -> l.startsWith("cmov")).count(),
        String.join("\n", code));
  }

  private static int indexOf(List<String> code, String regex) {
    Pattern p = Pattern.compile(regex);
    for (int i = 0; i < code.size(); i++) {
      if (p.matcher(code.get(i)).find()) {
        return i;
      }
    }
    throw new AssertionError(regex + " in\n" + String.join("\n", code));
  }

  @Test
  void aFloatCompareBranchesOnTheFlagsOfUcomisd() {
    List<String> code = from(code("""
        function @halve(f64) -> f64 {
        block0(v0: f64):
            v1 = fconst 1.0
            v2 = fconst 0.5
            jump block1(v0)
        block1(v3: f64):
            v4 = fcmp gt v3, v1
            brif v4, block2, block3
        block2:
            v5 = fmul v3, v2
            jump block1(v5)
        block3:
            return v3
        }
        """), "function @halve");
    int compare = code.indexOf(code.stream().filter(l -> l.startsWith("ucomisd")).findFirst()
        .orElseThrow());
    // unordered operands set CF and ZF, so "above" is false for NaN; no setcc, no compare with 0
    assertTrue(code.get(compare + 1).matches("j(a|be) .*"), String.join("\n", code));
    assertFalse(code.stream().anyMatch(l -> l.startsWith("set")), String.join("\n", code));
  }

  @Test
  void aStoredConstantIsTheStoresImmediate() {
    List<String> code = from(code("""
        memory $m 64
        function @mark(i64) {
        block0(v0: i64):
            v1 = iconst 1
            store.i64 v1, $m [v0 + 8]
            v2 = iconst 0x100000000
            store.i64 v2, $m [v0 + 16]
            return
        }
        """), "function @mark");
    // the guarded copy of the block, then its checked copy
    assertHas(code, "^mov QWORD PTR \\[r13\\+rdi\\*1\\+0x8\\],0x1( |$)");
    assertHas(code, "^mov QWORD PTR \\[r13\\+rax\\*1\\+0x0\\],0x1( |$)");
    // a constant beyond 32 bits goes through a register
    assertHas(code, "^movabs r[a-z0-9]+,0x100000000( |$)");
  }

  /**
   * Two ways into a block whose parameters swap: the way not laid out next, which needs moves,
   * gets them after the body, so the way that falls through runs no taken jump.
   */
  private static final String SWAPPED = """
      function @guarded(i64, i64) -> i64 {
      block0(v0: i64, v1: i64):
          v2 = icmp slt v0, v1
          brif v2, block2(v1, v0), block1
      block1:
          v3 = imul v0, v1
          v4 = iconst 5
          v5 = icmp sgt v3, v4
          brif v5, block3, block2(v0, v1)
      block2(v6: i64, v7: i64):
          v8 = isub v6, v7
          return v8
      block3:
          return v3
      }
      """;

  @Test
  void anEdgeWithMovesBesideTheWayThatFallsThroughGoesAfterTheBody() {
    List<String> code = from(code(SWAPPED, new CompileOptions().optimize(false)),
        "function @guarded");
    int branch = indexOf(code, "^cmp r\\w+,0x5 ; v5 = icmp sgt v3, v4; brif v5, block3");
    int ret = indexOf(code, "; block3:; return v3$");
    int edge = indexOf(code, "; edge to block2:$");
    // the compare's branch goes to the moves after the body; block3 follows it
    assertTrue(code.get(branch + 1).matches("jle \\S+ <L\\d+>"), code.get(branch + 1));
    assertEquals(branch + 2, ret, String.join("\n", code));
    assertTrue(edge > indexOf(code, "; block2:; v8 = isub v6, v7$"), String.join("\n", code));
    assertTrue(code.get(edge + 3).matches("jmp \\S+ <L\\d+>"), String.join("\n", code));
    try (CompiledModule m = Backend.compile(IrParser.parse(SWAPPED),
        new CompileOptions().optimize(false), new InstanceOptions());
        Instance reference = Interpreter.instantiate(IrParser.parse(SWAPPED),
            new InstanceOptions())) {
      for (long[] xy : new long[][] {{7, 3}, {3, 7}, {1, 2}, {2, 1}, {-4, -5}}) {
        assertEquals(reference.call("guarded", xy[0], xy[1]), m.call("guarded", xy[0], xy[1]),
            "guarded(" + xy[0] + ", " + xy[1] + ")");
      }
    }
  }
}
