package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.bench.WireJson;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * A real node (Cassandra, Kafka, a trained model) runs an experiment of trending against the model
 * with a shadow variant: every counted request is scored by the shadow too, no user is ever served
 * it, no action is credited to it, and its online NDCG@10 is the hand-computed one from its lists
 * (seen through the QA parameter, which shows what it would serve) and the users' next actions.
 */
@ExtendWith(RealInfraExtension.class)
class ShadowVariantIT {
  private static final String SETTINGS =
      String.join(
          "\n",
          "pulse.learning.enabled = off",
          "pulse.experiments.analyst.attribution-window = 3s",
          "pulse.experiments.analyst.lateness = 1s",
          "pulse.experiments.analyst.checkpoint-interval = 1s");
  private static PulseNode node;
  private static TestClient client;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start(RealInfra infra) throws Exception {
    LearningFixture.trainModel(infra);
    node = PulseNode.start(infra.testNodeConfig(ConfigFactory.parseString(SETTINGS)));
    client = LearningFixture.readyClient(node);
    LearningFixture.awaitModel(client, m -> m.path("version").isTextual(), "a model served");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.awaitStopped(Duration.ofSeconds(60));
    }
  }

  private static List<String> itemIds(JsonNode answer) {
    List<String> ids = new ArrayList<>();
    answer.get("items").forEach(i -> ids.add(i.get("itemId").asText()));
    return ids;
  }

  private static double ndcg(int rank) {
    return rank >= 1 && rank <= 10 ? 1 / (Math.log(rank + 1) / Math.log(2)) : 0;
  }

  @Test
  void aShadowIsScoredOnEveryCountedRequestNeverServedAndRankedAgainstTheNextAction()
      throws Exception {
    int users = 40;
    LearningFixture.postViewHistories(client, run, "s", users);
    String name = "shadow-" + run;
    TestClient.Response created =
        client.post(
            "/v1/experiments",
            """
            {"name": "%s", "control": "trending",
             "variants": [{"name": "trending", "weight": 1, "policy": "trending"},
                          {"name": "model", "weight": 1, "policy": "model"}],
             "shadow": {"name": "next", "policy": "model"}}"""
                .formatted(name));
    assertEquals(201, created.status(), created.body());
    assertEquals(
        "next", client.get("/v1/experiments/" + name).json().path("shadow").path("name").asText());

    // Trending has the history's items to serve (a QA probe, counted nowhere).
    TestClient.await(
        "trending items to serve",
        Duration.ofSeconds(20),
        Duration.ofMillis(200),
        () ->
            client.get("/v1/users/probe-" + run + "/recommendations?k=10&variant=trending").json(),
        answer -> answer.path("items").size() == 10);

    double ndcgSum = 0;
    int acted = 0;
    for (int u = 0; u < users; u++) {
      String user = "s-" + run + "-" + u;
      // What the shadow would serve this user (QA: never counted, scores no shadow).
      JsonNode qa = client.get("/v1/users/" + user + "/recommendations?k=10&variant=next").json();
      assertEquals("next", qa.path("variant").asText(), qa.toString());
      assertTrue(qa.path("modelVersion").isTextual(), "the model answered: " + qa);
      List<String> shadowList = itemIds(qa);
      JsonNode served = client.get("/v1/users/" + user + "/recommendations?k=10").json();
      assertFalse("next".equals(served.path("variant").asText()), "never served: " + served);
      long at = System.currentTimeMillis();
      UserEvent action =
          switch (u % 3) {
            case 0 -> { // a click on the served list, naming it
              String item = itemIds(served).get(u % 5);
              yield new UserEvent(
                  "a-" + run + "-" + u,
                  user,
                  item,
                  EventType.CLICK,
                  at,
                  null,
                  new EventContext(null, null, null, null)
                      .withListId(served.get("listId").asText()));
            }
            case 1 -> // a view of what the shadow ranked (u % 10) + 1
                new UserEvent(
                    "a-" + run + "-" + u,
                    user,
                    shadowList.get(u % 10),
                    EventType.VIEW,
                    at,
                    null,
                    null);
            default -> null; // no next action
          };
      if (action != null) {
        acted++;
        ndcgSum += ndcg(shadowList.indexOf(action.itemId()) + 1);
        assertEquals(
            202,
            client
                .deliverEvents(WireJson.events(List.of(action)), Duration.ofSeconds(30))
                .status());
      }
    }

    JsonNode detail =
        TestClient.await(
            "the analyst to finish the served and the shadow lists of " + name,
            Duration.ofSeconds(60),
            Duration.ofMillis(500),
            () -> client.get("/v1/experiments/" + name).json(),
            d -> d.has("figures") && lists(d, false) == users && lists(d, true) == users);
    JsonNode shadow = figures(detail, true);
    assertEquals("next", shadow.get("variant").asText());
    assertEquals(10L * users, shadow.get("impressions").asLong());
    assertEquals(0, shadow.get("clicks").asLong(), "never shown, never credited: " + detail);
    assertFalse(shadow.has("ctr"), "no CTR for a list nobody saw: " + shadow);
    assertEquals(
        ndcgSum / acted,
        shadow.get("ndcg10").get("estimate").asDouble(),
        1e-6,
        "online NDCG@10 of the shadow's lists: " + detail);
    assertTrue(shadow.has("ndcg10VsControl"), shadow.toString());
    String metrics = client.get("/metrics").body();
    String series = "{experiment=\"" + name + "\",variant=\"next\"}";
    assertTrue(metrics.contains("pulse_experiment_ndcg10" + series), metrics);
    assertFalse(metrics.contains("pulse_experiment_ctr" + series), "no CTR series for the shadow");
    assertEquals(200, client.post("/v1/experiments/" + name + "/stop", "").status());
  }

  private static long lists(JsonNode detail, boolean shadow) {
    long n = 0;
    for (JsonNode f : detail.get("figures")) {
      if (f.path("shadow").asBoolean() == shadow) {
        n += f.get("lists").asLong();
      }
    }
    return n;
  }

  private static JsonNode figures(JsonNode detail, boolean shadow) {
    for (JsonNode f : detail.get("figures")) {
      if (f.path("shadow").asBoolean() == shadow) {
        return f;
      }
    }
    throw new AssertionError("no " + (shadow ? "shadow " : "") + "figures in " + detail);
  }
}
