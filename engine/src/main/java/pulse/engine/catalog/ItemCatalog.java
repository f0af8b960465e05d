package pulse.engine.catalog;

import akka.Done;
import akka.actor.typed.ActorSystem;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import pulse.engine.event.Item;
import pulse.engine.storage.CassandraStore;

/**
 * The item catalog of one node: items in Cassandra ({@link CassandraItemStore}) in front of a
 * bounded, expiring per-node cache. One instance per node, shared by the HTTP routes and the user
 * actors; thread-safe, and no method blocks.
 *
 * <p>What a reader may see: an upsert through this node is in its cache when the upsert's stage
 * completes; an upsert through another node shows up here once this node's cached copy is older
 * than {@code pulse.catalog.cache-ttl}. Ids that do not exist are cached too (as known-absent),
 * because user events for items nobody registered would otherwise cost a Cassandra read each.
 *
 * <p>Items given to {@link #upsert} must be valid (from the ingest package's ItemParser); this
 * class does not re-validate.
 */
public final class ItemCatalog {
  private final ItemStore store;
  private final int writeParallelism;
  // Optional.empty() = the store has no such item (a negative entry).
  private final BoundedTtlCache<String, Optional<Item>> cache;
  // Reads in flight, so a burst of events for one uncached item costs one Cassandra read, not one
  // each.
  private final ConcurrentHashMap<String, CompletableFuture<Optional<Item>>> loading =
      new ConcurrentHashMap<>();
  private final Consumer<List<Item>> onUpsert;

  public ItemCatalog(ItemStore store, CatalogSettings settings, LongSupplier nanoTicker) {
    this(store, settings, nanoTicker, items -> {});
  }

  /**
   * {@code onUpsert}: called with the items of each upsert once they are written (also with the
   * written part of a failed one), e.g. to bring every node's {@link CatalogIndex} up to date.
   */
  public ItemCatalog(
      ItemStore store,
      CatalogSettings settings,
      LongSupplier nanoTicker,
      Consumer<List<Item>> onUpsert) {
    this.onUpsert = onUpsert;
    this.store = store;
    this.writeParallelism = settings.writeParallelism();
    this.cache = new BoundedTtlCache<>(settings.cacheSize(), settings.cacheTtl(), nanoTicker);
  }

  /**
   * The node's catalog: {@code pulse.catalog} settings, the node's Cassandra session and keyspace.
   */
  public static ItemCatalog create(ActorSystem<?> system) {
    return create(system, items -> {});
  }

  /** As above; {@code onUpsert} as in the constructor. */
  public static ItemCatalog create(ActorSystem<?> system, Consumer<List<Item>> onUpsert) {
    ItemStore store =
        new CassandraItemStore(
            CassandraStore.session(system), CassandraStore.keyspace(system), Clock.systemUTC());
    return new ItemCatalog(
        store, CatalogSettings.fromConfig(system.settings().config()), System::nanoTime, onUpsert);
  }

  /**
   * Writes every item (at most {@code write-parallelism} at a time) and completes when all are
   * written; this node's cache holds them from then on. When an id occurs more than once, its last
   * occurrence is the one kept, as if they had been sent one after the other. Fails with the first
   * write error once the writes in flight have settled; items written before the failure stay
   * written (an upsert is safe to repeat).
   */
  public CompletionStage<Done> upsert(List<Item> items) {
    Map<String, Item> lastPerId = new LinkedHashMap<>();
    for (Item item : items) {
      lastPerId.put(item.itemId(), item);
    }
    List<Item> written = Collections.synchronizedList(new ArrayList<>());
    return BoundedParallel.forEach(
            lastPerId.values(), writeParallelism, item -> writeOne(item, written))
        .whenComplete(
            (done, error) -> {
              if (!written.isEmpty()) {
                List<Item> copy = List.copyOf(written);
                onUpsert.accept(copy);
              }
            });
  }

  private CompletionStage<Done> writeOne(Item item, List<Item> written) {
    return store
        .write(item)
        .whenComplete(
            (done, error) -> {
              if (error == null) {
                written.add(item);
                cache.put(item.itemId(), Optional.of(item));
              } else {
                // The row may or may not have changed: drop our copy rather than keep one that may
                // be stale.
                cache.invalidate(item.itemId());
              }
              // A read that started before this write may return the older row: later readers must
              // not join it.
              loading.remove(item.itemId());
            });
  }

