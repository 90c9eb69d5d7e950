package dev.kiln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kiln} launcher script, run on a copy of the project's layout with a stand-in
 * {@code java} and {@code mvn} on the PATH that log how they were called: it rebuilds a stale jar,
 * trains the class-data archive once per jar and JVM in a fixed run, and otherwise only starts
 * the JVM.
 */
@EnabledOnOs(OS.LINUX)
class LauncherScriptTest {
  private static final Instant BUILT = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path root;
  private Path log;
  private Path javaDir;

  @BeforeEach
  void layOutAProject() throws IOException {
    Files.copy(Path.of("kiln"), root.resolve("kiln"));
    executable(root.resolve("kiln"));
    Files.createDirectories(root.resolve("java/main/dev/kiln"));
    Files.writeString(root.resolve("java/main/dev/kiln/A.java"), "class A {}\n");
    Files.createDirectories(root.resolve("native"));
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    Files.writeString(root.resolve("CMakeLists.txt"), "\n");
    Files.createDirectories(root.resolve("examples"));
    Files.writeString(root.resolve("examples/quicksort.kiln"), "fn main() {}\n");
    Files.createDirectories(root.resolve("target"));
    Files.writeString(root.resolve("target/kiln.jar"), "jar");
    for (String source : List.of("java/main/dev/kiln/A.java", "java/main/dev/kiln", "java/main/dev",
        "java/main", "native", "pom.xml", "CMakeLists.txt")) {
      Files.setLastModifiedTime(root.resolve(source), FileTime.from(BUILT.minusSeconds(60)));
    }
    Files.setLastModifiedTime(root.resolve("target/kiln.jar"), FileTime.from(BUILT));
    log = root.resolve("calls.log");
    javaDir = standIns("bin");
  }

  @Test
  void anUpToDateJarWithItsArchiveRunsTheJvmAndNothingElse() throws Exception {
    launch("run", "p.kiln");
    Files.delete(log);
    List<String> calls = launch("run", "p.kiln");
    assertEquals(1, calls.size(), calls.toString());
    String run = calls.get(0);
    assertTrue(run.startsWith("java "), run);
    assertTrue(run.contains(" -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
        + " -XX:SharedArchiveFile=" + root.resolve("target/kiln.jsa") + " "), "mapped where made for: "
        + run);
    assertFalse(run.contains("VerifySharedSpaces"), "checked once, when made: " + run);
    assertTrue(run.contains(" -XX:TieredStopAtLevel=1 "), run);
    assertTrue(run.contains(" -jar " + root.resolve("target/kiln.jar") + " run p.kiln |"), run);
  }

  @Test
  void aSourceNewerThanTheJarIsRebuiltFirst() throws Exception {
    Files.setLastModifiedTime(root.resolve("java/main/dev/kiln/A.java"),
        FileTime.from(BUILT.plusSeconds(60)));
    List<String> calls = launch("run", "p.kiln");
    assertEquals("mvn -B -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package", calls.get(0));
    assertTrue(calls.get(calls.size() - 1).contains(" run p.kiln |"), calls.toString());
    Files.delete(log);
    assertFalse(launch("run", "p.kiln").get(0).startsWith("mvn"), "the rebuilt jar is up to date");
  }

