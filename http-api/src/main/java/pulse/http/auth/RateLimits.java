package pulse.http.auth;

import com.typesafe.config.Config;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets (Bucket4j) in front of the API, on each node: one per key (at its role's rate), one
 * per role (all its keys together), and one per client address for requests without a valid key
 * (probes, scrapes, and anyone guessing keys). A request takes a token from each bucket that
 * applies; when one is empty the answer is 429 with the wait until its next token.
 */
public final class RateLimits {
  /** A key's rate, a role's rate (per second), and how many seconds of it may come at once. */
  public record Rates(
      Map<Role, Double> perKey,
      Map<Role, Double> perRole,
      double anonymousPerAddress,
      double burstSeconds) {}

  private static final int MAX_ADDRESSES = 10_000;

  private final Rates rates;
  private final Map<String, Bucket> byKey = new ConcurrentHashMap<>();
  private final Map<Role, Bucket> byRole = new EnumMap<>(Role.class);
  // The addresses seen lately, the least recently seen forgotten first: a flood of new addresses
  // cannot grow this without bound.
  private final Map<String, Bucket> byAddress =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
              return size() > MAX_ADDRESSES;
            }
          });

  public RateLimits(Rates rates) {
    this.rates = rates;
    for (Role r : Role.values()) {
      byRole.put(r, bucket(rates.perRole().get(r)));
    }
  }

  /** From {@code pulse.http.rate-limits}. */
  public static RateLimits fromConfig(Config c) {
    Map<Role, Double> perKey = new EnumMap<>(Role.class);
    Map<Role, Double> perRole = new EnumMap<>(Role.class);
    for (Role r : Role.values()) {
      perKey.put(r, positive(c, "per-key." + r.label()));
      perRole.put(r, positive(c, "per-role." + r.label()));
    }
    return new RateLimits(
        new Rates(
            perKey, perRole, positive(c, "anonymous-per-address"), positive(c, "burst-seconds")));
  }

  /** Empty when {@code caller} may go on; else how long until it may. */
  public Optional<Duration> acquire(ApiKeys.Caller caller) {
    Bucket key =
        byKey.computeIfAbsent(caller.name(), n -> bucket(rates.perKey().get(caller.role())));
    Optional<Duration> wait = take(key);
    return wait.isPresent() ? wait : take(byRole.get(caller.role()));
  }

  /** The same for a request without a valid key, by the client's address. */
  public Optional<Duration> acquireAnonymous(String address) {
    return take(byAddress.computeIfAbsent(address, a -> bucket(rates.anonymousPerAddress())));
  }

  private static Optional<Duration> take(Bucket bucket) {
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    return probe.isConsumed()
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
  }

  /**
   * {@code perSecond} tokens a second, refilled smoothly (greedy), at most {@code burst-seconds} of
   * them saved up.
   */
  private Bucket bucket(double perSecond) {
    long capacity = Math.max(1, Math.round(perSecond * rates.burstSeconds()));
    Duration refillPeriod = Duration.ofNanos(Math.max(1, Math.round(capacity / perSecond * 1e9)));
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder().capacity(capacity).refillGreedy(capacity, refillPeriod).build())
        .build();
  }

  private static double positive(Config c, String path) {
    double v = c.getDouble(path);
    if (!(v > 0)) {
      throw new IllegalArgumentException(
          "pulse.http.rate-limits." + path + " must be a positive rate per second, was " + v);
    }
    return v;
  }
}
