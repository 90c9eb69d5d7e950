package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser against a command of each kind of option: a choice, a number, a flag, a hidden one. */
class CommandLineParserTest {
  enum Colour {
    red,
    dark_blue
  }

  private static final Option<Colour> COLOUR =
      Option.choice("--colour", "The colour.", Colour.class, Colour.red);
  private static final Option<Double> WAIT = Option.value("--wait", "SECONDS",
      "How long to wait.", ValueParser.positiveSeconds(), null);
  private static final Option<Long> SIZE = Option.value("--size", "MIB", "How much.",
      ValueParser.positiveWholeNumber("MiB"), 64L);
  private static final Option<Boolean> LOUD = Option.flag("--loud", "Say it loudly.");
  private static final Option<Boolean> SECRET = Option.flag("--secret", "Not in help.").hide();

  private static final CommandSyntax PAINT = CommandSyntax.of("paint", "Paint a file.", "FILE",
      "The file to paint.", COLOUR, WAIT, SIZE, LOUD, SECRET);

  private static Arguments parse(String... args) {
    return CommandLineParser.parse(PAINT, List.of(args));
  }

  private static String error(String... args) {
    return assertThrows(UsageError.class, () -> parse(args)).getMessage();
  }

  @Test
  void optionsNotGivenHaveTheirDefaults() {
    Arguments a = parse("f.txt");
    assertEquals("f.txt", a.parameter());
    assertEquals(Colour.red, a.get(COLOUR));
    assertNull(a.get(WAIT));
    assertEquals(64L, a.get(SIZE));
    assertFalse(a.get(LOUD));
    assertFalse(a.helpRequested());
  }

  @Test
  void valuesFollowAnEqualsSignOrComeAsTheNextArgument() {
    Arguments a = parse("--colour=dark-blue", "f.txt", "--wait", "0.5", "--size=7", "--loud");
    assertEquals("f.txt", a.parameter());
    assertEquals(Colour.dark_blue, a.get(COLOUR));
    assertEquals(0.5, a.get(WAIT));
    assertEquals(7L, a.get(SIZE));
    assertTrue(a.get(LOUD));
  }

  @Test
  void anEmptyValueAfterTheEqualsSignIsAValueAndIsChecked() {
    assertEquals("invalid value for option '--size': expected a positive whole number of MiB, not ''",
        error("f", "--size="));
  }

  @Test
  void hiddenOptionsParseLikeOthers() {
    assertTrue(parse("f", "--secret").get(SECRET));
  }

  @Test
  void doubleDashEndsTheOptions() {
    assertEquals("-x.kiln", parse("--", "-x.kiln").parameter());
    assertEquals("--loud", parse("--loud", "--", "--loud").parameter());
    assertEquals("-", parse("-").parameter());
  }

  @Test
  void helpStopsParsingWhateverFollows() {
    assertTrue(parse("--help", "--nonsense", "a", "b").helpRequested());
    assertTrue(parse("-h").helpRequested());
  }

  @Test
  void anErrorBeforeHelpIsStillAnError() {
    assertEquals("unexpected argument: 'g'", error("f", "g", "--help"));
  }

  @Test
  void errorsNameTheOptionAndTheValue() {
    assertEquals("unknown option: '--frobnicate'", error("f", "--frobnicate"));
    assertEquals("unknown option: '-x'", error("f", "-x=1"));
    assertEquals("option '--colour' should be given only once", error("f", "--colour=red", "--colour", "red"));
    assertEquals("option '--loud' should be given only once", error("f", "--loud", "--loud"));
    assertEquals("option '--loud' takes no value", error("f", "--loud=true"));
    assertEquals("missing value for option '--wait' (SECONDS)", error("f", "--wait"));
    assertEquals("missing FILE", error("--loud"));
    assertEquals("unexpected argument: 'g'", error("f", "g"));
    assertEquals("unexpected argument: '-g'", error("f", "--", "-g"));
  }

  @Test
  void badValuesSayWhatWasExpected() {
    assertEquals("invalid value for option '--colour': expected one of red, dark-blue, not 'blue'",
        error("f", "--colour=blue"));
    assertEquals("invalid value for option '--colour': expected one of red, dark-blue, not 'dark_blue'",
        error("f", "--colour=dark_blue"));
    assertEquals("invalid value for option '--wait': expected a positive number of seconds, not 'abc'",
        error("f", "--wait=abc"));
    for (String wait : List.of("-1", "0", "NaN", "Infinity")) {
      assertEquals("invalid value for option '--wait': expected a positive number of seconds, not '"
          + wait + "'", error("f", "--wait=" + wait));
    }
    for (String size : List.of("0", "-3", "1.5", "99999999999999999999")) {
      assertEquals("invalid value for option '--size': expected a positive whole number of MiB, not '"
          + size + "'", error("f", "--size", size));
    }
  }

  @Test
  void theSynopsisListsTheVisibleOptionsAfterTheParameter() {
    assertEquals("kiln paint FILE [--colour=red|dark-blue] [--wait=SECONDS] [--size=MIB] [--loud]",
        PAINT.synopsis());
  }

  @Test
  void helpListsEachVisibleOptionWithItsDescriptionAndDefaultAligned() {
    assertEquals(String.join("\n",
        "Usage: kiln paint FILE [--colour=red|dark-blue] [--wait=SECONDS] [--size=MIB] [--loud]",
        "Paint a file.",
        "      FILE                     The file to paint.",
        "      --colour=red|dark-blue   The colour (default: red).",
        "      --wait=SECONDS           How long to wait.",
        "      --size=MIB               How much (default: 64).",
        "      --loud                   Say it loudly.",
        "  -h, --help                   Show this help message and exit.",
        ""), HelpText.of(PAINT));
  }

  @Test
  void longDescriptionsWrapUnderTheirColumn() {
    String words = "word ".repeat(40).strip();
    String text = HelpText.table(List.of(new HelpText.Row("  --x", words)));
    String[] lines = text.split("\n");
    assertTrue(lines.length > 1, text);
    for (String line : lines) {
      assertTrue(line.length() <= 100, line);
    }
    assertTrue(lines[0].startsWith("  --x   word"), lines[0]);
    assertTrue(lines[1].startsWith(" ".repeat(10) + "word"), lines[1]);
  }

  @Test
  void largeNumbersAreGroupedByThousands() {
    assertEquals("0", ValueParser.grouped(0));
    assertEquals("999", ValueParser.grouped(999));
    assertEquals("1,000", ValueParser.grouped(1000));
    assertEquals("268,435,456", ValueParser.grouped(1 << 28));
    assertEquals("9,223,372,036,854,775,807", ValueParser.grouped(Long.MAX_VALUE));
  }
}
