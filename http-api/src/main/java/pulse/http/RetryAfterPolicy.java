package pulse.http;

import akka.http.javadsl.model.headers.RetryAfter;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntBinaryOperator;

/**
 * The Retry-After of a 503 for a user's events or features: at least the user actor's first
 * persist-failure backoff ({@code pulse.user.persist-failure-backoff.min}, so a retry finds the
 * restarted actor), plus up to twice that again at random, so that the clients that failed together
 * do not all come back in the same second against a Cassandra that is already struggling.
 */
public record RetryAfterPolicy(int minSeconds, int maxSeconds, IntBinaryOperator draw) {
  public RetryAfterPolicy {
    if (minSeconds < 1 || maxSeconds < minSeconds) {
      throw new IllegalArgumentException(
          "Retry-After range " + minSeconds + ".." + maxSeconds + " s is not 1 s or more");
    }
  }

  /** Uniform in [min, max] seconds. */
  public static RetryAfterPolicy of(Duration firstBackoff) {
    int min = (int) Math.max(1, (firstBackoff.toMillis() + 999) / 1000);
    return new RetryAfterPolicy(
        min, 3 * min, (lo, hi) -> ThreadLocalRandom.current().nextInt(lo, hi + 1));
  }

  public static RetryAfterPolicy fromConfig(Config config) {
    return of(config.getDuration("pulse.user.persist-failure-backoff.min"));
  }

  public long seconds() {
    return draw.applyAsInt(minSeconds, maxSeconds);
  }

  public RetryAfter header() {
    return RetryAfter.create(seconds());
  }
}
