package pulse.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedTtlCacheTest {
  private static final Duration TTL = Duration.ofMinutes(10);

  /** Time under the test's control: nothing sleeps. */
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private BoundedTtlCache<String, String> cache(int maxSize) {
    return new BoundedTtlCache<>(maxSize, TTL, nanos::get);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void returnsWhatWasPutAndNothingForOtherKeys() {
    var c = cache(10);
    c.put("a", "1");
    assertEquals(Optional.of("1"), c.get("a"));
    assertEquals(Optional.empty(), c.get("b"));
    c.put("a", "2");
    assertEquals(Optional.of("2"), c.get("a"));
    assertEquals(1, c.size());
  }

  @Test
  void anEntryExpiresExactlyAtItsTtlAndAPutRestartsIt() {
    var c = cache(10);
    c.put("a", "1");
    advance(TTL.minusNanos(1));
    assertEquals(Optional.of("1"), c.get("a"), "one nanosecond before the TTL it is still fresh");
    advance(Duration.ofNanos(1));
    assertEquals(Optional.empty(), c.get("a"), "at the TTL it is gone");
    c.put("a", "2");
    advance(TTL.minusNanos(1));
    assertEquals(Optional.of("2"), c.get("a"), "the overwrite started a new TTL");
  }

  @Test
  void putIfAbsentNeverReplacesALiveEntryButFillsAnExpiredOrMissingOne() {
    var c = cache(10);
    c.putIfAbsent("a", "loaded");
    assertEquals(Optional.of("loaded"), c.get("a"));
    c.put("a", "upserted");
    c.putIfAbsent("a", "stale load");
    assertEquals(
        Optional.of("upserted"),
        c.get("a"),
        "a load that read the older row must not win over an upsert");
    advance(TTL);
    c.putIfAbsent("a", "reloaded");
    assertEquals(Optional.of("reloaded"), c.get("a"));
  }

  @Test
  void invalidateRemovesTheEntry() {
    var c = cache(10);
    c.put("a", "1");
    c.invalidate("a");
    assertEquals(Optional.empty(), c.get("a"));
    assertEquals(0, c.size());
    c.put("a", "2");
    assertEquals(Optional.of("2"), c.get("a"));
  }

  @Test
  void neverHoldsMoreThanItsBound() {
    var c = cache(100);
    for (int i = 0; i < 10_000; i++) {
      c.put("k" + i, "v" + i);
      assertTrue(c.size() <= 100, "size " + c.size() + " after " + (i + 1) + " puts");
    }
    assertEquals(100, c.size());
    assertEquals(Optional.of("v9999"), c.get("k9999"), "the newest entry is kept");
    assertEquals(Optional.empty(), c.get("k0"), "the oldest unread entry went first");
  }

  @Test
  void anEntryReadSinceItsLastTurnSurvivesEviction() {
    var c = cache(3);
    c.put("a", "1");
    c.put("b", "2");
    c.put("c", "3");
    c.get("a");
    c.put("d", "4");
    assertEquals(Optional.of("1"), c.get("a"), "read, so it got a second chance");
    assertEquals(Optional.empty(), c.get("b"), "the oldest entry nobody read is evicted");
    assertEquals(Optional.of("3"), c.get("c"));
    assertEquals(Optional.of("4"), c.get("d"));
  }

  @Test
  void anExpiredEntryGetsNoSecondChance() {
    var c = cache(2);
    c.put("old", "1");
    c.get("old");
    advance(TTL);
    c.put("fresh", "2");
    c.get("fresh");
    c.put("newest", "3");
    assertEquals(2, c.size());
    assertEquals(Optional.of("2"), c.get("fresh"));
    assertEquals(Optional.of("3"), c.get("newest"));
  }

  @Test
  void overwritingAKeyDoesNotGrowTheRing() {
    var c = cache(5);
    for (int i = 0; i < 1_000; i++) {
      c.put("same", "v" + i);
    }
    assertEquals(1, c.ringSize());
  }

  @Test
  void invalidatedKeysLeaveNoUnboundedGarbage() {
    var c = cache(5);
    c.put("keep", "1");
    for (int i = 0; i < 1_000; i++) {
      c.put("flaky", "v" + i);
      c.invalidate("flaky");
    }
    assertTrue(c.ringSize() <= 5, "stale nodes are discarded by the evictor: " + c.ringSize());
    assertTrue(c.size() <= 5);
  }

  @Test
  void rejectsANonsensicalConfiguration() {
    assertThrows(IllegalArgumentException.class, () -> new BoundedTtlCache<>(0, TTL, nanos::get));
    assertThrows(
        IllegalArgumentException.class, () -> new BoundedTtlCache<>(10, Duration.ZERO, nanos::get));
  }

  @Test
  void concurrentWritersReadersAndInvalidatorsKeepItConsistentAndBounded() throws Exception {
    int maxSize = 500;
    int threads = 8;
    int opsPerThread = 50_000;
    BoundedTtlCache<Integer, String> c = new BoundedTtlCache<>(maxSize, TTL, nanos::get);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Long>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        long seed = t;
        results.add(
            pool.submit(
                () -> {
                  SplittableRandom random = new SplittableRandom(seed);
                  start.await();
                  long hits = 0;
                  for (int i = 0; i < opsPerThread; i++) {
                    // A hot set of 50 keys inside a key space four times the bound, as item lookups
                    // look.
                    int key =
                        random.nextInt(10) < 7 ? random.nextInt(50) : random.nextInt(4 * maxSize);
                    int op = random.nextInt(100);
                    if (op < 60) {
                      Optional<String> v = c.get(key);
                      if (v.isPresent()) {
                        hits++;
                        // Values name their key: a value under the wrong key would be a torn or
                        // misplaced write.
                        if (!v.get().startsWith(key + ":")) {
                          throw new AssertionError("key " + key + " holds " + v.get());
                        }
                      }
                    } else if (op < 90) {
                      c.put(key, key + ":" + i);
                    } else if (op < 98) {
                      c.putIfAbsent(key, key + ":loaded");
                    } else {
                      c.invalidate(key);
                    }
                  }
                  return hits;
                }));
      }
      start.countDown();
      long hits = 0;
      for (Future<Long> f : results) {
        hits += f.get(60, TimeUnit.SECONDS);
      }
      assertTrue(hits > 0);
    } finally {
      pool.shutdownNow();
    }
    assertTrue(c.size() <= maxSize, "size " + c.size());
    assertTrue(c.ringSize() <= maxSize, "ring " + c.ringSize());
    for (int key = 0; key < 4 * maxSize; key++) {
      int k = key;
      c.get(key).ifPresent(v -> assertTrue(v.startsWith(k + ":"), v));
    }
  }
}
