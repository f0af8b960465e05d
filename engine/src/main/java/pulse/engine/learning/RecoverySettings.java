package pulse.engine.learning;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How the learner gets over faults ({@code pulse.learning.feedback} and {@code
 * pulse.learning.history-rebuild}, in the engine's pulse/engine/learning.conf).
 *
 * @param restartMinBackoff first wait before a feedback stream that ended is started again
 * @param restartMaxBackoff longest wait, reached by doubling over failures in a row
 * @param restartRandomFactor each wait is stretched by up to this share, at random
 * @param historyParallelism user entities asked at once for the history of users the learner does
 *     not know
 * @param historyTimeout how long one such ask may take before the user starts without history
 */
public record RecoverySettings(
    Duration restartMinBackoff,
    Duration restartMaxBackoff,
    double restartRandomFactor,
    int historyParallelism,
    Duration historyTimeout) {

  public static RecoverySettings fromConfig(Config config) {
    Config c = config.getConfig("pulse.learning");
    int parallelism = c.getInt("history-rebuild.parallelism");
    if (parallelism < 1) {
      throw new IllegalArgumentException(
          "pulse.learning.history-rebuild.parallelism must be at least 1, was " + parallelism);
    }
    return new RecoverySettings(
        c.getDuration("feedback.restart-min-backoff"),
        c.getDuration("feedback.restart-max-backoff"),
        c.getDouble("feedback.restart-random-factor"),
        parallelism,
        c.getDuration("history-rebuild.timeout"));
  }
}
