package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.engine.event.UserEvent;
import pulse.engine.ingest.DeadLetterReplay;
import pulse.engine.ingest.KafkaIngest;
import pulse.http.TestClient.Response;
import pulse.infra.credentials.KafkaSecurity;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * Ingest while Cassandra is away, caused by stopping the real one: HTTP answers 503 with a
 * Retry-After and a client that honours it gets every event persisted exactly once after Cassandra
 * returns; Kafka ingest retries with backoff, dead-letters what it still cannot persist (reason
 * persist-failed) and moves on, and {@link DeadLetterReplay} brings those events back, once.
 */
@ExtendWith(RealInfraExtension.class)
class IngestOutageIT {
  private static final String PERSIST_FAILED =
      "pulse_ingest_dead_lettered_total{reason=\"" + KafkaIngest.REASON_PERSIST_FAILED + "\"}";
  private static final String RETRIES = "pulse_ingest_persist_retries_total";

  private static PulseNode node;
  private static TestClient client;

  @BeforeAll
  static void start(RealInfra infra) throws Exception {
    // Short retries, so that the test sees events dead-lettered within seconds of the outage (the
    // default rides out about 75 s).
    node =
        PulseNode.start(
            infra.testNodeConfig(
                ConfigFactory.parseString(
                    "pulse.ingest.kafka.persist-retry { attempts = 3, min-backoff = 300ms,"
                        + " max-backoff = 1s }")));
    client = TestClient.of(node.httpPort(), Duration.ofSeconds(20));
    client.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() throws Exception {
    node.awaitStopped(Duration.ofSeconds(60));
  }

  @Test
  void httpIngestAnswers503WithRetryAfterAndAClientThatHonoursItGetsEveryEventOnce(RealInfra infra)
      throws Exception {
    long now = System.currentTimeMillis();
    List<UserEvent> events = TestEvents.generate("outage-http", 5, 100, now, 11);
    String json = TestEvents.jsonArray(events);
    infra.stopCassandra();
    Response refused;
    try {
      refused =
          TestClient.await(
              "POST /v1/events to be refused while Cassandra is down",
              Duration.ofSeconds(60),
              Duration.ofMillis(500),
              () -> client.post("/v1/events", json),
              r -> r.status() == 503);
    } finally {
      infra.startCassandra();
    }
    int retryAfter = Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
    assertTrue(
        refused.json().at("/failed/0/reason").asText().contains("not persisted"), refused.body());

    Response accepted = deliverHonouringRetryAfter(json, Duration.ofMinutes(3));
    assertEquals(202, accepted.status(), accepted.body());
    for (var entry : UserIngestIT.byUser(events).entrySet()) {
      assertEquals(
          TestEvents.expected(entry.getValue(), now),
          UserIngestIT.features(client, entry.getKey(), now),
          entry.getKey() + " holds each of its events once");
    }
  }

  @Test
  void kafkaIngestDeadLettersWhatItCannotPersistMovesOnAndTheReplayBringsItBackOnce(RealInfra infra)
      throws Exception {
    long now = System.currentTimeMillis();
    List<UserEvent> parked = TestEvents.generate("outage-parked", 6, 120, now, 12);
    double deadBefore = metric(PERSIST_FAILED);
    double retriesBefore = metric(RETRIES);
    infra.stopCassandra();
    try {
      produce(infra, parked);
      TestClient.await(
          "every event produced during the outage to be dead-lettered as persist-failed",
          Duration.ofMinutes(3),
          Duration.ofMillis(500),
          () -> metric(PERSIST_FAILED) - deadBefore,
          n -> n >= parked.size());
      assertTrue(metric(RETRIES) > retriesBefore, "the persists were retried before giving up");
    } finally {
      infra.startCassandra();
    }
    client.awaitReady(Duration.ofSeconds(120));

    // The partitions moved on: events produced after the outage are persisted.
    List<UserEvent> later = TestEvents.generate("outage-later", 6, 120, now, 13);
    produce(infra, later);
    awaitAllPersisted(later, now);

    var options = replayOfPersistFailed(infra, false);
    List<String> progress = new ArrayList<>();
    DeadLetterReplay.Result replay = DeadLetterReplay.run(options, progress::add);
    assertTrue(replay.replayed() >= parked.size(), replay.toString());
    assertTrue(
        replay.byReason().getOrDefault(KafkaIngest.REASON_PERSIST_FAILED, 0L) >= parked.size(),
        replay.toString());
    assertTrue(progress.get(0).contains("records to read"), progress.toString());
    awaitAllPersisted(parked, now);

    // The group's offsets were committed: a second run finds nothing new.
    DeadLetterReplay.Result again = DeadLetterReplay.run(options, line -> {});
    assertEquals(0, again.read(), again.toString());
    // Replaying the same records once more (as after a crash mid-run) counts nothing twice.
    DeadLetterReplay.run(replayOfPersistFailed(infra, true), line -> {});
    awaitIngestCaughtUp(infra);
    awaitAllPersisted(parked, now);
  }

  /**
   * A replay of the persist-failed dead letters into user-events, as `bin/pulse dlq replay` runs
   * it.
   */
  private static DeadLetterReplay.Options replayOfPersistFailed(
      RealInfra infra, boolean fromBeginning) {
    return new DeadLetterReplay.Options(
        infra.kafkaBootstrapServers(),
        KafkaSecurity.NONE,
        "user-events-dlq",
        "user-events",
        KafkaIngest.REASON_PERSIST_FAILED,
        false,
        fromBeginning);
  }

  private static Response deliverHonouringRetryAfter(String json, Duration within)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    Response last = null;
    while (System.nanoTime() < deadline) {
      last = client.post("/v1/events", json);
      if (last.status() != 503) {
        return last;
      }
      long seconds = Long.parseLong(last.headers().firstValue("Retry-After").orElse("1"));
      Thread.sleep(seconds * 1000); // what the 503 asked of its client
    }
    throw new AssertionError("still 503 after " + within + ": " + last);
  }

