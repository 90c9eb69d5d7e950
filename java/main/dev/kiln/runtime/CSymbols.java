package dev.kiln.runtime;

/**
 * Finds C functions by name, for generated code that calls them by address in the host
 * convention ({@link CallingConvention#host()}): {@code dlsym} on POSIX, {@code GetProcAddress}
 * on Windows. A library, once loaded, stays loaded for the life of the process, so an address
 * found here stays valid.
 */
public final class CSymbols {
  private CSymbols() {}

  /**
   * The address of C function {@code symbol} in {@code library}.
   *
   * @param library a library's file name or path ({@code libm.so.6}), loaded if it is not yet; or
   *     {@code null} for the process and the libraries it has loaded (on Windows, the executable)
   * @param symbol the function's name
   * @return its address
   * @throws IllegalArgumentException if the library or the symbol is not found
   * @throws UnsupportedPlatformException if the native runtime cannot be loaded here
   */
  public static long lookup(String library, String symbol) {
    if (symbol == null || symbol.isEmpty()) {
      throw new IllegalArgumentException("no symbol name given");
    }
    NativeLibrary.ensureLoaded();
    long address = Shim.lookupSymbol(library, symbol);
    if (address == 0) {
      throw new IllegalArgumentException("C function " + symbol + " not found in "
          + (library == null ? "the process" : library));
    }
    return address;
  }
}
