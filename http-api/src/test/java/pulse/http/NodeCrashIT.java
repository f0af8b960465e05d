package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import pulse.engine.event.UserEvent;
import pulse.engine.user.FeatureView;
import pulse.http.TestClient.Response;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * A node killed with SIGKILL in the middle of Kafka and HTTP ingest, then started again: no
 * acknowledged event is lost, none is counted twice, and features recovered from snapshots + events
 * equal those read before.
 */
@ExtendWith(RealInfraExtension.class)
class NodeCrashIT {

  @Test
  void aKilledNodeLosesNoAcknowledgedEventAndCountsNoneTwice(RealInfra infra, @TempDir Path work)
      throws Exception {
    long now = System.currentTimeMillis();
    List<UserEvent> kafkaEvents = TestEvents.generate("crash", 40, 6_000, now, 7);
    List<UserEvent> httpEvents = TestEvents.generate("crashhttp", 10, 1_000, now, 8);
    int port = NodeProcess.freePort();
    TestClient client = TestClient.of(port);

    NodeProcess first = NodeProcess.start(infra, port, work, "node-a");
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (UserEvent e : kafkaEvents) {
        producer.send(
            new ProducerRecord<>("user-events", e.userId(), TestEvents.json(e).toString()));
      }
      producer.flush();
    }
    // HTTP batches until the kill: remember what was acknowledged.
    Map<String, Integer> ackedPerUser = new HashMap<>();
    List<List<UserEvent>> batches = new ArrayList<>();
    for (int i = 0; i < httpEvents.size(); i += 25) {
      batches.add(httpEvents.subList(i, Math.min(i + 25, httpEvents.size())));
    }
    int sent = 0;
    for (List<UserEvent> batch : batches) {
      if (sent == batches.size() / 2) {
        first.kill(); // mid-stream: Kafka batches in flight, half the HTTP batches acknowledged
      }
      try {
        Response r = client.post("/v1/events", TestEvents.jsonArray(batch));
        if (r.status() == 202) {
          batch.forEach(e -> ackedPerUser.merge(e.userId(), 1, Integer::sum));
        }
      } catch (IOException refused) {
        // the node is down: not acknowledged, the client will retry
      }
      sent++;
    }
    assertTrue(
        ackedPerUser.values().stream().mapToInt(Integer::intValue).sum() >= 400,
        "half the HTTP batches were acknowledged");

    try (NodeProcess second = NodeProcess.start(infra, port, work, "node-b")) {
      // Every acknowledged HTTP event survived the kill.
      for (var acked : ackedPerUser.entrySet()) {
        FeatureView f = UserIngestIT.features(client, acked.getKey(), now);
        assertTrue(
            f.totalEvents() >= acked.getValue(),
            acked.getKey() + ": " + f.totalEvents() + " < " + acked.getValue());
      }
      // The client retries everything; with what Kafka redelivers, each event must count exactly
      // once.
      for (List<UserEvent> batch : batches) {
        assertEquals(202, client.post("/v1/events", TestEvents.jsonArray(batch)).status());
      }
      Map<String, List<UserEvent>> expected = UserIngestIT.byUser(kafkaEvents);
      expected.putAll(UserIngestIT.byUser(httpEvents));
      awaitTotals(client, expected, now);
      Map<String, FeatureView> before = new HashMap<>();
      for (var entry : expected.entrySet()) {
        FeatureView f = UserIngestIT.features(client, entry.getKey(), now);
        if (entry.getKey().startsWith("crash-")) {
          assertEquals(
              TestEvents.expected(entry.getValue(), now),
              f,
              entry.getKey()); // Kafka: exact, in order
        } else {
          assertEquals(
              entry.getValue().size(), f.totalEvents(), entry.getKey()); // HTTP retries reorder
        }
        before.put(entry.getKey(), f);
      }
      second.kill();
      try (NodeProcess third = NodeProcess.start(infra, port, work, "node-c")) {
        for (var entry : before.entrySet()) {
          assertEquals(
              entry.getValue(),
              UserIngestIT.features(client, entry.getKey(), now),
              entry.getKey() + " recovered from snapshot + events");
        }
      }
    }
  }

  /**
   * Until every user's features count its events; the value seen is the first user still behind.
   */
  private static void awaitTotals(
      TestClient client, Map<String, List<UserEvent>> expected, long now) throws Exception {
    TestClient.await(
        "every user to reach its event count",
        Duration.ofMinutes(4),
        Duration.ofSeconds(1),
        () -> {
          for (var entry : expected.entrySet()) {
            Response r = client.get("/v1/users/" + entry.getKey() + "/features?at=" + now);
            if (r.status() != 200
                || r.json().at("/features/totalEvents").asInt() != entry.getValue().size()) {
              return entry.getKey() + " (expects " + entry.getValue().size() + "): " + r;
            }
          }
          return null;
        },
        behind -> behind == null);
  }
}
