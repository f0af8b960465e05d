package pulse.engine.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import pulse.engine.event.EventType;

/**
 * Decayed item popularity: the fallback answer when the model cannot give one (a user with no
 * history, no model, a timeout, a model error). Each event adds its type's weight to its item, and
 * every score halves each half-life.
 *
 * <p>Decay without a sweep: a score is kept as {@code sum w_i * e^(rate * (t_i - reference))}, i.e.
 * scaled up to one shared reference time rather than decayed down to now. Its value now is that
 * times {@code e^(-rate * (now - reference))}, the same factor for every item, so the stored
 * numbers already rank the items, an update touches one item, and an out-of-order event simply
 * enters with its own (smaller) factor. The scale grows by 2 per half-life, so once it nears
 * overflow (~290 half-lives after the reference) every score is rescaled to a new reference; that
 * is O(n log n) but happens every ~12 days at a 1 h half-life.
 *
 * <p>Items are kept ordered (best first) globally and per category, so {@link #top} reads the first
 * entries of one ordered set instead of scanning every item, and eviction takes the last. An update
 * moves the item in the global set and in each of its categories' sets: O((1 + categories) log n).
 *
 * <p>Scores are sums, so a snapshot of one aggregate ({@link #snapshot}) can be added to another
 * ({@link #replace}, {@link #add}) and taken out again: that is how {@link MergedTrending} adds
 * other nodes' shares to this node's events. A sum may go below zero (a withdrawal that arrived
 * before what it withdraws); such an item is kept but never listed.
 *
 * <p>Thread-safe by one lock: ingest threads call {@link #record} and HTTP threads {@link #top};
 * both hold it for microseconds (a few tree operations, or k entries plus the skipped ones). A
 * {@link #replace} or {@link #snapshot} holds it for one pass over a share (~1000 items).
 */
public final class Trending {

  /** An item and its score decayed to the time asked. */
  public record Scored(String itemId, double score) {}

  /**
   * Mutable on purpose: updated on every ingested event. Must leave its sets before {@code scaled}
   * changes.
   */
  private static final class Entry {
    final String itemId;
    double scaled;
    List<String> categories;

    Entry(String itemId, double scaled, List<String> categories) {
      this.itemId = itemId;
      this.scaled = scaled;
      this.categories = categories;
    }
  }

  private static final Comparator<Entry> BEST_FIRST =
      (a, b) -> {
        int byScore = Double.compare(b.scaled, a.scaled);
        return byScore != 0 ? byScore : a.itemId.compareTo(b.itemId);
      };

  /** e^200 ~ 7e86 leaves ~1e220 of headroom for sums of weights before a double overflows. */
  private static final double MAX_EXPONENT = 200;

  /**
   * A sum brought this close to zero, relative to what it was, was cancelled by a withdrawal of the
   * same contribution (a peer's previous share) and differs from 0 by rounding only.
   */
  private static final double CANCELLED = 1e-9;

  private final double rate;
  private final double[] weights;
  private final int maxItems;
  private final Object lock = new Object();
  private final Map<String, Entry> byId = new HashMap<>();
  private final TreeSet<Entry> all = new TreeSet<>(BEST_FIRST);
  private final Map<String, TreeSet<Entry>> byCategory = new HashMap<>();
  private long reference;
  private boolean started;
  private long changes;

  public Trending(TrendingSettings settings) {
    this.rate = Math.log(2) / settings.halfLife().toMillis();
    this.maxItems = settings.maxItems();
    this.weights = new double[EventType.values().length];
    for (EventType t : EventType.values()) {
      weights[t.ordinal()] = settings.weight(t);
    }
  }

  /** Counts one event; events of zero-weight types (and events without an item) are ignored. */
  public void record(String itemId, List<String> categories, EventType type, long eventTimeMillis) {
    double weight = weights[type.ordinal()];
    if (weight == 0 || itemId == null) {
      return;
    }
    add(itemId, categories == null ? List.of() : categories, weight, eventTimeMillis);
  }

