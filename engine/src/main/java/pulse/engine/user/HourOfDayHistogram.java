package pulse.engine.user;

import java.util.ArrayList;
import java.util.List;

/** Events per UTC hour of day (0..23) of their event time. */
final class HourOfDayHistogram {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;

  private final long[] counts = new long[24];

  void add(long eventTime) {
    // floorMod keeps pre-1970 times in range; no java.time allocation on the hot path.
    counts[(int) (Math.floorMod(eventTime, DAY) / HOUR)]++;
  }

  List<Long> toList() {
    List<Long> out = new ArrayList<>(24);
    for (long c : counts) {
      out.add(c);
    }
    return List.copyOf(out);
  }

  static HourOfDayHistogram restore(List<Long> counts) {
    if (counts.size() != 24) {
      throw new IllegalArgumentException(
          "hour-of-day histogram needs 24 buckets, got " + counts.size());
    }
    HourOfDayHistogram h = new HourOfDayHistogram();
    for (int i = 0; i < 24; i++) {
      h.counts[i] = counts.get(i);
    }
    return h;
  }
}
