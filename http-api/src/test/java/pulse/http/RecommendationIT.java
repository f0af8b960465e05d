package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.bench.DemoTrainingData;
import pulse.bench.SyntheticData;
import pulse.bench.WireJson;
import pulse.engine.event.EventType;
import pulse.engine.event.Item;
import pulse.engine.event.UserEvent;
import pulse.http.TestClient.Response;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;
import pulse.model.cli.ModelCli;
import pulse.model.export.ModelDirectory;

/**
 * Recommendations end to end against a node on the real Cassandra and Kafka, serving a model
 * trained here on generated data: the model's answer (checked against the model called directly),
 * read-your-writes, cold start, unavailable items, overload (503 with nothing else failing) and a
 * version swap under load.
 *
 * <p>The node runs one worker, batches of at most 2 and a queue of 2, so that a burst overloads it
 * while the other tests, which send one request at a time, never do.
 */
@ExtendWith(RealInfraExtension.class)
class RecommendationIT {
  private static PulseNode node;
  private static TestClient client;
  private static RealInfra infra;
  private static List<Item> catalog;
  private static Path v1;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start(RealInfra realInfra) throws Exception {
    infra = realInfra;
    Path data = infra.modelDir().getParent().resolve("train.txt");
    DemoTrainingData.write(data, 600, 120_000);
    v1 = train(data, "v1", 42);
    node =
        PulseNode.start(
            infra.testNodeConfig(
                ConfigFactory.parseString(
                    String.join(
                        "\n",
                        "pulse.inference.workers = 1",
                        "pulse.inference.max-batch-size = 2",
                        "pulse.inference.queue-capacity = 2",
                        "pulse.inference.deadline = 5s",
                        "pulse.inference.model-poll-interval = 500ms",
                        // Versions here come from the model folder only; online learning has its
                        // own test.
                        "pulse.learning.enabled = off"))));
    client = TestClient.of(node.httpPort());
    client.awaitReady(Duration.ofSeconds(90));
    catalog = SyntheticData.catalog(SyntheticData.Spec.demo(Instant.now()).seed(), 500);
    for (String batch : WireJson.itemBatches(catalog, 1000)) {
      assertEquals(200, client.post("/v1/items", batch).status());
    }
    awaitVersion(ModelDirectory.readManifest(v1).modelVersion());
  }

  @AfterAll
  static void stop() throws Exception {
    node.awaitStopped(Duration.ofSeconds(60));
  }

  private static Path train(Path data, String name, long seed) {
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
              "6",
              "--eval-every",
              "6",
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
    assertEquals(0, code, "training the test model");
    return out;
  }

