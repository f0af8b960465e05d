package pulse.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import pulse.engine.event.Item;

/**
 * The catalog's caching rules over a store the test controls; the Cassandra store itself is tested
 * in ItemRoutesIT.
 */
class ItemCatalogTest {
  private static final Duration TTL = Duration.ofMinutes(10);

  /**
   * A store whose reads and writes complete when the test says so (or at once, when {@code
   * immediate}).
   */
  private static final class ControlledStore implements ItemStore {
    final Map<String, Item> rows = new HashMap<>();
    final List<String> reads = new ArrayList<>();
    final List<CompletableFuture<Void>> pendingReads = new ArrayList<>();
    final List<CompletableFuture<Void>> pendingWrites = new ArrayList<>();
    boolean immediate = true;
    RuntimeException failWrites;

    @Override
    public CompletionStage<Done> write(Item item) {
      if (failWrites != null) {
        return CompletableFuture.failedFuture(failWrites);
      }
      CompletableFuture<Void> gate =
          immediate ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
      pendingWrites.add(gate);
      return gate.thenApply(
          v -> {
            rows.put(item.itemId(), item);
            return Done.getInstance();
          });
    }

    @Override
    public CompletionStage<Optional<Item>> read(String itemId) {
      reads.add(itemId);
      // The row is read when the read is issued, like a replica answering before a later write
      // lands.
      Optional<Item> row = Optional.ofNullable(rows.get(itemId));
      CompletableFuture<Void> gate =
          immediate ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
      pendingReads.add(gate);
      return gate.thenApply(v -> row);
    }
  }

  private final ControlledStore store = new ControlledStore();
  private final AtomicLong nanos = new AtomicLong();
  private final ItemCatalog catalog =
      new ItemCatalog(store, new CatalogSettings(1_000, TTL, 4), nanos::get);

  private static Item item(String id, String... categories) {
    return new Item(
        id, "title " + id, List.of(categories), "brand", 9.99, true, Map.of("color", "red"));
  }

  private static <T> T now(CompletionStage<T> stage) {
    CompletableFuture<T> f = stage.toCompletableFuture();
    assertTrue(f.isDone(), "expected an already completed stage");
    return f.join();
  }

  @Test
  void anUpsertedItemIsServedFromTheCacheWithoutAStoreRead() {
    now(catalog.upsert(List.of(item("a", "shoes"), item("b", "books"))));
    assertEquals(Map.of("a", item("a", "shoes"), "b", item("b", "books")), store.rows);
    assertEquals(Optional.of(item("a", "shoes")), now(catalog.get("a")));
    assertEquals(Optional.of(List.of("shoes")), catalog.cachedCategoriesOf("a"));
    assertEquals(List.of("books"), now(catalog.categoriesOf("b")));
    assertEquals(List.of(), store.reads);
  }

  @Test
  void theUpsertCompletesOnlyWhenEveryItemIsWritten() {
    store.immediate = false;
    CompletableFuture<Done> done =
        catalog.upsert(List.of(item("a"), item("b"), item("c"))).toCompletableFuture();
    store.pendingWrites.get(0).complete(null);
    store.pendingWrites.get(2).complete(null);
    assertFalse(done.isDone());
    assertEquals(
        Optional.empty(), catalog.cachedCategoriesOf("b"), "not cached before it is written");
    store.pendingWrites.get(1).complete(null);
    assertTrue(done.isDone());
    assertEquals(3, store.rows.size());
  }

  @Test
  void theLastOccurrenceOfAnIdInOneBatchWins() {
    now(catalog.upsert(List.of(item("a", "first"), item("b"), item("a", "second"))));
    assertEquals(List.of("second"), store.rows.get("a").categories());
    assertEquals(List.of("second"), now(catalog.categoriesOf("a")));
  }

  @Test
  void aMissReadsTheStoreOnceAndThenAnswersFromTheCache() {
    store.rows.put("a", item("a", "toys"));
    assertEquals(Optional.empty(), catalog.cachedCategoriesOf("a"));
    assertEquals(List.of("toys"), now(catalog.categoriesOf("a")));
    assertEquals(Optional.of(List.of("toys")), catalog.cachedCategoriesOf("a"));
    now(catalog.get("a"));
    now(catalog.categoriesOf("a"));
    assertEquals(List.of("a"), store.reads);
  }

  @Test
  void anUnknownItemHasNoCategoriesAndIsNotReadAgainWithinTheTtl() {
    assertEquals(List.of(), now(catalog.categoriesOf("ghost")));
    assertEquals(Optional.empty(), now(catalog.get("ghost")));
    assertEquals(Optional.of(List.of()), catalog.cachedCategoriesOf("ghost"), "known to be absent");
    assertEquals(List.of("ghost"), store.reads);
  }

