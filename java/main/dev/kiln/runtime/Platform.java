package dev.kiln.runtime;

import java.util.Locale;

/** The host's operating system and processor, named as the shim's resource directories are. */
record Platform(String os, String arch) {
  /** The build's list of the platforms it bundles a library for, one a line. */
  static final String INDEX_RESOURCE = "native/platforms.txt";

  static Platform host() {
    return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  static Platform of(String osName, String osArch) {
    String name = osName.toLowerCase(Locale.ROOT);
    String os = name.startsWith("windows") ? "windows" : lettersAndDigits(name);
    String arch = osArch.toLowerCase(Locale.ROOT);
    return new Platform(os, arch.equals("amd64") || arch.equals("x64") ? "x86_64" : arch);
  }

  /**
   * {@code name} without the characters outside {@code [a-z0-9]} ("Mac OS X" becomes "macosx");
   * a loop rather than a regex, which would cost start-up time on every run.
   */
  private static String lettersAndDigits(String name) {
    StringBuilder kept = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        kept.append(c);
      }
    }
    return kept.toString();
  }

  boolean isWindows() {
    return os.equals("windows");
  }

  /** The format of the host's shared libraries: {@code PE} on Windows, else {@code ELF}. */
  String libraryFormat() {
    return isWindows() ? "PE" : "ELF";
  }

  /** The bytes every library of {@link #libraryFormat()} starts with. */
  byte[] libraryMagic() {
    return isWindows() ? new byte[] {'M', 'Z'} : new byte[] {0x7f, 'E', 'L', 'F'};
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
