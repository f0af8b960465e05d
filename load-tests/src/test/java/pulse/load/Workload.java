package pulse.load;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Who does what: user and item ids in the scheme of the demo's synthetic shop ({@code
 * pulse.bench.SyntheticData}: users {@code user-0001} ... with at least 4 digits, 1-based; items
 * {@code sku-00000} ..., 5 digits, 0-based), so {@code -Dpulse.users=200 -Dpulse.items=500} hits
 * exactly the users and items {@code bin/pulse demo} loaded, and events as the JSON {@code POST
 * /v1/events} takes, with ids unique across runs.
 */
final class Workload {
  private Workload() {}

  /**
   * Prefix of every eventId of this run: a rerun never sends an id the node has seen (it would be a
   * duplicate).
   */
  static final String RUN_ID =
      "gl"
          + Long.toString(System.currentTimeMillis(), 36)
          + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);

  private static final AtomicLong EVENT_SEQ = new AtomicLong();

  /** The event types an app sends most, with their shares in a batch. */
  static final List<String> TYPES = List.of("view", "click", "add_to_cart", "purchase");

  private static final double[] TYPE_SHARES = {0.60, 0.25, 0.10, 0.05};

  private static final String USER_FORMAT =
      "user-%0" + Math.max(4, Integer.toString(Target.USERS).length()) + "d";
  private static final Sampler USER_RANKS = new Sampler(Target.USERS, Target.USER_ZIPF);

  /** Item popularity follows Zipf's law with the synthetic shop's exponent. */
  private static final Sampler ITEM_RANKS = new Sampler(Target.ITEMS, 1.05);

  static String userId(int n) {
    return String.format(Locale.ROOT, USER_FORMAT, n);
  }

  static String randomUser() {
    return userId(1 + USER_RANKS.next());
  }

  static String randomItem() {
    return String.format(Locale.ROOT, "sku-%05d", ITEM_RANKS.next());
  }

  static String randomType() {
    double u = ThreadLocalRandom.current().nextDouble();
    for (int i = 0; i < TYPE_SHARES.length - 1; i++) {
      if ((u -= TYPE_SHARES[i]) < 0) {
        return TYPES.get(i);
      }
    }
    return TYPES.get(TYPES.size() - 1);
  }

  /** An endless feeder of {@code userId}s drawn from the pool. */
  static Iterator<Map<String, Object>> users() {
    return Stream.generate(() -> Map.<String, Object>of("userId", randomUser())).iterator();
  }

  static String nextEventId() {
    return RUN_ID + "-" + EVENT_SEQ.incrementAndGet();
  }

  /**
   * One event as JSON. A view carries a dwell time in {@code value}; ids are [a-z0-9-], so nothing
   * needs escaping.
   */
  static String event(String userId, String itemId, String type, long timestamp) {
    StringBuilder json =
        new StringBuilder(200)
            .append("{\"eventId\":\"")
            .append(nextEventId())
            .append("\",\"userId\":\"")
            .append(userId)
            .append("\",\"itemId\":\"")
            .append(itemId)
            .append("\",\"type\":\"")
            .append(type)
            .append("\",\"timestamp\":")
            .append(timestamp);
    if (type.equals("view")) {
      json.append(",\"value\":").append(2_000 + ThreadLocalRandom.current().nextInt(60_000));
    }
    return json.append(",\"context\":{\"device\":\"web\",\"page\":\"loadtest\"}}").toString();
  }

  static String array(List<String> events) {
    return "[" + String.join(",", events) + "]";
  }

  /**
   * Draws 0 .. n-1: uniformly when the exponent is 0, else with P(rank r) proportional to
   * 1/(r+1)^exponent.
   */
  static final class Sampler {
    private final int n;
    private final double[] cumulative;

    Sampler(int n, double exponent) {
      if (n < 1) {
        throw new IllegalArgumentException("need at least one id to draw from, got " + n);
      }
      this.n = n;
      if (exponent == 0) {
        cumulative = null;
      } else {
        cumulative = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
          sum += Math.pow(r + 1, -exponent);
          cumulative[r] = sum;
        }
      }
    }

    int next() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      if (cumulative == null) {
        return random.nextInt(n);
      }
      int i = Arrays.binarySearch(cumulative, random.nextDouble() * cumulative[n - 1]);
      return Math.min(n - 1, i >= 0 ? i : -i - 1);
    }
  }
}
