package pulse.engine.common;

import java.time.Duration;

/**
 * The wait of a retry with exponential backoff, as Akka's restart backoff computes it: {@code min}
 * doubled {@code doublings} times, at most {@code max}, stretched by up to {@code randomFactor} so
 * that retries that failed together do not come back together. For the retries Pulse schedules
 * itself (Kafka ingest's persists, the learner's feedback stream).
 */
public final class ExponentialBackoff {
  private ExponentialBackoff() {}

  /** {@code random} in [0, 1). */
  public static Duration delay(
      Duration min, Duration max, double randomFactor, int doublings, double random) {
    double base = Math.min(max.toMillis(), min.toMillis() * Math.pow(2, doublings));
    return Duration.ofMillis(Math.round(base * (1 + randomFactor * random)));
  }
}
