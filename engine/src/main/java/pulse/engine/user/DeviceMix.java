package pulse.engine.user;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Events per device name (from the event context; events without one are not counted).
 * Client-supplied names are unbounded, so past maxDevices distinct names further ones are counted
 * as "other".
 */
final class DeviceMix {

  private final int maxDevices;
  // long[1] holders: incrementing a boxed Long would allocate on most events.
  private final HashMap<String, long[]> counts = new HashMap<>();

  DeviceMix(int maxDevices) {
    this.maxDevices = maxDevices;
  }

  void add(String device) {
    if (device == null) {
      return;
    }
    long[] c = counts.get(device);
    if (c == null) {
      String key = counts.size() >= maxDevices ? FeatureSettings.OTHER_DEVICE : device;
      c = counts.computeIfAbsent(key, k -> new long[1]);
    }
    c[0]++;
  }

  /** Sorted by name so the JSON is stable. */
  Map<String, Long> toMap() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((d, c) -> out.put(d, c[0]));
    return Collections.unmodifiableMap(out);
  }

  static DeviceMix restore(int maxDevices, Map<String, Long> snapshot) {
    DeviceMix m = new DeviceMix(maxDevices);
    snapshot.forEach((d, c) -> m.counts.put(d, new long[] {c}));
    return m;
  }
}