  /** The item, from the cache or else from Cassandra; empty when there is no item with this id. */
  public CompletionStage<Optional<Item>> get(String itemId) {
    Optional<Optional<Item>> cached = cache.get(itemId);
    if (cached.isPresent()) {
      return CompletableFuture.completedStage(cached.get());
    }
    return load(itemId).minimalCompletionStage();
  }

  /**
   * The items that exist among {@code ids}, in the order of {@code ids}; unknown ids are left out.
   */
  public CompletionStage<Map<String, Item>> getAll(Collection<String> ids) {
    Map<String, Item> found = new ConcurrentHashMap<>();
    List<String> misses = new ArrayList<>();
    LinkedHashSet<String> distinct = new LinkedHashSet<>(ids);
    for (String id : distinct) {
      Optional<Optional<Item>> cached = cache.get(id);
      if (cached.isPresent()) {
        cached.get().ifPresent(item -> found.put(id, item));
      } else {
        misses.add(id);
      }
    }
    if (misses.isEmpty()) {
      return CompletableFuture.completedStage(inOrder(distinct, found));
    }
    // Single-partition reads side by side (the Cassandra way; a multi-partition IN would load one
    // coordinator),
    // bounded like writes so one large request cannot flood the driver's queue.
    return BoundedParallel.forEach(
            misses,
            writeParallelism,
            id -> load(id).thenAccept(item -> item.ifPresent(i -> found.put(id, i))))
        .thenApply(done -> inOrder(distinct, found));
  }

  /** The catalog as the ingest path sees it: categories of the known items among {@code ids}. */
  public CategoryLookup asCategoryLookup() {
    return ids ->
        getAll(ids)
            .thenApply(
                items -> {
                  Map<String, List<String>> categories = new HashMap<>(items.size() * 2);
                  items.forEach((id, item) -> categories.put(id, item.categories()));
                  return categories;
                });
  }

  /**
   * The item's categories, empty for an unknown item: at once (an already completed stage) when
   * cached, else after one Cassandra read shared with every concurrent caller for the same id.
   * Fails only when the store cannot be read.
   */
  public CompletionStage<List<String>> categoriesOf(String itemId) {
    Optional<List<String>> cached = cachedCategoriesOf(itemId);
    if (cached.isPresent()) {
      return CompletableFuture.completedStage(cached.get());
    }
    return load(itemId).thenApply(ItemCatalog::categories);
  }

  /**
   * The item's categories if this node's cache knows the item (empty list: known not to exist);
   * empty when the cache cannot answer and {@link #categoriesOf} would have to read Cassandra.
   */
  public Optional<List<String>> cachedCategoriesOf(String itemId) {
    return cache.get(itemId).map(ItemCatalog::categories);
  }

  private static List<String> categories(Optional<Item> item) {
    return item.map(Item::categories).orElse(List.of());
  }

  private CompletableFuture<Optional<Item>> load(String itemId) {
    CompletableFuture<Optional<Item>> running = loading.get(itemId);
    if (running != null) {
      return running;
    }
    CompletableFuture<Optional<Item>> mine = new CompletableFuture<>();
    running = loading.putIfAbsent(itemId, mine);
    if (running != null) {
      return running;
    }
    CompletionStage<Optional<Item>> read;
    try {
      read = store.read(itemId);
    } catch (RuntimeException e) {
      read = CompletableFuture.failedFuture(e);
    }
    read.whenComplete(
        (item, error) -> {
          if (error == null) {
            // putIfAbsent: an upsert that finished while this read ran has put the newer item; keep
            // that one.
            cache.putIfAbsent(itemId, item);
          }
          loading.remove(itemId, mine);
          if (error == null) {
            mine.complete(item);
          } else {
            mine.completeExceptionally(error);
          }
        });
    return mine;
  }

  private static Map<String, Item> inOrder(Collection<String> ids, Map<String, Item> found) {
    Map<String, Item> ordered = new LinkedHashMap<>();
    for (String id : ids) {
      Item item = found.get(id);
      if (item != null) {
        ordered.put(id, item);
      }
    }
    return Collections.unmodifiableMap(ordered);
  }

  /**
   * Items this node's cache holds now (expired ones included until they are overwritten or
   * evicted).
   */
  public int cachedCount() {
    return cache.size();
  }
}
