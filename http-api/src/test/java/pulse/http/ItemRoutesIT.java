package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.engine.catalog.CassandraItemStore;
import pulse.engine.catalog.CatalogSettings;
import pulse.engine.catalog.ItemCatalog;
import pulse.engine.event.Item;
import pulse.engine.storage.CassandraStore;
import pulse.http.TestClient.Response;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * {@code POST /v1/items} and {@code GET /v1/items/{id}} bound on a random port against the real
 * Cassandra. What the routes wrote is checked through a second catalog with an empty cache, so it
 * was read back from Cassandra.
 */
@ExtendWith(RealInfraExtension.class)
class ItemRoutesIT {
  private static final Duration TTL = Duration.ofMinutes(10);
  private static ActorTestKit testKit;
  private static ServerBinding binding;
  private static TestClient client;

  // Every test uses its own ids: the items table is shared by all integration tests of this JVM.
  private final String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + "-";

  @BeforeAll
  static void start(RealInfra infra) throws Exception {
    testKit = ActorTestKit.create("item-routes-it", infra.testNodeConfig(ConfigFactory.empty()));
    ItemCatalog catalog = ItemCatalog.create(testKit.system());
    binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(new ItemRoutes(catalog).routes())
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    client = TestClient.of(binding.localAddress().getPort());
  }