  /**
   * Adds {@code score} to an item as of {@code atMillis}, from where it decays like an event's
   * weight; a negative score withdraws that much. {@code categories} replace the item's, or keep
   * them when null.
   */
  public void add(String itemId, List<String> categories, double score, long atMillis) {
    if (score == 0) {
      return;
    }
    synchronized (lock) {
      startAt(atMillis);
      adjust(itemId, categories, scaled(score, atMillis));
    }
  }

  /**
   * Swaps one contribution for another in one step, so that no reader sees the first gone and the
   * second not yet there: what a node does with a peer's newer share. An item in both moves by the
   * difference only.
   */
  public void replace(TrendingSnapshot previous, TrendingSnapshot next) {
    if (previous.items().isEmpty() && next.items().isEmpty()) {
      return;
    }
    synchronized (lock) {
      long latest =
          previous.items().isEmpty()
              ? next.atMillis()
              : next.items().isEmpty()
                  ? previous.atMillis()
                  : Math.max(previous.atMillis(), next.atMillis());
      startAt(latest);
      Map<String, Double> before = new HashMap<>();
      for (TrendingSnapshot.Item p : previous.items()) {
        before.merge(p.itemId(), scaled(p.score(), previous.atMillis()), Double::sum);
      }
      for (TrendingSnapshot.Item n : next.items()) {
        Double was = before.remove(n.itemId());
        adjust(
            n.itemId(),
            n.categories(),
            scaled(n.score(), next.atMillis()) - (was == null ? 0 : was));
      }
      before.forEach((itemId, was) -> adjust(itemId, null, -was));
    }
  }

  /**
   * This node's share as of {@code nowMillis}: the best {@code maxItems} items, and with {@code
   * perCategory > 0} each category's best that many too, so that a category's fallback elsewhere is
   * not left to whichever of its items made the overall list. Only items with a positive score.
   */
  public TrendingSnapshot snapshot(int maxItems, int perCategory, long nowMillis) {
    synchronized (lock) {
      double decay = Math.exp(-rate * (nowMillis - reference));
      Map<String, TrendingSnapshot.Item> out = new LinkedHashMap<>();
      takeBest(all, maxItems, decay, out);
      if (perCategory > 0) {
        for (TreeSet<Entry> set : byCategory.values()) {
          takeBest(set, perCategory, decay, out);
        }
      }
      return new TrendingSnapshot(nowMillis, List.copyOf(out.values()));
    }
  }

  /** How many updates this aggregate has taken: unchanged means there is nothing new to share. */
  public long changes() {
    synchronized (lock) {
      return changes;
    }
  }

  /**
   * The best {@code k} items (of {@code categoryOrNull}, or of all when null) that {@code allowed}
   * accepts, best first, scored as of {@code nowMillis}. {@code allowed} runs under the lock, so it
   * must be cheap (a cache lookup) and must not call back into this object; null allows every item.
   */
  public List<Scored> top(int k, String categoryOrNull, Predicate<String> allowed, long nowMillis) {
    if (k <= 0) {
      return List.of();
    }
    synchronized (lock) {
      TreeSet<Entry> candidates = categoryOrNull == null ? all : byCategory.get(categoryOrNull);
      if (candidates == null) {
        return List.of();
      }
      double decay = Math.exp(-rate * (nowMillis - reference));
      List<Scored> out = new ArrayList<>(Math.min(k, candidates.size()));
      for (Entry e : candidates) {
        if (e.scaled <= 0) {
          break; // a withdrawal larger than what is known of the item yet: never served
        }
        if (allowed == null || allowed.test(e.itemId)) {
          out.add(new Scored(e.itemId, e.scaled * decay));
          if (out.size() == k) {
            break;
          }
        }
      }
      return out;
    }
  }

