package dev.kiln.runtime;

/**
 * The native runtime as a whole: {@link #loadInBackground} lets a program that will soon map
 * memory or install code have the shim loaded while it does other work, such as reading and
 * compiling a source file.
 */
public final class NativeRuntime {
  private static boolean started;

  private NativeRuntime() {}

  /**
   * Starts loading the shim on a daemon thread, once per JVM and only with more than one
   * processor, so that the first {@link NativeMemory}, {@link CodeCache} or {@link HostFunction}
   * finds it loaded, or waits for the load under way, instead of loading it itself. Nothing is
   * printed or thrown here: a failure is reported, as without this call, by that first use.
   */
  public static synchronized void loadInBackground() {
    if (!started && Runtime.getRuntime().availableProcessors() > 1) {
      started = true;
      new Loader().start();
    }
  }

  /** A named class, not a lambda: linking a lambda call site would cost the caller more. */
  private static final class Loader extends Thread {
    Loader() {
      super("kiln-native-load");
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        NativeLibrary.ensureLoaded();
      } catch (UnsupportedPlatformException e) {
        // NativeLibrary keeps the failure: the first use throws it again
      }
    }
  }
}
