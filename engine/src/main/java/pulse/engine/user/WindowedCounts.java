package pulse.engine.user;

import java.util.ArrayList;
import java.util.List;
import pulse.engine.event.EventType;

/** Event counts per type over every configured sliding window, by event time. */
final class WindowedCounts {

  private static final int TYPES = EventType.values().length;

  private final BucketRing[] rings;

  WindowedCounts(List<WindowSpec> specs) {
    this.rings = new BucketRing[specs.size()];
    for (int i = 0; i < rings.length; i++) {
      rings[i] = new BucketRing(specs.get(i));
    }
  }

  private WindowedCounts(BucketRing[] rings) {
    this.rings = rings;
  }

  void add(EventType type, long eventTime) {
    for (BucketRing ring : rings) {
      ring.add(type, eventTime);
    }
  }

  List<WindowCount> countsAt(long now) {
    List<WindowCount> out = new ArrayList<>(rings.length);
    for (BucketRing ring : rings) {
      long[] byType = new long[TYPES];
      ring.countAt(now, byType);
      out.add(
          new WindowCount(
              ring.spec().name(), ring.spec().length().toMillis(), EnumMaps.fromCounts(byType)));
    }
    return List.copyOf(out);
  }

  List<WindowSnapshot> toSnapshot() {
    List<WindowSnapshot> out = new ArrayList<>(rings.length);
    for (BucketRing ring : rings) {
      out.add(ring.toSnapshot());
    }
    return out;
  }

  static WindowedCounts restore(List<WindowSpec> specs, List<WindowSnapshot> snapshots) {
    BucketRing[] rings = new BucketRing[specs.size()];
    for (int i = 0; i < rings.length; i++) {
      WindowSpec spec = specs.get(i);
      WindowSnapshot snap =
          snapshots.stream()
              .filter(s -> s.window().equals(spec.name()))
              .findFirst()
              .orElse(new WindowSnapshot(spec.name(), List.of()));
      rings[i] = BucketRing.restore(spec, snap);
    }
    return new WindowedCounts(rings);
  }
}
