package pulse.engine.catalog;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import pulse.engine.event.Item;

/**
 * Availability and categories of every catalog item, in memory on each node, for filtering
 * recommendation candidates: the model ranks its whole vocabulary, and an unavailable item or one
 * outside the asked category must never come out. The {@link ItemCatalog} cache holds only items
 * looked up lately, so it cannot answer "which items are unavailable?"; this index can, in O(1) per
 * item and without a Cassandra read on the serving path.
 *
 * <p>Kept current three ways: a full scan of the items table at start and every refresh interval
 * (catches everything), upserts through this node at once, and upserts through other nodes as soon
 * as their broadcast arrives (see {@link CatalogIndexUpdater}). Items the catalog does not know
 * count as available with no category: a model may know items no one has described yet.
 *
 * <p>Thread-safe. Writers are serialised; readers never lock. {@link #generation()} changes with
 * every change, so derived structures (a model's unavailable-index array) can be cached per
 * generation.
 */
public final class CatalogIndex {

  /** What the index keeps of an item. */
  public record Entry(String itemId, boolean available, List<String> categories) {
    public Entry {
      categories = categories == null ? List.of() : List.copyOf(categories);
    }

    public static Entry of(Item item) {
      return new Entry(item.itemId(), item.available(), item.categories());
    }
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Set<String> unavailable = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> byCategory = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private volatile boolean loaded;

  /** Upserts these entries (an item's categories are replaced, as an upsert replaces the item). */
  public synchronized void apply(Collection<Entry> changed) {
    for (Entry e : changed) {
      Entry old = entries.put(e.itemId(), e);
      if (old != null) {
        for (String c : old.categories()) {
          Set<String> members = byCategory.get(c);
          if (members != null) {
            members.remove(e.itemId());
          }
        }
      }
      for (String c : e.categories()) {
        byCategory.computeIfAbsent(c, k -> ConcurrentHashMap.newKeySet()).add(e.itemId());
      }
      if (e.available()) {
        unavailable.remove(e.itemId());
      } else {
        unavailable.add(e.itemId());
      }
    }
    generation.incrementAndGet();
  }

  /**
   * The result of a full scan. Entries are upserted rather than the index rebuilt, so an upsert
   * that lands while a scan runs is not undone by the scan's older view; items deleted from the
   * table (the API has no delete) would linger until restart.
   */
  public void applyScan(Collection<Entry> all) {
    apply(all);
    loaded = true;
  }

  public boolean isAvailable(String itemId) {
    return !unavailable.contains(itemId);
  }

  public boolean inCategory(String itemId, String category) {
    Entry e = entries.get(itemId);
    return e != null && e.categories().contains(category);
  }

  /** The item's categories as the catalog has them (empty when unknown). */
  public List<String> categoriesOf(String itemId) {
    Entry e = entries.get(itemId);
    return e == null ? List.of() : e.categories();
  }

  /** A live, read-only view; copy it if it must not change while you iterate. */
  public Set<String> unavailable() {
    return Collections.unmodifiableSet(unavailable);
  }

  /** Items in the category (empty when none or unknown); a live, read-only view. */
  public Set<String> itemsIn(String category) {
    Set<String> members = byCategory.get(category);
    return members == null ? Set.of() : Collections.unmodifiableSet(members);
  }

  public long generation() {
    return generation.get();
  }

  /**
   * Whether a full scan has completed since start (before it, only items upserted here are known).
   */
  public boolean loaded() {
    return loaded;
  }

  public int size() {
    return entries.size();
  }
}
