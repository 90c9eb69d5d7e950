package dev.kiln.runtime;

import java.util.Locale;

/** The host's operating system and processor, named as the shim's resource directories are. */
record Platform(String os, String arch) {
  static Platform host() {
    return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  static Platform of(String osName, String osArch) {
    String name = osName.toLowerCase(Locale.ROOT);
    String os = name.startsWith("windows") ? "windows" : name.replaceAll("[^a-z0-9]", "");
    String arch = osArch.toLowerCase(Locale.ROOT);
    return new Platform(os, arch.equals("amd64") || arch.equals("x64") ? "x86_64" : arch);
  }

  boolean isWindows() {
    return os.equals("windows");
  }

  /** The shared library's path inside the jar, e.g. {@code native/linux-x86_64/libkiln.so}. */
  String libraryResource() {
    return "native/" + this + "/" + (isWindows() ? "kiln.dll" : "libkiln.so");
  }

  @Override
  public String toString() {
    return os + "-" + arch;
  }
}