  @Test
  void concurrentCallersForOneUncachedItemShareOneRead() {
    store.immediate = false;
    store.rows.put("a", item("a", "garden"));
    CompletableFuture<List<String>> first = catalog.categoriesOf("a").toCompletableFuture();
    CompletableFuture<Optional<Item>> second = catalog.get("a").toCompletableFuture();
    CompletableFuture<List<String>> third = catalog.categoriesOf("a").toCompletableFuture();
    assertEquals(List.of("a"), store.reads);
    assertFalse(first.isDone());
    store.pendingReads.get(0).complete(null);
    assertEquals(List.of("garden"), first.join());
    assertEquals(Optional.of(item("a", "garden")), second.join());
    assertEquals(List.of("garden"), third.join());
  }

  @Test
  void anotherNodesUpsertShowsUpAfterTheTtl() {
    store.rows.put("a", item("a", "old"));
    assertEquals(List.of("old"), now(catalog.categoriesOf("a")));
    store.rows.put(
        "a", item("a", "new")); // written through another node: this node's cache does not know
    nanos.addAndGet(TTL.toNanos() - 1);
    assertEquals(List.of("old"), now(catalog.categoriesOf("a")), "still trusted within the TTL");
    nanos.addAndGet(1);
    assertEquals(Optional.empty(), catalog.cachedCategoriesOf("a"));
    assertEquals(List.of("new"), now(catalog.categoriesOf("a")));
  }

  @Test
  void aReadThatStartedBeforeAnUpsertDoesNotOverwriteTheUpsertedItem() {
    store.rows.put("a", item("a", "old"));
    store.immediate = false;
    CompletableFuture<List<String>> staleRead = catalog.categoriesOf("a").toCompletableFuture();
    CompletableFuture<Done> upsert =
        catalog.upsert(List.of(item("a", "new"))).toCompletableFuture();
    store.pendingWrites.get(0).complete(null);
    assertTrue(upsert.isDone());
    store.pendingReads.get(0).complete(null);
    assertEquals(List.of("old"), staleRead.join(), "that caller asked before the upsert");
    assertEquals(
        Optional.of(List.of("new")),
        catalog.cachedCategoriesOf("a"),
        "but the cache keeps the newer item");
    assertEquals(List.of("new"), catalog.categoriesOf("a").toCompletableFuture().join());
  }

  @Test
  void aFailedWriteFailsTheUpsertAndForgetsTheCachedCopy() {
    now(catalog.upsert(List.of(item("a", "v1"))));
    store.failWrites = new IllegalStateException("cassandra unavailable");
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> catalog.upsert(List.of(item("a", "v2"))).toCompletableFuture().get());
    assertEquals("cassandra unavailable", e.getCause().getMessage());
    assertEquals(
        Optional.empty(),
        catalog.cachedCategoriesOf("a"),
        "the row's state is unknown: read it again");
  }

  @Test
  void aFailedReadFailsTheCallerAndIsNotCached() {
    ItemCatalog broken =
        new ItemCatalog(
            new ItemStore() {
              int calls;

              @Override
              public CompletionStage<Done> write(Item item) {
                return CompletableFuture.completedFuture(Done.getInstance());
              }

              @Override
              public CompletionStage<Optional<Item>> read(String itemId) {
                return ++calls == 1
                    ? CompletableFuture.failedFuture(new IllegalStateException("timeout"))
                    : CompletableFuture.completedFuture(Optional.of(item(itemId, "later")));
              }
            },
            new CatalogSettings(10, TTL, 1),
            nanos::get);
    assertThrows(
        ExecutionException.class, () -> broken.categoriesOf("a").toCompletableFuture().get());
    assertEquals(Optional.empty(), broken.cachedCategoriesOf("a"));
    assertEquals(List.of("later"), now(broken.categoriesOf("a")));
  }

  @Test
  void getAllReturnsTheKnownItemsInRequestOrderFromCacheAndStore() {
    now(catalog.upsert(List.of(item("cached", "x"))));
    store.rows.put("stored", item("stored", "y"));
    Map<String, Item> all = now(catalog.getAll(List.of("stored", "ghost", "cached", "stored")));
    assertEquals(List.of("stored", "cached"), new ArrayList<>(all.keySet()));
    assertEquals(item("stored", "y"), all.get("stored"));
    assertEquals(
        List.of("stored", "ghost"), store.reads, "each miss read once, the cached item not at all");
  }
}
