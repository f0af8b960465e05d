package pulse.model;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of {@code ../shared} (the datasets) from a test, wherever Maven runs it. */
public final class SharedData {
  private SharedData() {}

  /**
   * {@code relative} resolved against -Dpulse.home (set by surefire to the repository root), else
   * against the working directory and each folder above it; null when none holds the file.
   */
  public static Path locate(String relative) {
    String home = System.getProperty("pulse.home");
    if (home != null && !home.isBlank()) {
      Path p = Path.of(home).resolve(relative).normalize();
      if (Files.isRegularFile(p)) return p;
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve(relative).normalize();
      if (Files.isRegularFile(p)) return p;
    }
    return null;
  }
}
