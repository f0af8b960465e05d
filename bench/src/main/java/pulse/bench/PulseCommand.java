package pulse.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code bin/pulse} as a child process, as the benches that drive a whole cluster do ({@code
 * cluster start}, {@code cluster stop}, {@code infra stop}): its output is appended to the bench's
 * log, a non-zero exit fails the bench naming the log.
 */
final class PulseCommand {
  private PulseCommand() {}

  /**
   * Runs {@code bin/pulse args} in {@code home} with {@code env} added to the environment. The
   * bench's own {@code JAVA_OPTS} (its heap) are not passed on: the nodes have theirs.
   */
  static void run(Path home, Path log, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin/pulse").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("JAVA_OPTS");
    pb.environment().putAll(env);
    Process p =
        pb.directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException(
          "bin/pulse " + String.join(" ", args) + " exited " + rc + " (see " + log + ")");
    }
  }
}