  @AfterAll
  static void stop() throws Exception {
    if (binding != null) {
      binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    testKit.shutdownTestKit();
  }

  private static Response post(String body) throws Exception {
    return client.post("/v1/items", body);
  }

  private static Response get(String itemId) throws Exception {
    return client.get("/v1/items/" + URLEncoder.encode(itemId, StandardCharsets.UTF_8));
  }

  /** A catalog with nothing cached and a clock the test moves: what another node would see. */
  private static ItemCatalog freshCatalog(AtomicLong nanos) {
    var system = testKit.system();
    return new ItemCatalog(
        new CassandraItemStore(
            CassandraStore.session(system), CassandraStore.keyspace(system), Clock.systemUTC()),
        new CatalogSettings(1_000, TTL, 4),
        nanos::get);
  }

  private static Optional<Item> readBack(String itemId) {
    return freshCatalog(new AtomicLong()).get(itemId).toCompletableFuture().join();
  }

  @Test
  void upsertsItemsAndServesThemBack() throws Exception {
    String shoe = prefix + "shoe";
    String book = prefix + "book";
    Response upsert =
        post(
            """
        [{"itemId": "%s", "title": "Trail runner", "categories": ["shoes", "sports"], "brand": "Acme",
          "price": 89.5, "available": true, "attributes": {"color": "red", "size": 42, "waterproof": true}},
         {"itemId": "%s", "title": "Dune", "categories": ["books"], "price": 12}]
        """
                .formatted(shoe, book));
    assertEquals(200, upsert.status(), upsert.json().toString());
    assertEquals(2, upsert.json().get("accepted").asInt());
    assertEquals(0, upsert.json().get("rejected").size());

    Response got = get(shoe);
    assertEquals(200, got.status());
    assertEquals(
        JsonSupport.MAPPER.readTree(
            """
        {"itemId": "%s", "title": "Trail runner", "categories": ["shoes", "sports"], "brand": "Acme",
         "price": 89.5, "available": true, "attributes": {"color": "red", "size": "42", "waterproof": "true"}}
        """
                .formatted(shoe)),
        got.json());

    Item stored = readBack(shoe).orElseThrow();
    assertEquals(
        new Item(
            shoe,
            "Trail runner",
            List.of("shoes", "sports"),
            "Acme",
            89.5,
            true,
            Map.of("color", "red", "size", "42", "waterproof", "true")),
        stored);
    assertEquals(
        new Item(book, "Dune", List.of("books"), null, 12.0, true, Map.of()),
        readBack(book).orElseThrow());
    var row =
        CassandraStore.session(testKit.system())
            .selectOne(
                "SELECT updated_at FROM "
                    + CassandraStore.keyspace(testKit.system())
                    + ".items WHERE item_id = ?",
                shoe)
            .toCompletableFuture()
            .join();
    assertTrue(row.orElseThrow().getInstant("updated_at") != null);
  }

  @Test
  void anUpsertReplacesTheWholeItem() throws Exception {
    String id = prefix + "lamp";
    assertEquals(
        200,
        post("""
        [{"itemId": "%s", "title": "Lamp", "categories": ["home", "lighting"], "brand": "Lumo", "price": 30,
          "attributes": {"watts": 40}}]"""
                .formatted(id))
            .status());
    assertEquals(
        200,
        post("""
        [{"itemId": "%s", "title": "Desk lamp", "categories": ["office"], "available": false}]"""
                .formatted(id))
            .status());

    Response got = get(id);
    assertEquals(200, got.status());
    assertEquals("Desk lamp", got.json().get("title").asText());
    assertFalse(got.json().get("available").asBoolean());
    assertFalse(got.json().has("brand"), "a field the client dropped is gone: " + got.json());
    assertEquals(
        new Item(id, "Desk lamp", List.of("office"), null, null, false, Map.of()),
        readBack(id).orElseThrow(),
        "the row in Cassandra was replaced, collections included");
  }

  @Test
  void anUnknownItemIs404WithAJsonError() throws Exception {
    Response got = get(prefix + "nothing-here");
    assertEquals(404, got.status());
    assertTrue(
        got.json().get("error").asText().contains(prefix + "nothing-here"), got.json().toString());
    assertEquals("itemId", got.json().get("field").asText());
  }

  @Test
  void aTooLongIdIs400NamingTheField() throws Exception {
    Response got = get("x".repeat(129));
    assertEquals(400, got.status());
    assertEquals("itemId", got.json().get("field").asText());
  }

  @Test
  void aBodyThatIsNotAnArrayIsRefusedAsAWhole() throws Exception {
    Response notArray = post("{\"itemId\": \"%s\"}".formatted(prefix + "x"));
    assertEquals(400, notArray.status());
    assertEquals("$", notArray.json().get("field").asText());
    assertEquals("must be a JSON array", notArray.json().get("error").asText());

    Response malformed = post("[{\"itemId\": ");
    assertEquals(400, malformed.status());
    assertEquals("$", malformed.json().get("field").asText());
    assertTrue(
        malformed.json().get("error").asText().startsWith("malformed JSON"),
        malformed.json().toString());

    assertEquals(404, get(prefix + "x").status(), "nothing was written");
  }

  @Test
  void aBatchOfMoreThan1000ItemsIsRefused() throws Exception {
    ArrayNode items = JsonSupport.MAPPER.createArrayNode();
    for (int i = 0; i < 1_001; i++) {
      items.addObject().put("itemId", prefix + i);
    }
    Response tooMany = post(items.toString());
    assertEquals(400, tooMany.status());
    assertEquals("$", tooMany.json().get("field").asText());
    assertTrue(
        tooMany.json().get("error").asText().contains("at most 1000"), tooMany.json().toString());
    assertEquals(404, get(prefix + 0).status());
  }

  @Test
  void aBodyLargerThanTheLimitIsRefused() throws Exception {
    String padded = "[" + " ".repeat((int) ItemRoutes.MAX_BODY_BYTES) + "]";
    Response tooBig = post(padded);
    assertEquals(400, tooBig.status(), tooBig.json().toString());
    assertEquals("$", tooBig.json().get("field").asText());
    assertTrue(
        tooBig.json().get("error").asText().contains("larger than"), tooBig.json().toString());

    // The same body streamed without a Content-Length (chunked) is cut off as it arrives.
    byte[] bytes = padded.getBytes(StandardCharsets.UTF_8);
    Response chunked =
        client.send(
            client
                .request("/v1/items")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(bytes))));
    assertEquals(400, chunked.status(), chunked.json().toString());
    assertTrue(
        chunked.json().get("error").asText().contains("larger than"), chunked.json().toString());
  }

  @Test
  void aMixedBatchWritesTheGoodItemsAndListsTheBadOnes() throws Exception {
    Response upsert =
        post(
            """
        [{"itemId": "%1$sgood-1", "categories": ["toys"]},
         {"itemId": "%1$sbad-1", "price": -3, "colour": "blue"},
         {"itemId": "%1$sgood-2", "price": 5},
         "not an object",
         {"title": "no id"}]
        """
                .formatted(prefix));
    assertEquals(200, upsert.status(), upsert.json().toString());
    assertEquals(2, upsert.json().get("accepted").asInt());
    JsonNode rejected = upsert.json().get("rejected");
    assertEquals(3, rejected.size(), rejected.toString());
    assertEquals(1, rejected.get(0).get("index").asInt());
    assertEquals(
        JsonSupport.MAPPER.readTree(
            """
        [{"field": "colour", "reason": "unknown field"}, {"field": "price", "reason": "must not be negative"}]"""),
        rejected.get(0).get("errors"));
    assertEquals(3, rejected.get(1).get("index").asInt());
    assertEquals("$", rejected.get(1).at("/errors/0/field").asText());
    assertEquals(4, rejected.get(2).get("index").asInt());
    assertEquals("itemId", rejected.get(2).at("/errors/0/field").asText());

    assertEquals(List.of("toys"), readBack(prefix + "good-1").orElseThrow().categories());
    assertTrue(readBack(prefix + "good-2").isPresent());
    assertEquals(Optional.empty(), readBack(prefix + "bad-1"));
  }

  @Test
  void anotherNodesCacheSeesAnUpsertOnceItsCopyIsOlderThanTheTtl() throws Exception {
    String id = prefix + "mug";
    assertEquals(
        200, post("[{\"itemId\": \"%s\", \"categories\": [\"kitchen\"]}]".formatted(id)).status());
    AtomicLong nanos = new AtomicLong();
    ItemCatalog otherNode = freshCatalog(nanos);
    assertEquals(List.of("kitchen"), otherNode.categoriesOf(id).toCompletableFuture().join());

    assertEquals(
        200, post("[{\"itemId\": \"%s\", \"categories\": [\"gifts\"]}]".formatted(id)).status());
    assertEquals(
        Optional.of(List.of("kitchen")), otherNode.cachedCategoriesOf(id), "within the TTL");
    nanos.addAndGet(TTL.toNanos());
    assertEquals(Optional.empty(), otherNode.cachedCategoriesOf(id));
    assertEquals(List.of("gifts"), otherNode.categoriesOf(id).toCompletableFuture().join());
    assertEquals(Optional.of(List.of("gifts")), otherNode.cachedCategoriesOf(id));
  }
}