  @Test
  void theArchiveIsTrainedOnceByAFixedJitRunInACleanEnvironment() throws Exception {
    List<String> calls = launch(List.of("LD_PRELOAD=/nowhere.so", "KILN_JAVA_OPTS=-Dcaller=1"),
        "run", "p.kiln", "--mode=interp");
    assertEquals(4, calls.size(), calls.toString());
    String training = calls.get(0);
    assertTrue(training.contains(" -XX:TieredStopAtLevel=1 "), training);
    assertTrue(training.contains(" -XX:DumpLoadedClassList="), training);
    assertTrue(training.endsWith(" dev.kiln.cli.ArchiveTraining " + root.resolve("examples")
        + " | LD_PRELOAD=<unset>"), training);
    assertFalse(training.contains("-Dcaller"), training);
    String dump = calls.get(1);
    assertTrue(dump.contains(" -Xshare:dump -XX:SharedClassListFile="), dump);
    assertTrue(dump.contains(" -XX:SharedArchiveFile=" + root.resolve("target/kiln.jsa.")), dump);
    String check = calls.get(2);
    assertTrue(check.contains(" -XX:+VerifySharedSpaces -Xshare:on "), check);
    assertTrue(check.contains(" -XX:ArchiveRelocationMode=0 "), "checked as runs map it: " + check);
    assertTrue(check.endsWith(" -version | LD_PRELOAD=<unset>"), check);
    assertTrue(Files.size(root.resolve("target/kiln.jsa")) > 0, "the checked archive is kept");
    try (var left = Files.list(root.resolve("target"))) {
      assertEquals(List.of("kiln.jar", "kiln.jsa", "kiln.jsa.java"),
          left.map(p -> p.getFileName().toString()).sorted().toList(), "no class list left");
    }
    String run = calls.get(3);
    assertFalse(run.contains("TieredStopAtLevel"), "--mode=interp keeps C2: " + run);
    assertTrue(run.contains(" -Dcaller=1 "), run);
    assertTrue(run.endsWith(" run p.kiln --mode=interp | LD_PRELOAD=/nowhere.so"), run);
    Files.delete(log);
    assertEquals(1, launch("run", "p.kiln").size(), "the archive is not trained again");
  }

  @Test
  void anArchiveThatFailsItsChecksumIsLeftEmptyAndNotUsed() throws Exception {
    Files.writeString(root.resolve("damaged"), "");
    List<String> calls = launch("run", "p.kiln");
    assertEquals(4, calls.size(), calls.toString());
    assertEquals(0, Files.size(root.resolve("target/kiln.jsa")), "an empty archive");
    assertFalse(calls.get(3).contains("SharedArchiveFile"), calls.get(3));
    assertFalse(calls.get(3).contains("ArchiveRelocationMode"), calls.get(3));
    Files.delete(log);
    assertEquals(1, launch("run", "p.kiln").size(), "not trained again before the jar changes");
  }

  @Test
  void anotherJavaTrainsItsOwnArchive() throws Exception {
    launch("run", "p.kiln");
    javaDir = standIns("other-bin");
    Files.delete(log);
    List<String> calls = launch("run", "p.kiln");
    assertEquals(4, calls.size(), calls.toString());
    assertTrue(calls.get(0).contains(" -XX:DumpLoadedClassList="), calls.toString());
  }

  /**
   * Stand-ins for java and mvn in a new directory: each logs its call and does its job (java
   * lists classes, dumps an archive and checks it as told). The archive's check fails (as a truncated archive makes the JVM die) when a file {@code damaged}
   * lies in the project.
   */
  private Path standIns(String dir) throws IOException {
    Path bin = Files.createDirectories(root.resolve(dir));
    Files.writeString(bin.resolve("java"), """
        #!/bin/sh
        echo "java $* | LD_PRELOAD=${LD_PRELOAD:-<unset>}" >> "%s"
        for a in "$@"; do
          case "$a" in
            -XX:DumpLoadedClassList=*) echo classes > "${a#*=}" ;;
            -XX:SharedArchiveFile=*) archive="${a#*=}" ;;
            -Xshare:dump) dumping=1 ;;
            -Xshare:on) [ ! -f "%s" ] || exit 134 ;;
          esac
        done
        [ -z "$dumping" ] || echo archive > "$archive"
        """.formatted(log, root.resolve("damaged")));
    Files.writeString(bin.resolve("mvn"), """
        #!/bin/sh
        echo "mvn $*" >> "%s"
        touch target/kiln.jar
        """.formatted(log));
    executable(bin.resolve("java"));
    executable(bin.resolve("mvn"));
    return bin;
  }

  private List<String> launch(String... args) throws Exception {
    return launch(List.of(), args);
  }

  /** Runs the launcher with {@code environment} (NAME=VALUE) added; returns the logged calls. */
  private List<String> launch(List<String> environment, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("env", "PATH=" + javaDir + ":/usr/bin:/bin"));
    command.addAll(environment);
    command.add(root.resolve("kiln").toString());
    command.addAll(List.of(args));
    Process launcher = new ProcessBuilder(command).redirectErrorStream(true).start();
    launcher.getOutputStream().close();
    String output = new String(launcher.getInputStream().readAllBytes());
    assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher finished");
    assertEquals(0, launcher.exitValue(), output);
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  private static void executable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
