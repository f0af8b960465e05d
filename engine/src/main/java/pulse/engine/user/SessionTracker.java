package pulse.engine.user;

import java.util.HashSet;
import java.util.Set;

/**
 * The latest session: a run of events whose consecutive event times are less than the gap apart. A
 * gap of exactly the configured length starts a new session. Out-of-order events join the session
 * when they fall inside it or less than a gap before its start (moving the start back); older ones
 * belong to a past session that is not tracked and are ignored here. Only the latest session is
 * kept, so an out-of-order event that would bridge it to the previous one extends the latest
 * session's start but does not add the older one's events: a bounded undercount, limited to events
 * within the allowed lateness.
 */
final class SessionTracker {

  private final long gap;
  private boolean present;
  private long start;
  private long last;
  private long events;
  private final Set<String> items = new HashSet<>();

  SessionTracker(long gapMillis) {
    this.gap = gapMillis;
  }

  void add(long t, String itemId) {
    if (!present || t - last >= gap) {
      present = true;
      start = t;
      last = t;
      events = 0;
      items.clear();
    } else if (t > last) {
      last = t;
    } else if (t < start) {
      if (start - t >= gap) {
        return;
      }
      start = t;
    }
    events++;
    if (itemId != null) {
      items.add(itemId);
    }
  }

  /**
   * Null when there is no session in progress at now: nothing yet, or the gap has passed since the
   * last event.
   */
  SessionView currentAt(long now) {
    if (!present || now - last >= gap) {
      return null;
    }
    return new SessionView(start, last, events, items.size(), last - start);
  }

  SessionState toSnapshot() {
    if (!present) {
      return null;
    }
    // Sorted: a HashSet's iteration order depends on its history, and snapshots must compare equal.
    return new SessionState(start, last, events, items.stream().sorted().toList());
  }

  static SessionTracker restore(long gapMillis, SessionState state) {
    SessionTracker s = new SessionTracker(gapMillis);
    if (state != null) {
      s.present = true;
      s.start = state.start();
      s.last = state.last();
      s.events = state.events();
      s.items.addAll(state.items());
    }
    return s;
  }
}
