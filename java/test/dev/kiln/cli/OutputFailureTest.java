package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Output that cannot be written is never lost silently: a full device is reported on one line
 * with {@link Main#EXIT_FAILURE}; a pipe whose reader has gone stops the run quietly with
 * {@link Main#EXIT_CLOSED_PIPE}; either way a program printing forever stops at once, in every
 * mode, compiled code included.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutputFailureTest {
  private static final String FOREVER = "fn main() {\n  let i = 0;\n  while true { print(i); i += 1; }\n}\n";

  @TempDir Path dir;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Takes {@code accepted} bytes, then fails every write with {@code reason}, as the OS would. */
  private static final class FailingStream extends OutputStream {
    private final String reason;
    private long accepted;
    int failures;

    FailingStream(String reason, long accepted) {
      this.reason = reason;
      this.accepted = accepted;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > accepted) {
        failures++;
        throw new IOException(reason);
      }
      accepted -= len;
    }
  }

  private int kiln(String file, String text, OutputStream out, String... args) throws IOException {
    Path path = dir.resolve(file);
    Files.writeString(path, text);
    String[] all = new String[args.length + 2];
    all[0] = file.endsWith(".b") ? "bf" : "run";
    all[1] = path.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Main.execute(all, out, new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--mode=interp", "--mode=jit", "--convention=windows-x64"})
  void aFullDeviceIsReportedWithTheReasonTheOsGave(String mode) throws IOException {
    FailingStream full = new FailingStream("No space left on device", 0);
    assertEquals(Main.EXIT_FAILURE, kiln("hello.kiln", "fn main() { print(\"hi\"); }\n", full, mode));
    assertEquals("kiln: cannot write output: No space left on device\n", stderr());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--mode=interp", "--mode=jit", "--convention=windows-x64"})
  void aClosedPipeStopsAProgramPrintingForeverQuietly(String mode) throws IOException {
    FailingStream pipe = new FailingStream("Broken pipe", 100_000);
    assertEquals(Main.EXIT_CLOSED_PIPE, kiln("forever.kiln", FOREVER, pipe, mode));
    assertEquals("", stderr());
    assertEquals(1, pipe.failures, "the run stopped at its first failed write");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--mode=interp", "--mode=jit"})
  void aFullDeviceStopsAProgramPrintingForever(String mode) throws IOException {
    FailingStream full = new FailingStream("No space left on device", 100_000);
    assertEquals(Main.EXIT_FAILURE, kiln("forever.kiln", FOREVER, full, mode));
    assertEquals("kiln: cannot write output: No space left on device\n", stderr());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--mode=interp", "--mode=jit"})
  void aBrainfuckProgramPrintingForeverStopsAtAClosedPipe(String mode) throws IOException {
    FailingStream pipe = new FailingStream("Broken pipe", 100_000);
    assertEquals(Main.EXIT_CLOSED_PIPE, kiln("loop.b", "+[.]", pipe, mode));
    assertEquals("", stderr());
    assertEquals(1, pipe.failures, "the run stopped at its first failed write");
  }

  @Test
  void aBrainfuckProgramsOutputToAFullDeviceIsReported() throws IOException {
    FailingStream full = new FailingStream("No space left on device", 0);
    assertEquals(Main.EXIT_FAILURE, kiln("a.b", "+++++++[>++++++++++<-]>.", full));
    assertEquals("kiln: cannot write output: No space left on device\n", stderr());
  }

  @Test
  void aRuntimeErrorAfterOutputThatCannotBeWrittenReportsTheOutputFailure() throws IOException {
    FailingStream full = new FailingStream("No space left on device", 0);
    assertEquals(Main.EXIT_FAILURE,
        kiln("div.kiln", "fn main() { let z = 0; print(1); print(1 / z); }\n", full));
    assertEquals("kiln: cannot write output: No space left on device\n", stderr());
  }

  @Test
  void listingsToAFullDeviceAreReportedToo() throws IOException {
    FailingStream full = new FailingStream("No space left on device", 0);
    assertEquals(Main.EXIT_FAILURE, kiln("hello.kiln", "fn main() { print(1); }\n", full, "--dump=asm"));
    assertEquals("kiln: cannot write output: No space left on device\n", stderr());
  }

  @Test
  void aClosedPipeIsRecognisedByTheOsMessageOnEachPlatform() {
    assertTrue(new OutputFailure(new IOException("Broken pipe")).closedPipe());
    assertTrue(new OutputFailure(new IOException("The pipe is being closed.")).closedPipe());
    assertTrue(new OutputFailure(new IOException("The pipe has been ended.")).closedPipe());
    assertTrue(!new OutputFailure(new IOException("No space left on device")).closedPipe());
  }
}
