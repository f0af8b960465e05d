package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import pulse.bench.DemoTrainingData;
import pulse.bench.SyntheticData;
import pulse.bench.WireJson;
import pulse.engine.event.EventType;
import pulse.engine.event.Item;
import pulse.engine.event.UserEvent;
import pulse.http.TestClient.Response;
import pulse.infra.junit.RealInfra;
import pulse.model.cli.ModelCli;

/**
 * What the online-learning integration tests share: a small trained model, a client, polling GET
 * /v1/model.
 */
final class LearningFixture {
  private LearningFixture() {}

  /** A small model on generated data over the demo catalog, with spare rows for new items. */
  static Path trainModel(RealInfra infra) throws Exception {
    DemoTrainingData.write(trainingData(infra), 600, 120_000);
    return trainModel(infra, "base", 11, 6);
  }

  private static Path trainingData(RealInfra infra) {
    return infra.modelDir().getParent().resolve("learn-train.txt");
  }

  /**
   * Another model of the same generated data in {@code name} under the model folder: {@code seed}
   * and {@code epochs} make it a different one (a canary candidate beside the base).
   */
  static Path trainModel(RealInfra infra, String name, long seed, int epochs) throws Exception {
    Path data = trainingData(infra);
    if (!Files.exists(data)) {
      DemoTrainingData.write(data, 600, 120_000);
    }
    Path out = infra.modelDir().resolve(name);
    int code =
        ModelCli.run(
            new String[] {
              "train",
              "--data",
              data.toString(),
              "--format",
              "sasrec",
              "--out",
              out.toString(),
              "--epochs",
              Integer.toString(epochs),
              "--eval-every",
              Integer.toString(epochs),
              "--val-users",
              "200",
              "--d",
              "32",
              "--max-len",
              "20",
              "--seed",
              Long.toString(seed),
              "--threads",
              "1"
            },
            System.out,
            System.err);
    assertEquals(0, code, "training the test model " + name);
    return out;
  }

  /**
   * Three views each of the demo catalog's items (the test model knows them) for {@code users}
   * users {@code userPrefix-run-0} ..., a minute ago, so a model answers them.
   */
  static void postViewHistories(TestClient client, String run, String userPrefix, int users)
      throws Exception {
    List<Item> items = SyntheticData.catalog(SyntheticData.Spec.demo(Instant.now()).seed(), 500);
    List<UserEvent> history = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int u = 0; u < users; u++) {
      for (int i = 0; i < 3; i++) {
        history.add(
            new UserEvent(
                "h-" + run + "-" + u + "-" + i,
                userPrefix + "-" + run + "-" + u,
                items.get((u * 7 + i * 13) % items.size()).itemId(),
                EventType.VIEW,
                now - 60_000 + i,
                null,
                null));
      }
    }
    for (String batch : WireJson.eventBatches(history, 1000)) {
      assertEquals(202, client.deliverEvents(batch, Duration.ofSeconds(30)).status());
    }
  }

  /**
   * A client for a learning node, once it is ready; requests time out after 60 s (posting events
   * waits for them).
   */
  static TestClient readyClient(PulseNode node) throws Exception {
    TestClient client = TestClient.of(node.httpPort(), Duration.ofSeconds(60));
    client.awaitReady(Duration.ofSeconds(90));
    return client;
  }

  static JsonNode model(TestClient client) throws Exception {
    return client.get("/v1/model").json();
  }

  /**
   * The learner stands on a version and this node serves that same one (an error answer never
   * counts).
   */
  static boolean learnerAndNodeAgree(JsonNode m) {
    JsonNode learner = m.path("learner").path("version");
    return learner.isTextual()
        && m.path("version").isTextual()
        && learner.asText().equals(m.path("version").asText());
  }

  /** Polls GET /v1/model until the condition holds. */
  static JsonNode awaitModel(TestClient client, Predicate<JsonNode> condition, String what)
      throws Exception {
    return TestClient.await(
        what + " in GET /v1/model",
        Duration.ofSeconds(120),
        Duration.ofMillis(250),
        () -> model(client),
        condition);
  }

  /**
   * Waits until the learner is idle (its version unchanged for 2 s) and this node serves that
   * version.
   */
  static String awaitSettled(TestClient client) throws Exception {
    // The outbox publishes feedback from the journal seconds after the persist (events-by-tag's
    // consistency delay): a learner quiet for a moment before that has not seen it yet.
    TestClient.await(
        "the outbox to publish every ingested event",
        Duration.ofSeconds(60),
        Duration.ofMillis(200),
        () -> client.get("/metrics").body(),
        metrics -> sum(metrics, "pulse_feedback_published_total") >= sum(metrics, INGESTED));
    var stable =
        new Object() {
          String last = null;
          long since = System.nanoTime();
        };
    JsonNode settled =
        TestClient.await(
            "the learner and the node to settle on one version",
            Duration.ofSeconds(120),
            Duration.ofMillis(200),
            () -> model(client),
            m -> {
              String learner = m.path("learner").path("version").asText(null);
              if (!m.path("learner").path("version").isTextual()) {
                stable.last = null; // an error answer (503) or no learner yet
                stable.since = System.nanoTime();
              } else if (!learner.equals(stable.last)) {
                stable.last = learner;
                stable.since = System.nanoTime();
              } else {
                return learner.equals(m.path("version").asText(null))
                    && System.nanoTime() - stable.since > TimeUnit.SECONDS.toNanos(2);
              }
              return false;
            });
    return settled.path("learner").path("version").asText();
  }

  private static final String INGESTED = "pulse_events_ingested_total";

  /** The sum of a counter's series on a /metrics page. */
  static double sum(String metrics, String counter) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(counter + " ") || l.startsWith(counter + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Clicks of one user on these items, a minute apart, ending now. */
  static List<UserEvent> clicks(String run, String user, List<String> items) {
    List<UserEvent> events = new ArrayList<>();
    long t = System.currentTimeMillis() - items.size() * 60_000L;
    for (String item : items) {
      events.add(
          new UserEvent(
              run + "-" + UUID.randomUUID(), user, item, EventType.CLICK, t += 60_000, null, null));
    }
    return events;
  }

  static void postEvents(TestClient client, List<UserEvent> events) throws Exception {
    Response r = client.post("/v1/events", WireJson.events(events));
    assertEquals(202, r.status(), r.body());
  }
}
