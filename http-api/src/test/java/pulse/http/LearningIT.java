package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.http.LearningFixture.awaitModel;
import static pulse.http.LearningFixture.awaitSettled;
import static pulse.http.LearningFixture.clicks;
import static pulse.http.LearningFixture.postEvents;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.bench.SyntheticData;
import pulse.bench.WireJson;
import pulse.engine.event.Item;
import pulse.engine.event.UserEvent;
import pulse.engine.versions.ModelVersionStore;
import pulse.engine.versions.VersionLoader;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;
import pulse.model.Device;
import pulse.testing.PrometheusScrape;

/**
 * Online learning against a node on the real Cassandra and Kafka: the learner learns from events
 * posted over HTTP (through the feedback topic), the node serves exactly the version the learner
 * stored (base + deltas, compared with the version loaded whole), a rollback serves exactly the
 * named version again, and an item the model never saw becomes recommendable once users interact
 * with it.
 */
@ExtendWith(RealInfraExtension.class)
class LearningIT {
  private static PulseNode node;
  private static TestClient client;
  private static List<Item> catalog;
  private static ModelVersionStore store;
  private static final String MODEL = "it-" + UUID.randomUUID().toString().substring(0, 8);
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start(RealInfra infra) throws Exception {
    LearningFixture.trainModel(infra);
    node =
        PulseNode.start(
            infra.testNodeConfig(
                ConfigFactory.parseString(
                    String.join(
                        "\n",
                        "pulse.learning.model-name = \"" + MODEL + "\"",
                        "pulse.learning.checkpoint-every = 3",
                        "pulse.learning.batch-window = 100ms",
                        "pulse.learning.learning-rate = 0.01",
                        "pulse.learning.examples.impression-horizon = 0s",
                        // Recommendations asked for checks must not feed the learner: impressions
                        // off here.
                        "pulse.recommend.record-impressions = off"))));
    client = LearningFixture.readyClient(node);
    catalog = SyntheticData.catalog(SyntheticData.Spec.demo(Instant.now()).seed(), 500);
    for (String batch : WireJson.itemBatches(catalog, 1000)) {
      assertEquals(200, client.post("/v1/items", batch).status());
    }
    store = ModelVersionStore.create(node.system(), MODEL);
    awaitModel(client, LearningFixture::learnerAndNodeAgree, "the learner's base");
  }

  @AfterAll
  static void stop() throws Exception {
    node.awaitStopped(Duration.ofSeconds(60));
  }

  private static List<String> available(int from, int n) {
    return catalog.stream().skip(from).filter(Item::available).limit(n).map(Item::itemId).toList();
  }

