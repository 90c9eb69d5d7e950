package dev.kiln.cli;

import java.io.IOException;
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
  private SourceFiles() {}

  /**
   * The file's text, decoded strictly as UTF-8.
   *
   * @throws UsageError {@code cannot read FILE: REASON}
   */
  static String read(String file) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .decode(ByteBuffer.wrap(Files.readAllBytes(Path.of(file))))
          .toString();
    } catch (CharacterCodingException e) {
      throw new UsageError("cannot read " + file + ": not valid UTF-8");
    } catch (IOException | InvalidPathException e) {
      throw new UsageError("cannot read " + file + ": " + reason(e));
    }
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