  private static JsonNode recommend(String userId, String query) throws Exception {
    Response r = client.get("/v1/users/" + userId + "/recommendations" + query);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static List<String> itemIds(JsonNode answer) {
    List<String> ids = new ArrayList<>();
    answer.get("items").forEach(i -> ids.add(i.get("itemId").asText()));
    return ids;
  }

  private static void awaitVersion(String version) throws Exception {
    TestClient.await(
        "the node to serve model " + version,
        Duration.ofSeconds(60),
        Duration.ofMillis(200),
        () -> client.get("/v1/model").json().path("version").asText(),
        version::equals);
  }

  /** Clicks on these items, one minute apart, ending now; answers 202 only once persisted. */
  private void click(String userId, List<String> items) throws Exception {
    List<UserEvent> events = new ArrayList<>();
    long t = System.currentTimeMillis() - items.size() * 60_000L;
    for (String item : items) {
      events.add(
          new UserEvent(
              run + "-" + UUID.randomUUID(),
              userId,
              item,
              EventType.CLICK,
              t += 60_000,
              null,
              null));
    }
    Response r = client.post("/v1/events", WireJson.events(events));
    assertEquals(202, r.status(), r.body());
  }

  private static List<String> available(int from, int n) {
    return catalog.stream().skip(from).filter(Item::available).limit(n).map(Item::itemId).toList();
  }

  @Test
  void aTrainedModelRanksAsItDoesWhenCalledDirectly() throws Exception {
    String user = "rec-" + run;
    List<String> history = available(0, 5);
    click(user, history);
    JsonNode answer = recommend(user, "?k=10");
    assertTrue(answer.get("fallback").isNull(), answer.toString());
    List<String> got = itemIds(answer);
    assertEquals(10, got.size());
    try (ModelDirectory.Loaded m = ModelDirectory.load(v1)) {
      assertEquals(m.manifest().modelVersion(), answer.get("modelVersion").asText());
      assertEquals(expected(m, history, 10), got);
    }
    Set<String> unavailable = new HashSet<>();
    catalog.stream().filter(i -> !i.available()).forEach(i -> unavailable.add(i.itemId()));
    for (String id : got) {
      assertFalse(history.contains(id), "seen item " + id + " excluded");
      assertFalse(unavailable.contains(id), "unavailable item " + id + " never returned");
    }
    assertTrue(answer.get("tookMs").asDouble() > 0);
  }

  /**
   * The model's own top-k for this history, with the node's exclusions (seen and unavailable
   * items).
   */
  private static List<String> expected(ModelDirectory.Loaded m, List<String> history, int k) {
    return DirectTopK.of(m.model(), m.items(), catalog, history, k);
  }

  @Test
  void anAcceptedEventIsInTheNextRecommendation() throws Exception {
    String user = "fresh-" + run;
    click(user, available(20, 3));
    List<String> before = itemIds(recommend(user, "?k=10"));
    click(user, before.subList(0, 3)); // the user clicks the top three
    JsonNode after = recommend(user, "?k=10");
    List<String> now = itemIds(after);
    assertNotEquals(before, now);
    for (String clicked : before.subList(0, 3)) {
      assertFalse(now.contains(clicked), "just-clicked " + clicked + " is seen now and excluded");
    }
    List<String> withSeen = itemIds(recommend(user, "?k=200&excludeSeen=false"));
    assertTrue(withSeen.containsAll(before.subList(0, 3)), "excludeSeen=false keeps them");
  }

  @Test
  void aUserWithNoHistoryGetsTrendingItemsNotAnError() throws Exception {
    click("trend-" + run, available(40, 4)); // makes these items trend on this node
    JsonNode answer = recommend("new-" + run, "?k=5");
    assertEquals("trending", answer.get("fallback").asText());
    assertEquals("no_history", answer.get("fallbackReason").asText());
    assertTrue(answer.get("modelVersion").isNull());
    assertEquals(5, answer.get("items").size(), answer.toString());
    JsonNode inCategory = recommend("new2-" + run, "?k=5&category=books");
    for (JsonNode item : inCategory.get("items")) {
      String id = item.get("itemId").asText();
      assertTrue(
          catalog.stream().anyMatch(i -> i.itemId().equals(id) && i.categories().contains("books")),
          id);
    }
  }

  @Test
  void anItemMarkedUnavailableIsNeverReturnedAgain() throws Exception {
    String user = "avail-" + run;
    click(user, available(60, 4));
    List<String> before = itemIds(recommend(user, "?k=10"));
    Item top =
        catalog.stream().filter(i -> i.itemId().equals(before.get(0))).findFirst().orElseThrow();
    Item gone =
        new Item(
            top.itemId(),
            top.title(),
            top.categories(),
            top.brand(),
            top.price(),
            false,
            top.attributes());
    try {
      assertEquals(200, client.post("/v1/items", WireJson.items(List.of(gone))).status());
      assertFalse(itemIds(recommend(user, "?k=10")).contains(top.itemId()));
      assertFalse(
          itemIds(recommend("cold-" + run, "?k=50")).contains(top.itemId()),
          "nor as a trending item");
    } finally {
      assertEquals(200, client.post("/v1/items", WireJson.items(List.of(top))).status());
    }
  }

  @Test
  void aBurstBeyondTheQueueIsRefusedWith503AndNothingElseFails() throws Exception {
    String user = "burst-" + run;
    click(user, available(80, 4));
    List<CompletableFuture<Response>> burst = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      burst.add(client.getAsync("/v1/users/" + user + "/recommendations?k=10"));
    }
    Response features = client.get("/v1/users/" + user + "/features");
    int ok = 0;
    int refused = 0;
    for (CompletableFuture<Response> f : burst) {
      Response r = f.get(60, TimeUnit.SECONDS);
      if (r.status() == 200) {
        ok++;
      } else {
        assertEquals(503, r.status(), r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent(), "503 carries Retry-After");
        assertTrue(r.body().contains("overloaded"), r.body());
        refused++;
      }
    }
    assertTrue(refused > 0, "a queue of 2 cannot hold a burst of 80");
    assertTrue(ok >= 2, ok + " answered");
    assertEquals(200, features.status(), "other endpoints keep working: " + features.body());
    String metrics = client.get("/metrics").body();
    int refusedHere = refused;
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("pulse_inference_rejections_total ")
                        && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= refusedHere),
        "rejections counted");
  }

  @Test
  void aNewVersionIsSwappedInUnderLoadWithNoFailedOrMixedAnswer() throws Exception {
    String user = "swap-" + run;
    List<String> history = available(100, 5);
    click(user, history);
    recommend(user, "?k=10");
    Map<String, List<String>> expectedByVersion = new HashMap<>();
    String v1Version;
    try (ModelDirectory.Loaded m = ModelDirectory.load(v1)) {
      v1Version = m.manifest().modelVersion();
      expectedByVersion.put(v1Version, expected(m, history, 10));
    }
    ConcurrentLinkedQueue<JsonNode> answers = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    AtomicBoolean stop = new AtomicBoolean();
    Thread load =
        new Thread(
            () -> {
              while (!stop.get() && System.nanoTime() < stopAt) {
                try {
                  Response r = client.get("/v1/users/" + user + "/recommendations?k=10");
                  if (r.status() != 200) {
                    failures.add(r.status() + " " + r.body());
                  } else {
                    answers.add(r.json());
                  }
                } catch (Exception e) {
                  failures.add(e.toString());
                }
              }
            });
    load.start();
    Path v2 = train(infra.modelDir().getParent().resolve("train.txt"), "v2", 7);
    String v2Version;
    try (ModelDirectory.Loaded m = ModelDirectory.load(v2)) {
      v2Version = m.manifest().modelVersion();
      expectedByVersion.put(v2Version, expected(m, history, 10));
    }
    awaitVersion(v2Version);
    Thread.sleep(1000); // answers from the new version too
    stop.set(true);
    load.join();
    assertTrue(failures.isEmpty(), "no failed request: " + failures);
    assertNotEquals(
        expectedByVersion.get(v2Version),
        expectedByVersion.get(v1Version),
        "the two versions rank differently, so a mixed answer would show");
    Set<String> seen = new HashSet<>();
    boolean newSeen = false;
    for (JsonNode a : answers) {
      assertTrue(a.get("fallback").isNull(), a.toString());
      String version = a.get("modelVersion").asText();
      seen.add(version);
      assertNotNull(expectedByVersion.get(version), "unknown version " + version);
      assertEquals(
          expectedByVersion.get(version),
          itemIds(a),
          "the answer is exactly version " + version + "'s");
      if (version.equals(v2Version)) {
        newSeen = true;
      } else {
        assertFalse(newSeen, "no answer from the old version after the new one served");
      }
    }
    assertEquals(2, seen.size(), "answers from both versions: " + seen);
  }
}
