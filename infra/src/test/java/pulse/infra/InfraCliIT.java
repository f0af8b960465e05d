package pulse.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad starts an operator meets, through the real CLI in its own JVM: a one-line error on
 * stderr, a non-zero exit, the log to read, and nothing of ours left running.
 */
class InfraCliIT {

  record Run(int exitCode, String stdout, String stderr) {}

  private Run cli(Path var, List<String> props, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dpulse.home=" + PulseConfig.home(),
                "-Dpulse.infra.var-dir=" + var,
                "-Dlogback.configurationFile=" + PulseConfig.home().resolve("conf/logback-cli.xml"),
                "-cp",
                System.getProperty("java.class.path")));
    props.forEach(p -> cmd.add("-D" + p));
    cmd.add("pulse.infra.InfraCli");
    cmd.addAll(List.of(args));
    Path out = var.resolve("cli.out");
    Path err = var.resolve("cli.err");
    Files.createDirectories(var);
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "CLI did not finish");
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }

  @Test
  void aPortTakenBySomeoneElseIsOneLineAndExitOne(@TempDir Path var) throws Exception {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = squatter.getLocalPort();
      Run run =
          cli(
              var,
              List.of(
                  "pulse.cassandra.port=" + port,
                  "pulse.infra.cassandra.storage-port=" + freePort()),
              "start");
      assertEquals(1, run.exitCode(), run.stdout() + run.stderr());
      assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
      assertTrue(
          run.stderr()
              .contains(
                  "port "
                      + port
                      + " (Cassandra CQL) on 127.0.0.1 is already in use by another process"),
          run.stderr());
      assertFalse(
          Files.exists(var.resolve("run/cassandra.pid")),
          "no pid file for a server that never started");
    }
  }

  @Test
  void aCassandraTooSlowToStartIsStoppedAndNamesItsLog(@TempDir Path var) throws Exception {
    Run run =
        cli(
            var,
            List.of(
                "pulse.cassandra.port=" + freePort(),
                "pulse.infra.cassandra.storage-port=" + freePort(),
                "pulse.infra.cassandra.start-timeout=2s"),
            "start");
    assertEquals(1, run.exitCode(), run.stdout() + run.stderr());
    String line = run.stderr().strip();
    assertEquals(1, line.lines().count(), line);
    assertTrue(line.contains("cassandra did not become ready within 2 s"), line);
    assertTrue(line.endsWith("(log: " + var.resolve("log/cassandra.log") + ")"), line);
    assertFalse(Files.exists(var.resolve("run/cassandra.pid")));
    assertTrue(
        ProcessHandle.allProcesses()
            .noneMatch(
                ph ->
                    ph.info()
                        .arguments()
                        .map(a -> String.join(" ", a).contains("-Dpulse.var=" + var))
                        .orElse(false)),
        "the slow Cassandra was stopped");
  }

  @Test
  void statusOfNothingRunningSaysStopped(@TempDir Path var) throws Exception {
    Run run = cli(var, List.of(), "status");
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(
        run.stdout().lines().anyMatch(l -> l.startsWith("cassandra") && l.contains("stopped")),
        run.stdout());
    assertTrue(
        run.stdout().lines().anyMatch(l -> l.startsWith("kafka") && l.contains("stopped")),
        run.stdout());
  }

  @Test
  void anUnknownCommandIsAUsageError(@TempDir Path var) throws Exception {
    Run run = cli(var, List.of(), "launch");
    assertEquals(2, run.exitCode());
    assertTrue(run.stderr().contains("unknown command 'launch'"), run.stderr());
  }
}
