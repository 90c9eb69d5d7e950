package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The code shapes of counted loops ({@link CountedLoops}): the fast version's hot loop has no
 * bounds check for the accesses the entry test covers and no poll per iteration; what the test
 * cannot cover keeps its check or its poll. (That every version behaves as the interpreter does
 * is tested by the programs of {@code conformance/loops} and the random differential test.)
 */
class CountedLoopsTest {
  private static final String POLL = "BYTE PTR [r13+0x0]";
  private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):");
  private static final Pattern TARGET = Pattern.compile("\\s0x([0-9a-f]+) <");

  private static final String FUNCTIONS = """
      fn sieve(a: int[], p: int, n: int) {
          let m = p * p;
          while m <= n {
              a[m] = 1;
              m += p;
          }
      }
      fn clear(a: int[], n: int) {
          for i in 0..n { a[i] = 0; }
      }
      fn shifted(a: int[], n: int) {
          let i = 0;
          while i < n {
              i += 1;
              a[i] = i;
          }
      }
      fn sum(n: int) -> int {
          let s = 0;
          for i in 0..n { s += i; }
          return s;
      }
      fn skipping(a: int[], n: int, c: bool) {
          let i = 0;
          while i < n {
              a[i] = 1;
              if c { continue; }
              i += 1;
          }
      }
      fn signs(a: int[], n: int) {
          for i in 0..n {
              if a[i] > 0 { a[i] = 1; } else { a[i] = -1; }
          }
      }
      fn squares(a: int[]) {
          for i in 0..len(a) { a[i] = i * i; }
      }
      fn calling(a: int[], n: int) {
          for i in 0..n { a[i] = sum(i); }
      }
      fn primes(a: int[], n: int) -> int {
          let count = 0;
          for p in 2..n + 1 {
              if a[p] == 0 {
                  count += 1;
                  let m = p * p;
                  while m <= n {
                      a[m] = 1;
                      m += p;
                  }
              }
          }
          return count;
      }
      """;

  private static String function(String name, String next) throws Exception {
    return Listings.function(Listings.of(FUNCTIONS + "fn main() {}\n"), name, next);
  }

  /** The instructions of the strip-mined loop: from its header to its back edge's jump. */
  private static List<String> hotLoop(String function) {
    String[] lines = function.split("\n");
    int backEdge = 0;
    while (backEdge < lines.length && !lines[backEdge].contains("(strip-mined)")) {
      backEdge++;
    }
    assertTrue(backEdge < lines.length, "no strip-mined loop in\n" + function);
    Matcher target = TARGET.matcher(lines[backEdge]);
    while (!target.find()) { // the back edge's first jump, after its increment and compare
      target = TARGET.matcher(lines[++backEdge]);
    }
    long header = Long.parseLong(target.group(1), 16);
    List<String> loop = new ArrayList<>();
    for (int k = 0; k <= backEdge; k++) {
      Matcher at = LINE.matcher(lines[k]);
      if (at.find() && Long.parseLong(at.group(1), 16) >= header) {
        loop.add(lines[k]);
      }
    }
    return loop;
  }

  private static long count(List<String> lines, String text) {
    return lines.stream().filter(l -> l.contains(text)).count();
  }

  @Test
  void theSievesInnerLoopIsAStoreAnAddACompareAndABranch() throws Exception {
    List<String> loop = hotLoop(function("sieve", "clear"));
    assertEquals(4, loop.size(), String.join("\n", loop));
    assertEquals(0, count(loop, "jae"), "no bounds check");
    assertEquals(0, count(loop, POLL), "no poll");
  }

  @Test
  void theCheckedVersionKeepsTheCheckAndThePoll() throws Exception {
    String clear = function("clear", "shifted");
    assertEquals(1, Listings.count(clear, "jae "), clear); // the checked version's
    assertEquals(2, Listings.count(clear, Pattern.quote(POLL)), clear); // a strip's end, the checked back edge
    List<String> loop = hotLoop(clear);
    assertEquals(0, count(loop, "jae") + count(loop, POLL), String.join("\n", loop));
  }

  @Test
  void anAccessAfterTheIncrementKeepsItsCheck() throws Exception {
    List<String> loop = hotLoop(function("shifted", "sum"));
    assertEquals(1, count(loop, "jae"), String.join("\n", loop));
    assertEquals(0, count(loop, POLL), String.join("\n", loop));
  }

  @Test
  void aLoopWithoutArraysIsOnlyStripMined() throws Exception {
    String sum = function("sum", "skipping");
    assertEquals(1, Listings.count(sum, Pattern.quote(POLL)), sum); // at a strip's end only
    assertEquals(0, count(hotLoop(sum), POLL));
  }

  @Test
  void aLoopThatMaySkipItsIncrementPollsEveryIteration() throws Exception {
    String skipping = function("skipping", "signs");
    assertFalse(skipping.contains("(strip-mined)"), skipping);
    assertEquals(1, Listings.count(skipping, "jae "), skipping); // only in the checked version
    assertEquals(4, Listings.count(skipping, Pattern.quote(POLL)), skipping); // two back edges per version
  }

  /**
   * The jump from the end of the then-block to the back edge stays a jump, to the strip-mined
   * back edge: a copy of the back edge there would be the loop's own, which polls.
   */
  @Test
  void bothArmsOfAnIfGoOnToTheStripMinedBackEdge() throws Exception {
    List<String> loop = hotLoop(function("signs", "squares"));
    assertEquals(0, count(loop, POLL) + count(loop, "jae"), String.join("\n", loop));
  }

  /** for i in 0..len(a) over a[i]: in bounds by construction, so no entry test, no checked version. */
  @Test
  void aLoopOverItsArraysLengthHasOnlyTheFastVersion() throws Exception {
    String squares = function("squares", "calling");
    assertEquals(0, Listings.count(squares, "jae "), squares);
    assertEquals(1, Listings.count(squares, Pattern.quote(POLL)), squares); // a strip's end
    assertEquals(0, count(hotLoop(squares), POLL));
  }

  /** A real call may take any time, so the loop around it is neither versioned nor strip-mined. */
  @Test
  void aLoopWithACallIsLeftAsItIs() throws Exception {
    String calling = Listings.function(
        Listings.withoutInlining(FUNCTIONS + "fn main() {}\n"), "calling", "primes");
    assertFalse(calling.contains("(strip-mined)"), calling);
    assertEquals(1, Listings.count(calling, "jae "), calling);
  }

  /**
   * An inlined call ({@link Inliner}) is no call: the loop around {@code sum}'s inlined copy is
   * versioned (a[i] unchecked in its fast version), and the copy's own loop is strip-mined.
   */
  @Test
  void aLoopAroundAnInlinedCallIsVersioned() throws Exception {
    String calling = function("calling", "primes");
    assertTrue(calling.contains("CALL sum inlined:"), calling);
    assertEquals(1, Listings.count(calling, "jae "), calling); // the checked version's
    assertEquals(0, count(hotLoop(calling), POLL));
  }

  /**
   * An outer loop is versioned too, but not strip-mined (its inner loop polls only at the end
   * of a strip, which a short inner loop never reaches): each of its versions holds both
   * versions of the inner loop. a[p] is checked only in the outer checked version, a[m] in the
   * inner checked versions.
   */
  @Test
  void anOuterLoopHasBothVersionsOfItsInnerLoopInEach() throws Exception {
    String primes = function("primes", "main");
    assertEquals(2, Listings.count(primes, Pattern.quote("(strip-mined)")), primes);
    assertEquals(3, Listings.count(primes, "jae "), primes);
  }
}