  /** Some users' journeys through the catalog: the learner makes versions of them. */
  private void traffic(int users, int from) throws Exception {
    List<UserEvent> events = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      events.addAll(clicks(run, "learn-" + run + "-" + u, available(from + 7 * u, 6)));
    }
    postEvents(client, events);
  }

  private static List<String> answer(String user, String query) throws Exception {
    JsonNode a = client.get("/v1/users/" + user + "/recommendations" + query).json();
    assertTrue(a.get("fallback").isNull(), "the model answers: " + a);
    List<String> ids = new ArrayList<>();
    a.get("items").forEach(i -> ids.add(i.get("itemId").asText()));
    return ids;
  }

  /**
   * Top-10 of the stored version loaded whole, with the node's exclusions (history and unavailable
   * items).
   */
  private static List<String> expected(String version, List<String> history) throws Exception {
    try (var loaded = VersionLoader.load(store, version, 1, Device.CPU).orElseThrow().model()) {
      return DirectTopK.of(loaded.model(), loaded.items(), catalog, history, 10);
    }
  }

  @Test
  void theNodeServesExactlyWhatTheLearnerStoredAndARollbackServesTheNamedVersionAgain()
      throws Exception {
    long seqBefore = LearningFixture.model(client).path("learner").path("seq").asLong();
    traffic(12, 0);
    awaitModel(
        client, m -> m.path("learner").path("seq").asLong() >= seqBefore + 1, "a learned version");
    traffic(12, 100);
    awaitModel(
        client,
        m -> m.path("learner").path("seq").asLong() >= seqBefore + 2,
        "a second learned version");
    String served = awaitSettled(client);
    assertTrue(served.contains(".u"), "a learned version: " + served);

    String probe = "probe-" + run;
    List<String> history = available(300, 4);
    postEvents(client, clicks(run, probe, history));
    served = awaitSettled(client); // the probe's own clicks are learned too
    assertEquals(
        expected(served, history), answer(probe, "?k=10"), "base + deltas = the stored version");

    JsonNode m = LearningFixture.model(client);
    long servedSeq = -1;
    for (JsonNode v : m.get("history")) {
      if (v.get("version").asText().equals(served)) {
        servedSeq = v.get("seq").asLong();
      }
    }
    String older = null;
    for (JsonNode v : m.get("history")) { // newest first: the newest good one before the served
      if (v.get("seq").asLong() < servedSeq && v.get("status").asText().equals("GOOD")) {
        older = v.get("version").asText();
        break;
      }
    }
    assertTrue(older != null, "an older good version to roll back to: " + m.get("history"));
    String target = older;
    var r = client.post("/v1/model/rollback", "{\"version\":\"" + target + "\"}");
    assertEquals(200, r.status(), r.body());
    awaitModel(
        client, x -> target.equals(x.path("version").asText()), "the node serving " + target);
    assertEquals(
        expected(target, history), answer(probe, "?k=10"), "exactly the rolled-back-to version");
    boolean rolledBack = false;
    for (JsonNode v : LearningFixture.model(client).get("history")) {
      rolledBack |=
          v.get("version").asText().equals(served)
              && v.get("status").asText().equals("ROLLED_BACK");
    }
    assertTrue(rolledBack, "the version rolled back from is marked so");
  }

  @Test
  void anItemTheModelNeverSawBecomesRecommendableOnceUsersTakeIt() throws Exception {
    String fresh = "fresh-" + run;
    String category = "cat-" + run;
    Item item =
        new Item(fresh, "Brand new thing", List.of(category), "Newco", 9.99, true, Map.of());
    assertEquals(200, client.post("/v1/items", WireJson.items(List.of(item))).status());
    String user = "curious-" + run;
    postEvents(client, clicks(run, user, available(400, 3)));
    JsonNode before =
        client.get("/v1/users/" + user + "/recommendations?k=5&category=" + category).json();
    assertEquals("trending", before.get("fallback").asText(), "unknown to the model: " + before);

    List<UserEvent> events = new ArrayList<>();
    for (int u = 0; u < 8; u++) {
      List<String> journey = new ArrayList<>(available(410 + u, 2));
      journey.add(fresh);
      events.addAll(clicks(run, "adopter-" + run + "-" + u, journey));
    }
    postEvents(client, events);
    awaitModel(
        client,
        m -> {
          try {
            JsonNode a =
                client
                    .get("/v1/users/" + user + "/recommendations?k=5&category=" + category)
                    .json();
            return a.get("fallback").isNull()
                && a.get("items").size() == 1
                && a.get("items").get(0).get("itemId").asText().equals(fresh);
          } catch (Exception e) {
            return false;
          }
        },
        "the model recommending " + fresh);
    assertFalse(LearningFixture.model(client).path("learner").path("learning").isMissingNode());
  }

  @Test
  void pauseAndResumeControlLearning() throws Exception {
    var paused = client.post("/v1/model/pause", "");
    assertEquals(200, paused.status(), paused.body());
    JsonNode m =
        awaitModel(client, x -> !x.path("learner").path("learning").asBoolean(), "learning paused");
    assertEquals("paused by request", m.path("learner").path("pausedBecause").asText());
    assertTrue(PrometheusScrape.value(client.get("/metrics").body(), "pulse_learning_paused") == 1);
    var resumed = client.post("/v1/model/resume", "");
    assertEquals(200, resumed.status(), resumed.body());
    awaitModel(client, x -> x.path("learner").path("learning").asBoolean(), "learning again");
    var bad = client.post("/v1/model/rollback", "{}");
    assertEquals(400, bad.status());
    assertTrue(bad.body().contains("\"field\":\"version\""), bad.body());
  }
}
