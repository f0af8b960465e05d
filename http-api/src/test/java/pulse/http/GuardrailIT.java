package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.http.LearningFixture.awaitModel;
import static pulse.http.LearningFixture.clicks;
import static pulse.http.LearningFixture.postEvents;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.bench.SyntheticData;
import pulse.engine.event.Item;
import pulse.engine.event.UserEvent;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;
import pulse.testing.PrometheusScrape;

/**
 * A poisoned update (a NaN learning rate makes every step NaN) is refused by the guardrail: nothing
 * of it is published, the cluster is told to serve the last good checkpoint, learning pauses, and
 * the node says why in GET /v1/model and /metrics, while recommendations go on from the good
 * version.
 */
@ExtendWith(RealInfraExtension.class)
class GuardrailIT {
  @Test
  void aPoisonedUpdateIsRefusedRolledBackAndPausesLearning(RealInfra infra) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    LearningFixture.trainModel(infra);
    PulseNode node =
        PulseNode.start(
            infra.testNodeConfig(
                ConfigFactory.parseString(
                    String.join(
                        "\n",
                        "pulse.learning.model-name = \"guard-" + run + "\"",
                        "pulse.learning.learning-rate = NaN",
                        "pulse.learning.batch-window = 100ms",
                        "pulse.recommend.record-impressions = off"))));
    try {
      TestClient client = LearningFixture.readyClient(node);
      JsonNode base =
          awaitModel(client, LearningFixture::learnerAndNodeAgree, "the learner's base");
      String good = base.path("version").asText();
      List<String> items =
          SyntheticData.catalog(SyntheticData.Spec.demo(Instant.now()).seed(), 500).stream()
              .filter(Item::available)
              .map(Item::itemId)
              .toList();
      List<UserEvent> events = new ArrayList<>();
      for (int u = 0; u < 5; u++) {
        events.addAll(clicks(run, "poison-" + run + "-" + u, items.subList(4 * u, 4 * u + 4)));
      }
      postEvents(client, events);
      JsonNode paused =
          awaitModel(
              client,
              m -> !m.path("learner").path("learning").asBoolean(true),
              "the guardrail pausing learning");
      assertTrue(
          paused.path("learner").path("pausedBecause").asText().contains("NaN"), paused.toString());
      assertEquals(
          good, paused.path("version").asText(), "the node still serves the last good version");
      assertEquals(good, paused.path("learner").path("version").asText());
      for (JsonNode v : paused.get("history")) {
        assertTrue(
            !v.get("version").asText().contains(".u") || !v.get("status").asText().equals("GOOD"),
            "no poisoned version is stored as good: " + v);
      }
      String metrics = client.get("/metrics").body();
      assertTrue(
          PrometheusScrape.value(metrics, "pulse_learning_rejected_total") == 1,
          "rejection counted");
      assertTrue(PrometheusScrape.value(metrics, "pulse_learning_paused") == 1, "paused shown");
      JsonNode answer = client.get("/v1/users/poison-" + run + "-0/recommendations?k=5").json();
      assertTrue(
          answer.get("fallback").isNull() && good.equals(answer.get("modelVersion").asText()),
          answer.toString());
    } finally {
      node.awaitStopped(Duration.ofSeconds(60));
    }
  }
}
