package pulse.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import pulse.infra.LocalTls;

/**
 * A real HAProxy in front of test nodes, configured as conf/haproxy.cfg is in what the tests rely
 * on (round robin, /ready checks, retries on a refused connection). With TLS it does what {@code
 * bin/pulse cluster start --tls} does: TLS to clients, and TLS to the nodes (their certificate
 * verified against the CA) for requests and health checks alike.
 */
final class HaproxyProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final int statsPort;
  private final int backends;

  private HaproxyProcess(Process process, int port, int statsPort, int backends) {
    this.process = process;
    this.port = port;
    this.statsPort = statsPort;
    this.backends = backends;
  }

  /** {@code tls}: null for plain HTTP on both sides. */
  static HaproxyProcess start(Path work, List<Integer> backends, LocalTls.Material tls)
      throws Exception {
    int port = NodeProcess.freePort();
    int statsPort = NodeProcess.freePort();
    String toNodes =
        tls == null ? "" : " ssl verify required ca-file " + tls.caPem() + " sni str(localhost)";
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < backends.size(); i++) {
      servers
          .append("  server node")
          .append(i + 1)
          .append(" 127.0.0.1:")
          .append(backends.get(i))
          .append(" check inter 500ms fall 2 rise 1")
          .append(toNodes)
          .append("\n");
    }
    Path cfg = work.resolve("haproxy.cfg");
    Files.writeString(
        cfg,
        String.join(
            "\n",
            "global",
            "  maxconn 1000",
            "defaults",
            "  mode http",
            "  timeout connect 2s",
            "  timeout client 30s",
            "  timeout server 30s",
            "  retries 3",
            "  retry-on conn-failure empty-response",
            "  option redispatch 1",
            "frontend pulse",
            "  bind 127.0.0.1:" + port + (tls == null ? "" : " ssl crt " + tls.haproxyPem()),
            "  default_backend nodes",
            "frontend stats",
            "  bind 127.0.0.1:" + statsPort,
            "  stats enable",
            "  stats uri /stats",
            // As conf/haproxy.cfg: Prometheus scrapes HAProxy's own exporter here.
            "  http-request use-service prometheus-exporter if { path /metrics }",
            "backend nodes",
            "  balance roundrobin",
            // Akka HTTP refuses a request without Host (400): the check must send one.
            "  option httpchk",
            "  http-check send meth GET uri /ready ver HTTP/1.1 hdr Host localhost",
            "  http-check expect status 200",
            servers.toString()));
    Process p =
        new ProcessBuilder("haproxy", "-db", "-f", cfg.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("haproxy.log").toFile())
            .start();
    return new HaproxyProcess(p, port, statsPort, backends.size());
  }

  int port() {
    return port;
  }

  /** What HAProxy's built-in Prometheus exporter shows (the stats port's /metrics). */
  String metrics() throws Exception {
    return TestClient.of(statsPort, Duration.ofSeconds(5)).withKey(null).get("/metrics").body();
  }

  /** Until HAProxy's stats say every backend server is UP. */
  void awaitAllUp(Duration within) throws Exception {
    TestClient stats = TestClient.of(statsPort, Duration.ofSeconds(5));
    TestClient.await(
        "HAProxy to see every node up",
        within,
        Duration.ofMillis(250),
        () -> {
          try {
            return stats.get("/stats;csv").body();
          } catch (IOException notListeningYet) {
            return "";
          }
        },
        csv ->
            csv.lines().filter(l -> l.startsWith("nodes,node")).count() == backends
                && csv.lines()
                    .filter(l -> l.startsWith("nodes,node"))
                    .allMatch(l -> l.contains(",UP,")));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
