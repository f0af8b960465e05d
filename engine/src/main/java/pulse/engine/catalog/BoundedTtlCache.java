package pulse.engine.catalog;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A thread-safe in-memory cache with a size bound and a time to live, for lookups on a hot path
 * (every user event asks for its item's categories). Lock-free reads: a hit is one {@link
 * ConcurrentHashMap} lookup and a volatile flag write.
 *
 * <p>Eviction is CLOCK ("second chance"), an approximation of least-recently-used: every key has
 * one node in a FIFO ring; a read marks its node; when the cache is over its bound, the evictor
 * takes nodes from the head, gives a marked one another round (clearing the mark) and drops an
 * unmarked or expired one. So an entry read since its last turn survives, and one nobody asked for
 * goes first.
 *
 * <p>Expiry is checked on read against the injected ticker (nanoseconds, like {@link
 * System#nanoTime()}), so an expired entry is never returned; it keeps its slot until it is
 * overwritten or evicted. Overwriting a key updates its node in place, so the ring holds at most
 * one node per key plus nodes of invalidated keys, and those count against the bound until the
 * evictor discards them: the ring, and with it the map, never exceeds {@code maxSize} by more than
 * the puts racing at that moment.
 */
public final class BoundedTtlCache<K, V> {

  /**
   * A value and when it was written; replaced as a whole so a reader never sees one without the
   * other.
   */
  private record Stamped<V>(V value, long writtenAtNanos) {}

  private static final class Node<K, V> {
    final K key;
    volatile Stamped<V> current;
    volatile boolean referenced;

    Node(K key, Stamped<V> current) {
      this.key = key;
      this.current = current;
    }
  }

  private final int maxSize;
  private final long ttlNanos;
  private final LongSupplier ticker;
  private final ConcurrentHashMap<K, Node<K, V>> map;
  private final ConcurrentLinkedQueue<Node<K, V>> ring = new ConcurrentLinkedQueue<>();
  // ConcurrentLinkedQueue.size() walks the whole queue; this counts its nodes instead.
  private final AtomicInteger ringSize = new AtomicInteger();

  public BoundedTtlCache(int maxSize, Duration ttl, LongSupplier ticker) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("cache size must be at least 1, was " + maxSize);
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("cache TTL must be positive, was " + ttl);
    }
    this.maxSize = maxSize;
    this.ttlNanos = ttl.toNanos();
    this.ticker = ticker;
    this.map = new ConcurrentHashMap<>(Math.min(maxSize, 1 << 16));
  }

  public BoundedTtlCache(int maxSize, Duration ttl) {
    this(maxSize, ttl, System::nanoTime);
  }

  /** The value if present and younger than the TTL. */
  public Optional<V> get(K key) {
    Node<K, V> node = map.get(key);
    if (node == null) {
      return Optional.empty();
    }
    Stamped<V> s = node.current;
    if (expired(s, ticker.getAsLong())) {
      return Optional.empty();
    }
    if (!node.referenced) {
      // Skip the write when already set: a hot key's node would otherwise bounce between cores'
      // caches.
      node.referenced = true;
    }
    return Optional.of(s.value());
  }

  /** Stores the value, replacing whatever the key had; its TTL starts now. */
  public void put(K key, V value) {
    write(key, value, true);
  }

  /**
   * Stores the value only when the key has no live entry (absent or expired). For results of a load
   * that began before a concurrent {@link #put}: the load may have read the older value, which must
   * not win.
   */
  public void putIfAbsent(K key, V value) {
    write(key, value, false);
  }

  public void invalidate(K key) {
    // Its node stays in the ring until the evictor reaches it and sees it no longer mapped.
    map.remove(key);
  }

  /** Entries held, expired ones included (they hold their slot until overwritten or evicted). */
  public int size() {
    return map.size();
  }

  public int maxSize() {
    return maxSize;
  }

  /** Nodes in the eviction ring, stale ones included; for tests of the memory bound. */
  int ringSize() {
    return ringSize.get();
  }

  private void write(K key, V value, boolean overwriteLive) {
    long now = ticker.getAsLong();
    Stamped<V> stamped = new Stamped<>(value, now);
    Node<K, V>[] created = newNodeHolder();
    map.compute(
        key,
        (k, existing) -> {
          if (existing == null) {
            created[0] = new Node<>(k, stamped);
            return created[0];
          }
          if (overwriteLive || expired(existing.current, now)) {
            existing.current = stamped;
          }
          return existing;
        });
    if (created[0] != null) {
      ring.add(created[0]);
      ringSize.incrementAndGet();
      evictWhileOverBound();
    }
  }

  private void evictWhileOverBound() {
    // Each second chance clears a mark, so one pass over the ring finds a victim unless readers
    // keep re-marking
    // nodes as fast as the evictor clears them; after that many chances this call evicts
    // regardless.
    int chancesLeft = ringSize.get();
    while (ringSize.get() > maxSize) {
      Node<K, V> node = ring.poll();
      if (node == null) {
        return;
      }
      ringSize.decrementAndGet();
      if (map.get(node.key) != node) {
        continue; // invalidated (or invalidated and re-added under a new node): nothing left to
        // evict
      }
      if (node.referenced && chancesLeft-- > 0 && !expired(node.current, ticker.getAsLong())) {
        node.referenced = false;
        ring.add(node);
        ringSize.incrementAndGet();
        continue;
      }
      map.remove(node.key, node);
    }
  }

  private boolean expired(Stamped<V> s, long now) {
    return now - s.writtenAtNanos() >= ttlNanos;
  }

  @SuppressWarnings("unchecked")
  private static <K, V> Node<K, V>[] newNodeHolder() {
    return (Node<K, V>[]) new Node<?, ?>[1];
  }
}
