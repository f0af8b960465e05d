package pulse.engine.ingest;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import pulse.engine.common.ExponentialBackoff;

/**
 * How long Kafka ingest keeps trying to persist a partition's events before it dead-letters them:
 * {@code attempts} tries in all, with exponential backoff from {@code minBackoff} to {@code
 * maxBackoff} between them, each delay stretched by up to {@code randomFactor} so that partitions
 * (and nodes) do not retry in lockstep against a recovering Cassandra. The defaults ride out a
 * Cassandra outage of about a minute; a record that still cannot be persisted after that is parked
 * in the dead-letter topic instead of holding its partition forever.
 */
public record PersistRetry(
    int attempts, Duration minBackoff, Duration maxBackoff, double randomFactor) {

  public PersistRetry {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
    if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= min-backoff <= max-backoff, was " + minBackoff + " and " + maxBackoff);
    }
    if (randomFactor < 0) {
      throw new IllegalArgumentException("random-factor must be >= 0, was " + randomFactor);
    }
  }

  /** From {@code pulse.ingest.kafka.persist-retry}. */
  public static PersistRetry fromConfig(Config c) {
    return new PersistRetry(
        c.getInt("attempts"),
        c.getDuration("min-backoff"),
        c.getDuration("max-backoff"),
        c.getDouble("random-factor"));
  }

  /**
   * The wait before try number {@code nextAttempt} (the first try is 1 and has no wait), or empty
   * when {@code nextAttempt} is past the last: give up. {@code random} yields values in [0, 1).
   */
  public Optional<Duration> delayBefore(int nextAttempt, DoubleSupplier random) {
    if (nextAttempt <= 1) {
      return Optional.of(Duration.ZERO);
    }
    if (nextAttempt > attempts) {
      return Optional.empty();
    }
    return Optional.of(
        ExponentialBackoff.delay(
            minBackoff, maxBackoff, randomFactor, nextAttempt - 2, random.getAsDouble()));
  }

  /** The most time all retries can wait together (without the random stretch). */
  public Duration worstCaseWait() {
    Duration total = Duration.ZERO;
    for (int a = 2; a <= attempts; a++) {
      total = total.plus(delayBefore(a, () -> 0).orElseThrow());
    }
    return total;
  }
}
