package dev.kiln.cli;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the source file a command was given. A file that cannot be read is a usage error (exit 2)
 * with one line saying why, the same for every command.
 */
final class SourceFiles {
  /**
   * The largest source file, in bytes: hundreds of times any program written or generated so far
   * (the 10,000-line test program is under 1 MiB), yet small enough that reading and compiling it
   * stay within a default JVM heap. Only this much of a file is ever read, so a device or pipe
   * that never ends ({@code kiln run /dev/zero}) is refused at once.
   */
  static final int MAX_BYTES = 64 << 20;

  /** The UTF-8 byte-order mark some editors put first: not part of the text. */
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private SourceFiles() {}

  /**
   * The file's text, decoded strictly as UTF-8, without a leading byte-order mark.
   *
   * @throws UsageError {@code cannot read FILE: REASON}
   */
  static String read(String file) {
    byte[] bytes;
    // A FileInputStream, which the JVM has loaded for System.in: Files.newInputStream's channel
    // classes would cost every run milliseconds before its front end.
    try (InputStream in = new FileInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new UsageError("cannot read " + file + ": " + reason(file, e));
    }
    if (bytes.length > MAX_BYTES) {
      throw new UsageError("cannot read " + file + ": larger than the " + (MAX_BYTES >> 20)
          + " MiB a source file may have");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new UsageError("cannot read " + file + ": not valid UTF-8");
    }
    return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
  }

  /**
   * Why {@code file} could not be read ({@code e}): asked again through java.nio.file, whose
   * exceptions name the reason where FileInputStream's message has the OS's wording after the
   * path.
   */
  private static String reason(String file, IOException e) {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      in.read();
    } catch (IOException | InvalidPathException again) {
      return reason(again);
    }
    return reason(e);
  }

  private static String reason(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
