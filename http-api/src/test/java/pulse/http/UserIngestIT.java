package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;
import pulse.engine.ingest.KafkaIngest;
import pulse.engine.user.FeatureView;
import pulse.http.TestClient.Response;
import pulse.infra.CassandraServer;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * Events over HTTP and Kafka into user actors on the real Cassandra, features read back over HTTP.
 */
@ExtendWith(RealInfraExtension.class)
class UserIngestIT {
  private static PulseNode node;
  private static TestClient client;
  private static RealInfra infra;

  @BeforeAll
  static void start(RealInfra realInfra) throws Exception {
    infra = realInfra;
    node = PulseNode.start(infra.testNodeConfig(ConfigFactory.empty()));
    client = TestClient.of(node.httpPort());
    client.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() throws Exception {
    node.awaitStopped(Duration.ofSeconds(60));
  }

  static FeatureView features(TestClient client, String userId, long at) throws Exception {
    Response r = client.get("/v1/users/" + userId + "/features?at=" + at);
    assertEquals(200, r.status(), r.body());
    return JsonSupport.MAPPER.treeToValue(r.json().get("features"), FeatureView.class);
  }

  static Map<String, List<UserEvent>> byUser(List<UserEvent> events) {
    return events.stream()
        .collect(Collectors.groupingBy(UserEvent::userId, LinkedHashMap::new, Collectors.toList()));
  }

  @Test
  void httpIngestPersistsBeforeAcknowledgingAndListsBadEventsByField() throws Exception {
    long now = System.currentTimeMillis();
    List<UserEvent> events = TestEvents.generate("http", 5, 200, now, 1);
    String body =
        "["
            + TestEvents.jsonArray(events).substring(1, TestEvents.jsonArray(events).length() - 1)
            + ",{\"eventId\":\"x\",\"userId\":\"http-u0\",\"type\":\"view\",\"timestamp\":"
            + now
            + "}"
            + ",{\"eventId\":\"y\",\"userId\":\"http-u0\",\"itemId\":\"i\",\"type\":\"rating\",\"value\":9,\"timestamp\":"
            + now
            + "}]";
    Response r = client.post("/v1/events", body);
    assertEquals(202, r.status(), r.body());
    JsonNode answer = r.json();
    assertEquals(202, answer.get("received").asInt());
    assertEquals(200, answer.get("accepted").asInt());
    assertEquals(2, answer.get("rejected").size());
    assertEquals("itemId", answer.at("/rejected/0/errors/0/field").asText());
    assertEquals(200, answer.at("/rejected/0/index").asInt());
    assertEquals("value", answer.at("/rejected/1/errors/0/field").asText());

    // Acknowledged means persisted: every user's features hold exactly its events.
    for (var entry : byUser(events).entrySet()) {
      assertEquals(
          TestEvents.expected(entry.getValue(), now), features(client, entry.getKey(), now));
    }
    // A client retry of the same batch changes nothing.
    JsonNode retry = client.post("/v1/events", TestEvents.jsonArray(events)).json();
    assertEquals(0, retry.get("accepted").asInt());
    assertEquals(200, retry.get("duplicates").asInt());
    assertEquals(
        TestEvents.expected(byUser(events).get("http-u1"), now), features(client, "http-u1", now));
  }

  @Test
  void categoriesFromTheCatalogDriveTheAffinityFeatures() throws Exception {
    long now = System.currentTimeMillis();
    Response items =
        client.post(
            "/v1/items",
            "[{\"itemId\":\"cat-a\",\"title\":\"A\",\"categories\":[\"puzzle\",\"indie\"],\"available\":true},"
                + "{\"itemId\":\"cat-b\",\"title\":\"B\",\"categories\":[\"racing\"],\"available\":true}]");
    assertEquals(200, items.status(), items.body());
    List<UserEvent> events =
        List.of(
            new UserEvent("cat-1", "cat-user", "cat-a", EventType.PURCHASE, now - 2000, 10.0, null),
            new UserEvent("cat-2", "cat-user", "cat-b", EventType.VIEW, now - 1000, 100.0, null));
    assertEquals(202, client.post("/v1/events", TestEvents.jsonArray(events)).status());
    FeatureView f = features(client, "cat-user", now);
    assertEquals(
        List.of("indie", "puzzle", "racing"),
        f.topCategories().stream().map(c -> c.category()).sorted().toList());
    assertEquals(
        "indie", f.topCategories().get(0).category(), "a purchase (weight 5) outweighs a view (1)");
    assertEquals(List.of("puzzle", "indie"), f.recent().get(0).categories());
  }

  @Test
  void aBatchThatIsNotAnArrayIsOneErrorNamingTheInput() throws Exception {
    Response r = client.post("/v1/events", "{\"eventId\":\"a\"}");
    assertEquals(400, r.status());
    assertEquals("$", r.json().get("field").asText());
  }

  @Test
  void forgettingAUserDeletesItsEventsAndSnapshots() throws Exception {
    long now = System.currentTimeMillis();
    List<UserEvent> events = TestEvents.generate("forget", 1, 250, now, 2);
    for (int i = 0;
        i < events.size();
        i += 2) { // 125 journal entries > snapshot-every: snapshots exist
      assertEquals(
          202, client.post("/v1/events", TestEvents.jsonArray(events.subList(i, i + 2))).status());
    }
    String user = events.get(0).userId();
    String pid = "User|" + user;
    try (CqlSession cql =
        CqlSession.builder()
            .addContactPoint(new InetSocketAddress(infra.cassandraHost(), infra.cassandraPort()))
            .withLocalDatacenter(CassandraServer.DATACENTER)
            .build()) {
      assertTrue(
          countRows(cql, "SELECT count(*) FROM pulse.snapshots WHERE persistence_id = ?", pid) > 0,
          "snapshots taken");

      Response forgotten = client.delete("/v1/users/" + user);
      assertEquals(200, forgotten.status(), forgotten.body());
      assertEquals(404, client.get("/v1/users/" + user + "/features").status());
      assertEquals(
          0, countRows(cql, "SELECT count(*) FROM pulse.snapshots WHERE persistence_id = ?", pid));
      // Only the marker that the deletion completed may remain in the journal; no event with user
      // data.
      long left =
          countRows(
              cql,
              "SELECT count(*) FROM pulse.messages WHERE persistence_id = ? AND partition_nr = 0",
              pid);
      assertTrue(left <= 1, left + " journal rows left");

      // The user can come back, starting from nothing.
      UserEvent again =
          new UserEvent("forget-new", user, "item-1", events.get(0).type(), now - 1000, null, null);
      assertEquals(202, client.post("/v1/events", TestEvents.jsonArray(List.of(again))).status());
      assertEquals(1, features(client, user, now).totalEvents());
    }
  }

  private static long countRows(CqlSession cql, String query, String pid) {
    return cql.execute(SimpleStatement.newInstance(query, pid)).one().getLong(0);
  }

  @Test
  void tenThousandKafkaEventsWithPoisonAndRedeliveriesEndUpExactlyOnce() throws Exception {
    long now = System.currentTimeMillis();
    List<UserEvent> events = TestEvents.generate("kafka", 50, 10_000, now, 3);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    int poison = 0;
    int redelivered = 0;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < events.size(); i++) {
        UserEvent e = events.get(i);
        String json = TestEvents.json(e).toString();
        producer.send(new ProducerRecord<>("user-events", e.userId(), json));
        if (i % 97 == 0) { // a producer retry: the same event twice
          producer.send(new ProducerRecord<>("user-events", e.userId(), json));
          redelivered++;
        }
        if (i % 211 == 0) { // poison: not JSON, or JSON that fails validation
          producer.send(
              new ProducerRecord<>(
                  "user-events",
                  e.userId(),
                  i % 2 == 0 ? "{not json" : "{\"eventId\":\"p" + i + "\"}"));
          poison++;
        }
      }
      producer.flush();
    }

