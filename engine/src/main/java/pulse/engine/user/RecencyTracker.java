package pulse.engine.user;

import pulse.engine.event.EventType;

/** Latest event time overall, of clicks and of purchases; max() makes it order-independent. */
final class RecencyTracker {

  static final long NEVER = Long.MIN_VALUE;

  long lastEvent = NEVER;
  long lastClick = NEVER;
  long lastPurchase = NEVER;

  void add(EventType type, long t) {
    lastEvent = Math.max(lastEvent, t);
    if (type == EventType.CLICK) {
      lastClick = Math.max(lastClick, t);
    } else if (type == EventType.PURCHASE) {
      lastPurchase = Math.max(lastPurchase, t);
    }
  }

  RecencyView at(long now) {
    return new RecencyView(since(lastEvent, now), since(lastClick, now), since(lastPurchase, now));
  }

  private static Long since(long t, long now) {
    return t == NEVER ? null : Math.max(0L, now - t);
  }

  static Long toNullable(long t) {
    return t == NEVER ? null : t;
  }

  static long fromNullable(Long t) {
    return t == null ? NEVER : t;
  }
}
