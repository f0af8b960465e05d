package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.engine.inference.InferencePool;
import pulse.http.TestClient.Response;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;
import pulse.testing.PrometheusScrape;

/**
 * A real node against the real servers: /ready follows Cassandra going away and coming back; Kafka
 * going away only degrades it; the management port agrees.
 */
@ExtendWith(RealInfraExtension.class)
class ReadinessIT {
  private static PulseNode node;
  private static TestClient client;
  private static TestClient management;

  @BeforeAll
  static void start(RealInfra infra) throws Exception {
    int managementPort = NodeProcess.freePort();
    node =
        PulseNode.start(
            infra.testNodeConfig(
                ConfigFactory.parseString(
                    "akka.management.http.port = "
                        + managementPort
                        // A restart backoff long enough for a 500 ms poll of /ready to see the part
                        // down.
                        + "\npulse.engine.supervision.min-backoff = 3s")));
    client = TestClient.of(node.httpPort(), Duration.ofSeconds(10));
    management = TestClient.of(managementPort, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() throws Exception {
    node.awaitStopped(Duration.ofSeconds(60));
  }

  /**
   * Polls until the answer matches; the bound is generous because a Cassandra restart on 2 cores is
   * slow.
   */
  private static Response await(String path, Predicate<Response> until, Duration within)
      throws Exception {
    return TestClient.await(
        "GET " + path + " to match", within, Duration.ofMillis(500), () -> client.get(path), until);
  }

  @Test
  void healthAnswersWhileTheProcessLives() throws Exception {
    Response health = client.get("/health");
    assertEquals(200, health.status());
    assertEquals("alive", health.json().get("status").asText());
    assertEquals(node.clusterAddress(), health.json().get("node").asText());
  }

  @Test
  void readyFlipsTo503WhenCassandraStopsAndBackTo200WhenItReturns(RealInfra infra)
      throws Exception {
    Response ready = await("/ready", a -> a.status() == 200, Duration.ofSeconds(60));
    assertTrue(ready.json().get("ready").asBoolean());
    assertTrue(ready.json().at("/checks/cassandra/ok").asBoolean());
    assertTrue(ready.json().at("/checks/kafka/ok").asBoolean());
    assertTrue(ready.json().at("/checks/cluster/ok").asBoolean());

    infra.stopCassandra();
    try {
      Response down = await("/ready", a -> a.status() == 503, Duration.ofSeconds(30));
      assertFalse(down.json().get("ready").asBoolean());
      assertFalse(down.json().at("/checks/cassandra/ok").asBoolean(), down.json().toString());
      assertFalse(down.json().at("/checks/cassandra/detail").asText().isBlank());
      assertTrue(
          down.json().at("/checks/kafka/ok").asBoolean(), "only the part that is down is named");
      assertEquals(200, client.get("/health").status(), "liveness does not depend on Cassandra");
    } finally {
      infra.startCassandra();
    }
    Response back = await("/ready", a -> a.status() == 200, Duration.ofSeconds(90));
    assertTrue(back.json().at("/checks/cassandra/ok").asBoolean());
  }

  @Test
  void theManagementPortAgreesAndListsTheCluster() throws Exception {
    await("/ready", a -> a.status() == 200, Duration.ofSeconds(60));
    assertEquals(200, management.get("/ready").status());
    assertEquals(200, management.get("/alive").status());
    Response members = management.get("/cluster/members");
    assertEquals(200, members.status());
    assertEquals(1, members.json().get("members").size(), members.body());
    assertEquals("Up", members.json().at("/members/0/status").asText(), members.body());
  }

  /**
   * The pool fails on a message whose handling throws (a swap to no model, as a bug would): it is
   * restarted with backoff, /ready says 503 naming it meanwhile, and the restart is counted.
   */
  @Test
  void aCrashedInferencePoolTurns503UntilItIsRestartedAndTheRestartIsCounted() throws Exception {
    await("/ready", a -> a.status() == 200, Duration.ofSeconds(60));
    assertTrue(client.get("/ready").json().at("/checks/inference-pool/ok").asBoolean());
    ActorRef<InferencePool.Command> pool =
        Adapter.toTyped(
            node.system()
                .classicSystem()
                .actorSelection("/system/inference-pool")
                .resolveOne(Duration.ofSeconds(10))
                .toCompletableFuture()
                .get());
    pool.tell(new InferencePool.Swap(null, node.system().ignoreRef()));

    Response down = await("/ready", a -> a.status() == 503, Duration.ofSeconds(10));
    assertFalse(down.json().at("/checks/inference-pool/ok").asBoolean(), down.body());
    assertTrue(down.json().at("/checks/inference-pool/detail").asText().contains("restarting"));
    Response back = await("/ready", a -> a.status() == 200, Duration.ofSeconds(30));
    assertTrue(back.json().at("/checks/inference-pool/ok").asBoolean(), back.body());
    assertEquals(
        1,
        PrometheusScrape.value(
            client.get("/metrics").body(),
            "pulse_supervised_restarts_total",
            "part",
            "inference-pool"),
        "the restart is counted");
    // The restarted pool answers: a recommendation comes back (from the fallback: no model here).
    assertEquals(200, client.get("/v1/users/crash-u1/recommendations").status());
  }

  @Test
  void aNodeWhoseKafkaIsAwayStaysReadyAndSaysItIsDegraded(RealInfra infra) throws Exception {
    await("/ready", a -> a.status() == 200, Duration.ofSeconds(60));
    infra.stopKafka();
    try {
      Response degraded =
          await(
              "/ready",
              a -> !a.json().at("/checks/kafka/ok").asBoolean(true),
              Duration.ofSeconds(30));
      assertEquals(200, degraded.status(), degraded.body());
      assertTrue(degraded.json().get("ready").asBoolean());
      assertTrue(degraded.json().get("degraded").asBoolean());
      assertFalse(degraded.json().at("/checks/kafka/required").asBoolean());
      assertEquals(200, management.get("/ready").status(), "the management port agrees");
      Response metrics = client.get("/metrics");
      assertEquals(
          1, PrometheusScrape.value(metrics.body(), "pulse_degraded"), "degraded in /metrics");
      assertEquals(
          1, PrometheusScrape.value(metrics.body(), "pulse_ready"), "still ready in /metrics");
    } finally {
      infra.startKafka();
    }
    Response back =
        await("/ready", a -> a.json().at("/checks/kafka/ok").asBoolean(), Duration.ofSeconds(90));
    assertFalse(back.json().get("degraded").asBoolean());
  }
}
