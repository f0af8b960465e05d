package pulse.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The chaos bench's arithmetic, apart from any server: what each user's acknowledged events, its
 * features and the feedback topic say about losses and repeats.
 */
final class ChaosFigures {
  private ChaosFigures() {}

  /** Acknowledged events the user's features do not count, and events counted beyond them. */
  record Counts(long ackedLost, long countedTwice) {}

  /**
   * {@code counted}: the user's click total in its features; {@code acked}: events answered 202;
   * {@code unacked}: events given up on (persisted or not, the client cannot know), which may
   * explain as many extra counts.
   */
  static Counts compare(long acked, long unacked, long counted) {
    long lost = Math.max(0, acked - counted);
    long extra = Math.max(0, counted - acked - unacked);
    return new Counts(lost, extra);
  }

  /**
   * Whether every node serves {@code target} or a later update of it. Versions are {@code
   * <base>.u<n>} (the n-th online update of a base model) or a bare base (n = 0); the learner makes
   * one every second or so under load, so nodes seldom serve the very same one at the same instant,
   * but each one that has caught up serves {@code target}'s base at an n at least as high.
   */
  static boolean caughtUp(List<String> served, String target) {
    if (served.isEmpty() || target == null) {
      return false;
    }
    for (String v : served) {
      if (v == null || !base(v).equals(base(target)) || update(v) < update(target)) {
        return false;
      }
    }
    return true;
  }

  private static String base(String version) {
    int u = version.lastIndexOf(".u");
    return u < 0 ? version : version.substring(0, u);
  }

  private static long update(String version) {
    int u = version.lastIndexOf(".u");
    if (u < 0) {
      return 0;
    }
    try {
      return Long.parseLong(version.substring(u + 2));
    } catch (NumberFormatException notAnUpdate) {
      return -1;
    }
  }

  /** Acknowledged eventIds that never reached the feedback topic. */
  static long feedbackLost(List<String> acked, Set<String> published) {
    return acked.stream().filter(id -> !published.contains(id)).count();
  }

  /** Attempts by status, as JSON object text ({@code -1}: no answer). */
  static String byStatusJson(List<ChaosLoad.Attempt> attempts) {
    Map<Integer, Long> by = new TreeMap<>();
    attempts.forEach(a -> by.merge(a.status(), 1L, Long::sum));
    StringBuilder sb = new StringBuilder("{");
    by.forEach(
        (status, n) ->
            sb.append(sb.length() > 1 ? "," : "")
                .append('"')
                .append(status < 0 ? "none" : status)
                .append("\":")
                .append(n));
    return sb.append('}').toString();
  }

  /**
   * Seconds from {@code faultMs} until the last read in the window that fell back (the time after
   * which every read was served by the model); 0 when none fell back after the fault; null (NaN)
   * when no read was served by the model at all (no model loaded).
   */
  static double secondsToModelServed(List<ChaosLoad.Attempt> attempts, long faultMs) {
    boolean anyModel =
        attempts.stream().anyMatch(a -> !a.write() && a.status() == 200 && !a.fallback());
    if (!anyModel) {
      return Double.NaN;
    }
    long lastBad =
        attempts.stream()
            .filter(a -> !a.write() && a.atMs() >= faultMs && (a.status() != 200 || a.fallback()))
            .mapToLong(ChaosLoad.Attempt::atMs)
            .max()
            .orElse(faultMs);
    return (lastBad - faultMs) / 1000.0;
  }
}
