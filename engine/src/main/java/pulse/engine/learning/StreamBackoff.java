package pulse.engine.learning;

import java.time.Duration;
import java.util.Random;
import pulse.engine.common.ExponentialBackoff;

/**
 * How long the learner waits before it restarts a feedback stream that ended: {@code min}, doubled
 * for each further failure in a row up to {@code max}, stretched by up to {@code randomFactor} so
 * that many restarts do not line up. A stream that stayed up for at least {@code max} was healthy:
 * its end starts the doubling again from {@code min}. Not thread-safe: the learner actor owns it.
 */
final class StreamBackoff {
  private final Duration min;
  private final Duration max;
  private final double randomFactor;
  private final Random random;
  private int failuresInARow;
  private long upSinceMillis = -1;

  StreamBackoff(Duration min, Duration max, double randomFactor, Random random) {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "the feedback stream's restart backoff needs 0 < min <= max, was " + min + ", " + max);
    }
    this.min = min;
    this.max = max;
    this.randomFactor = randomFactor;
    this.random = random;
  }

  /** The stream reads (the broker named the topic's partitions). */
  void up(long nowMillis) {
    upSinceMillis = nowMillis;
  }

  /** The stream ended; returns how long to wait before starting the next one. */
  Duration ended(long nowMillis) {
    if (upSinceMillis >= 0 && nowMillis - upSinceMillis >= max.toMillis()) {
      failuresInARow = 0;
    }
    upSinceMillis = -1;
    Duration wait =
        ExponentialBackoff.delay(min, max, randomFactor, failuresInARow, random.nextDouble());
    failuresInARow = Math.min(failuresInARow + 1, 62);
    return wait;
  }

  /** Ends in a row since the last healthy stream. */
  int failuresInARow() {
    return failuresInARow;
  }
}