    Map<String, List<UserEvent>> expectedByUser = byUser(events);
    Set<String> done = new HashSet<>();
    TestClient.await(
        "every user to get all its events (users done, of " + expectedByUser.size() + ")",
        Duration.ofMinutes(4),
        Duration.ofMillis(500),
        () -> {
          for (var entry : expectedByUser.entrySet()) {
            if (done.contains(entry.getKey())) {
              continue;
            }
            Response r = client.get("/v1/users/" + entry.getKey() + "/features?at=" + now);
            if (r.status() == 200
                && r.json().at("/features/totalEvents").asInt() == entry.getValue().size()) {
              done.add(entry.getKey());
            }
          }
          return done.size();
        },
        n -> n == expectedByUser.size());
    for (var entry : expectedByUser.entrySet()) {
      assertEquals(
          TestEvents.expected(entry.getValue(), now),
          features(client, entry.getKey(), now),
          entry.getKey());
    }

    List<ConsumerRecord<String, byte[]>> dead = readAll("user-events-dlq", poison);
    assertEquals(poison, dead.size());
    for (ConsumerRecord<String, byte[]> d : dead) {
      String reason =
          new String(
              d.headers().lastHeader(KafkaIngest.ERROR_HEADER).value(), StandardCharsets.UTF_8);
      assertTrue(reason.contains("\"field\""), reason);
      assertTrue(
          new String(
                  d.headers().lastHeader(KafkaIngest.SOURCE_HEADER).value(), StandardCharsets.UTF_8)
              .startsWith("user-events/"));
    }
    assertTrue(redelivered > 100, "the test really redelivered");
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(500)).forEach(out::add);
        if (out.size() >= expected) {
          // one more poll: more than expected would be a failure too
          c.poll(Duration.ofSeconds(2)).forEach(out::add);
          break;
        }
      }
    }
    return out;
  }
}
