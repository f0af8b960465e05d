package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.bench.WireJson;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;
import pulse.http.TestClient.Response;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * The feedback outbox against a real node, Cassandra and Kafka: the broker stops while users keep
 * posting; HTTP ingest keeps answering 202 (it waits for the journal, never for Kafka), and once
 * the broker is back every acknowledged event reaches the feedback topic, each user's in the order
 * they were posted.
 */
@ExtendWith(RealInfraExtension.class)
class FeedbackOutboxIT {
  private static final int USERS = 4;
  private static final int ROUNDS = 8;
  private static final int PER_POST = 5;
  private static PulseNode node;
  private static TestClient client;
  private static Config config;

  @BeforeAll
  static void start(RealInfra infra) throws Exception {
    config = infra.testNodeConfig(ConfigFactory.empty());
    node = PulseNode.start(config);
    client = TestClient.of(node.httpPort(), Duration.ofSeconds(30));
    TestClient.await(
        "the node ready",
        Duration.ofSeconds(90),
        Duration.ofMillis(500),
        () -> client.get("/ready"),
        r -> r.status() == 200);
  }

  @AfterAll
  static void stop() throws Exception {
    node.awaitStopped(Duration.ofSeconds(60));
  }

  @Test
  void eventsAcknowledgedWhileKafkaIsDownReachTheFeedbackTopicOnceItIsBack(RealInfra infra)
      throws Exception {
    String run = "outbox-" + UUID.randomUUID();
    Map<String, List<String>> posted = new LinkedHashMap<>();
    for (int u = 0; u < USERS; u++) {
      posted.put(run + "-u" + u, new ArrayList<>());
    }
    postRounds(posted);
    infra.stopKafka();
    try {
      postRounds(posted); // every post answered 202 with the broker away
      assertTrue(
          client.get("/metrics").body().contains("pulse_feedback_publish_failures_total"),
          "the outbox's failures are on /metrics");
    } finally {
      infra.startKafka();
    }
    postRounds(posted);

    int postedCount = posted.values().stream().mapToInt(List::size).sum();
    double ingested =
        client
            .get("/metrics")
            .body()
            .lines()
            .filter(l -> l.startsWith("pulse_events_ingested_total{source=\"http\"} "))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum();
    assertEquals(postedCount, ingested, "every accepted event counted by source on /metrics");

    Map<String, List<String>> published =
        readFeedback(infra, config.getString("pulse.learning.topic"), posted);
    for (var user : posted.entrySet()) {
      List<String> want = user.getValue();
      List<String> got = published.get(user.getKey());
      int first = 0;
      while (first < Math.min(want.size(), got.size()) && want.get(first).equals(got.get(first))) {
        first++;
      }
      assertEquals(
          want.size(),
          first,
          user.getKey()
              + ": every acknowledged event once, in the order posted; "
              + got.size()
              + " published, the first difference at "
              + first
              + (first < got.size()
                  ? " (published #"
                      + first
                      + " is posted #"
                      + want.indexOf(got.get(first))
                      + ", posted #"
                      + first
                      + " is published #"
                      + got.indexOf(want.get(first))
                      + ")"
                  : ""));
    }
  }

  private static void postRounds(Map<String, List<String>> posted) throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      for (var user : posted.entrySet()) {
        List<UserEvent> events = new ArrayList<>();
        for (int i = 0; i < PER_POST; i++) {
          events.add(
              new UserEvent(
                  user.getKey() + "-" + UUID.randomUUID(),
                  user.getKey(),
                  "sku-" + (round * PER_POST + i),
                  EventType.CLICK,
                  System.currentTimeMillis(),
                  null,
                  null));
        }
        Response r = client.post("/v1/events", WireJson.events(events));
        assertEquals(202, r.status(), r.body());
        events.forEach(e -> user.getValue().add(e.eventId()));
      }
    }
  }

  /**
   * Each user's eventIds in the order the topic holds them, repeats (at-least-once) kept once, read
   * until every posted one is there.
   */
  private static Map<String, List<String>> readFeedback(
      RealInfra infra, String topic, Map<String, List<String>> posted) throws Exception {
    int expected = posted.values().stream().mapToInt(List::size).sum();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "outbox-it-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    ObjectMapper json = new ObjectMapper();
    Map<String, Set<String>> seen = new LinkedHashMap<>();
    posted.keySet().forEach(u -> seen.put(u, new LinkedHashSet<>()));
    try (var consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      TestClient.await(
          expected + " feedback records of the test's users",
          Duration.ofSeconds(120),
          Duration.ZERO,
          () -> {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
              Set<String> ids = seen.get(r.key());
              if (ids != null) {
                JsonNode record = json.readTree(r.value());
                ids.add(record.get("eventId").asText());
              }
            }
            return seen.values().stream().mapToInt(Set::size).sum();
          },
          n -> n >= expected);
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    seen.forEach((u, ids) -> out.put(u, new ArrayList<>(ids)));
    return out;
  }
}
