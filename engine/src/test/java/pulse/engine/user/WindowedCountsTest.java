package pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static pulse.engine.user.Events.HOUR;
import static pulse.engine.user.Events.MINUTE;
import static pulse.engine.user.Events.SECOND;
import static pulse.engine.user.Events.T0;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pulse.engine.event.EventType;

class WindowedCountsTest {

  private final WindowedCounts counts = new WindowedCounts(FeatureSettings.defaults().windows());

  private long count(String window, EventType type, long now) {
    return counts.countsAt(now).stream()
        .filter(w -> w.window().equals(window))
        .findFirst()
        .orElseThrow()
        .count(type);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"5m, 300000", "1h, 3600000", "24h, 86400000", "7d, 604800000"})
  void anAlignedEventIsCountedForExactlyTheWindowLength(String window, long length) {
    counts.add(EventType.VIEW, T0);
    assertEquals(1, count(window, EventType.VIEW, T0));
    assertEquals(1, count(window, EventType.VIEW, T0 + length - 1));
    assertEquals(0, count(window, EventType.VIEW, T0 + length));
  }

  @Test
  void anEventAfterNowIsNotCountedYet() {
    counts.add(EventType.CLICK, T0 + 10 * SECOND);
    assertEquals(0, count("5m", EventType.CLICK, T0 + 10 * SECOND - 1));
    assertEquals(1, count("5m", EventType.CLICK, T0 + 10 * SECOND));
  }

  @Test
  void anUnalignedEventLeavesWithItsBucket() {
    // 1h window, 1 min buckets: an event late in a bucket leaves when the whole bucket does.
    long t = T0 + MINUTE - 1;
    counts.add(EventType.VIEW, t);
    assertEquals(1, count("1h", EventType.VIEW, T0 + HOUR - 1));
    assertEquals(
        0, count("1h", EventType.VIEW, T0 + HOUR), "effective window is at least length - bucket");
  }

  @Test
  void typesAreCountedSeparatelyAndOutOfOrderEventsLandInTheirBucket() {
    counts.add(EventType.VIEW, T0 + 10 * MINUTE);
    counts.add(EventType.VIEW, T0 + 2 * MINUTE);
    counts.add(EventType.CLICK, T0 + 3 * MINUTE);
    long now = T0 + 12 * MINUTE;
    assertEquals(1, count("5m", EventType.VIEW, now));
    assertEquals(0, count("5m", EventType.CLICK, now));
    assertEquals(2, count("1h", EventType.VIEW, now));
    assertEquals(1, count("1h", EventType.CLICK, now));
  }

  @Test
  void aReusedSlotForgetsTheOldBucket() {
    counts.add(EventType.VIEW, T0);
    counts.add(EventType.VIEW, T0 + 5 * MINUTE); // same 5m ring slot, one full window later
    assertEquals(1, count("5m", EventType.VIEW, T0 + 5 * MINUTE));
    counts.add(
        EventType.VIEW, T0); // now older than the slot's bucket: outside every later 5m window
    assertEquals(1, count("5m", EventType.VIEW, T0 + 5 * MINUTE));
    assertEquals(3, count("1h", EventType.VIEW, T0 + 5 * MINUTE));
  }

  @Test
  void snapshotRestoresTheSameCounts() {
    counts.add(EventType.VIEW, T0);
    counts.add(EventType.PURCHASE, T0 + 3 * HOUR + 7);
    List<WindowSpec> specs = FeatureSettings.defaults().windows();
    WindowedCounts restored = WindowedCounts.restore(specs, counts.toSnapshot());
    assertEquals(counts.toSnapshot(), restored.toSnapshot());
    assertEquals(counts.countsAt(T0 + 4 * HOUR), restored.countsAt(T0 + 4 * HOUR));
  }

  @Test
  void customWindowGeometry() {
    WindowedCounts c =
        new WindowedCounts(
            List.of(WindowSpec.of("10s", Duration.ofSeconds(10), Duration.ofSeconds(5))));
    c.add(EventType.VIEW, T0 + 4 * SECOND);
    c.add(EventType.VIEW, T0 + 6 * SECOND);
    assertEquals(2, c.countsAt(T0 + 9 * SECOND).get(0).count(EventType.VIEW));
    assertEquals(1, c.countsAt(T0 + 10 * SECOND).get(0).count(EventType.VIEW));
    assertEquals(0, c.countsAt(T0 + 15 * SECOND).get(0).count(EventType.VIEW));
  }
}