  /** Every user of {@code events} holds exactly its events (none missing, none twice). */
  private static void awaitAllPersisted(List<UserEvent> events, long now) throws Exception {
    Map<String, List<UserEvent>> byUser = UserIngestIT.byUser(events);
    for (var entry : byUser.entrySet()) {
      TestClient.await(
          entry.getKey() + " to hold its " + entry.getValue().size() + " events",
          Duration.ofMinutes(2),
          Duration.ofMillis(500),
          () -> client.get("/v1/users/" + entry.getKey() + "/features?at=" + now),
          r ->
              r.status() == 200
                  && r.json().at("/features/totalEvents").asInt() >= entry.getValue().size());
      assertEquals(
          TestEvents.expected(entry.getValue(), now),
          UserIngestIT.features(client, entry.getKey(), now),
          entry.getKey());
    }
  }

  /** Until the node's consumer group has committed every record of user-events. */
  private static void awaitIngestCaughtUp(RealInfra infra) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()))) {
      TestClient.await(
          "group pulse-ingest to commit every record of user-events (records behind)",
          Duration.ofMinutes(2),
          Duration.ofMillis(500),
          () -> {
            Map<TopicPartition, OffsetAndMetadata> committed =
                admin
                    .listConsumerGroupOffsets("pulse-ingest")
                    .partitionsToOffsetAndMetadata()
                    .get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().stream()
                .filter(tp -> tp.topic().equals("user-events"))
                .forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            long behind = 0;
            for (var e : admin.listOffsets(latest).all().get().entrySet()) {
              behind += e.getValue().offset() - committed.get(e.getKey()).offset();
            }
            return behind;
          },
          behind -> behind == 0);
    }
  }

  private static void produce(RealInfra infra, List<UserEvent> events) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (UserEvent e : events) {
        producer.send(
            new ProducerRecord<>("user-events", e.userId(), TestEvents.json(e).toString()));
      }
      producer.flush();
    }
  }

  /** One series of /metrics, by its name and labels as printed; 0 before it is first counted. */
  private static double metric(String series) throws Exception {
    return client
        .get("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
