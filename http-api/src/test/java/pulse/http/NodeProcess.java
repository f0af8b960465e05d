package pulse.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import pulse.infra.LocalTls;
import pulse.infra.PulseConfig;
import pulse.infra.junit.RealInfra;

/** A node in its own JVM, as bin/pulse runs it, so a test can kill it the hard way. */
final class NodeProcess implements AutoCloseable {
  private final Process process;
  final int httpPort;
  private final TestClient client;

  private NodeProcess(Process process, int httpPort, TestClient client) {
    this.process = process;
    this.httpPort = httpPort;
    this.client = client;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }

  static NodeProcess start(RealInfra infra, int httpPort, Path workDir, String name)
      throws Exception {
    NodeProcess node = launch(infra, httpPort, workDir, name, "akka.management.http.port = 0\n");
    node.awaitReady(Duration.ofSeconds(90));
    return node;
  }

  /**
   * Starts a node JVM and returns at once (a cluster member may only get ready once its peers run).
   * {@code extraConfig}: HOCON lines after the test's own, so they win.
   */
  static NodeProcess launch(
      RealInfra infra, int httpPort, Path workDir, String name, String extraConfig)
      throws Exception {
    return launch(infra, httpPort, workDir, name, extraConfig, Map.of(), null);
  }

  /** As above, with {@code env} added to the node's environment (e.g. its data-plane logins). */
  static NodeProcess launch(
      RealInfra infra,
      int httpPort,
      Path workDir,
      String name,
      String extraConfig,
      Map<String, String> env)
      throws Exception {
    return launch(infra, httpPort, workDir, name, extraConfig, env, null);
  }

  /**
   * As above, with TLS ({@code tls} not null): HTTPS on the API and Artery over tls-tcp, set in the
   * environment as bin/pulse cluster start --tls does; {@link #client()} then speaks HTTPS.
   */
  static NodeProcess launch(
      RealInfra infra,
      int httpPort,
      Path workDir,
      String name,
      String extraConfig,
      Map<String, String> env,
      LocalTls.Material tls)
      throws Exception {
    Path home = PulseConfig.home();
    Path conf = workDir.resolve(name + ".conf");
    Files.writeString(
        conf,
        "include file(\""
            + home.resolve("conf/application.conf")
            + "\")\n"
            + "akka.remote.artery.canonical.port = 0\n"
            + "akka.cluster.seed-nodes = []\n"
            + "pulse.http.drain-delay = 0s\n"
            + "pulse.http.port = "
            + httpPort
            + "\n"
            + "pulse.cassandra.port = "
            + infra.cassandraPort()
            + "\n"
            + "pulse.kafka.port = "
            + infra.settings().kafka().port()
            + "\n"
            + extraConfig);
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-Dpulse.home=" + home,
            "-Dlogback.configurationFile=" + home.resolve("conf/logback.xml"),
            "-cp",
            System.getProperty("java.class.path"),
            "pulse.http.PulseNode",
            "--config",
            conf.toString());
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(workDir.resolve(name + ".log").toFile()));
    // The key the test client sends, given as an operator would: in the environment.
    pb.environment().put("PULSE_API_KEY_ADMIN", RealInfra.TEST_ADMIN_KEY);
    pb.environment().putAll(env);
    TestClient client = TestClient.of(httpPort);
    if (tls != null) {
      for (String variable : tls.environment()) {
        String[] kv = variable.split("=", 2);
        pb.environment().put(kv[0], kv[1]);
      }
      client = TestClient.https(httpPort, TestClient.trusting(tls), Duration.ofSeconds(30));
    }
    Process p = pb.start();
    return new NodeProcess(p, httpPort, client);
  }

  /**
   * Config lines that make node {@code i} of a test cluster form it by Cluster Bootstrap over every
   * node's management port (as bin/pulse cluster start does), each line ending in a newline.
   */
  static String bootstrapConfig(List<Integer> managementPorts, int i) {
    String contactPoints =
        String.join(", ", managementPorts.stream().map(p -> "\"127.0.0.1:" + p + "\"").toList());
    return "akka.management.http.port = "
        + managementPorts.get(i)
        + "\npulse.cluster.formation = bootstrap\n"
        + "pulse.cluster.contact-points = ["
        + contactPoints
        + "]\n";
  }

  /** A client of this node's API (HTTPS when it was launched with TLS). */
  TestClient client() {
    return client;
  }

  void awaitReady(Duration within) throws Exception {
    client.awaitReady(within);
  }

  /** SIGTERM: coordinated shutdown (drain, hand-off, leave), as a supervisor stops a node. */
  void terminate() {
    process.destroy();
  }

  /** The JVM's exit code; only after it exited. */
  int exitValue() {
    return process.exitValue();
  }

  /** Whether the JVM exited within {@code within}. */
  boolean awaitExit(Duration within) throws InterruptedException {
    return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** SIGKILL: no coordinated shutdown, no flush, nothing. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
