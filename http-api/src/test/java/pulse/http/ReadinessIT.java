package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/** A real node against the real servers: /ready follows Cassandra going away and coming back. */
@ExtendWith(RealInfraExtension.class)
class ReadinessIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static PulseNode node;

  @BeforeAll
  static void start(RealInfra infra) {
    node = PulseNode.start(infra.testNodeConfig(ConfigFactory.empty()));
  }

  @AfterAll
  static void stop() throws Exception {
    node.awaitStopped(Duration.ofSeconds(60));
  }

  record Answer(int status, JsonNode body) {}

  private static Answer get(String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JsonSupport.MAPPER.readTree(r.body()));
  }

  /** Polls until the answer matches; the bound is generous because a Cassandra restart on 2 cores is slow. */
  private static Answer await(String path, Predicate<Answer> until, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    Answer last = null;
    while (System.nanoTime() < deadline) {
      last = get(path);
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(path + " never matched within " + within + "; last answer " + last);
  }

  @Test
  void healthAnswersWhileTheProcessLives() throws Exception {
    Answer health = get("/health");
    assertEquals(200, health.status());
    assertEquals("alive", health.body().get("status").asText());
    assertEquals(node.clusterAddress(), health.body().get("node").asText());
  }

  @Test
  void readyFlipsTo503WhenCassandraStopsAndBackTo200WhenItReturns(RealInfra infra) throws Exception {
    Answer ready = await("/ready", a -> a.status() == 200, Duration.ofSeconds(60));
    assertTrue(ready.body().get("ready").asBoolean());
    assertTrue(ready.body().at("/checks/cassandra/ok").asBoolean());
    assertTrue(ready.body().at("/checks/kafka/ok").asBoolean());
    assertTrue(ready.body().at("/checks/cluster/ok").asBoolean());

    infra.stopCassandra();
    try {
      Answer down = await("/ready", a -> a.status() == 503, Duration.ofSeconds(30));
      assertFalse(down.body().get("ready").asBoolean());
      assertFalse(down.body().at("/checks/cassandra/ok").asBoolean(), down.body().toString());
      assertFalse(down.body().at("/checks/cassandra/detail").asText().isBlank());
      assertTrue(down.body().at("/checks/kafka/ok").asBoolean(), "only the part that is down is named");
      assertEquals(200, get("/health").status(), "liveness does not depend on Cassandra");
    } finally {
      infra.startCassandra();
    }
    Answer back = await("/ready", a -> a.status() == 200, Duration.ofSeconds(90));
    assertTrue(back.body().at("/checks/cassandra/ok").asBoolean());
  }
}
