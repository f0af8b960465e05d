package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.engine.catalog.CatalogSettings;
import pulse.engine.catalog.ItemCatalog;
import pulse.engine.catalog.ItemStore;
import pulse.engine.event.Item;

/**
 * What the item routes answer when the store fails or has nothing to do; the happy paths run in
 * ItemRoutesIT.
 */
class ItemRoutesTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final AtomicInteger WRITES = new AtomicInteger();
  private static ActorTestKit testKit;
  private static ServerBinding binding;

  /** Cassandra gone: every write and read fails as the driver's would. */
  private static final class UnavailableStore implements ItemStore {
    @Override
    public CompletionStage<Done> write(Item item) {
      WRITES.incrementAndGet();
      return CompletableFuture.failedFuture(new IllegalStateException("no node was available"));
    }

    @Override
    public CompletionStage<Optional<Item>> read(String itemId) {
      return CompletableFuture.failedFuture(new IllegalStateException("no node was available"));
    }
  }

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create("item-routes-test");
    ItemCatalog catalog =
        new ItemCatalog(
            new UnavailableStore(),
            new CatalogSettings(100, Duration.ofMinutes(1), 2),
            System::nanoTime);
    binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(new ItemRoutes(catalog).routes())
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
  }

  @Test
  void aFailedWriteIs503NotASuccess() throws Exception {
    var r =
        send(
            HttpRequest.newBuilder(uri("/v1/items"))
                .POST(HttpRequest.BodyPublishers.ofString("[{\"itemId\": \"a\"}]")));
    assertEquals(503, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
    JsonNode body = JsonSupport.MAPPER.readTree(r.body());
    assertTrue(body.get("error").asText().contains("catalog store is unavailable"), r.body());
    assertFalse(
        r.body().contains("no node was available"), "the store's own error stays in the log");
    assertFalse(body.has("field"));
  }

  @Test
  void aFailedReadIs503() throws Exception {
    var r = send(HttpRequest.newBuilder(uri("/v1/items/a")).GET());
    assertEquals(503, r.statusCode());
    assertTrue(
        JsonSupport.MAPPER.readTree(r.body()).get("error").asText().contains("cannot read item"),
        r.body());
  }

  @Test
  void aBatchWithNothingValidWritesNothingAndListsEveryElement() throws Exception {
    int before = WRITES.get();
    var r =
        send(
            HttpRequest.newBuilder(uri("/v1/items"))
                .POST(HttpRequest.BodyPublishers.ofString("[{\"title\": \"no id\"}, 42]")));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(
        JsonSupport.MAPPER.readTree(
            """
        {"accepted": 0, "rejected": [
          {"index": 0, "errors": [{"field": "itemId", "reason": "is required"}]},
          {"index": 1, "errors": [{"field": "$", "reason": "item must be a JSON object"}]}]}"""),
        JsonSupport.MAPPER.readTree(r.body()));
    assertEquals(before, WRITES.get());
  }

  @Test
  void anEmptyArrayIsAcceptedAsNothingToDo() throws Exception {
    var r =
        send(
            HttpRequest.newBuilder(uri("/v1/items"))
                .POST(HttpRequest.BodyPublishers.ofString("[]")));
    assertEquals(200, r.statusCode());
    assertEquals(
        JsonSupport.MAPPER.readTree("{\"accepted\": 0, \"rejected\": []}"),
        JsonSupport.MAPPER.readTree(r.body()));
  }
}
