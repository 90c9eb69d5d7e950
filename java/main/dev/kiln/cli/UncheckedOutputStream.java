package dev.kiln.cli;

import java.io.IOException;
import java.io.OutputStream;

/** Passes writes on to standard output and turns their IOException into an {@link OutputFailure}. */
final class UncheckedOutputStream extends OutputStream {
  private final OutputStream out;

  UncheckedOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) {
    try {
      out.write(b);
    } catch (IOException e) {
      throw new OutputFailure(e);
    }
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    try {
      out.write(bytes, offset, length);
    } catch (IOException e) {
      throw new OutputFailure(e);
    }
  }

  @Override
  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new OutputFailure(e);
    }
  }
}