  /** One item's score as of {@code nowMillis}; 0 when not tracked. */
  public double score(String itemId, long nowMillis) {
    synchronized (lock) {
      Entry e = byId.get(itemId);
      return e == null ? 0 : e.scaled * Math.exp(-rate * (nowMillis - reference));
    }
  }

  /** Items tracked now. */
  public int size() {
    synchronized (lock) {
      return byId.size();
    }
  }

  /** Sets the reference at the first update, and moves it before the scale would overflow. */
  private void startAt(long atMillis) {
    if (!started) {
      reference = atMillis;
      started = true;
    } else if (rate * (atMillis - reference) > MAX_EXPONENT) {
      rebase(atMillis);
    }
  }

  private double scaled(double score, long atMillis) {
    return score * Math.exp(rate * (atMillis - reference));
  }

  /**
   * Adds {@code delta} (already scaled) to an item. A sum that a withdrawal cancels (to rounding)
   * is dropped, so the item leaves the lists rather than lingering with a score of 1e-17; one that
   * ends below zero is kept, since a later contribution may be what it withdraws.
   */
  private void adjust(String itemId, List<String> categories, double delta) {
    if (delta == 0 || !Double.isFinite(delta)) {
      return; // so old it has decayed to nothing (or not a number, which would break the order)
    }
    changes++;
    Entry e = byId.get(itemId);
    if (e == null) {
      e = new Entry(itemId, delta, categories == null ? List.of() : List.copyOf(categories));
      byId.put(itemId, e);
      attach(e);
      if (all.size() > maxItems) {
        // The newcomer competes too: if it is the weakest, it is the one dropped.
        forget(all.last());
      }
      return;
    }
    detach(e);
    double before = e.scaled;
    e.scaled += delta;
    if (categories != null && !e.categories.equals(categories)) {
      e.categories =
          List.copyOf(categories); // the catalog changed the item's categories; follow the latest
    }
    if (Math.abs(e.scaled) <= CANCELLED * Math.abs(before)) {
      byId.remove(itemId);
      return;
    }
    attach(e);
  }

  private static void takeBest(
      TreeSet<Entry> set, int n, double decay, Map<String, TrendingSnapshot.Item> out) {
    int taken = 0;
    for (Entry e : set) {
      if (taken == n || e.scaled <= 0) {
        return;
      }
      taken++;
      out.putIfAbsent(
          e.itemId, new TrendingSnapshot.Item(e.itemId, e.scaled * decay, e.categories));
    }
  }

  private void attach(Entry e) {
    all.add(e);
    for (int i = 0, n = e.categories.size(); i < n; i++) {
      byCategory.computeIfAbsent(e.categories.get(i), c -> new TreeSet<>(BEST_FIRST)).add(e);
    }
  }

  private void detach(Entry e) {
    all.remove(e);
    for (int i = 0, n = e.categories.size(); i < n; i++) {
      String c = e.categories.get(i);
      TreeSet<Entry> set = byCategory.get(c);
      if (set != null) {
        set.remove(e);
        if (set.isEmpty()) {
          byCategory.remove(c);
        }
      }
    }
  }

  private void forget(Entry e) {
    detach(e);
    byId.remove(e.itemId);
  }

  /**
   * Rescales every score to {@code newReference} and rebuilds the sets: multiplying by one factor
   * keeps the order, except that scores may round to equal (then item ids decide), so the sets are
   * rebuilt rather than trusted. Items whose score has decayed below the smallest normal double are
   * dropped: they are gone.
   */
  private void rebase(long newReference) {
    double factor = Math.exp(-rate * (newReference - reference));
    reference = newReference;
    List<Entry> entries = new ArrayList<>(byId.values());
    all.clear();
    byCategory.clear();
    byId.clear();
    for (Entry e : entries) {
      e.scaled *= factor;
      if (Math.abs(e.scaled) >= Double.MIN_NORMAL) {
        byId.put(e.itemId, e);
        attach(e);
      }
    }
  }
}
