package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.http.TestClient.Response;
import pulse.infra.LocalTls;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;
import pulse.testing.PrometheusScrape;

/**
 * Two node JVMs with TLS everywhere, as {@code bin/pulse cluster start --tls} runs them: HTTPS on
 * the API, Artery over mutual TLS between the nodes, and a real HAProxy speaking TLS to the client
 * and to the nodes (health checks included), all from a throwaway CA made by keytool.
 */
@ExtendWith(RealInfraExtension.class)
class TlsIT {
  private static final int NODES = 2;
  private static final Duration FORMED = Duration.ofSeconds(180);

  private static Path work;
  private static LocalTls.Material tls;
  private static final List<NodeProcess> nodes = new ArrayList<>();
  private static final List<Integer> httpPorts = new ArrayList<>();
  private static final List<Integer> arteryPorts = new ArrayList<>();
  private static final List<Integer> managementPorts = new ArrayList<>();
  private static HaproxyProcess haproxy;
  private static TestClient lb;

  @BeforeAll
  static void start(RealInfra infra) throws Exception {
    work =
        Files.createDirectories(
            Path.of("target", "tls-it", Long.toString(System.currentTimeMillis()))
                .toAbsolutePath());
    tls = LocalTls.generate(work.resolve("tls"));
    for (int i = 0; i < NODES; i++) {
      httpPorts.add(NodeProcess.freePort());
      arteryPorts.add(NodeProcess.freePort());
      managementPorts.add(NodeProcess.freePort());
    }
    for (int i = 0; i < NODES; i++) {
      nodes.add(
          NodeProcess.launch(
              infra,
              httpPorts.get(i),
              work,
              "node-" + (i + 1),
              "akka.remote.artery.canonical.port = "
                  + arteryPorts.get(i)
                  + "\n"
                  + NodeProcess.bootstrapConfig(managementPorts, i),
              Map.of(),
              tls));
    }
    for (NodeProcess n : nodes) {
      n.awaitReady(FORMED);
    }
    haproxy = HaproxyProcess.start(work, httpPorts, tls);
    lb = TestClient.https(haproxy.port(), TestClient.trusting(tls), Duration.ofSeconds(15));
    haproxy.awaitAllUp(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() throws Exception {
    if (haproxy != null) {
      haproxy.close();
    }
    for (NodeProcess n : nodes) {
      n.close();
    }
  }

  @Test
  void theNodesFormOneClusterOverArteryTls() throws Exception {
    for (int i = 0; i < NODES; i++) {
      String log = Files.readString(work.resolve("node-" + (i + 1) + ".log"));
      assertTrue(
          log.contains("Remoting started with transport [Artery tls-tcp]"),
          "node " + (i + 1) + " runs Artery over tls-tcp");
    }
    int node = 0;
    TestClient management = TestClient.of(managementPorts.get(node), Duration.ofSeconds(10));
    JsonNode members =
        TestClient.await(
            "both nodes Up in node 1's view",
            FORMED,
            Duration.ofSeconds(1),
            () -> management.get("/cluster/members").json().get("members"),
            m -> m.size() == NODES && m.findValuesAsText("status").stream().allMatch("Up"::equals));
    assertEquals(NODES, members.size());
  }

  @Test
  void arteryRefusesAPeerWithoutACertificateFromTheClusterCa() throws Exception {
    // A TLS client that trusts the cluster's CA but has no certificate of its own: the node
    // demands one (mutual TLS), so the connection fails before a byte of Artery is read.
    try (SSLSocket socket =
        (SSLSocket)
            TestClient.trusting(tls)
                .getSocketFactory()
                .createSocket("127.0.0.1", arteryPorts.get(0))) {
      socket.setSoTimeout(10_000);
      assertThrows(
          IOException.class,
          () -> {
            socket.startHandshake();
            // TLS 1.3 reports a refused client certificate on the first read.
            socket.getOutputStream().write(new byte[] {'A', 'K', 'K', 'A'});
            if (socket.getInputStream().read() < 0) {
              throw new IOException("closed by the node");
            }
          });
    }
    // Plain TCP: the node takes the bytes for a TLS handshake and closes the connection.
    try (Socket plain = new Socket("127.0.0.1", arteryPorts.get(0))) {
      plain.setSoTimeout(10_000);
      plain.getOutputStream().write("AKKA\u0001\u0000\u0000\u0000".getBytes());
      assertThrows(
          IOException.class,
          () -> {
            if (plain.getInputStream().read() < 0) {
              throw new IOException("closed by the node");
            }
          });
    }
  }

  @Test
  void haproxyExportsItsServersStatesForPrometheus() throws Exception {
    // conf/monitoring/rules.yml alerts on haproxy_server_status (MetricsScrapeIT leaves haproxy_*
    // series to this check).
    String metrics = haproxy.metrics();
    assertTrue(PrometheusScrape.has(metrics, "haproxy_server_status"), metrics);
    assertTrue(metrics.contains("state=\"UP\""), metrics);
  }

  @Test
  void theApiAnswersHttpsOnlyAndTheBalancerSpeaksTlsBothWays() throws Exception {
    // Plain HTTP to a node's HTTPS port gets no HTTP answer.
    TestClient plain = TestClient.of(httpPorts.get(0), Duration.ofSeconds(5));
    assertThrows(IOException.class, () -> plain.get("/health"));

    String run = UUID.randomUUID().toString().substring(0, 6);
    List<String> users = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int u = 0; u < 8; u++) {
      String user = "tls-" + run + "-" + u;
      users.add(user);
      String body =
          "[{\"eventId\":\""
              + user
              + "-1\",\"userId\":\""
              + user
              + "\",\"itemId\":\"sku-1\",\"type\":\"click\",\"timestamp\":"
              + now
              + "}]";
      Response r = lb.deliverEvents(body, Duration.ofSeconds(60));
      assertEquals(202, r.status(), r.body());
    }
    // Every user read over HTTPS from every node: half of them live on the other node, so their
    // reads cross Artery's TLS.
    for (String user : users) {
      for (NodeProcess n : nodes) {
        Response r = n.client().get("/v1/users/" + user + "/features");
        assertEquals(200, r.status(), user + ": " + r.body());
        assertEquals(1, r.json().at("/features/totals/click").asInt(), user);
      }
    }
  }
}
