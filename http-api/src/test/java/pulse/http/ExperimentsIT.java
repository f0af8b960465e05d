package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.bench.WireJson;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;
import pulse.engine.experiment.Buckets;
import pulse.engine.experiment.ServingPolicy;
import pulse.engine.experiment.Variant;
import pulse.http.TestClient.Response;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * Experiments on a cluster of two nodes (two actor systems in this JVM, one cluster) against the
 * real Cassandra and Kafka: the definition is validated at the edge, a user gets the same variant
 * from either node and the one the bucket hash gives, the split over 10,000 users follows the
 * weights, the experiment survives a node's restart, a QA request can force a variant, and a stop
 * reaches both nodes. No model is served (the model variant's answers are the NO_MODEL fallback),
 * which keeps the test on the assignment, not the encoder.
 */
@ExtendWith(RealInfraExtension.class)
class ExperimentsIT {
  private static final String SETTINGS =
      String.join(
          "\n",
          "pulse.learning.enabled = off",
          // Short windows so the scripted replay's lists finish within the test.
          "pulse.experiments.analyst.attribution-window = 3s",
          "pulse.experiments.analyst.lateness = 1s",
          "pulse.experiments.analyst.checkpoint-interval = 1s",
          // The periodic reload is the fallback road; a long one shows the announcement works.
          "pulse.experiments.refresh-interval = 60s");
  private static RealInfra infra;
  private static PulseNode first;
  private static PulseNode second;
  private static TestClient a;
  private static TestClient b;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start(RealInfra realInfra) throws Exception {
    infra = realInfra;
    first = PulseNode.start(infra.testNodeConfig(ConfigFactory.parseString(SETTINGS)));
    a = TestClient.of(first.httpPort());
    a.awaitReady(Duration.ofSeconds(90));
    second = startSecond();
    b = TestClient.of(second.httpPort());
    b.awaitReady(Duration.ofSeconds(90));
  }

  private static PulseNode startSecond() {
    Config joins =
        ConfigFactory.parseString(
            SETTINGS + "\nakka.cluster.seed-nodes = [\"" + first.clusterAddress() + "\"]");
    return PulseNode.start(infra.testNodeConfig(joins));
  }

  @AfterAll
  static void stop() throws Exception {
    if (second != null) {
      second.awaitStopped(Duration.ofSeconds(60));
    }
    if (first != null) {
      first.awaitStopped(Duration.ofSeconds(60));
    }
  }

  private String definition(String name) {
    return """
        {"name": "%s", "control": "trending",
         "variants": [{"name": "trending", "weight": 3, "policy": "trending"},
                      {"name": "model", "weight": 7, "policy": "model"}]}"""
        .formatted(name);
  }

  private static JsonNode recommend(TestClient node, String userId) throws Exception {
    Response r = node.get("/v1/users/" + userId + "/recommendations?k=5");
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @AfterEach
  void stopWhatRuns() throws Exception {
    // One experiment runs at a time: a test that failed half way must not block the next.
    for (JsonNode e : a.get("/v1/experiments").json().get("experiments")) {
      if (e.get("status").asText().equals("running")) {
        a.post("/v1/experiments/" + e.get("name").asText() + "/stop", "");
      }
    }
  }

  @Test
  void theFiguresOfAScriptedReplayAreTheHandComputedOnes() throws Exception {
    String name = "figures-" + run;
    // Trending items to serve: views of 30 items by users outside any experiment.
    List<UserEvent> warm = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < 30; i++) {
      for (int n = 0; n <= i; n++) {
        warm.add(
            new UserEvent(
                "w-" + run + "-" + i + "-" + n,
                "warm-" + run + "-" + n,
                "item-" + run + "-" + i,
                EventType.VIEW,
                now,
                null,
                null));
      }
    }
    assertEquals(202, a.deliverEvents(WireJson.events(warm), Duration.ofSeconds(30)).status());
    assertEquals(201, a.post("/v1/experiments", definition(name)).status());
    // A forced (QA) probe: its lists stay out of the figures.
    TestClient.await(
        "node b to know " + name,
        Duration.ofSeconds(20),
        Duration.ofMillis(200),
        () -> b.get("/v1/users/probe-" + run + "/recommendations?k=5&variant=trending").json(),
        answer ->
            name.equals(answer.path("experiment").asText(null))
                && answer.path("items").size() == 5);

    // Per user: one list (from either node), then one scripted action. Expected figures by hand.
    Map<String, long[]> expected = new HashMap<>(); // variant -> lists, clicked, purchased, acted
    Map<String, Double> ndcgSum = new HashMap<>();
    List<UserEvent> actions = new ArrayList<>();
    for (int u = 0; u < 60; u++) {
      String user = "fig-" + run + "-" + u;
      JsonNode list = recommend(u % 2 == 0 ? a : b, user);
      String variant = list.get("variant").asText();
      String listId = list.get("listId").asText();
      List<String> items = new ArrayList<>();
      list.get("items").forEach(i -> items.add(i.get("itemId").asText()));
      assertEquals(5, items.size(), list.toString());
      long[] e = expected.computeIfAbsent(variant, v -> new long[4]);
      e[0]++;
      long at = System.currentTimeMillis();
      int rank = 1 + u % 5; // the rank of the item the action is about
      switch (u % 4) {
        case 0 -> { // a click naming its list: clicked, next action at rank
          actions.add(action(user, u, items.get(rank - 1), EventType.CLICK, at, listId));
          e[1]++;
          e[3]++;
          ndcgSum.merge(variant, 1 / (Math.log(rank + 1) / Math.log(2)), Double::sum);
        }
        case 1 -> { // a purchase without the list: credited to the list holding the item
          actions.add(action(user, u, items.get(rank - 1), EventType.PURCHASE, at, null));
          e[2]++;
          e[3]++;
          ndcgSum.merge(variant, 1 / (Math.log(rank + 1) / Math.log(2)), Double::sum);
        }
        case 2 -> { // a view of an item that was not in the list: acted, rank 0, no credit
          actions.add(action(user, u, "elsewhere-" + run, EventType.VIEW, at, null));
          e[3]++;
          ndcgSum.merge(variant, 0.0, Double::sum);
        }
        default -> {} // nothing: the list counts, with no next action
      }
      if (u % 4 != 3) {
        // At once: the window (3 s here) closes by event time.
        UserEvent last = actions.get(actions.size() - 1);
        assertEquals(
            202, a.deliverEvents(WireJson.events(List.of(last)), Duration.ofSeconds(30)).status());
      }
    }
    JsonNode detail =
        TestClient.await(
            "the analyst to finish all 60 lists of " + name,
            Duration.ofSeconds(60),
            Duration.ofMillis(500),
            () -> b.get("/v1/experiments/" + name).json(),
            d -> d.has("figures") && finishedLists(d) == 60);
    for (JsonNode f : detail.get("figures")) {
      String variant = f.get("variant").asText();
      long[] e = expected.getOrDefault(variant, new long[4]);
      assertEquals(e[0], f.get("lists").asLong(), variant + " lists: " + detail);
      assertEquals(5 * e[0], f.get("impressions").asLong(), variant + " impressions");
      assertEquals(e[1], f.get("clicks").asLong(), variant + " clicks: " + detail);
      assertEquals(e[2], f.get("purchases").asLong(), variant + " purchases: " + detail);
      if (e[0] > 0) {
        assertEquals(
            (double) e[1] / e[0], f.get("ctr").get("estimate").asDouble(), 1e-6, variant + " ctr");
      }
      if (e[3] > 0) {
        assertEquals(
            ndcgSum.get(variant) / e[3],
            f.get("ndcg10").get("estimate").asDouble(),
            1e-6,
            variant + " online NDCG@10: " + detail);
      }
    }
    assertTrue(detail.get("figures").get(1).has("ctrVsControl"), detail.toString());
    assertEquals(200, a.post("/v1/experiments/" + name + "/stop", "").status());
  }

  private static long finishedLists(JsonNode detail) {
    long n = 0;
    for (JsonNode f : detail.get("figures")) {
      n += f.get("lists").asLong();
    }
    return n;
  }

  private UserEvent action(
      String user, int u, String item, EventType type, long at, String listId) {
    return new UserEvent(
        "act-" + run + "-" + u,
        user,
        item,
        type,
        at,
        type == EventType.PURCHASE ? 9.99 : null,
        listId == null ? null : new EventContext(null, null, null, null).withListId(listId));
  }

  @Test
  void aUserHasOneVariantOnEveryNodeAcrossRestartsUntilTheExperimentStops() throws Exception {
    String name = "split-" + run;
    Response bad =
        a.post("/v1/experiments", definition(name).replace("\"weight\": 7", "\"weight\": -7"));
    assertEquals(400, bad.status(), bad.body());
    assertEquals("variants[1].weight", bad.json().get("field").asText(), bad.body());
    Response noKey = a.withKey(null).post("/v1/experiments", definition(name));
    assertEquals(401, noKey.status(), noKey.body());

    Response created = a.post("/v1/experiments", definition(name));
    assertEquals(201, created.status(), created.body());
    assertEquals("running", created.json().get("status").asText());
    assertEquals(0.3, created.json().get("variants").get(0).get("share").asDouble(), 1e-9);
    Response twice = b.post("/v1/experiments", definition(name));
    assertEquals(409, twice.status(), twice.body());
    Response another = b.post("/v1/experiments", definition("other-" + run));
    assertEquals(409, another.status(), "one experiment runs at a time: " + another.body());

    // The other node heard of it (announced on the cluster topic; its periodic reload is 60 s).
    TestClient.await(
        "node b to assign users to " + name,
        Duration.ofSeconds(20),
        Duration.ofMillis(200),
        () -> recommend(b, "probe-" + run),
        answer -> name.equals(answer.get("experiment").asText(null)));

    List<Variant> variants =
        List.of(
            new Variant("trending", 3, ServingPolicy.TRENDING),
            new Variant("model", 7, ServingPolicy.MODEL));
    Map<String, String> seen = new HashMap<>();
    for (int u = 0; u < 200; u++) {
      String user = "user-" + run + "-" + u;
      JsonNode fromA = recommend(a, user);
      JsonNode fromB = recommend(b, user);
      String expected = variants.get(Buckets.variantIndex(Buckets.of(name, user), variants)).name();
      assertEquals(expected, fromA.get("variant").asText(), fromA.toString());
      assertEquals(expected, fromB.get("variant").asText(), fromB.toString());
      assertEquals(name, fromA.get("experiment").asText());
      if (expected.equals("trending")) {
        assertEquals("experiment_variant", fromA.get("fallbackReason").asText(), fromA.toString());
      } else {
        // The model variant asks the user's actor (no model here: the usual fallback, no_history
        // or,
        // on a cold node, timeout), never the variant's trending answer.
        assertNotEquals(
            "experiment_variant", fromA.get("fallbackReason").asText(), fromA.toString());
      }
      assertTrue(fromA.get("listId").asText().length() > 8, fromA.toString());
      seen.put(user, expected);
    }
    int trending = 0;
    for (int u = 0; u < 10_000; u++) {
      trending +=
          Buckets.variantIndex(Buckets.of(name, "user-" + run + "-" + u), variants) == 0 ? 1 : 0;
    }
    // 30% of 10,000 with a binomial sd of 46: within 4 sd.
    assertTrue(Math.abs(trending - 3_000) < 184, "trending users " + trending + " of 10,000");

    // QA: a forced variant, and a variant that does not exist.
    String someone = "user-" + run + "-0";
    String other = seen.get(someone).equals("model") ? "trending" : "model";
    Response forced =
        a.send(
            a.request("/v1/users/" + someone + "/recommendations")
                .header("X-Pulse-Variant", other)
                .GET());
    assertEquals(200, forced.status(), forced.body());
    assertEquals(other, forced.json().get("variant").asText(), forced.body());
    Response unknown = a.get("/v1/users/" + someone + "/recommendations?variant=nope");
    assertEquals(400, unknown.status(), unknown.body());
    assertEquals("variant", unknown.json().get("field").asText());

    // A restarted node knows the experiment before it is ready, and puts users where they were.
    second.awaitStopped(Duration.ofSeconds(60));
    second = startSecond();
    b = TestClient.of(second.httpPort());
    b.awaitReady(Duration.ofSeconds(90));
    Response ready = b.get("/ready");
    assertTrue(ready.body().contains("experiments"), ready.body());
    for (int u = 0; u < 50; u++) {
      String user = "user-" + run + "-" + u;
      assertEquals(seen.get(user), recommend(b, user).get("variant").asText(), user);
    }
    JsonNode shown = b.get("/v1/experiments/" + name).json();
    assertEquals("running", shown.get("status").asText(), shown.toString());

    Response stopped = b.post("/v1/experiments/" + name + "/stop", "");
    assertEquals(200, stopped.status(), stopped.body());
    assertEquals("stopped", stopped.json().get("status").asText());
    assertEquals(409, a.post("/v1/experiments/" + name + "/stop", "").status());
    assertEquals(404, a.post("/v1/experiments/none-" + run + "/stop", "").status());
    TestClient.await(
        "node a to stop assigning users to " + name,
        Duration.ofSeconds(20),
        Duration.ofMillis(200),
        () -> recommend(a, someone),
        answer -> answer.get("experiment").isNull());
    JsonNode listed = a.get("/v1/experiments").json().get("experiments");
    boolean found = false;
    for (JsonNode e : listed) {
      found |= e.get("name").asText().equals(name) && e.get("status").asText().equals("stopped");
    }
    assertTrue(found, listed.toString());
    // The name stays taken: its figures are its own.
    assertEquals(409, a.post("/v1/experiments", definition(name)).status());
  }
}
