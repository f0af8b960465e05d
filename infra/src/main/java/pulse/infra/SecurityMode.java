package pulse.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a server's data folder was made with {@code --secure}: a marker file beside the data. A
 * folder made one way is refused the other way, with what to do, rather than a server that comes up
 * with logins its clients do not have (or none where they expect some).
 */
final class SecurityMode {
  static final String MARKER = "security-mode";

  private SecurityMode() {}

  /** Whether the data in {@code dir} was made with --secure. */
  static boolean isSecure(Path dir) {
    try {
      Path marker = dir.resolve(MARKER);
      return Files.exists(marker) && Files.readString(marker).strip().equals("secure");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * @param data the folder that exists once the server has stored anything
   */
  static void requireMatching(Path dir, Path data, boolean secure, String server) {
    Path marker = dir.resolve(MARKER);
    try {
      boolean hasData = Files.exists(data);
      // No data yet: nothing to mix up, whatever a start that failed early wrote.
      String made =
          !hasData ? null : Files.exists(marker) ? Files.readString(marker).strip() : "plain";
      String wanted = secure ? "secure" : "plain";
      if (made != null && !made.equals(wanted)) {
        throw new InfraException(
            server
                + "'s data in "
                + dir
                + " was made "
                + (made.equals("secure") ? "with" : "without")
                + " --secure; start it the same way (bin/pulse infra start"
                + (made.equals("secure") ? " --secure" : "")
                + "), or start over: bin/pulse infra stop && rm -rf var/cassandra var/kafka"
                + " var/"
                + InfraCredentials.FILE_NAME);
      }
      Files.createDirectories(dir);
      Files.writeString(marker, wanted + "\n");
    } catch (IOException e) {
      throw new InfraException("cannot read or write " + marker + ": " + e.getMessage());
    }
  }
}
