package dev.kiln.conformance;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's root directory (the one holding {@code pom.xml}) from where the test
 * classes were loaded, so the suite works whatever the working directory is (IDE, Maven, a
 * clean clone).
 */
final class ProjectRoot {
  private ProjectRoot() {}

  static Path find() {
    Path start;
    try {
      start =
          Path.of(ProjectRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the test classes", e);
    }
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no pom.xml above " + start);
  }
}
